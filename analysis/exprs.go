package analysis

// This file implements expression typing: literals, operators, ternaries,
// tuples and blocks. Names, calls and fields have their own files.

import (
	"strconv"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// expr checks x and returns its type (unknownTy when it cannot be known).
func (c *checker) expr(x syntax.Expr) ty {
	switch x := x.(type) {
	case *syntax.IntLit:
		return int64Ty
	case *syntax.StrLit:
		return stringTy
	case *syntax.BoolLit:
		return boolTy
	case *syntax.PositionalParam:
		return c.positional(x)
	case *syntax.VarExpr:
		return c.readVar(x)
	case *syntax.MapExpr:
		return c.mapAccess(x, false, unknownTy, "")
	case *syntax.Ident:
		return c.ident(x)
	case *syntax.CallExpr:
		return c.call(x, false)
	case *syntax.FieldExpr:
		return c.field(x)
	case *syntax.IndexExpr:
		return c.index(x)
	case *syntax.BinaryExpr:
		return c.binary(x)
	case *syntax.UnaryExpr:
		return c.unary(x)
	case *syntax.TernaryExpr:
		return c.ternary(x)
	case *syntax.CastExpr:
		return c.cast(x)
	case *syntax.ParenExpr:
		return c.expr(x.X)
	case *syntax.TupleExpr:
		t := ty{Kind: tyTuple, Elems: make([]ty, len(x.Elems))}
		for i, e := range x.Elems {
			t.Elems[i] = c.valueExpr(e)
		}
		return t
	case *syntax.RecordExpr:
		return c.record(x)
	default:
		return c.specialExpr(x)
	}
}

// specialExpr handles the keyword expressions and blocks.
func (c *checker) specialExpr(x syntax.Expr) ty {
	switch x := x.(type) {
	case *syntax.SizeofExpr:
		if x.Type != nil {
			c.typeExpr(x.Type)
		} else if x.X != nil {
			c.expr(x.X)
		}
		return uint64Ty
	case *syntax.OffsetofExpr:
		c.offsetof(x)
		return uint64Ty
	case *syntax.TypeofExpr:
		if m, ok := syntax.Unparen(x.X).(*syntax.MapExpr); ok && !m.Lbrack.IsValid() {
			c.mapArg(m) // typeof(@m) names a type of the map, keyed or not
			return c.mapKeyType(m.Name)
		}
		if x.X != nil {
			return c.expr(x.X)
		}
		return c.typeExpr(x.Type)
	case *syntax.TypeinfoExpr:
		if x.X != nil {
			c.expr(x.X)
		}
		return unknownTy
	case *syntax.ComptimeExpr:
		return c.expr(x.X)
	case *syntax.BlockExpr:
		return c.blockValue(x.Block)
	case *syntax.IfExpr:
		c.ifStmt(x.If)
		return unknownTy
	}
	return unknownTy
}

// blockValue checks a block expression; its value is its final expression
// statement without ';'.
func (c *checker) blockValue(b *syntax.Block) ty {
	if b == nil {
		return unknownTy
	}
	c.pushScope()
	defer c.popScope()
	t := unknownTy
	for i, s := range b.Stmts {
		if es, ok := s.(*syntax.ExprStmt); ok && i == len(b.Stmts)-1 && !es.Semi.IsValid() {
			t = c.expr(es.X)
			continue
		}
		c.stmt(s)
	}
	return t
}

// record checks a record literal (a = 1, b = "x").
func (c *checker) record(x *syntax.RecordExpr) ty {
	t := ty{Kind: tyRecord}
	seen := map[string]bool{}
	for _, f := range x.Fields {
		if f == nil || f.Name == nil {
			continue
		}
		if seen[f.Name.Name] {
			c.r.Errorf(span(f.Name), CodeTypeMismatch, "duplicate record field %q", f.Name.Name)
		}
		seen[f.Name.Name] = true
		t.Fields = append(t.Fields, tyField{Name: f.Name.Name, Type: c.valueExpr(f.Value)})
	}
	return t
}

// positional types $N (unknown: int or string by use) and $#.
func (c *checker) positional(x *syntax.PositionalParam) ty {
	if x.Count {
		return uint64Ty
	}
	return unknownTy // an integer or a string, by use; the parser rejects $0
}

// binary checks a binary operation and returns its type.
func (c *checker) binary(x *syntax.BinaryExpr) ty {
	lt, rt := c.expr(x.X), c.expr(x.Y)
	switch x.Op {
	case syntax.AndAnd, syntax.OrOr:
		for _, side := range []struct {
			t ty
			e syntax.Expr
		}{{lt, x.X}, {rt, x.Y}} {
			if side.t.known() && !side.t.isIntLike() {
				c.r.Errorf(span(side.e), CodeTypeMismatch, "operand of %s must be an integer or bool, not %s", x.Op.Op(), side.t)
			}
		}
		return boolTy
	case syntax.Eq, syntax.Ne, syntax.Lt, syntax.Le, syntax.Gt, syntax.Ge:
		c.compare(x, lt, rt)
		return boolTy
	}
	return c.arithmetic(x, lt, rt)
}

// compare reports comparisons between values of different kinds.
func (c *checker) compare(x *syntax.BinaryExpr, lt, rt ty) {
	if !lt.known() || !rt.known() {
		return
	}
	ls, rs := lt.isStringLike(), rt.isStringLike()
	switch {
	case ls != rs && (lt.isIntLike() || rt.isIntLike()):
		c.r.Errorf(span(x), CodeTypeMismatch, "type mismatch for %s: comparing %s with %s", x.Op.Op(), lt, rt)
	case ls && rs && x.Op != syntax.Eq && x.Op != syntax.Ne:
		c.r.Errorf(span(x), CodeTypeMismatch, "strings can only be compared with == and !=")
	case lt.Kind == tyAgg || rt.Kind == tyAgg: // a count() read before 0.23 (see mapAccess)
		c.r.Errorf(span(x), CodeTypeMismatch, "type mismatch for %s: comparing %s with %s", x.Op.Op(), lt, rt)
	case lt.Kind == tyRecord || rt.Kind == tyRecord || lt.Kind == tyTuple || rt.Kind == tyTuple:
		if lt.Kind != rt.Kind || x.Op != syntax.Eq && x.Op != syntax.Ne {
			c.r.Errorf(span(x), CodeTypeMismatch, "type mismatch for %s: comparing %s with %s", x.Op.Op(), lt, rt)
		}
	}
}

// arithmetic types + - * / % & | ^ << >>: integers, and pointer plus or
// minus an integer.
func (c *checker) arithmetic(x *syntax.BinaryExpr, lt, rt ty) ty {
	if !lt.known() || !rt.known() {
		if lt.Kind == tyPointer {
			return lt
		}
		return unknownTy
	}
	if !lt.isIntLike() || !rt.isIntLike() {
		c.r.Errorf(span(x), CodeTypeMismatch, "type mismatch for %s: %s and %s", x.Op.Op(), lt, rt)
		return unknownTy
	}
	if lt.Kind == tyPointer || rt.Kind == tyPointer {
		return c.pointerArithmetic(x, lt, rt)
	}
	if c.v == syntax.V0_24 {
		return arith024(x.Op, lt, rt)
	}
	if !lt.Signed && !rt.Signed && lt.Kind == tyInt && rt.Kind == tyInt {
		return uint64Ty
	}
	return int64Ty
}

// arith024 is the type bpftrace 0.24 gives an integer operation: the
// larger size, signed only when both sides are (a shift keeps the left
// side's sign), which its assignments then check (see intChange024).
func arith024(op syntax.Kind, lt, rt ty) ty {
	signed := lt.Signed && rt.Signed
	if op == syntax.Shl || op == syntax.Shr {
		signed = lt.Signed
	}
	if lt.Size == 0 || rt.Size == 0 {
		return ty{Kind: tyInt, Size: 8, Signed: signed}
	}
	return ty{Kind: tyInt, Size: max(lt.Size, rt.Size), Signed: signed}
}

// pointerArithmetic types p + n, n + p and p - n as pointers, like C; any
// other arithmetic with a pointer (p * 2, n - p, p - q) bpftrace refuses.
func (c *checker) pointerArithmetic(x *syntax.BinaryExpr, lt, rt ty) ty {
	switch {
	case lt.Kind == tyPointer && rt.isInt() && (x.Op == syntax.Plus || x.Op == syntax.Minus):
		return lt
	case rt.Kind == tyPointer && lt.isInt() && x.Op == syntax.Plus:
		return rt
	}
	c.r.Errorf(span(x), CodeTypeMismatch, "the %s operator cannot be used on %s and %s", x.Op.Op(), lt, rt)
	return unknownTy
}

// unary checks a prefix or postfix operation and returns its type.
func (c *checker) unary(x *syntax.UnaryExpr) ty {
	switch x.Op {
	case syntax.Inc, syntax.Dec:
		return c.incDec(x.X)
	case syntax.Amp:
		if m, ok := syntax.Unparen(x.X).(*syntax.MapExpr); ok && !m.Lbrack.IsValid() {
			c.mapArg(m) // &@m is the map itself, keyed or not
			return ptrTo(unknownTy)
		}
		t := c.expr(x.X)
		return ptrTo(t)
	}
	t := c.expr(x.X)
	if !t.known() {
		return unknownTy
	}
	switch x.Op {
	case syntax.Star:
		switch {
		case t.Kind == tyPointer || t.Kind == tyArray:
			return *t.Elem
		case t.isInt():
			return uint64Ty // bpftrace reads 8 bytes at an integer address
		}
		c.r.Errorf(span(x), CodeDerefNonPointer, "cannot dereference a value of type %s", t)
		return unknownTy
	case syntax.Not:
		if !t.isInt() { // bpftrace refuses !p on a pointer too
			c.r.Errorf(span(x), CodeTypeMismatch, "operand of ! must be an integer or bool, not %s", t)
		}
		return boolTy
	default: // - ~
		if !t.isInt() {
			c.r.Errorf(span(x), CodeTypeMismatch, "operand of %s must be an integer, not %s", x.Op.Op(), t)
			return unknownTy
		}
		return int64Ty
	}
}

// ternary checks c ? a : b (and c ?: b): both branches have one type.
func (c *checker) ternary(x *syntax.TernaryExpr) ty {
	c.pointerCond(x.Cond, "a ternary")
	var a ty
	if x.Then != nil {
		a = c.expr(x.Then)
	} else {
		a = c.quietType(x.Cond) // "c ?: b" yields c
	}
	b := c.expr(x.Else)
	if !compatible(a, b) {
		c.r.Errorf(span(x), CodeTypeMismatch, "branches of ?: have different types: %s and %s", a, b)
		return unknownTy
	}
	if a.known() {
		return a
	}
	return b
}

// index checks x[i] on pointers, arrays, strings and tuples.
func (c *checker) index(x *syntax.IndexExpr) ty {
	t := c.expr(x.X)
	it := c.expr(x.Index)
	if it.known() && !it.isInt() {
		c.r.Errorf(span(x.Index), CodeTypeMismatch, "index must be an integer, not %s", it)
	}
	switch t.Kind {
	case tyUnknown:
		return unknownTy
	case tyPointer, tyArray:
		if t.Elem.Kind == tyVoid {
			c.r.Errorf(span(x), CodeIndexNonArray, "cannot index a void pointer: its elements have no size")
			return unknownTy
		}
		if c.quiet {
			// A quiet typing reports nothing, and the checks below type
			// parts of x again: nested indices would cost exponential time.
			return *t.Elem
		}
		if t.Kind == tyArray && c.charArrayString(x.X, t) {
			c.r.Errorf(span(x), CodeIndexNonArray, "bpftrace %s reads this char array as a string, and indexing a string needs bpftrace 0.25 or newer", c.v)
			return unknownTy
		}
		n, literal := intValue(syntax.Unparen(x.Index))
		switch {
		case t.Kind == tyArray && literal && t.Len > 0 && (n < 0 || n >= int64(t.Len)):
			c.r.Errorf(span(x.Index), CodeIndexNonArray, "index %d is out of bounds for an array of %d", n, t.Len)
		case literal || isPositional(x.Index):
		case !c.v.AtLeast(syntax.V0_24):
			// bpftrace allows computed indices from 0.24 (#4492).
			c.r.Errorf(span(x.Index), CodeIndexNonArray, "an array index must be an integer literal before bpftrace 0.24")
		case !it.isInt() || !it.Signed:
		case !c.v.AtLeast(syntax.V0_26) && !c.constIndex(x.Index) && c.signedIndex(x.Index):
			c.r.Errorf(span(x.Index), CodeIndexNonArray, "an array index must be unsigned before bpftrace 0.26, not %s: cast it, as in (uint64)$i", it)
		case c.v.AtLeast(syntax.V0_26) && !signFlexible(x.Index):
			c.r.Errorf(span(x.Index), CodeIndexNonArray, "an array index must not be of a signed type (%s): cast it, as in (uint64)$i", it)
		}
		return *t.Elem
	case tyString:
		if c.v.AtLeast(syntax.V0_25) {
			return ty{Kind: tyInt, Size: 1, Signed: true}
		}
	case tyTuple:
		if c.v.AtLeast(syntax.V0_25) {
			return c.tupleElem(x.Index, t)
		}
	}
	c.r.Errorf(span(x), CodeIndexNonArray, "cannot index a value of type %s", t)
	return unknownTy
}

// charArrayString reports whether bpftrace c.v types the array field x of
// type t as a string, which it cannot index before 0.25: C's char arrays
// always (its C front end), and from 0.24 any array of one-byte integers
// (its BTF reading; measured: 0.17 indexes a __u8 array, 0.24 refuses).
// Only fields count: an array made by a cast stays an array.
func (c *checker) charArrayString(x syntax.Expr, t ty) bool {
	if c.v.AtLeast(syntax.V0_25) || t.Elem == nil || t.Elem.Kind != tyInt || t.Elem.Size != 1 {
		return false
	}
	f, ok := syntax.Unparen(x).(*syntax.FieldExpr)
	if !ok {
		return false
	}
	if t.Elem.Char {
		return true
	}
	if !c.v.AtLeast(syntax.V0_24) {
		return false
	}
	// The BTF reading applies to kernel structs only: a struct of the
	// script's C part goes through clang, as in 0.17.
	base := c.quietType(f.X)
	for base.Kind == tyPointer && base.Elem != nil {
		base = *base.Elem
	}
	if base.Kind != tyRecord || base.Name == "" || c.env.cdef(base.Name) {
		return false
	}
	_, fromC := c.env.cRecord(base.Name)
	return !fromC
}

// constIndex reports whether bpftrace 0.24 folds x into a non-negative
// integer literal: literals, #define'd integers and arithmetic on them.
func (c *checker) constIndex(x syntax.Expr) bool {
	n, ok := c.constInt(x)
	return ok && n >= 0
}

func (c *checker) constInt(x syntax.Expr) (int64, bool) {
	if n, ok := c.literalInt(x); ok {
		return n, true
	}
	b, ok := syntax.Unparen(x).(*syntax.BinaryExpr)
	if !ok {
		return 0, false
	}
	l, okl := c.constInt(b.X)
	r, okr := c.constInt(b.Y)
	if !okl || !okr {
		return 0, false
	}
	switch b.Op {
	case syntax.Plus:
		return l + r, true
	case syntax.Minus:
		return l - r, true
	case syntax.Star:
		return l * r, true
	case syntax.Slash, syntax.Percent:
		if r == 0 {
			return 0, false
		}
		if b.Op == syntax.Slash {
			return l / r, true
		}
		return l % r, true
	}
	return 0, false
}

// signedIndex reports whether bpftrace 0.24 types the index x as signed.
// Its arithmetic takes the sign of the operand that is not a literal, so
// "pid % 16" is unsigned; with two such operands, x counts as signed only
// when both are, to stay clear of false alarms.
func (c *checker) signedIndex(x syntax.Expr) bool {
	if b, ok := syntax.Unparen(x).(*syntax.BinaryExpr); ok {
		_, lc := c.constInt(b.X)
		_, rc := c.constInt(b.Y)
		switch {
		case lc && rc:
			return false
		case lc:
			return c.signedIndex(b.Y)
		case rc:
			return c.signedIndex(b.X)
		}
		return c.signedIndex(b.X) && c.signedIndex(b.Y)
	}
	t := c.quietType(x)
	return t.Kind == tyInt && t.Signed
}

// signFlexible reports whether bpftrace 0.26 may still treat the signed
// index x as non-negative: its non-negative integer literals are of
// flexible sign, and so are variables and arithmetic holding only them.
// Variables count as flexible, since their values are not tracked here.
func signFlexible(x syntax.Expr) bool {
	switch x := syntax.Unparen(x).(type) {
	case *syntax.IntLit, *syntax.VarExpr, *syntax.PositionalParam, *syntax.Ident:
		return true
	case *syntax.BinaryExpr:
		return signFlexible(x.X) && signFlexible(x.Y)
	}
	return false
}

// isPositional reports whether x is a positional parameter ($1), which
// bpftrace substitutes before checking.
func isPositional(x syntax.Expr) bool {
	_, ok := syntax.Unparen(x).(*syntax.PositionalParam)
	return ok
}

// tupleElem is element idx of tuple t, when idx is a literal.
func (c *checker) tupleElem(idx syntax.Expr, t ty) ty {
	lit, ok := syntax.Unparen(idx).(*syntax.IntLit)
	if !ok {
		return unknownTy
	}
	if lit.Value >= uint64(len(t.Elems)) {
		c.r.Errorf(span(idx), CodeTupleIndex, "index %d is out of range for a tuple of %d elements", lit.Value, len(t.Elems))
		return unknownTy
	}
	return t.Elems[lit.Value]
}

// tupleField is "$t.N".
func (c *checker) tupleField(x *syntax.FieldExpr, t ty) ty {
	n, err := strconv.Atoi(x.Field.Name)
	if err != nil {
		c.r.Errorf(span(x.Field), CodeFieldOnNonRecord, "a tuple has no field %q: use an index such as .0", x.Field.Name)
		return unknownTy
	}
	if n >= len(t.Elems) {
		c.r.Errorf(span(x.Field), CodeTupleIndex, "index %d is out of range for a tuple of %d elements", n, len(t.Elems))
		return unknownTy
	}
	return t.Elems[n]
}
