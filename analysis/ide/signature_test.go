package ide

import (
	"context"
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestSignatureHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		v      syntax.Version
		src    string
		label  string   // active signature
		params []string // its parameters
		active int
	}{
		{name: "printf first argument", src: `BEGIN { printf(‸) }`, label: "void printf(string fmt, args...)", params: []string{"string fmt", "args..."}},
		{name: "printf after a comma in a string", src: `BEGIN { printf("(a, b)", ‸) }`, label: "void printf(string fmt, args...)", params: []string{"string fmt", "args..."}, active: 1},
		{name: "optional parameter", src: `BEGIN { $b = buf(arg0, ‸`, label: "buffer buf(ptr [, int64 len])", params: []string{"ptr", "int64 len"}, active: 1},
		{name: "innermost call", src: `BEGIN { printf("%s", str(‸)) }`, label: "string str(ptr [, uint32 len])", params: []string{"ptr", "uint32 len"}},
		{name: "closed inner call", src: `BEGIN { printf("%s %d", str(arg0), ‸) }`, label: "void printf(string fmt, args...)", active: 1, params: []string{"string fmt", "args..."}},
		{name: "variadic arguments", src: `BEGIN { printf("%d %d %d", 1, 2, ‸) }`, label: "void printf(string fmt, args...)", params: []string{"string fmt", "args..."}, active: 1},
		{name: "second form", src: `BEGIN { print(@m, 10, ‸) }`, label: "print(@map[, top[, div]])", params: []string{"@map", "top", "div"}, active: 2},
		{name: "macro", v: syntax.V0_25, src: "macro add($a, b) { $a + b }\nBEGIN { $x = 1; print(add($x, ‸)) }", label: "add($a, b)", params: []string{"$a", "b"}, active: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			if v == (syntax.Version{}) {
				v = syntax.V0_26
			}
			s, pos := featureSnapshot(t, tc.src, v, nil)
			h, ok := SignatureHelpAt(context.Background(), s, pos)
			if !ok {
				t.Fatal("no signature help")
			}
			sg := h.Signatures[h.Active]
			if sg.Label != tc.label {
				t.Errorf("label = %q, want %q", sg.Label, tc.label)
			}
			var params []string
			for _, p := range sg.Params {
				params = append(params, sg.Label[p.Start:p.End])
			}
			if !slices.Equal(params, tc.params) {
				t.Errorf("params = %q, want %q", params, tc.params)
			}
			if h.ActiveParam != tc.active {
				t.Errorf("active parameter = %d, want %d", h.ActiveParam, tc.active)
			}
		})
	}
}

func TestSignatureHelpNothing(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`BEGIN { no_such_fn(‸) }`,
		`BEGIN { printf("x"); ‸ }`,
		`BEGIN { printf("‸") }`,
		`BEGIN { if (‸) {} }`,
	} {
		s, pos := featureSnapshot(t, src, syntax.V0_26, nil)
		if h, ok := SignatureHelpAt(context.Background(), s, pos); ok {
			t.Errorf("%q: unexpected help %+v", src, h.Signatures)
		}
	}
	s, pos := featureSnapshot(t, `BEGIN { has_key(‸) }`, syntax.V0_17, nil)
	if _, ok := SignatureHelpAt(context.Background(), s, pos); ok {
		t.Errorf("has_key is not in bpftrace 0.17, yet it has signature help")
	}
}

func TestCallForms(t *testing.T) {
	t.Parallel()
	for name, want := range map[string][]string{
		"ntop":   {"inet ntop([int af,] addr)"},
		"kstack": {"kstack_t kstack([mode,][limit])"},
		"pid":    {"pid(curr_ns|init)"},
		"count":  {"count_t count()"},
	} {
		b, ok := analysis.LookupBuiltin(name)
		if !ok {
			t.Fatalf("no builtin %q", name)
		}
		var got []string
		for _, f := range callForms(b) {
			got = append(got, f.Label)
		}
		if !slices.Equal(got, want) {
			t.Errorf("callForms(%s) = %q, want %q", name, got, want)
		}
	}
}
