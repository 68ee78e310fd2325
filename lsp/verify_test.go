package lsp_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// fakeBpftrace is a shell script standing in for bpftrace. Every run
// appends its arguments to calls; --version prints 0.17's answer; a compile
// runs before (shell code), then prints a fixture recorded from the real
// 0.17 with the fixture's file name replaced by the one it was given.
type fakeBpftrace struct {
	path  string
	calls string // one line of arguments per run
	dir   string
}

// newFakeBpftrace writes a fake replaying testdata/bpftrace/0.17/<fixture>.txtar
// and returns it with the fixture's script.
func newFakeBpftrace(t *testing.T, fixture, before string) (*fakeBpftrace, string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "testdata", "bpftrace", "0.17", fixture+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	for _, f := range ar.Files {
		sections[f.Name] = string(f.Data)
	}
	dir := t.TempDir()
	f := &fakeBpftrace{path: filepath.Join(dir, "bpftrace"), calls: filepath.Join(dir, "calls"), dir: dir}
	stderr := filepath.Join(dir, "stderr")
	if err := os.WriteFile(stderr, []byte(sections["stderr"]), 0o644); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
echo "$*" >> %q
if [ "$1" = "--version" ]; then echo "bpftrace v0.17.0"; exit 0; fi
%s
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
sed "s|^script.bt:|$2:|" %q >&2
exit %s
`, f.calls, before, stderr, strings.TrimSpace(sections["exitcode"]))
	if err := os.WriteFile(f.path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return f, sections["script.bt"]
}

// runs returns the argument lines of every run so far.
func (f *fakeBpftrace) runs() []string {
	b, err := os.ReadFile(f.calls)
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// verifySettings turns verification on with bpftrace at path, plus extra
// verify.* fields; analysis runs without delay and targets 0.17.
func verifySettings(path string, extra map[string]any) map[string]any {
	v := map[string]any{"enabled": true, "onSave": true, "path": path}
	for k, x := range extra {
		v[k] = x
	}
	return map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0, "targetVersion": "0.17", "verify": v}}
}

// scriptURI is a file URI for name in a fresh directory; verification puts
// its temporary copy next to it.
func scriptURI(t *testing.T, name string) uri.URI {
	return uri.File(filepath.Join(t.TempDir(), name))
}

func save(e *lsptest.Env, u uri.URI) {
	e.T.Helper()
	e.Notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
}

func source(d protocol.Diagnostic) string {
	s, _ := d.Source.Get()
	return s
}

func codeOf(d protocol.Diagnostic) string {
	s, _ := d.Code.(protocol.String)
	return string(s)
}

// fromBpftrace returns the diagnostics whose source is bpftrace.
func fromBpftrace(p *protocol.PublishDiagnosticsParams) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, d := range p.Diagnostics {
		if source(d) == "bpftrace" {
			out = append(out, d)
		}
	}
	return out
}

// bpftraceAt accepts a publication for version v holding a bpftrace
// diagnostic with code on 0-based line.
func bpftraceAt(v int32, code string, line uint32) func(*protocol.PublishDiagnosticsParams) bool {
	return func(p *protocol.PublishDiagnosticsParams) bool {
		if !lsptest.AtVersion(v)(p) {
			return false
		}
		for _, d := range fromBpftrace(p) {
			if codeOf(d) == code && d.Range.Start.Line == line {
				return true
			}
		}
		return false
	}
}

// sameDiagnostic tells diagnostics apart by what a user sees.
func sameDiagnostic(a, b protocol.Diagnostic) bool {
	return a.Range == b.Range && source(a) == source(b) && codeOf(a) == codeOf(b) && fmt.Sprint(a.Message) == fmt.Sprint(b.Message)
}

// containsAll reports whether every diagnostic of want is in got.
func containsAll(got, want []protocol.Diagnostic) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || sameDiagnostic(g, w)
		}
		if !found {
			return false
		}
	}
	return true
}

func TestVerifyCapabilities(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	caps := e.Init.Capabilities
	if cmds := caps.ExecuteCommandProvider.Commands; strings.Join(cmds, " ") != "bpfls.verify bpfls.status" {
		t.Errorf("executeCommandProvider.commands = %q, want [bpfls.verify bpfls.status]", cmds)
	}
	sync, ok := caps.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
	if !ok {
		t.Fatalf("textDocumentSync is %T, want options", caps.TextDocumentSync)
	}
	so, ok := sync.Save.(*protocol.SaveOptions)
	if !ok || so.IncludeText == nil || *so.IncludeText {
		t.Errorf("textDocumentSync.save = %#v, want {includeText: false}", sync.Save)
	}
}

// TestVerifyOffRunsNothing saves, asks for a verification by command and
// changes settings while verification is off: the fake bpftrace must never
// run, and the command gets one message saying verification is off.
func TestVerifyOffRunsNothing(t *testing.T) {
	t.Parallel()
	fake, script := newFakeBpftrace(t, "unknown-function", "")
	for _, tc := range []struct {
		name   string
		verify map[string]any
	}{
		{"no verify settings", nil},
		{"disabled with a path", map[string]any{"path": fake.path}},
		{"onSave without enabled", map[string]any{"onSave": true, "path": fake.path}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			settings := map[string]any{"diagnosticsDelay": 0}
			if tc.verify != nil {
				settings["verify"] = tc.verify
			}
			e := lsptest.New(t, lsptest.Options{Settings: settings})
			u := scriptURI(t, "off.bt")
			e.Open(u, script)
			e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
			save(e, u)
			if err := e.Call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
				Command: "bpfls.verify", Arguments: []protocol.LSPAny{protocol.LSPAny(strconv.Quote(string(u)))},
			}, nil); err != nil {
				t.Fatalf("bpfls.verify: %v", err)
			}
			p := e.WaitDiagnostics(u, bpftraceAt(1, "verify/disabled", 0), wait)
			if n := len(fromBpftrace(p)); n != 1 {
				t.Errorf("%d bpftrace diagnostics, want the one saying verification is off:\n%s", n, describe([]*protocol.PublishDiagnosticsParams{p}))
			}
			e.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"bpfls": settings}})
			save(e, u)
			stillServes(t, e) // a request after the save: the save has been handled
			if runs := fake.runs(); len(runs) != 0 {
				t.Fatalf("bpftrace ran with verification off: %q", runs)
			}
			msgs := strings.Join(e.Client.Messages(), "\n")
			if !strings.Contains(msgs, "turned off") || !strings.Contains(msgs, "verify.enabled") {
				t.Errorf("messages %q do not say verification is off and how to turn it on", msgs)
			}
			if tc.name == "onSave without enabled" && !strings.Contains(msgs, "verify.onSave") {
				t.Errorf("messages %q do not point out that onSave needs enabled", msgs)
			}
		})
	}
}

// TestVerifyOnSaveBesideOwnDiagnostics saves a script with errors both
// checkers find: bpftrace's diagnostics arrive on the lines the recorded 0.17
// output names, and bpfls's own stay in the same publication.
func TestVerifyOnSaveBesideOwnDiagnostics(t *testing.T) {
	t.Parallel()
	fake, script := newFakeBpftrace(t, "semantic-errors", "")
	e := lsptest.New(t, lsptest.Options{Settings: verifySettings(fake.path, nil)})
	u := scriptURI(t, "semantic.bt")
	e.Open(u, script)
	own := e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	if len(own.Diagnostics) == 0 {
		t.Fatal("bpfls found nothing in the script; the test needs its own diagnostics to merge with")
	}
	save(e, u)
	p := e.WaitDiagnostics(u, bpftraceAt(1, "verify/error", 2), wait)
	var lines []uint32
	for _, d := range fromBpftrace(p) {
		if codeOf(d) == "verify/error" {
			lines = append(lines, d.Range.Start.Line)
		}
	}
	if fmt.Sprint(lines) != "[2 3 6 7 7]" {
		t.Errorf("bpftrace errors on lines %v, want [2 3 6 7 7] (0-based):\n%s", lines, describe(e.Client.Published(u)))
	}
	if !containsAll(p.Diagnostics, own.Diagnostics) {
		t.Errorf("bpfls's own diagnostics are gone after verification:\nbefore:\n%s\nafter:\n%s",
			describe([]*protocol.PublishDiagnosticsParams{own}), describe([]*protocol.PublishDiagnosticsParams{p}))
	}
	if runs := fake.runs(); len(runs) != 2 || runs[0] != "--version" || !strings.Contains(runs[1], "--test=codegen") {
		t.Errorf("runs %q, want --version, then one compile-only run", runs)
	}

	// An edit clears bpftrace's diagnostics: they described the old text.
	v := e.Change(u, lsptest.Edit(0, 0, 0, 0, "// edited\n"))
	p = e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
	if got := fromBpftrace(p); len(got) != 0 {
		t.Errorf("version %d still shows %d bpftrace diagnostics of version 1", v, len(got))
	}
	// Saving again verifies the new text; the version is asked only once.
	save(e, u)
	e.WaitDiagnostics(u, bpftraceAt(v, "verify/error", 3), wait)
	if runs := fake.runs(); len(runs) != 3 {
		t.Errorf("runs %q, want --version once and two compiles", runs)
	}
}

// TestVerifyCommand verifies through workspace/executeCommand without
// onSave, and rejects bad arguments as client mistakes.
func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	fake, script := newFakeBpftrace(t, "unknown-function", "")
	e := lsptest.New(t, lsptest.Options{Settings: verifySettings(fake.path, map[string]any{"onSave": false})})
	u := scriptURI(t, "command.bt")
	e.Open(u, script)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	save(e, u) // onSave is off: no run
	stillServes(t, e)
	if runs := fake.runs(); len(runs) != 0 {
		t.Fatalf("a save with onSave off ran bpftrace: %q", runs)
	}
	for _, arg := range []string{strconv.Quote(string(u)), fmt.Sprintf(`{"uri": %q}`, u)} {
		if err := e.Call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
			Command: "bpfls.verify", Arguments: []protocol.LSPAny{protocol.LSPAny(arg)},
		}, nil); err != nil {
			t.Fatalf("bpfls.verify %s: %v", arg, err)
		}
	}
	p := e.WaitDiagnostics(u, bpftraceAt(1, "verify/error", 1), wait)
	if d := fromBpftrace(p)[0]; d.Range.Start.Character != 1 || d.Range.End.Character != 4 {
		t.Errorf("bpftrace's error covers %v, want foo at 1:1-1:4", d.Range)
	}

	for name, params := range map[string]*protocol.ExecuteCommandParams{
		"unknown command":   {Command: "bpfls.noSuchCommand"},
		"no argument":       {Command: "bpfls.verify"},
		"not a URI":         {Command: "bpfls.verify", Arguments: []protocol.LSPAny{protocol.LSPAny("42")}},
		"document not open": {Command: "bpfls.verify", Arguments: []protocol.LSPAny{protocol.LSPAny(`"file:///not/open.bt"`)}},
	} {
		if err := e.Call(protocol.MethodWorkspaceExecuteCommand, params, nil); code(err) != jsonrpc2.InvalidParams {
			t.Errorf("%s: %v, want code %d", name, err, jsonrpc2.InvalidParams)
		}
	}
}

// alive reports whether process pid still exists.
func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

// TestVerifyEditCancelsRun starts a verification that would take a minute,
// then edits: the run is killed, and nothing it could have said reaches
// either version.
func TestVerifyEditCancelsRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	fake, script := newFakeBpftrace(t, "unknown-function", fmt.Sprintf("echo $$ > %q.tmp; mv %q.tmp %q; sleep 60", pidFile, pidFile, pidFile))
	e := lsptest.New(t, lsptest.Options{Settings: verifySettings(fake.path, nil)})
	u := scriptURI(t, "slow.bt")
	e.Open(u, script)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	save(e, u)
	pid := waitPID(t, pidFile)

	v := e.Change(u, lsptest.Edit(0, 0, 0, 0, "\n"))
	deadline := time.Now().Add(wait)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("the verification of version 1 (pid %d) still runs after version %d arrived", pid, v)
	}
	e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
	stillServes(t, e)
	for _, p := range e.Client.Published(u) {
		if got := fromBpftrace(p); len(got) != 0 {
			t.Errorf("a cancelled run published:\n%s", describe([]*protocol.PublishDiagnosticsParams{p}))
		}
	}
	if msgs := e.Client.Messages(); len(msgs) != 0 {
		t.Errorf("a cancelled run is not a failure to report; messages %q", msgs)
	}
}

// waitPID waits for a fake to write its process id.
func waitPID(t *testing.T, file string) int {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(file); err == nil {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatalf("pid file %q: %v", b, err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the fake bpftrace never started")
	return 0
}

// TestVerifyFailureIsOneMessage: a missing binary or a run that times out
// is one diagnostic on the first line and one showMessage, however often
// the user saves.
func TestVerifyFailureIsOneMessage(t *testing.T) {
	t.Parallel()
	slow, script := newFakeBpftrace(t, "unknown-function", "sleep 60")
	for _, tc := range []struct {
		name, code, says string
		verify           map[string]any
	}{
		{"missing binary", "verify/not-found", "not found", map[string]any{"path": filepath.Join(t.TempDir(), "no-bpftrace")}},
		{"timeout", "verify/timeout", "did not finish in time", map[string]any{"path": slow.path, "timeoutMs": 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := lsptest.New(t, lsptest.Options{Settings: verifySettings("", tc.verify)})
			u := scriptURI(t, "fails.bt")
			e.Open(u, script)
			e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
			v := int32(1)
			for round := range 3 {
				if round > 0 {
					v = e.Change(u, lsptest.Edit(0, 0, 0, 0, "\n"))
					e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
				}
				save(e, u)
				p := e.WaitDiagnostics(u, bpftraceAt(v, tc.code, 0), wait)
				if got := fromBpftrace(p); len(got) != 1 || !strings.Contains(fmt.Sprint(got[0].Message), tc.says) {
					t.Fatalf("round %d: bpftrace diagnostics %s, want one saying %q", round, describe([]*protocol.PublishDiagnosticsParams{p}), tc.says)
				}
			}
			// The message goes out before the diagnostics, so all are here.
			msgs := e.Client.Messages()
			if len(msgs) != 1 || !strings.Contains(msgs[0], tc.says) {
				t.Errorf("messages %q, want exactly one saying %q", msgs, tc.says)
			}
		})
	}
}

func TestVerifySettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, json string
		want       lsp.VerificationSettings
		problem    string
	}{
		{"all fields", `{"verify": {"enabled": true, "onSave": true, "path": "/usr/bin/bpftrace", "prefix": ["sudo", "-n"],
			"includeDirs": ["/inc"], "params": ["1", "-x"], "timeoutMs": 5000}}`,
			lsp.VerificationSettings{Enabled: true, OnSave: true, Path: "/usr/bin/bpftrace", Prefix: []string{"sudo", "-n"},
				IncludeDirs: []string{"/inc"}, Params: []string{"1", "-x"}, TimeoutMs: 5000}, ""},
		{"default is off", `{}`, lsp.VerificationSettings{}, ""},
		{"negative timeout", `{"verify": {"enabled": true, "timeoutMs": -1}}`, lsp.VerificationSettings{Enabled: true}, "verify.timeoutMs"},
		{"huge timeout", `{"verify": {"enabled": true, "timeoutMs": 9000000000}}`, lsp.VerificationSettings{Enabled: true}, "verify.timeoutMs"},
		{"onSave alone", `{"bpfls": {"verify": {"onSave": true}}}`, lsp.VerificationSettings{OnSave: true}, "verify.enabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, problems := lsp.ParseSettings([]byte(tc.json))
			got, _ := json.Marshal(s.Verification)
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Errorf("verification settings %s, want %s", got, want)
			}
			if all := strings.Join(problems, "; "); tc.problem == "" && all != "" || !strings.Contains(all, tc.problem) {
				t.Errorf("problems %q, want one naming %q", all, tc.problem)
			}
		})
	}
}

// requireReal skips a test that needs a real part of the system, or fails
// it when BPFLS_REQUIRE_REAL=1 (CI), where a skip would hide a broken setup.
func requireReal(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	t.Skip(why)
}

// realBpftrace returns the installed bpftrace, which must run as we are.
func realBpftrace(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("bpftrace")
	if err != nil {
		requireReal(t, "bpftrace is not installed")
	}
	if os.Geteuid() != 0 {
		requireReal(t, "bpftrace needs root and this test adds no privilege prefix")
	}
	return path
}

// TestVerifyRealBpftrace saves a script with errors the real bpftrace
// catches and checks they arrive on the right lines beside bpfls's own; then
// it saves and edits at once, and no result of the old text may land on the
// new version.
func TestVerifyRealBpftrace(t *testing.T) {
	t.Parallel()
	path := realBpftrace(t)
	const script = "BEGIN {\n\t$x = \"a\";\n\t$x = 1;\n\t@c = count(1);\n}\nkprobe:vfs_write { @r2 = retval; }\n"
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{
		"diagnosticsDelay": 0, "targetVersion": "auto",
		"verify": map[string]any{"enabled": true, "onSave": true, "path": path, "timeoutMs": 60000},
	}}})
	u := scriptURI(t, "real.bt")
	e.Open(u, script)
	own := e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	save(e, u)
	p := e.WaitDiagnostics(u, bpftraceAt(1, "verify/error", 2), time.Minute)
	var lines []uint32
	for _, d := range fromBpftrace(p) {
		if codeOf(d) == "verify/error" {
			lines = append(lines, d.Range.Start.Line)
		}
	}
	if fmt.Sprint(lines) != "[2 3 5]" {
		t.Errorf("bpftrace errors on lines %v, want [2 3 5]:\n%s", lines, describe([]*protocol.PublishDiagnosticsParams{p}))
	}
	if !containsAll(p.Diagnostics, own.Diagnostics) || len(own.Diagnostics) == 0 {
		t.Errorf("bpfls's own diagnostics are not beside bpftrace's:\nbefore:\n%s\nafter:\n%s",
			describe([]*protocol.PublishDiagnosticsParams{own}), describe([]*protocol.PublishDiagnosticsParams{p}))
	}

	// Save, then edit at once: the error moves from line 4 to line 1.
	e.Change(u, lsptest.Whole(script))
	save(e, u)
	v := e.Change(u, lsptest.Whole("BEGIN { @c = count(1); }\n"))
	save(e, u)
	e.WaitDiagnostics(u, bpftraceAt(v, "verify/error", 0), time.Minute)
	for _, p := range e.Client.Published(u) {
		if !lsptest.AtVersion(v)(p) {
			continue
		}
		for _, d := range fromBpftrace(p) {
			if d.Range.Start.Line != 0 {
				t.Errorf("version %d shows a bpftrace diagnostic of an older text: %s", v, describe([]*protocol.PublishDiagnosticsParams{p}))
			}
		}
	}
	if msgs := e.Client.Messages(); len(msgs) != 0 {
		t.Errorf("working verification showed messages %q", msgs)
	}
}

// TestVerifyShutdownEndsRun: shutdown kills a run in flight, and the
// server then stops without waiting for bpftrace.
func TestVerifyShutdownEndsRun(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	fake, script := newFakeBpftrace(t, "unknown-function", fmt.Sprintf("echo $$ > %q.tmp; mv %q.tmp %q; sleep 60", pidFile, pidFile, pidFile))
	e := lsptest.New(t, lsptest.Options{Settings: verifySettings(fake.path, nil)})
	u := scriptURI(t, "shutdown.bt")
	e.Open(u, script)
	save(e, u)
	pid := waitPID(t, pidFile)
	if err := e.Call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	deadline := time.Now().Add(wait)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("bpftrace (pid %d) still runs after shutdown", pid)
	}
	e.Notify(protocol.MethodExit, nil)
	if done, _ := e.Served(wait); !done {
		t.Fatal("the server did not stop after exit")
	}
}

// TestVerifyOlderBpftraceThanTarget: the installed bpftrace (0.17) refuses a
// let, which the target 0.26 accepts; that complaint is not shown as the
// script's error, and one message says which bpftrace ran, however often
// the user saves.
func TestVerifyOlderBpftraceThanTarget(t *testing.T) {
	t.Parallel()
	fake, script := newFakeBpftrace(t, "newer-syntax", "")
	settings := verifySettings(fake.path, nil)
	settings["bpfls"].(map[string]any)["targetVersion"] = "0.26"
	e := lsptest.New(t, lsptest.Options{Settings: settings})
	u := scriptURI(t, "newer.bt")
	e.Open(u, script)
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
	for round := range 2 {
		if round > 0 {
			e.Change(u, lsptest.Edit(5, 0, 5, 0, "\n")) // after the last line: the replayed output still fits
		}
		save(e, u)
		// An empty result changes nothing, so nothing is published: wait
		// for the compile and then a while for what would follow it.
		deadline := time.Now().Add(wait)
		for (len(fake.runs()) < 2+round || len(e.Client.Messages()) == 0) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		pubs := e.Client.Published(u)
		if got := fromBpftrace(pubs[len(pubs)-1]); len(got) != 0 {
			t.Errorf("round %d: bpftrace 0.17's complaints about 0.22 syntax shown: %s", round, describe(pubs[len(pubs)-1:]))
		}
	}
	msgs := e.Client.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "bpftrace 0.17") || !strings.Contains(msgs[0], "target 0.26") {
		t.Errorf("messages %q, want one saying bpftrace 0.17 ran for target 0.26", msgs)
	}
	if runs := fake.runs(); len(runs) != 3 {
		t.Errorf("runs %q, want --version and two compiles", runs)
	}
}

// TestVerifyKernelHeadersReal: with the kernelHeaders setting, verification
// hands the tree to the real bpftrace 0.26 (BPFTRACE_KERNEL_SOURCE and
// _BUILD), which then compiles a script including linux/in.h; the
// hundreds of complaints clang prints about the tree's headers while
// bpftrace exits 0 come as information, not errors. Without the tree
// bpftrace refuses linux/swab.h, an error.
func TestVerifyKernelHeadersReal(t *testing.T) {
	t.Parallel()
	const bt26 = "/opt/bpftrace-0.26.1/bin/bpftrace"
	mods, _ := filepath.Glob("/lib/modules/6.1.0-*-amd64")
	if _, err := os.Stat(bt26); err != nil || os.Geteuid() != 0 || len(mods) == 0 {
		requireReal(t, fmt.Sprintf("bpftrace 0.26 as root and Debian's 6.1 linux-headers (%v, uid %d, %q)", err, os.Geteuid(), mods))
	}
	for _, withTree := range []bool{true, false} {
		t.Run(fmt.Sprint("tree=", withTree), func(t *testing.T) {
			t.Parallel()
			headers := ""
			if withTree {
				headers = mods[0]
			}
			e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"bpfls": map[string]any{
				"diagnosticsDelay": 0, "targetVersion": "0.26", "kernelHeaders": headers,
				"verify": map[string]any{"enabled": true, "onSave": true, "path": bt26, "timeoutMs": 60000},
			}}})
			u := scriptURI(t, "in.bt")
			e.Open(u, "#include <linux/in.h>\nBEGIN { @ = IPPROTO_TCP; }\n")
			e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
			save(e, u)
			p := e.WaitDiagnostics(u, bpftraceAt(1, "verify/header-error", 0), time.Minute)
			errs := 0
			for _, d := range p.Diagnostics {
				if d.Severity == protocol.DiagnosticSeverityError {
					errs++
				}
			}
			if withTree && errs != 0 || !withTree && errs == 0 {
				t.Errorf("%d errors:\n%s", errs, describe([]*protocol.PublishDiagnosticsParams{p}))
			}
		})
	}
}
