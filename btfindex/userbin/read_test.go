package userbin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

var (
	buildMu  sync.Mutex
	built    usertest.Binaries
	buildDir string // made by TestMain, removed after the tests
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "userbin-test")
	if err != nil {
		panic(err)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaries builds the test programs once per test binary.
func binaries(t testing.TB) usertest.Binaries {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if built.Dir == "" {
		built = usertest.Build(t, buildDir)
	}
	return built
}

func readFull(t *testing.T, path string) *userbin.Binary {
	t.Helper()
	b, err := userbin.Read(path, userbin.DefaultLimits())
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	if err := b.LoadDebug(context.Background(), userbin.DefaultLimits(), nil); err != nil && !errors.Is(err, userbin.ErrNoDebugInfo) {
		t.Fatalf("LoadDebug(%s): %v", path, err)
	}
	return b
}

// wantShapes checks the prototypes and structs DWARF gives for shapes.c.
func wantShapes(t *testing.T, b *userbin.Binary) {
	t.Helper()
	for name, want := range map[string]string{
		"add_points":   "int add_points(struct point *a, struct point *b)",
		"scale_shape":  "double scale_shape(shape_t *s, double factor, int times)",
		"no_args":      "void no_args(void)",
		"sum_ints":     "long int sum_ints(int n, ...)",
		"local_helper": "int local_helper(char c)",
	} {
		p, ok := b.Prototype(name)
		if !ok {
			t.Errorf("no prototype for %s (debug from %q, err %v)", name, b.DebugSource(), b.DebugErr())
			continue
		}
		if got := p.String(); got != want {
			t.Errorf("prototype of %s = %q, want %q", name, got, want)
		}
		if !strings.HasSuffix(p.File, "shapes.c") {
			t.Errorf("prototype of %s from file %q, want shapes.c", name, p.File)
		}
	}
	p, _ := b.Prototype("scale_shape")
	if p != nil && (p.Params[0].Struct != "struct shape" || p.Params[0].Size != 8 || p.Params[1].Size != 8 || p.Params[2].Size != 4) {
		t.Errorf("scale_shape params = %+v", p.Params)
	}
	fields, ok := b.Struct("struct shape")
	if !ok {
		t.Fatalf("no struct shape")
	}
	var got []string
	for _, f := range fields {
		got = append(got, f.Type+" "+f.Name)
	}
	want := "const char * name|struct point origin|struct point * corners|long unsigned int ncorners|double scale"
	if strings.Join(got, "|") != want {
		t.Errorf("struct shape fields = %q, want %q", strings.Join(got, "|"), want)
	}
	if fields[2].Offset != 16 || fields[2].Struct != "struct point" || fields[4].Offset != 32 {
		t.Errorf("struct shape layout = %+v", fields)
	}
	if f2, ok := b.Struct("shape_t"); !ok || len(f2) != len(fields) {
		t.Errorf("typedef shape_t does not lead to struct shape: %v %v", f2, ok)
	}
}

func TestReadWithDebugInfo(t *testing.T) {
	bins := binaries(t)
	b := readFull(t, bins.Debug)
	for _, name := range []string{"add_points", "scale_shape", "no_args", "sum_ints", "local_helper", "main"} {
		if _, ok := b.Func(name); !ok {
			t.Errorf("function %s missing from .symtab", name)
		}
	}
	if _, ok := b.Func("point"); ok {
		t.Errorf("a struct name is listed as a function")
	}
	if len(b.BuildID) != 40 {
		t.Errorf("build-id %q, want 40 hex digits", b.BuildID)
	}
	if b.DebugSource() != bins.Debug {
		t.Errorf("debug source %q, want the binary itself", b.DebugSource())
	}
	wantShapes(t, b)
}

func TestReadSeparateDebugFile(t *testing.T) {
	bins := binaries(t)
	b := readFull(t, bins.NoDebug)
	if b.HasDWARF {
		t.Fatalf("%s still has DWARF", bins.NoDebug)
	}
	if b.DebugLink != filepath.Base(bins.DebugFile) {
		t.Errorf("debuglink %q, want %q", b.DebugLink, filepath.Base(bins.DebugFile))
	}
	if b.DebugSource() != bins.DebugFile {
		t.Errorf("debug source %q, want %q (err %v)", b.DebugSource(), bins.DebugFile, b.DebugErr())
	}
	wantShapes(t, b)
}

func TestReadStripped(t *testing.T) {
	bins := binaries(t)
	b := readFull(t, bins.Stripped)
	if _, ok := b.Func("add_points"); ok {
		t.Errorf("a stripped binary still lists add_points")
	}
	if !errors.Is(b.DebugErr(), userbin.ErrNoDebugInfo) {
		t.Errorf("DebugErr = %v, want ErrNoDebugInfo", b.DebugErr())
	}
	if _, ok := b.Prototype("main"); ok {
		t.Errorf("a prototype without debug info")
	}
}

func TestReadCpp(t *testing.T) {
	bins := binaries(t)
	b := readFull(t, bins.Cpp)
	var names []string
	for _, f := range b.MatchCpp("gadgets::measure", 0) {
		names = append(names, f.Demangled)
	}
	if len(names) != 2 {
		t.Fatalf("cpp:gadgets::measure matched %q, want both overloads", names)
	}
	if got := b.MatchCpp("gadgets::Widget::grow(int)", 0); len(got) != 1 || !strings.HasPrefix(got[0].Name, "_ZN7gadgets6Widget4grow") {
		t.Errorf("cpp:gadgets::Widget::grow(int) matched %+v", got)
	}
	if got := b.MatchCpp("gadgets::*", 0); len(got) != 3 {
		t.Errorf("cpp:gadgets::* matched %d functions, want 3", len(got))
	}
	f := b.MatchCpp("gadgets::Widget::grow", 1)
	if len(f) == 1 {
		if p, ok := b.Prototype(f[0].Name); !ok || len(p.Params) != 2 {
			t.Errorf("prototype of %s by linkage name: %+v %v", f[0].Name, p, ok)
		}
	}
}

func TestReadUSDT(t *testing.T) {
	bins := binaries(t)
	b := readFull(t, bins.USDT)
	var got []string
	for _, p := range b.Probes {
		var sizes []string
		for _, a := range p.Args {
			s := ""
			if a.Signed {
				s = "-"
			}
			sizes = append(sizes, s+string(rune('0'+a.Size)))
		}
		got = append(got, p.Provider+":"+p.Name+"("+strings.Join(sizes, ",")+")")
	}
	want := "myapp:reply(-4,-8,-1)|myapp:request(-4,-8)|myapp:start()|other:tick(-8)"
	if strings.Join(got, "|") != want {
		t.Errorf("probes = %q, want %q", strings.Join(got, "|"), want)
	}
	if p, ok := b.Probe("", "request"); !ok || p.Sites != 2 {
		t.Errorf("request probe %+v %v, want 2 sites", p, ok)
	}
	if _, ok := b.Probe("other", "request"); ok {
		t.Errorf("other:request found")
	}
}

func TestReadRejects(t *testing.T) {
	bins := binaries(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "text")
	os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(bins.Debug)
	if err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(dir, "half")
	os.WriteFile(half, whole[:len(whole)/2], 0o755)
	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"script", text, userbin.ErrNotELF},
		{"fifo", fifo, userbin.ErrNotRegular},
		{"directory", dir, userbin.ErrNotRegular},
		{"truncated", half, userbin.ErrNotELF},
		{"missing", filepath.Join(dir, "nope"), os.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := userbin.Read(tc.path, userbin.DefaultLimits())
			if !errors.Is(err, tc.want) {
				t.Errorf("Read(%s) = %v, want %v", tc.name, err, tc.want)
			}
		})
	}
	t.Run("limits", func(t *testing.T) {
		lim := userbin.DefaultLimits()
		lim.SymtabBytes = 64
		if _, err := userbin.Read(bins.Debug, lim); !errors.Is(err, userbin.ErrTooLarge) {
			t.Errorf("Read with a 64-byte symbol limit = %v, want ErrTooLarge", err)
		}
		b, err := userbin.Read(bins.Debug, userbin.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		lim = userbin.DefaultLimits()
		lim.DebugBytes = 64
		if err := b.LoadDebug(context.Background(), lim, nil); !errors.Is(err, userbin.ErrTooLarge) {
			t.Errorf("LoadDebug with a 64-byte DWARF limit = %v, want ErrTooLarge", err)
		}
	})
}
