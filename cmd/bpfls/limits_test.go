package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/benchtest"
)

// hugeChains are the inputs that overflowed the stack of `bpfls check` and
// `bpfls serve` (about 1.2 MB each), generated here rather than committed.
func hugeChains() map[string]string {
	return map[string]string{
		"binary.bt": "BEGIN { $x = 1" + strings.Repeat(" + 1", 270000) + "; }\n",
		"index.bt":  "BEGIN { @m[0] = 1; $x = @m[0]" + strings.Repeat("[1]", 400000) + "; }\n",
		"field.bt":  "kprobe:vfs_read { $t = (struct task_struct *)curtask; $x = $t" + strings.Repeat("->f", 600000) + "; }\n",
	}
}

// TestCheckHugeChains runs the real binary, since a stack overflow kills
// the process rather than failing a test.
func TestCheckHugeChains(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	dir := t.TempDir()
	for name, src := range hugeChains() {
		p := writeFile(t, dir, name, src)
		out, err := exec.Command(bin, "check", "--no-kernel", "--format", "json", p).Output()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
			t.Errorf("%s: %v, want exit code %d", name, err, exitFail)
			continue
		}
		var diags []struct{ Code string }
		if err := json.Unmarshal(out, &diags); err != nil || len(diags) != 1 || diags[0].Code != "syntax/too-deep" {
			t.Errorf("%s: want one syntax/too-deep diagnostic, got %v %s", name, err, out)
		}
	}
}

// TestServeHugeChains opens each huge chain in the real server, which must
// publish the too-deep diagnostic and shut down cleanly.
func TestServeHugeChains(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	p := startServe(t, bin, []string{"serve", "--stdio"})
	p.send(t, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	for name, src := range hugeChains() {
		text, _ := json.Marshal(src)
		uri := "file://" + filepath.Join("/tmp", name)
		p.send(t, `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"`+uri+`","languageId":"bpftrace","version":1,"text":`+string(text)+`}}}`)
	}
	p.send(t,
		`{"jsonrpc":"2.0","id":2,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///tmp/binary.bt"}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"textDocument/semanticTokens/full","params":{"textDocument":{"uri":"file:///tmp/field.bt"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"textDocument/foldingRange","params":{"textDocument":{"uri":"file:///tmp/index.bt"}}}`)
	for _, id := range []string{`"id":2,"result"`, `"id":3,"result"`, `"id":4,"result"`} {
		if !strings.Contains(p.out.String(), id) {
			t.Errorf("no answer %s", id)
		}
	}
	p.waitOutput(t, `"code":"syntax/too-deep"`, 3)
	if n := strings.Count(p.out.String(), `"code":"syntax/too-deep"`); n != 3 {
		t.Errorf("%d too-deep diagnostics published, want 3", n)
	}
	p.shutdown(t) // exit follows shutdown's answer: an exit that overtakes it is exit code 1
}

// syncBuffer is a bytes.Buffer a process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestCheckHostileTree checks a directory holding links out of it, a FIFO
// and an oversized script: links that leave the tree are skipped without
// reading them (leak.bt -> /etc/passwd printed its lines, even into GitHub
// annotations), and nothing blocks or reads without end.
func TestCheckHostileTree(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	dir := t.TempDir()
	secret := writeFile(t, t.TempDir(), "secret.txt", "root:x:0:0:secret-marker:/root:/bin/bash\n")
	writeFile(t, dir, "sub/real.bt", cleanScript)
	for link, target := range map[string]string{
		"leak.bt":     secret,
		"zero.bt":     "/dev/zero",
		"up.bt":       "../" + filepath.Base(dir) + "-outside.bt",
		"sub/rel.bt":  "../../" + filepath.Base(filepath.Dir(secret)) + "/secret.txt",
		"inside.bt":   "sub/real.bt", // stays in the tree: checked
		"sub/same.bt": filepath.Join(dir, "sub", "real.bt"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "github", "json"} {
		cmd := exec.Command(bin, "check", "--no-kernel", "--target-version", "newest", "--format", format, dir)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := runWithin(cmd, 20*time.Second); err != nil {
			t.Errorf("%s: %v; stderr:\n%s", format, err, errb.String())
		}
		all := out.String() + errb.String()
		if strings.Contains(all, "secret-marker") || strings.Contains(all, "root:x") {
			t.Errorf("%s: the content of a file outside the tree was printed:\n%s", format, all)
		}
		for _, link := range []string{"leak.bt", "zero.bt", "rel.bt"} {
			if !strings.Contains(errb.String(), link+": a symbolic link that leaves") {
				t.Errorf("%s: no note that %s was skipped; stderr:\n%s", format, link, errb.String())
			}
		}
	}
	fifo := filepath.Join(dir, "fifo.bt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := writeFile(t, dir, "big.bt", strings.Repeat("// padding\n", analysis.MaxSourceSize/11+1))
	for _, args := range [][]string{{dir}, {fifo}, {"/dev/zero"}, {big}} {
		cmd := exec.Command(bin, append([]string{"check", "--no-kernel", "--target-version", "newest"}, args...)...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := runWithin(cmd, 20*time.Second)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
			t.Errorf("check %v: %v, want exit code %d; stderr:\n%s", args, err, exitFail, errb.String())
		}
		if want := "not a regular file"; args[0] != big && !strings.Contains(errb.String(), want) {
			t.Errorf("check %v: stderr lacks %q:\n%s", args, want, errb.String())
		}
	}
	code, _, errOut := runBpfls(t, "check", "--no-kernel", "--target-version", "newest", big)
	if code != exitFail || !strings.Contains(errOut, fmt.Sprintf("larger than %d MiB", analysis.MaxSourceSize>>20)) {
		t.Errorf("oversized script: exit %d, stderr %q", code, errOut)
	}
}

// TestCheckStopsOnSignal sends SIGTERM and SIGINT while check works
// through large scripts: it must exit at once with code 1.
func TestCheckStopsOnSignal(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; b.Len() < 2<<20-200; i++ {
		fmt.Fprintf(&b, "kprobe:vfs_read /pid == %d/ { @x[pid, comm] = count(); $a = arg0 + %d; printf(\"%%d\\n\", $a); }\n", i, i)
	}
	for i := range 20 {
		writeFile(t, dir, fmt.Sprintf("s%02d.bt", i), b.String())
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "check", "--no-kernel", "--target-version", "newest", dir)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFail || !strings.Contains(errb.String(), "interrupted") {
				t.Errorf("after %v: %v, stderr %q; want exit code %d and a note", sig, err, errb.String(), exitFail)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("check still running 5s after %v", sig)
		}
	}
}

// runWithin runs cmd, killing it after d.
func runWithin(cmd *exec.Cmd, d time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(d, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	return cmd.Wait()
}

// TestServeKernelSettingsBurstMemory sends 200 kernelBTF changes in a
// burst to the real server over the real kernel's BTF (alternating two
// paths to it): before superseded indexes were dropped and closed, the
// peak was 1.77 GB. The peak resident size must stay well below that.
func TestServeKernelSettingsBurstMemory(t *testing.T) {
	t.Parallel()
	requireRealBTF(t)
	bin := buildServeBinary(t)
	data, err := os.ReadFile("/sys/kernel/btf/vmlinux")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/sys/kernel/btf/vmlinux", writeFile(t, t.TempDir(), "vmlinux", string(data))}
	p := startServe(t, bin, []string{"serve", "--stdio"}, "XDG_CACHE_HOME="+t.TempDir())
	p.send(t, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	var burst bytes.Buffer // in one write, so that the server reads them as one burst
	for i := range 200 {
		burst.WriteString(serveFrame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"bpfls":{"targetVersion":"newest","kernelBTF":%q}}}}`, paths[i%2])))
	}
	if _, err := p.in.Write(burst.Bytes()); err != nil {
		t.Fatal(err)
	}
	p.send(t, `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///t.bt","languageId":"bpftrace","version":1,"text":"kprobe:vfs_reed { }\n"}}}`)
	// The last kernel is in use once the misspelt function is reported.
	p.waitOutput(t, "vfs_read", 1)
	time.Sleep(2 * time.Second) // let any background load still running show
	peakKB := p.peakKB(t)
	t.Logf("peak resident size after 200 kernelBTF changes: %d MB", peakKB>>10)
	if peakKB == 0 || peakKB > 600<<10 {
		t.Errorf("peak resident size %d MB, want under 600 MB", peakKB>>10)
	}
}

// TestCheckLongLineExcerpt checks a one-line script with thousands of
// problems: each diagnostic shows a window of the line, not all of it (470
// MB of output for 4,000 problems on a 60 KB line before).
func TestCheckLongLineExcerpt(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("BEGIN {")
	for i := range 3000 {
		fmt.Fprintf(&b, " @a%d = nosuch%d;", i, i)
	}
	b.WriteString(" }\n")
	p := writeFile(t, t.TempDir(), "long.bt", b.String())
	code, out, errOut := runBpfls(t, "check", "--no-kernel", "--target-version", "newest", p)
	if code != exitFail {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	heads := strings.Count(out, "long.bt:1:")
	if heads < 1000 {
		t.Fatalf("%d diagnostics, want one per unknown identifier", heads)
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 2*maxShownLine {
			t.Fatalf("an output line of %d characters: %.200s…", n, line)
		}
	}
	// The marker still points at the identifier in the window.
	lines := strings.Split(out, "\n")
	for i := 0; i+2 < len(lines); i++ {
		if strings.Contains(lines[i], "nosuch2999") && strings.HasPrefix(lines[i], p) {
			col := strings.IndexRune(lines[i+2], '^')
			if !strings.HasPrefix(string([]rune(lines[i+1])[col:]), "nosuch2999") {
				t.Errorf("marker misplaced:\n%s\n%s", lines[i+1], lines[i+2])
			}
		}
	}
}

// TestServeLargeDocumentMemory opens 10 MB (analysed) and just over
// analysis.MaxSourceSize (not analysed) documents of one-line probes in
// the real server and bounds its peak resident size: 10 MB of text took
// 913 MB when the limit was first set, at 2 MiB.
func TestServeLargeDocumentMemory(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	line := "kprobe:vfs_read /pid == 1/ { @x[pid, comm] = count(); $a = arg0 + 1; printf(\"%d\\n\", $a); }\n"
	for _, size := range []int{10 << 20, analysis.MaxSourceSize + 100} {
		text := strings.Repeat(line, size/len(line)+1)[:size-1] + "\n"
		body, _ := json.Marshal(text)
		p := startServe(t, bin, []string{"serve", "--stdio"})
		p.send(t, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"targetVersion":"newest","diagnosticsDelay":0}}}`,
			`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
			`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///m.bt","languageId":"bpftrace","version":1,"text":`+string(body)+`}}}`)
		p.waitOutput(t, "publishDiagnostics", 1)
		peakKB := p.peakKB(t)
		if tooLarge := strings.Contains(p.out.String(), `"code":"file/too-large"`); tooLarge != (size > analysis.MaxSourceSize) {
			t.Errorf("%d bytes: tooLarge=%v", size, tooLarge)
		}
		p.shutdown(t)
		t.Logf("%d MB document: peak resident size %d MB", size>>20, peakKB>>10)
		if peakKB > 300<<10 {
			t.Errorf("%d MB document: peak resident size %d MB, want under 300 MB", size>>20, peakKB>>10)
		}
	}
}

// TestCheckLargeScriptMemory checks a realistic 10 MB script with `bpfls
// check` and bounds the peak resident size of the process: it reads the
// script whole, parses it, analyses it and prints its diagnostics, so the
// peak is that of the first analysis with the text and the output. Kernel
// facts are left out, so that the figure is the script's. It was 28 times
// the text while the first analysis held the whole tree across its passes,
// 11-12 since.
func TestCheckLargeScriptMemory(t *testing.T) {
	t.Parallel()
	bin := buildServeBinary(t)
	src := benchtest.LargeScript(t, 10<<20)
	path := writeFile(t, t.TempDir(), "large.bt", string(src))
	cmd := exec.Command(bin, "check", "--no-kernel", "--target-version", "newest", path)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	peakKB, err := runPeak(cmd, 120*time.Second)
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != exitFail) {
		t.Fatalf("check: %v; stderr:\n%s", err, lastLines(errb.String(), 10))
	}
	if strings.Contains(errb.String(), "larger than") || !strings.Contains(out.String()+errb.String(), "large.bt") {
		t.Fatalf("the script was not checked; stderr:\n%s", lastLines(errb.String(), 10))
	}
	peak := float64(peakKB) * 1024 / float64(len(src))
	t.Logf("%d-byte script: peak resident size %.1f MB, %.1f times the text; CPU %v", len(src), mb(peakKB), peak,
		cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	if peakKB == 0 || peak > 20 {
		t.Errorf("checking a %d-byte script peaked at %.1f times its size, want at most 20", len(src), peak)
	}
}

// runPeak runs cmd as runWithin does and returns its peak resident size
// in KiB, read from /proc while it runs: the high-water mark only grows, so
// the last reading holds the peak unless it came in the last few
// milliseconds. The child's rusage cannot tell: a child started with
// vfork, as os/exec starts it, reports the resident peak of its parent,
// the test binary, when that is larger.
func runPeak(cmd *exec.Cmd, d time.Duration) (int, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	timer := time.AfterFunc(d, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	done := make(chan struct{})
	peak := make(chan int)
	go func() {
		hwm := 0
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if data, err := os.ReadFile(status); err == nil {
				if _, v, ok := strings.Cut(string(data), "VmHWM:"); ok {
					var kb int
					if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
						hwm = max(hwm, kb)
					}
				}
			}
			select {
			case <-done:
				peak <- hwm
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return <-peak, err
}
