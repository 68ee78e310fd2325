package analysis

import (
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestBuiltinTableSorted(t *testing.T) {
	t.Parallel()
	for i := 1; i < len(builtinTable); i++ {
		if builtinTable[i-1].Name >= builtinTable[i].Name {
			t.Fatalf("builtinTable not sorted/unique at %q, %q", builtinTable[i-1].Name, builtinTable[i].Name)
		}
	}
	if len(builtinTable) < 100 {
		t.Fatalf("builtinTable has %d rows, the TSV has 115", len(builtinTable))
	}
}

func TestLookupBuiltin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"printf", "printf", true},
		{"arg0", "argN", true},
		{"arg12", "argN", true},
		{"sarg3", "sargN", true},
		{"$1", "$N", true},
		{"$#", "$#", true},
		{"args", "args", true},
		{"argx", "", false},
		{"arg", "", false},
		{"nosuch", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, ok := lookupBuiltin(tc.name)
			if ok != tc.ok || ok && b.Name != tc.want {
				t.Fatalf("lookupBuiltin(%q) = %v, %v; want %q, %v", tc.name, b, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestBuiltinAvailable(t *testing.T) {
	t.Parallel()
	d17 := syntax.Dialect{Version: syntax.V0_17}
	d26 := syntax.Dialect{Version: syntax.V0_26}
	tests := []struct {
		name    string
		d       syntax.Dialect
		ok      bool
		wantWhy string
	}{
		{"strftime", d17, true, ""},
		{"has_key", d17, false, "needs bpftrace 0.22 or newer"},
		{"has_key", syntax.Dialect{Version: syntax.V0_22}, true, ""},
		{"offsetof", d17, false, "needs bpftrace 0.18 or newer"},
		{"sarg0", d17, true, ""},
		{"sarg0", d26, false, "was removed in bpftrace 0.25"},
		{"str_concat", d26, false, "is not in any bpftrace release yet"},
		{"str_concat", syntax.Dialect{Version: syntax.V0_26, Experimental: true}, true, ""},
		{"memcmp", d26, false, "is internal to the bpftrace standard library"},
		{"jiffies", syntax.Dialect{Version: syntax.V0_19}, false, "needs bpftrace 0.20 or newer"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"@"+tc.d.Version.String(), func(t *testing.T) {
			t.Parallel()
			b, ok := lookupBuiltin(tc.name)
			if !ok {
				t.Fatalf("no builtin %q", tc.name)
			}
			got, why := b.Available(tc.d)
			if got != tc.ok || why != tc.wantWhy {
				t.Fatalf("Available = %v, %q; want %v, %q", got, why, tc.ok, tc.wantWhy)
			}
		})
	}
}

func TestBuiltinArityIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		v      syntax.Version
		lo, hi int
	}{
		{"exit", syntax.V0_17, 0, 0},
		{"exit", syntax.V0_21, 0, 1},
		{"hist", syntax.V0_17, 1, 1},
		{"hist", syntax.V0_26, 1, 2},
		{"delete", syntax.V0_20, 1, 1},
		{"delete", syntax.V0_21, 1, variadicArgs},
		{"delete", syntax.V0_22, 1, 2},
		{"printf", syntax.V0_17, 1, variadicArgs},
		{"lhist", syntax.V0_26, 4, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name+"@"+tc.v.String(), func(t *testing.T) {
			t.Parallel()
			b, _ := lookupBuiltin(tc.name)
			if lo, hi := b.ArityIn(tc.v); lo != tc.lo || hi != tc.hi {
				t.Fatalf("ArityIn = %d..%d, want %d..%d", lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

func TestBuiltinArgKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		i    int
		want ArgKind
	}{
		{"printf", 0, ArgFormat},
		{"printf", 5, ArgAny},
		{"clear", 0, ArgMap},
		{"has_key", 0, ArgMap},
		{"find", 2, ArgVar},
		{"strncmp", 2, ArgIntLiteral},
		{"str", 0, ArgPointer},
		{"sizeof", 0, ArgType},
		{"offsetof", 1, ArgFieldPath},
		{"kaddr", 0, ArgStringLiteral},
		{"time", 0, ArgStringLiteral},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, _ := lookupBuiltin(tc.name)
			if got := b.ArgKindAt(tc.i); got != tc.want {
				t.Fatalf("ArgKindAt(%d) = %d, want %d", tc.i, got, tc.want)
			}
		})
	}
}

func TestBuiltinCallable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    syntax.Version
		want bool
	}{
		{"comm", syntax.V0_17, false},
		{"comm", syntax.V0_24, true},
		{"cpu", syntax.V0_17, false},
		{"cpu", syntax.V0_26, true},
		{"args", syntax.V0_26, false},
		{"kstack", syntax.V0_17, true},
		{"printf", syntax.V0_17, true},
		{"count", syntax.V0_17, true},
	}
	for _, tc := range tests {
		t.Run(tc.name+"@"+tc.v.String(), func(t *testing.T) {
			t.Parallel()
			b, _ := lookupBuiltin(tc.name)
			if got := b.Callable(tc.v); got != tc.want {
				t.Fatalf("Callable = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBuiltinsForDialect(t *testing.T) {
	t.Parallel()
	old := Builtins(syntax.Dialect{Version: syntax.V0_17})
	newest := Builtins(syntax.NewestDialect())
	has := func(bs []*Builtin, name string) bool {
		for _, b := range bs {
			if b.Name == name {
				return true
			}
		}
		return false
	}
	if has(old, "has_key") || !has(newest, "has_key") {
		t.Error("has_key should be in newest only")
	}
	if !has(old, "sargN") || has(newest, "sargN") {
		t.Error("sargN should be in 0.17 only")
	}
}
