package analysis

// This file implements assignments: to scratch variables, to maps (where
// aggregates such as count() may go), the discard "_ = e", and the
// read-only places (tuple fields) that cannot be assigned.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// assign checks "lhs = rhs" and the compound forms.
func (c *checker) assign(s *syntax.AssignStmt) {
	compound := s.Op != syntax.Assign
	switch lhs := syntax.Unparen(s.LHS).(type) {
	case *syntax.VarExpr:
		if compound {
			c.readVar(lhs)
			lt, rt := c.arith(s.Op, lhs, s.RHS)
			if c.v == syntax.V0_24 && lt.isInt() && rt.isInt() {
				// "$x += e" is "$x = $x + e" to 0.24, which checks the
				// sum's type against $x's, a literal e included.
				op := syntax.Plus
				if s.Op == syntax.ShlAssign || s.Op == syntax.ShrAssign {
					op = syntax.Shl
				}
				c.intChange024(lhs, s, arith024(op, lt, rt))
			}
			return
		}
		if v, _ := c.scope.lookup("$" + lhs.Name); v != nil && v.fixed {
			c.checkFits(v.name, s.RHS, v.typ) // a let with a type annotation fixed it
		}
		value := c.valueExpr(s.RHS)
		c.intChange024(lhs, s.RHS, value)
		c.assignVar(lhs, value)
	case *syntax.MapExpr:
		c.assignMap(s, lhs, compound)
	case *syntax.Ident:
		if lhs.Name == "_" {
			c.expr(s.RHS)
			return
		}
		c.expr(lhs)
		c.expr(s.RHS)
	case nil:
	default:
		c.expr(lhs)
		c.expr(s.RHS)
	}
}

// assignMap checks an assignment to @m or @m[k]: the one place
// aggregates go, and where map values are fixed.
func (c *checker) assignMap(s *syntax.AssignStmt, m *syntax.MapExpr, compound bool) {
	if compound {
		c.arith(s.Op, m, s.RHS)
		c.mapWrite(m, unknownTy, "") // arithmetic keeps the type: pointers stay pointers
		return
	}
	if b := c.aggregateValue(s.RHS); b != nil {
		c.mapWrite(m, builtinResult(b, c.v), b.Name)
		return
	}
	if src, ok := syntax.Unparen(s.RHS).(*syntax.MapExpr); ok {
		if agg := c.env.mapAggregate(src.Name); agg != "" {
			c.expr(src)
			// From 0.23 a count or sum converts into a map that holds
			// integers, and casts to one.
			converts := readsAsInt(agg) && c.v.AtLeast(syntax.V0_23)
			if !converts || !c.env.mapValueType(m.Name).isInt() {
				d := c.r.Errorf(span(src), CodeMapAggregateCopy,
					"map value of type %s_t cannot be assigned from one map to another", agg)
				if converts {
					d.Message += ": cast it to an integer, e.g. (int64)@" + src.Name
				}
			}
			c.mapWrite(m, unknownTy, "")
			return
		}
	}
	c.mapWrite(m, c.valueExpr(s.RHS), "")
}

// valueExpr types an expression whose value is stored or used: one of
// no value (printf(), exit()) is an error.
func (c *checker) valueExpr(x syntax.Expr) ty {
	if x == nil {
		return unknownTy
	}
	t := c.expr(x)
	c.needValue(x, t)
	c.printOnly(x, t)
	return t
}

// needValue reports a call without a value used where one is needed.
func (c *checker) needValue(x syntax.Expr, t ty) {
	if t.Kind != tyVoid || t.Name != "" {
		return
	}
	switch u := syntax.Unparen(x).(type) {
	case *syntax.CallExpr:
		if u.Fun != nil {
			c.r.Errorf(span(x), CodeVoidValue, "%s() returns no value", u.Fun.Name)
		}
	case *syntax.TernaryExpr:
		c.r.Errorf(span(x), CodeVoidValue, "the branches of ?: have no value")
	}
}

// aggregateValue checks x when it is an aggregate call, bare or as the
// value of a block ("@m = { let $a = 1; avg($a) }"), and returns the
// aggregate; nil when x is something else and still unchecked.
func (c *checker) aggregateValue(x syntax.Expr) *Builtin {
	switch x := syntax.Unparen(x).(type) {
	case *syntax.CallExpr:
		if b := c.aggregate(x); b != nil {
			c.call(x, true)
			return b
		}
	case *syntax.BlockExpr:
		stmts := x.Block.Stmts
		if len(stmts) == 0 {
			return nil
		}
		last, ok := stmts[len(stmts)-1].(*syntax.ExprStmt)
		if !ok {
			return nil
		}
		call, isCall := syntax.Unparen(last.X).(*syntax.CallExpr)
		if last.Semi.IsValid() || !isCall || c.aggregate(call) == nil {
			return nil
		}
		c.pushScope()
		c.stmts(stmts[:len(stmts)-1])
		b := c.aggregateValue(call)
		c.popScope()
		return b
	}
	return nil
}

// aggregate returns the map-function builtin a call names, if any (a user
// macro of the same name wins).
func (c *checker) aggregate(call *syntax.CallExpr) *Builtin {
	if call.Fun == nil || c.env.hasMacro(call.Fun.Name) {
		return nil
	}
	if b, ok := lookupBuiltin(call.Fun.Name); ok && b.Kind == BuiltinMapFunc {
		return b
	}
	return nil
}

// arith checks "lhs op= rhs": both sides must be integers. It returns
// their types.
func (c *checker) arith(op syntax.Kind, lhs, rhs syntax.Expr) (lt, rt ty) {
	rt = c.expr(rhs)
	lt = c.quietType(lhs)
	if (lt.known() && !lt.isIntLike()) || (rt.known() && !rt.isIntLike()) {
		c.r.Errorf(span(rhs), CodeTypeMismatch, "type mismatch for %s: %s and %s", op.Op(), lt, rt)
	}
	return lt, rt
}

// quietType types x without reporting or recording anything.
func (c *checker) quietType(x syntax.Expr) ty {
	quiet := *c
	quiet.r = &Reporter{}
	quiet.res = &BodyResult{}
	quiet.maps, quiet.syms, quiet.mapUses = nil, nil, false
	quiet.quiet = true
	return quiet.expr(x)
}
