package analysis

// This file implements the checks that need a map's shape from the whole
// file: functions that want a keyed map (has_key, find, delete with a key,
// for loops), aggregates that can only be printed, and map declarations
// whose kind does not suit the values stored.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// mapKeyed reports whether the map is used with keys, and whether that is
// known (some non-bare use).
func (e *fileEnv) mapKeyed(name string) (keyed, known bool) {
	f := e.lookupMap(name)
	if f == nil || f.shape == shapeUnknown {
		return false, false
	}
	return f.shape == shapeKeyed, true
}

// mapKeyType is what typeof(@m) names for a map with keys: its key type, a
// tuple for several keys (measured with the real 0.26.1); unknown for a map
// without keys or whose keys are not known yet.
func (c *checker) mapKeyType(name string) ty {
	f := c.env.lookupMap(name)
	if f == nil || f.shape != shapeKeyed || len(f.entryKeys) == 0 {
		return unknownTy
	}
	if len(f.entryKeys) == 1 {
		return f.entryKeys[0]
	}
	return ty{Kind: tyTuple, Elems: f.entryKeys}
}

// needKeyedMap reports a bare map argument of a map that holds no keys,
// where fn needs one that has them.
func (c *checker) needKeyedMap(fn string, arg syntax.Expr) {
	m, ok := syntax.Unparen(arg).(*syntax.MapExpr)
	if !ok {
		return
	}
	if m.Lbrack.IsValid() {
		c.r.Errorf(span(m), CodeCallArgKind, "%s() expects a map without keys: write @%s, not @%s[…]", fn, m.Name, m.Name)
		return
	}
	if keyed, known := c.env.mapKeyed(m.Name); known && !keyed {
		c.r.Errorf(span(m), CodeCallArgKind, "%s() needs a map with keys, and @%s has none", fn, m.Name)
	}
}

// mapCallShape checks the map arguments of the builtins that care whether
// the map has keys.
func (c *checker) mapCallShape(x *syntax.CallExpr, b *Builtin) {
	if len(x.Args) == 0 {
		return
	}
	switch {
	case b.Name == "has_key" || b.Name == "find":
		c.needKeyedMap(b.Name, x.Args[0])
	case b.Name == "delete" && len(x.Args) == 2 && c.v.AtLeast(syntax.V0_22):
		c.needKeyedMap(b.Name, x.Args[0])
	case b.Name == "delete" && c.v.AtLeast(syntax.V0_22):
		m, ok := syntax.Unparen(x.Args[0]).(*syntax.MapExpr)
		if keyed, known := c.env.mapKeyed(nameOfMap(m)); ok && !m.Lbrack.IsValid() && known && keyed {
			c.r.Errorf(span(m), CodeCallArgKind, "delete() of a map with keys needs the key: delete(@%s, key)", m.Name)
		}
	case b.Name == "clear" || b.Name == "zero":
		if m, ok := syntax.Unparen(x.Args[0]).(*syntax.MapExpr); ok && m.Lbrack.IsValid() {
			c.r.Errorf(span(m), CodeCallArgKind, "%s() works on a whole map: write %s(@%s)", b.Name, b.Name, m.Name)
		}
	case b.Name == "print" && len(x.Args) > 1:
		if m, ok := syntax.Unparen(x.Args[0]).(*syntax.MapExpr); !ok || m.Lbrack.IsValid() {
			c.r.Errorf(span(x), CodeCallArity, "print() of a value takes 1 argument, got %d", len(x.Args))
		}
	}
}

func nameOfMap(m *syntax.MapExpr) string {
	if m == nil {
		return ""
	}
	return m.Name
}

// printOnly reports reading a map value that can only be printed: hist,
// lhist, stats and tseries have no single value.
func (c *checker) printOnly(x syntax.Expr, t ty) (reported bool) {
	if t.Kind != tyAgg || readsAsInt(strings.TrimSuffix(t.Name, "_t")) {
		return false
	}
	if _, isCall := syntax.Unparen(x).(*syntax.CallExpr); isCall {
		return true // an aggregate call outside a map assignment, reported as such
	}
	c.r.Errorf(span(x), CodeMapAggregateRead, "a %s value can only be printed, not used as a value", t.Name)
	return true
}

// forMapShape checks the map of "for ($kv : @m)": it needs keys, and
// values that can be read.
func (c *checker) forMapShape(m *syntax.MapExpr) {
	if keyed, known := c.env.mapKeyed(m.Name); known && !keyed {
		c.r.Errorf(span(m), CodeCallArgKind, "a for loop needs a map with keys, and @%s has none", m.Name)
	}
	if f := c.env.lookupMap(m.Name); f != nil {
		c.printOnly(m, storedType(f))
	}
}

// checkMapDeclKind reports values that do not suit a declared map kind:
// per-CPU maps hold aggregates, plain hash maps hold plain values.
func (e *fileEnv) checkMapDeclKind(r *Reporter, f *mapFacts) {
	if f.decl == nil || f.decl.Kind == nil {
		return
	}
	percpu := strings.HasPrefix(f.decl.Kind.Name, "percpu")
	for i := range f.numUses() {
		u := f.use(i)
		if !u.write || u.bare || (u.agg == "" && !u.value.known()) {
			continue
		}
		if percpu != (u.agg != "") {
			want := "plain values"
			if percpu {
				want = "aggregates such as count()"
			}
			d := r.Errorf(u.span, CodeMapDeclKind, "map %q is declared as %s, which holds %s", f.name, f.decl.Kind.Name, want)
			d.Related = append(d.Related, Related{Span: span(f.decl.Kind), Message: "declared here"})
			return
		}
	}
}
