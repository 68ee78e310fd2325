package main

import (
	"errors"
	"fmt"
	"io"
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

// serveProcess is a running bpfls server fed over its stdin. Every test
// that runs the real server starts it through startServe.
type serveProcess struct {
	cmd      *exec.Cmd
	in       io.WriteCloser
	out, log *syncBuffer // stdout and stderr
	done     chan struct{}
	err      error // cmd.Wait's, once done is closed
}

// startServe starts `bpfls args…` with env added to the environment. The
// process is killed when the test ends, if it has not exited by then.
func startServe(t *testing.T, bin string, args []string, env ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, in: in, out: &syncBuffer{}, log: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.done })
	return p
}

// send writes each JSON-RPC body, framed, to the server's stdin; an empty
// one closes stdin. After a request it waits for the answer, as a client
// does: on a loaded machine an exit could otherwise overtake shutdown.
func (p *serveProcess) send(t *testing.T, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		if m == "" {
			p.in.Close()
			continue
		}
		if _, err := p.in.Write([]byte(serveFrame(m))); err != nil {
			t.Fatalf("writing to the server: %v; stderr ends:\n%s", err, lastLines(p.log.String(), 20))
		}
		if id := requestID.FindStringSubmatch(m); id != nil {
			p.waitAnswer(t, id[1])
		}
	}
}

// requestID finds the id of a request (a message with both an id and a method).
var requestID = regexp.MustCompile(`^\{"jsonrpc":"2.0","id":(\d+),"method"`)

// waitAnswer waits until stdout holds the answer to request id.
func (p *serveProcess) waitAnswer(t *testing.T, id string) {
	t.Helper()
	answered := func() bool {
		o := p.out.String()
		return strings.Contains(o, `"id":`+id+`,"result"`) || strings.Contains(o, `"id":`+id+`,"error"`)
	}
	for deadline := time.Now().Add(60 * time.Second); !answered(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no answer to request %s; stderr ends:\n%s", id, lastLines(p.log.String(), 20))
		}
	}
}

// waitOutput waits until stdout holds n occurrences of s.
func (p *serveProcess) waitOutput(t *testing.T, s string, n int) {
	t.Helper()
	waitFor(t, p.out, s, n)
}

func waitFor(t *testing.T, b *syncBuffer, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for strings.Count(b.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d× %q from the server; it ends:\n%s", n, s, lastLines(b.String(), 5))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exitCode waits up to d for the server to exit and returns its exit code;
// a server still running after d fails the test.
func (p *serveProcess) exitCode(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		_ = p.cmd.Process.Kill()
		t.Fatalf("bpfls did not exit within %v; stderr ends:\n%s", d, lastLines(p.log.String(), 20))
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

// shutdown asks the server to shut down and exit, as a client does, and
// fails the test unless it exits with code 0 within 20 s.
func (p *serveProcess) shutdown(t *testing.T) {
	t.Helper()
	p.send(t, `{"jsonrpc":"2.0","id":999,"method":"shutdown"}`, `{"jsonrpc":"2.0","method":"exit"}`)
	if code := p.exitCode(t, 20*time.Second); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0; stderr ends:\n%s", code, lastLines(p.log.String(), 20))
	}
}

// peakKB is the server's peak resident size so far (VmHWM), in KiB.
func (p *serveProcess) peakKB(t *testing.T) int {
	t.Helper()
	return procStatusKB(t, p.cmd.Process.Pid)["VmHWM"]
}

// runServeSession feeds msgs to `bpfls args…` (see send) and returns its
// stdout, stderr and exit code once it exits, within 20 s.
func runServeSession(t *testing.T, bin string, args []string, msgs ...string) (stdout, stderr string, code int) {
	t.Helper()
	p := startServe(t, bin, args)
	p.send(t, msgs...)
	code = p.exitCode(t, 20*time.Second)
	return p.out.String(), p.log.String(), code
}

func TestServeOverStdio(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	shutdown := `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
	exit := `{"jsonrpc":"2.0","method":"exit"}`

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
		p := startServe(t, bin, []string{"serve"}) // stdin stays open: only the signal can end the server
		p.send(t, initialize)
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := p.exitCode(t, 10*time.Second); code != exitFail {
			t.Errorf("after SIGTERM: exit code %d, want %d", code, exitFail)
		}
	})
	t.Run("bad flag", func(t *testing.T) {
		t.Parallel()
		if _, _, code := runServeSession(t, bin, []string{"serve", "--log-level", "loud"}); code != exitUsage {
			t.Errorf("exit code %d, want %d", code, exitUsage)
		}
	})
}
