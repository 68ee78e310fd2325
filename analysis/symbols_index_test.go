package analysis

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

const symbolsScript = `macro bump($n, @hits, k) { $n += k; @hits[$n] = count(); }

kprobe:vfs_read
{
  $x = 1;
  $x = $x + 2;
  $s = comm;
  @reads[comm, pid] = count();
  bump($x, @calls, 3);
}

kprobe:vfs_write
{
  $x = "str";
  @last = $x;
  print(@reads);
}
`

// at returns the offset of the n-th (0-based) occurrence of needle.
func at(t *testing.T, src, needle string, n int) syntax.Pos {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(src[off:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not found", n, needle)
		}
		if i == n {
			return syntax.Pos(off + j)
		}
		off += j + len(needle)
	}
}

func TestSymbolAt(t *testing.T) {
	t.Parallel()
	d := syntax.NewestDialect()
	f := syntax.Parse("s.bt", []byte(symbolsScript), d)
	s := Analyze(context.Background(), f, Config{Dialect: d})
	tests := []struct {
		name    string
		needle  string
		n       int
		kind    SymbolKind
		sym     string
		typ     string
		key     string
		refs    int
		defText string // the needle occurrence index of the definition
		defN    int
	}{
		{"var first probe", "$x", 1, SymbolVariable, "$x", "int64", "", 4, "$x", 0},
		{"var second probe is another symbol", "$x", 5, SymbolVariable, "$x", "string", "", 2, "$x", 4},
		{"string var", "$s", 0, SymbolVariable, "$s", "string", "", 1, "$s", 0},
		{"map with tuple key", "@reads", 1, SymbolMap, "@reads", "count_t", "string, uint32", 2, "@reads", 0},
		{"map passed to macro", "@calls", 0, SymbolMap, "@calls", "", "", 1, "@calls", 0},
		{"macro", "bump", 1, SymbolMacro, "bump", "", "", 2, "bump", 0},
		{"macro var param", "$n", 1, SymbolMacroParam, "$n", "", "", 3, "$n", 0},
		{"macro map param", "@hits", 1, SymbolMacroParam, "@hits", "", "", 2, "@hits", 0},
		{"macro ident param", "k", 1, SymbolMacroParam, "k", "", "", 2, "k", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pos := at(t, symbolsScript, tc.needle, tc.n)
			sym, ok := s.SymbolAt(pos + 1)
			if !ok {
				t.Fatalf("no symbol at %q #%d", tc.needle, tc.n)
			}
			if sym.Kind != tc.kind || sym.Name != tc.sym || sym.Type != tc.typ || sym.Key != tc.key {
				t.Errorf("symbol = %s %q type %q key %q, want %s %q type %q key %q", sym.Kind, sym.Name, sym.Type, sym.Key, tc.kind, tc.sym, tc.typ, tc.key)
			}
			if len(sym.Refs) != tc.refs {
				t.Errorf("%d refs, want %d: %v", len(sym.Refs), tc.refs, sym.Refs)
			}
			if want := at(t, symbolsScript, tc.defText, tc.defN); sym.Def.Start != want {
				t.Errorf("def at %d, want %d", sym.Def.Start, want)
			}
			for _, r := range sym.Refs {
				if got := symbolsScript[r.Start:r.End]; got != tc.sym {
					t.Errorf("ref %v covers %q, want %q", r, got, tc.sym)
				}
			}
		})
	}
}

func TestSymbolAtNothing(t *testing.T) {
	t.Parallel()
	d := syntax.NewestDialect()
	f := syntax.Parse("s.bt", []byte(symbolsScript), d)
	s := Analyze(context.Background(), f, Config{Dialect: d})
	if sym, ok := s.SymbolAt(at(t, symbolsScript, "kprobe", 0)); ok {
		t.Errorf("found %q on a probe name", sym.Name)
	}
	if n := len(s.Symbols()); n != 10 {
		for _, sym := range s.Symbols() {
			t.Logf("%s %s", sym.Kind, sym.Name)
		}
		t.Errorf("%d symbols, want 10", n)
	}
}

// TestSymbolScopes checks that block scoping (0.22) splits variables that
// probe scoping (0.17) keeps together.
func TestSymbolScopes(t *testing.T) {
	t.Parallel()
	src := "kprobe:f { if (pid) { $y = 1; } if (tid) { $y = 2; } }"
	for _, tc := range []struct {
		v    syntax.Version
		want int
	}{{syntax.V0_17, 1}, {syntax.V0_22, 2}} {
		d := syntax.Dialect{Version: tc.v}
		s := Analyze(context.Background(), syntax.Parse("s.bt", []byte(src), d), Config{Dialect: d})
		n := 0
		for _, sym := range s.Symbols() {
			if sym.Name == "$y" {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%s: %d symbols for $y, want %d", tc.v, n, tc.want)
		}
	}
}
