package btfindex

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseSymbols(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Symbol
	}{
		{"kallsyms", "0000000000000000 T vfs_read\n0000000000000000 t __pfx_vfs_read\n" +
			"0000000000000000 t kzalloc_noprof.constprop.0\n0000000000000000 t kzalloc_noprof.constprop.0\n" +
			"0000000000000000 D jiffies\n0000000000000000 r __ksymtab_x\n0000000000000000 W weak_fn\n" +
			"0000000000000000 t nf_hook_slow\t[nf_tables]\n0000000000000000 t __cfi_x\n",
			[]Symbol{{"kzalloc_noprof.constprop.0", ""}, {"nf_hook_slow", "nf_tables"}, {"vfs_read", ""}, {"weak_fn", ""}}},
		{"available_filter_functions", "vfs_read\nnf_hook_slow [nf_tables]\nnf_hook_slow\n\n",
			[]Symbol{{"nf_hook_slow", ""}, {"nf_hook_slow", "nf_tables"}, {"vfs_read", ""}}},
		{"garbage", "\x00\xff\n   \n[x]\n", []Symbol{{"\x00\xff", ""}, {"[x]", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := parseSymbols([]byte(tc.in)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseSymbols = %q, want %q", got, tc.want)
			}
		})
	}
}

// kallsymsClone reads /proc/kallsyms itself and returns a text symbol with
// a compiler suffix (".constprop.", ".isra.", ".part.", ".cold") that BTF
// has no function for, the kind of name kprobes need symbols for.
func kallsymsClone(t *testing.T, ix *Index) string {
	t.Helper()
	f, err := os.Open(kallsymsPath)
	if err != nil {
		requireReal(t, "no "+kallsymsPath)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) != 3 || (fl[1] != "t" && fl[1] != "T") || strings.HasPrefix(fl[2], "__pfx_") {
			continue
		}
		for _, suf := range []string{".constprop.", ".isra.", ".part.", ".cold"} {
			if strings.Contains(fl[2], suf) {
				if _, ok := ix.Func(fl[2]); !ok {
					return fl[2]
				}
			}
		}
	}
	requireReal(t, "kallsyms lists no compiler clone of a function")
	return ""
}

// TestRealSymbols checks the live kernel's symbols before the on-disk
// index is ready, from the index once it is, from a fresh process's load
// of that file, and from an exported snapshot.
func TestRealSymbols(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ix := openReal(t, dir)
	clone := kallsymsClone(t, ix)
	base, _, _ := strings.Cut(clone, ".")
	pattern := base + ".*"
	check := func(what string, ix *Index) {
		t.Helper()
		if got := ix.Symbols(clone); len(got) == 0 || got[0].Name != clone {
			t.Errorf("%s: Symbols(%q) = %v", what, clone, got)
		}
		if got := ix.Match(NameSymbol, pattern); !slices.Contains(got, clone) {
			t.Errorf("%s: Match(symbol, %q) = %q, want it to hold %q", what, pattern, got, clone)
		}
		if got := ix.Match(NameSymbol, "__pfx_"+clone); got != nil {
			t.Errorf("%s: padding symbol listed: %q", what, got)
		}
		if got := ix.Complete(NameSymbol, clone, 1); !reflect.DeepEqual(got, []string{clone}) {
			t.Errorf("%s: Complete(symbol, %q) = %q", what, clone, got)
		}
		if st := ix.Stats(); st.Symbols < ix.list(NameFunc).Len()/2 {
			t.Errorf("%s: %d symbols for %d BTF functions", what, st.Symbols, ix.list(NameFunc).Len())
		}
	}
	check("before the index", ix)
	if err := ix.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ix.cache.table().secs[secSymbols].n() == 0 {
		t.Fatal("the on-disk index holds no symbols")
	}
	check("index", ix)

	again := openReal(t, dir)
	if err := again.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := again.Stats(); st.CacheBuilt {
		t.Errorf("the index was rebuilt instead of loaded: %+v", st)
	}
	check("loaded index", again)

	snap := filepath.Join(dir, "kernel.snap")
	if err := ix.Export(context.Background(), snap); err != nil {
		t.Fatal(err)
	}
	six, err := OpenSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	check("snapshot", six)
	if !slices.ContainsFunc(six.Stats().Sources, func(s string) bool { return strings.HasPrefix(s, "symbols:") }) {
		t.Errorf("snapshot sources %q name no symbols", six.Stats().Sources)
	}
}

// TestSymbolsOtherKernel: another kernel's BTF brings no symbols, since
// this machine's kallsyms describes the running kernel only; a symbols
// file named in the options is read instead.
func TestSymbolsOtherKernel(t *testing.T) {
	t.Parallel()
	raw := filepath.Join(fixtureDir(t), "vmlinux")
	ix, err := Open(context.Background(), Options{BTFPath: raw, CacheDir: "-", TracefsDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.list(NameSymbol).Len(); n != 0 {
		t.Errorf("%d symbols for a BTF file", n)
	}
	syms := filepath.Join(t.TempDir(), "kallsyms")
	writeFile(t, syms, []byte("0 t foo.isra.0\n0 T bar\t[m]\n"))
	ix2, err := Open(context.Background(), Options{BTFPath: raw, CacheDir: t.TempDir(), TracefsDir: "-", SymbolsPath: syms})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if err := ix2.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ix2.Match(NameSymbol, "*"); !reflect.DeepEqual(got, []string{"bar", "foo.isra.0"}) {
		t.Errorf("Match = %q", got)
	}
	if got := ix2.Symbols("bar"); !reflect.DeepEqual(got, []Symbol{{"bar", "m"}}) {
		t.Errorf("Symbols(bar) = %v", got)
	}
}
