package analysis

// This file implements the literal arguments of hist() and lhist(), which
// bpftrace checks at compile time.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Limits bpftrace puts on histogram arguments.
const (
	maxHistBits     = 5
	maxLhistBuckets = 1000
)

// intValue is the value of an integer literal, with a leading minus.
func intValue(x syntax.Expr) (int64, bool) {
	switch x := syntax.Unparen(x).(type) {
	case *syntax.IntLit:
		return int64(x.Value), true
	case *syntax.UnaryExpr:
		if x.Op == syntax.Minus {
			v, ok := intValue(x.X)
			return -v, ok
		}
	}
	return 0, false
}

// literalInt is intValue that also takes a #define'd integer, which
// bpftrace's preprocessor turns into a literal.
func (c *checker) literalInt(x syntax.Expr) (int64, bool) {
	if id, ok := syntax.Unparen(x).(*syntax.Ident); ok {
		c.env.lookup(id.Name)
		if d, ok := c.env.defines[id.Name]; ok && d.isInt && c.env.constants[id.Name] {
			return d.value, true
		}
	}
	return intValue(x)
}

// fitsInt reports whether the literal value v fits integer type t.
func fitsInt(v int64, lit *syntax.IntLit, t ty) bool {
	if t.Kind != tyInt || t.Size == 0 || t.Size >= 8 && !t.Signed && v >= 0 {
		return true
	}
	if lit != nil && lit.Value > 1<<63-1 {
		return !t.Signed && t.Size == 8 // above int64: only uint64 holds it
	}
	bits := uint(t.Size) * 8
	if t.Signed {
		return v >= -(1<<(bits-1)) && (bits == 64 || v < 1<<(bits-1))
	}
	return v >= 0 && (bits == 64 || v < 1<<bits)
}

// checkFits reports an integer literal x that does not fit the declared
// type t of variable name.
func (c *checker) checkFits(name string, x syntax.Expr, t ty) {
	v, ok := intValue(x)
	if !ok {
		return
	}
	lit, _ := syntax.Unparen(x).(*syntax.IntLit)
	if !fitsInt(v, lit, t) {
		c.r.Errorf(span(x), CodeVarTypeChange, "value %s does not fit in %s, the type of %q", c.env.text(x.Pos(), x.End()), t, name)
	}
}

// histArgs checks hist(n, bits) and lhist(n, min, max, step).
func (c *checker) histArgs(x *syntax.CallExpr) {
	args := x.Args
	if x.Fun.Name == "hist" {
		if len(args) == 2 {
			if k, ok := c.literalInt(args[1]); ok && (k < 0 || k > maxHistBits) {
				c.r.Errorf(span(args[1]), CodeCallArgValue, "hist() bits must be between 0 and %d", maxHistBits)
			}
		}
		return
	}
	if len(args) != 4 {
		return
	}
	for _, a := range args[1:] {
		if _, ok := syntax.Unparen(a).(*syntax.PositionalParam); ok {
			return // a literal once bpftrace substitutes it
		}
	}
	lo, ok1 := c.literalInt(args[1])
	hi, ok2 := c.literalInt(args[2])
	step, ok3 := c.literalInt(args[3])
	switch {
	case !ok1 || !ok2 || !ok3:
		c.r.Errorf(span(x), CodeCallArgValue, "lhist() needs integer literals for min, max and step")
	case step < 1:
		c.r.Errorf(span(args[3]), CodeCallArgValue, "lhist() step must be at least 1")
	case lo < 0:
		c.r.Errorf(span(args[1]), CodeCallArgValue, "lhist() min must not be negative")
	case hi <= lo:
		c.r.Errorf(span(args[2]), CodeCallArgValue, "lhist() max must be greater than min")
	case (hi-lo)/step > maxLhistBuckets:
		c.r.Errorf(span(x), CodeCallArgValue, "lhist() would create more than %d buckets", maxLhistBuckets)
	}
}
