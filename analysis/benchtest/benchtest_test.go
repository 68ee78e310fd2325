package benchtest_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

const importPath = "github.com/bpfls/bpfls/analysis/benchtest"

// TestOnlyTestsImport fails when code outside a _test.go file imports this
// package: it would build the test-only code into bpfls.
func TestOnlyTestsImport(t *testing.T) {
	t.Parallel()
	root := filepath.Dir(benchtest.Testdata(t))
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == importPath {
				t.Errorf("%s imports %s, which is for tests only", path, importPath)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLargeScript(t *testing.T) {
	t.Parallel()
	for _, size := range []int{8 << 10, 64 << 10} {
		src := benchtest.LargeScript(t, size)
		if len(src) > size || len(src) < size*3/4 {
			t.Errorf("LargeScript(%d) is %d bytes", size, len(src))
		}
		// Each copy of the body renames its macros, so the script is valid.
		if f := syntax.Parse("large.bt", src, syntax.NewestDialect()); len(f.Errors) > 0 {
			t.Errorf("LargeScript(%d) does not parse: %v", size, f.Errors[0])
		}
		if !strings.Contains(string(src), "macro bump1(") {
			t.Errorf("LargeScript(%d) has no second copy of the body with its macros renamed", size)
		}
	}
}

func TestTypingScript(t *testing.T) {
	t.Parallel()
	for _, n := range []int{10, 1000} {
		src, at := benchtest.TypingScript(n)
		if lines := strings.Count(src, "\n"); lines < n || lines > n+5 {
			t.Errorf("TypingScript(%d) has %d lines", n, lines)
		}
		if line := src[strings.LastIndexByte(src[:at], '\n')+1:]; !strings.HasPrefix(line, `BEGIN { printf(""); $broken = ; }`) {
			t.Errorf("TypingScript(%d) types into the line %q", n, line[:min(len(line), 40)])
		}
		if f := syntax.Parse("typing.bt", []byte(src), syntax.NewestDialect()); len(f.Errors) != 1 || f.Errors[0].Span.Start < syntax.Pos(at) {
			t.Errorf("TypingScript(%d): want one syntax error after the typing point, got %v", n, f.Errors)
		}
	}
}

func TestPeakLive(t *testing.T) {
	const size = 64 << 20
	base := benchtest.LiveHeap()
	p := benchtest.StartPeakLive()
	held := make([]byte, size)
	for range 3 {
		runtime.GC()
	}
	runtime.KeepAlive(held)
	held = nil
	if m := p.Max(); m < base+size {
		t.Errorf("Max = %d while the buffer was held, want at least %d", m, base+size)
	}
	peak, samples := p.Stop()
	if samples < 2 {
		t.Errorf("%d collections measured, want at least 2", samples)
	}
	if peak < base+size {
		t.Errorf("peak live heap %d, want at least %d (base %d + %d held)", peak, base+size, base, size)
	}
	after := benchtest.LiveHeap()
	if after >= base+size {
		t.Errorf("live heap %d after the buffer was dropped: the test measured nothing", after)
	}
}

func TestCorpusScripts(t *testing.T) {
	t.Parallel()
	scripts := benchtest.CorpusScripts(t)
	dirs := map[string]bool{}
	for i, s := range scripts {
		if len(s.Src) == 0 && filepath.Base(s.Path) != "empty.bt" {
			t.Errorf("%s is empty", s.Path)
		}
		if i > 0 && scripts[i-1].Path >= s.Path {
			t.Errorf("%s comes after %s", s.Path, scripts[i-1].Path)
		}
		dirs[filepath.Base(filepath.Dir(s.Path))] = true
	}
	for _, d := range []string{"examples", "realworld", "format"} {
		if !dirs[d] {
			t.Errorf("no script from testdata/%s", d)
		}
	}
}
