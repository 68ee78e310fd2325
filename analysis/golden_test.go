package analysis

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// The golden scripts of the per-attach-point analysis live in the top-level
// testdata/analysis: one txtar per case, with input.bt and one "want V"
// section per target version V (the 0.17–0.24 rule and the 0.25+ rule give
// different results). They run against the running kernel's BTF and tracefs.
const goldenDir = "../testdata/analysis"

// updating reports whether -update was given (the flag is defined by the
// semantic golden tests of this package).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// probePassCode reports whether a diagnostic belongs in the probe-pass
// goldens: the probe pass's own codes and the builtin/args checks that
// depend on the probe context. Other checks have goldens of their own.
func probePassCode(code string) bool {
	return strings.HasPrefix(code, "probe/") || strings.HasPrefix(code, "args/") ||
		code == CodeProbeVersion || code == CodeBuiltinProbe
}

// goldenText renders the probe-pass diagnostics of s with their related
// information and fix titles.
func goldenText(s *Snapshot) []byte {
	var b bytes.Buffer
	for _, d := range s.Diagnostics {
		if !probePassCode(d.Code) {
			continue
		}
		b.WriteString(fmtDiag(s.File, d) + "\n")
		for _, r := range d.Related {
			l, c := s.File.Lines.Position(r.Span.Start)
			fmt.Fprintf(&b, "\trelated %d:%d %s\n", l, c, r.Message)
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "\tfix %s\n", f.Title)
		}
	}
	return b.Bytes()
}

func archiveSection(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// goldenCases reads every golden archive.
func goldenCases(t *testing.T) map[string]*txtar.Archive {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files in %s (%v)", goldenDir, err)
	}
	out := map[string]*txtar.Archive{}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out[file] = ar
	}
	return out
}

// wantDialects lists the dialects an archive has expectations for: a
// section "want 0.24" targets 0.24, "want 0.26-experimental" the
// experimental dialect of 0.26.
func wantDialects(t *testing.T, ar *txtar.Archive) []syntax.Dialect {
	var ds []syntax.Dialect
	for _, f := range ar.Files {
		if rest, ok := strings.CutPrefix(f.Name, "want "); ok {
			ver, exp := strings.CutSuffix(rest, "-experimental")
			v, err := syntax.ParseVersion(ver)
			if err != nil {
				t.Fatalf("section %q: %v", f.Name, err)
			}
			ds = append(ds, syntax.Dialect{Version: v, Experimental: exp})
		}
	}
	return ds
}

// sectionName is the want section of dialect d.
func sectionName(d syntax.Dialect) string {
	if d.Experimental {
		return "want " + d.Version.String() + "-experimental"
	}
	return "want " + d.Version.String()
}

// analyzeReal analyses src for version v against the running kernel.
func analyzeReal(t testing.TB, src []byte, v syntax.Version) *Snapshot {
	return analyzeRealDialect(t, src, syntax.Dialect{Version: v})
}

// analyzeRealDialect analyses src for dialect d against the running kernel.
func analyzeRealDialect(t testing.TB, src []byte, d syntax.Dialect) *Snapshot {
	f := syntax.Parse("input.bt", src, d)
	return Analyze(context.Background(), f, Config{Dialect: f.Dialect, Kernel: realKernel(t)})
}

// TestProbeGolden checks the probe pass on real kernel functions and
// tracepoints, for each target version an archive names.
func TestProbeGolden(t *testing.T) {
	realKernel(t)
	for file, ar := range goldenCases(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			src, ok := archiveSection(ar, "input.bt")
			if !ok {
				t.Fatal("no input.bt section")
			}
			ds := wantDialects(t, ar)
			if len(ds) == 0 {
				t.Fatal("no want sections")
			}
			changed := false
			for _, d := range ds {
				name := sectionName(d)
				got := goldenText(analyzeRealDialect(t, src, d))
				want, _ := archiveSection(ar, name)
				if bytes.Equal(got, want) {
					continue
				}
				if !updating() {
					t.Errorf("%s changed (go test -update to accept):\n--- want\n%s--- got\n%s", name, want, got)
					continue
				}
				for i := range ar.Files {
					if ar.Files[i].Name == name {
						ar.Files[i].Data = got
					}
				}
				changed = true
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
