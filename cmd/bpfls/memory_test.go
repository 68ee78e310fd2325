package main

// Memory bounds of the real server, read from /proc as the kernel counts
// them (resident set, high-water mark), not from Go's own statistics.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// procStatusKB reads fields such as "VmHWM" and "VmRSS" of a process's
// /proc status, in KiB.
func procStatusKB(t *testing.T, pid int) map[string]int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the server's memory: %v", err)
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		var n int
		if ok && strings.HasSuffix(v, "kB") {
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &n); err == nil {
				out[k] = n
			}
		}
	}
	return out
}

// mb converts KiB to MB (10^6 bytes).
func mb(kib int) float64 { return float64(kib) * 1024 / 1e6 }

// serveProcess is a running `bpfls serve --stdio`.
type serveProcess struct {
	cmd *exec.Cmd
	in  interface{ Write([]byte) (int, error) }
	out *syncBuffer
}

func startServe(t *testing.T, bin string, env ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--stdio")
	cmd.Env = append(os.Environ(), env...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, in: in, out: &syncBuffer{}}
	cmd.Stdout = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return p
}

func (p *serveProcess) send(t *testing.T, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		if _, err := p.in.Write([]byte(serveFrame(m))); err != nil {
			t.Fatal(err)
		}
	}
}

// waitOutput waits until stdout holds n occurrences of s.
func (p *serveProcess) waitOutput(t *testing.T, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for strings.Count(p.out.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d× %q from the server; stdout ends:\n%s", n, s, lastLines(p.out.String(), 5))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeFirstStartMemory runs the server on the real kernel with an
// empty cache directory, so that it builds the on-disk index while a
// script is checked, and bounds its peak resident size (VmHWM, which counts
// every page the process ever had resident at once) from start to the
// first diagnostics that use the new index. The peak was 165 MB when the
// index was built from cilium/ebpf's decoded types.
func TestServeFirstStartMemory(t *testing.T) {
	t.Parallel()
	requireRealBTF(t)
	bin := buildServeBinary(t)
	cache := t.TempDir()
	p := startServe(t, bin, "XDG_CACHE_HOME="+cache)
	text := `kprobe:vfs_reed { @x = count(); }\nfentry:tcp_* { @y[probe] = count(); }\n`
	p.send(t,
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"targetVersion":"newest","diagnosticsDelay":0}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.bt","languageId":"bpftrace","version":1,"text":"`+text+`"}}}`)
	p.waitOutput(t, "publishDiagnostics", 1)
	deadline := time.Now().Add(120 * time.Second)
	for {
		if idx, _ := filepath.Glob(filepath.Join(cache, "bpfls", "*.idx")); len(idx) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no index written under %s", cache)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Checked again, now against the index.
	time.Sleep(500 * time.Millisecond)
	p.send(t, `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"`+text+` "}]}}`)
	p.waitOutput(t, "publishDiagnostics", 2)
	if !strings.Contains(p.out.String(), "vfs_read") {
		t.Errorf("no diagnostic suggesting vfs_read; stdout ends:\n%s", lastLines(p.out.String(), 5))
	}
	st := procStatusKB(t, p.cmd.Process.Pid)
	t.Logf("first start: peak %.1f MB, now %.1f MB resident", mb(st["VmHWM"]), mb(st["VmRSS"]))
	if st["VmHWM"] == 0 || mb(st["VmHWM"]) >= 60 {
		t.Errorf("peak resident size %.1f MB, want under 60 MB", mb(st["VmHWM"]))
	}
}
