package analysistest

// This file implements the runner of txtar golden files: one archive per
// case, an input section and one or more want sections, rewritten under
// -update.

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// update is the -update flag of every test binary that links this package.
var update = flag.Bool("update", false, "rewrite the want sections of the golden files")

// Updating reports whether -update asks for golden files to be rewritten.
func Updating() bool { return *update }

// RepoPath returns the path of rel (slash-separated, relative to the
// repository root), for tests that read the top-level testdata.
func RepoPath(rel string) string {
	_, file, _, _ := runtime.Caller(0) // analysis/internal/analysistest/golden.go
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	return filepath.Join(root, filepath.FromSlash(rel))
}

// Archives reads every archive matching pattern, keyed by path; it fails
// the test when there is none.
func Archives(t testing.TB, pattern string) map[string]*txtar.Archive {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files match %s (%v)", pattern, err)
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

// Section returns the data of the archive's section name.
func Section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// setSection replaces section name, or appends it.
func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}

// Run checks every archive matching pattern in a parallel subtest named
// after the file. check computes the want sections of one archive (name →
// text); each must equal the archive's section of that name, and -update
// rewrites the sections that differ.
func Run(t *testing.T, pattern string, check func(t *testing.T, ar *txtar.Archive) map[string][]byte) {
	t.Helper()
	archives := Archives(t, pattern)
	files := make([]string, 0, len(archives))
	for f := range archives {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, file := range files {
		ar := archives[file]
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			got := check(t, ar)
			names := make([]string, 0, len(got))
			for name := range got {
				names = append(names, name)
			}
			sort.Strings(names)
			changed := false
			for _, name := range names {
				want, _ := Section(ar, name)
				if bytes.Equal(got[name], want) {
					continue
				}
				if !*update {
					t.Errorf("%s changed (go test -run '%s' -update to accept):\n--- want\n%s--- got\n%s", name, t.Name(), want, got[name])
					continue
				}
				setSection(ar, name, got[name])
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

// Input returns the archive's input.bt section, or fails the test.
func Input(t testing.TB, ar *txtar.Archive) []byte {
	t.Helper()
	src, ok := Section(ar, "input.bt")
	if !ok {
		t.Fatal("no input.bt section")
	}
	return src
}

// CommentDialect reads the target from an archive comment: a line
// "version: 0.17", and a line "experimental"; newest by default.
func CommentDialect(t testing.TB, comment []byte) syntax.Dialect {
	t.Helper()
	d := syntax.NewestDialect()
	for _, line := range strings.Split(string(comment), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "version:"); ok {
			ver, err := syntax.ParseVersion(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			d.Version = ver
		}
		if strings.TrimSpace(line) == "experimental" {
			d.Experimental = true
		}
	}
	return d
}

// WantDialects lists the dialects an archive has want sections for: a
// section "want 0.24" targets 0.24, "want 0.26-experimental" the
// experimental dialect of 0.26.
func WantDialects(t testing.TB, ar *txtar.Archive) []syntax.Dialect {
	t.Helper()
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

// SectionName is the want section of dialect d.
func SectionName(d syntax.Dialect) string {
	if d.Experimental {
		return "want " + d.Version.String() + "-experimental"
	}
	return "want " + d.Version.String()
}
