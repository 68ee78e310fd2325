package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBpftraceTools parses bpftrace's own tools/*.bt from a clone of its
// repository (never copied into ours) and expects zero diagnostics.
// BPFLS_BPFTRACE_TOOLS names a directory of the newest release's tools,
// BPFLS_BPFTRACE_TOOLS_0_17 one of v0.17.0's. It is a measurement of
// conformance, so it skips when neither is set.
func TestBpftraceTools(t *testing.T) {
	dirs := []struct {
		env string
		d   Dialect
	}{
		{"BPFLS_BPFTRACE_TOOLS", NewestDialect()},
		{"BPFLS_BPFTRACE_TOOLS_0_17", Dialect{Version: V0_17}},
	}
	ran := false
	for _, dir := range dirs {
		root := os.Getenv(dir.env)
		if root == "" {
			continue
		}
		ran = true
		files, err := filepath.Glob(filepath.Join(root, "*.bt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s=%s: no *.bt files", dir.env, root)
		}
		clean := 0
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(name, src, dir.d)
			if len(f.Errors) == 0 {
				clean++
				continue
			}
			for _, e := range f.Errors {
				line, col := f.Position(e.Span.Start)
				t.Errorf("%s:%d:%d: %s [%s]", name, line, col, e.Msg, e.Code)
			}
		}
		t.Logf("%s (%s): %d of %d tools parse without diagnostics", dir.env, dir.d.Version, clean, len(files))
	}
	if !ran {
		t.Skip("set BPFLS_BPFTRACE_TOOLS and/or BPFLS_BPFTRACE_TOOLS_0_17 to directories of bpftrace tools/*.bt")
	}
}
