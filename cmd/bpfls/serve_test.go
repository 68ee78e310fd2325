package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveFrame wraps a JSON-RPC body in an LSP header.
func serveFrame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// buildServeBinary builds bpfls once per test into a temporary directory.
func buildServeBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bpfls")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building bpfls: %v\n%s", err, out)
	}
	return bin
}

// runServeSession feeds msgs to `bpfls args…` one by one and returns its
// stdout, stderr and exit code once it exits (or fails the test after 20s).
// After a request it waits for the answer, as a client does: a loaded
// machine could otherwise let exit overtake shutdown.
func runServeSession(t *testing.T, bin string, args []string, msgs ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m == "" { // close stdin
			in.Close()
			continue
		}
		if _, err := in.Write([]byte(m)); err != nil {
			break // the server may already have exited
		}
		if id := requestID.FindStringSubmatch(m); id != nil {
			answered := func() bool {
				o := out.String()
				return strings.Contains(o, `"id":`+id[1]+`,"result"`) || strings.Contains(o, `"id":`+id[1]+`,"error"`)
			}
			for deadline := time.Now().Add(10 * time.Second); !answered() && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("bpfls did not exit; stderr:\n%s", errb.String())
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errb.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// requestID finds the id of a request (a message with both an id and a method).
var requestID = regexp.MustCompile(`^Content-Length: \d+\r\n\r\n\{"jsonrpc":"2.0","id":(\d+),"method"`)

func TestServeOverStdio(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	initialize := serveFrame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	shutdown := serveFrame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	exit := serveFrame(`{"jsonrpc":"2.0","method":"exit"}`)

	t.Run("shutdown then exit", func(t *testing.T) {
		t.Parallel()
		logFile := filepath.Join(t.TempDir(), "bpfls.log")
		stdout, stderr, code := runServeSession(t, bin, []string{"serve", "--stdio", "--log-file", logFile, "--log-level", "debug"}, initialize, shutdown, exit)
		if code != 0 {
			t.Errorf("exit code %d, want 0; stderr:\n%s", code, stderr)
		}
		if !strings.Contains(stdout, `"id":1,"result":{"capabilities"`) || !strings.Contains(stdout, `"id":2,"result":null`) {
			t.Errorf("stdout lacks the answers:\n%s", stdout)
		}
		for _, part := range strings.Split(stdout, "Content-Length: ")[1:] {
			if !strings.Contains(part, "\r\n\r\n{\"jsonrpc\":\"2.0\"") {
				t.Errorf("stdout holds something other than JSON-RPC frames: %q", part)
			}
		}
		logs, err := os.ReadFile(logFile)
		if err != nil || !strings.Contains(string(logs), `"msg":"shutdown requested"`) {
			t.Errorf("log file %s: %v\n%s", logFile, err, logs)
		}
		if stderr != "" {
			t.Errorf("with --log-file, stderr should stay empty; got:\n%s", stderr)
		}
	})
	t.Run("exit without shutdown", func(t *testing.T) {
		t.Parallel()
		if _, stderr, code := runServeSession(t, bin, []string{"--stdio"}, initialize, exit); code != 1 {
			t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
		}
	})
	t.Run("stdin closed", func(t *testing.T) {
		t.Parallel()
		if _, stderr, code := runServeSession(t, bin, nil, initialize, ""); code != 1 {
			t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
		}
	})
	t.Run("signal", func(t *testing.T) {
		t.Parallel()
		cmd := exec.Command(bin, "serve")
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close() // stdin stays open: only the signal can end the server
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Write([]byte(initialize)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
				t.Errorf("after SIGTERM: %v, want exit code %d", err, exitFail)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("bpfls ignored SIGTERM while its stdin stayed open")
		}
	})
	t.Run("bad flag", func(t *testing.T) {
		t.Parallel()
		if _, _, code := runServeSession(t, bin, []string{"serve", "--log-level", "loud"}); code != exitUsage {
			t.Errorf("exit code %d, want %d", code, exitUsage)
		}
	})
}
