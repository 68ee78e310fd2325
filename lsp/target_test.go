package lsp_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/lsp"
	"github.com/bpfls/bpfls/lsp/lsptest"
)

// versionFake writes a bpftrace stand-in that records its arguments in
// calls and answers --version with version.
func versionFake(t *testing.T, dir, version, calls string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bpftrace")
	script := "#!/bin/sh\necho \"$*\" >> " + calls + "\necho \"bpftrace v" + version + "\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func lines(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(strings.TrimSpace(string(b)))
}

// TestTargetPolicy runs the server's default detection against fake
// bpftrace binaries in PATH and in verify.path, with a workspace-style
// verify.prefix that would create a file if it ever ran. auto asks the
// bpftrace in PATH once with --version; verify.path only when verification
// is on; the prefix never (issue 10). Every answer shows in bpfls/status.
// Not parallel: it sets PATH.
func TestTargetPolicy(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "prefix-ran")
	onPath := versionFake(t, filepath.Join(dir, "path"), "0.17.0", filepath.Join(dir, "path-calls"))
	configured := versionFake(t, filepath.Join(dir, "configured"), "0.23.0", filepath.Join(dir, "configured-calls"))
	prefix := []string{"/bin/sh", "-c", "touch " + mark}
	const script = "BEGIN { let $x = 1; print($x); }\n"
	for _, tc := range []struct {
		name          string
		path          string // PATH for the server
		settings      map[string]any
		version       string
		source        string
		reason        string
		pathRuns      int
		configuredRun int
	}{
		{"default auto asks PATH", filepath.Dir(onPath),
			map[string]any{"verify": map[string]any{"path": configured, "prefix": prefix}},
			"0.17", "installed", onPath + " is bpftrace 0.17", 1, 0},
		{"explicit auto, verification off", filepath.Dir(onPath),
			map[string]any{"targetVersion": "auto", "verify": map[string]any{"enabled": false, "path": configured, "prefix": prefix}},
			"0.17", "installed", "is bpftrace 0.17", 1, 0},
		{"verification on asks verify.path without the prefix", filepath.Dir(onPath),
			map[string]any{"verify": map[string]any{"enabled": true, "path": configured, "prefix": prefix}},
			"0.23", "installed", configured + " is bpftrace 0.23", 0, 1},
		{"explicit version runs nothing", filepath.Dir(onPath),
			map[string]any{"targetVersion": "0.24", "verify": map[string]any{"path": configured, "prefix": prefix}},
			"0.24", "setting", "as set", 0, 0},
		{"no bpftrace in PATH", t.TempDir(),
			map[string]any{"verify": map[string]any{"path": configured, "prefix": prefix}},
			"0.26", "fallback", "no bpftrace in PATH", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", tc.path)
			os.Remove(filepath.Join(dir, "path-calls"))
			os.Remove(filepath.Join(dir, "configured-calls"))
			settings := map[string]any{"diagnosticsDelay": 0}
			for k, v := range tc.settings {
				settings[k] = v
			}
			e := lsptest.New(t, lsptest.Options{Settings: settings, DetectBpftrace: true})
			st := e.Client.WaitStatus(func(s lsp.Status) bool { return s.Target.Version == tc.version }, wait)
			if st == nil {
				t.Fatalf("no bpfls/status with target %s; got %+v", tc.version, e.Client.Statuses())
			}
			if st.Target.Source != tc.source || !strings.Contains(st.Target.Reason, tc.reason) {
				t.Errorf("status %+v, want source %q and a reason containing %q", st.Target, tc.source, tc.reason)
			}
			var asked lsp.Status
			if err := e.Call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: "bpfls.status"}, &asked); err != nil || asked.Target != st.Target {
				t.Errorf("bpfls.status = %+v, %v; want %+v", asked, err, st.Target)
			}
			// The target decides the diagnostics: `let` needs a newer bpftrace than 0.17.
			u := scriptURI(t, "target.bt")
			e.Open(u, script)
			p := e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)
			if flagged := lsptest.HasCode("syntax/needs-version")(p); flagged != (tc.version == "0.17") {
				t.Errorf("target %s: `let` flagged = %v:\n%s", tc.version, flagged, describe([]*protocol.PublishDiagnosticsParams{p}))
			}
			// Saving and the verify command run nothing while verification is off.
			save(e, u)
			var ignored json.RawMessage
			_ = e.Call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: "bpfls.verify",
				Arguments: []protocol.LSPAny{protocol.LSPAny(`"` + string(u) + `"`)}}, &ignored)
			stillServes(t, e)
			if got := lines(filepath.Join(dir, "path-calls")); len(got) != tc.pathRuns || (len(got) > 0 && got[0] != "--version") {
				t.Errorf("bpftrace in PATH ran %q, want %d run(s) of --version", got, tc.pathRuns)
			}
			if got := lines(filepath.Join(dir, "configured-calls")); tc.configuredRun == 0 && len(got) != 0 {
				t.Errorf("verify.path ran %q with verification off", got)
			} else if tc.configuredRun > 0 && (len(got) == 0 || got[0] != "--version") {
				t.Errorf("verify.path ran %q, want --version first", got)
			}
			if _, err := os.Stat(mark); err == nil && tc.name != "verification on asks verify.path without the prefix" {
				t.Fatalf("the verify.prefix ran: %s exists", mark)
			}
			os.Remove(mark)
		})
	}
}

// TestStatusKernel: bpfls/status names the kernel data in use, and why
// there is none when the named file cannot be opened.
func TestStatusKernel(t *testing.T) {
	t.Parallel()
	open := func(_ context.Context, s lsp.Settings) (analysis.Kernel, error) {
		if s.KernelBTF == "/broken" {
			return nil, errors.New("reading /broken: no such file")
		}
		return fakeKernel{}, nil
	}
	for _, tc := range []struct {
		settings  map[string]any
		kind, has string
	}{
		{map[string]any{"targetVersion": "0.26"}, "running", "the running kernel"},
		{map[string]any{"targetVersion": "0.26", "kernelSnapshot": "/snaps/6.1.snap"}, "snapshot", "/snaps/6.1.snap"},
		{map[string]any{"targetVersion": "0.26", "kernelBTF": "/boot/vmlinux"}, "btf", "/boot/vmlinux"},
		{map[string]any{"targetVersion": "0.26", "kernelBTF": "/broken"}, "none", "no such file"},
	} {
		e := lsptest.New(t, lsptest.Options{Settings: tc.settings, Config: lsp.Config{OpenKernel: open}})
		st := e.Client.WaitStatus(func(s lsp.Status) bool { return s.Kernel.Kind == tc.kind }, wait)
		if st == nil || !strings.Contains(st.Kernel.Description, tc.has) || st.Target.Version != "0.26" {
			t.Errorf("settings %v: status %+v, want kernel %s mentioning %q", tc.settings, e.Client.Statuses(), tc.kind, tc.has)
		}
	}
}
