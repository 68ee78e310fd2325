package analysis

// This file implements the statement walk shared by probe bodies, macro
// bodies and fn bodies: scopes, assignments, loops and returns.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// checker checks one body under one probe context. The same walk serves
// the file-level pass (pc nil, collecting map uses and symbols) and the
// per-instance pass (pc set, reporting what depends on the attach point).
type checker struct {
	env   *fileEnv
	pc    *ProbeContext // nil outside probes and in the file-level pass
	v     syntax.Version
	r     *Reporter
	res   *BodyResult
	scope *scope
	maps  *mapTable   // where map uses are recorded; nil: not recorded
	syms  *symbolSink // where symbols are recorded; nil: not recorded
	macro *macroScope // set inside a macro body
	fn    *syntax.FuncDecl
	loops int  // enclosing while/unroll/for bodies
	fors  int  // enclosing for bodies
	depth int  // macro bodies re-walked for the probe context (inContext)
	walks *int // re-walks left for this checker and its sub-checkers
	quiet bool // typing only (quietType): nothing is reported
	// mapUses keeps the map uses typed under pc in res, for mapConflicts
	// (mapgroups.go), which not every probe needs.
	mapUses bool
}

// block checks a nested block in its own scope (from 0.22).
func (c *checker) block(b *syntax.Block) {
	if b == nil {
		return
	}
	c.pushScope()
	c.stmts(b.Stmts)
	c.popScope()
}

func (c *checker) stmts(list []syntax.Stmt) {
	for _, s := range list {
		c.stmt(s)
	}
}

func (c *checker) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.ExprStmt:
		c.expr(s.X)
	case *syntax.AssignStmt:
		c.assign(s)
	case *syntax.IncDecStmt:
		c.incDec(s.X)
	case *syntax.IfStmt:
		c.ifStmt(s)
	case *syntax.WhileStmt:
		c.whileStmt(s)
	case *syntax.UnrollStmt:
		c.unroll(s)
	case *syntax.ForStmt:
		c.forStmt(s)
	case *syntax.LetStmt:
		c.let(s)
	case *syntax.JumpStmt:
		c.jump(s)
	case *syntax.BlockStmt:
		c.block(s.Block)
	}
}

func (c *checker) ifStmt(s *syntax.IfStmt) {
	c.pointerCond(s.Cond.X, "an if")
	live, known := comptimeBool(s.Cond.X)
	if !known || live {
		c.block(s.Then)
	}
	if s.Else != nil && (!known || !live) {
		c.stmt(s.Else)
	}
}

// comptimeBool is the value of "comptime true" or "comptime false":
// bpftrace drops the other branch before checking types.
func comptimeBool(x syntax.Expr) (value, known bool) {
	ct, ok := syntax.Unparen(x).(*syntax.ComptimeExpr)
	if !ok {
		return false, false
	}
	b, ok := syntax.Unparen(ct.X).(*syntax.BoolLit)
	if !ok {
		return false, false
	}
	return b.Value, true
}

// cond checks a condition: strings and structs are not truth values.
func (c *checker) cond(x syntax.Expr) {
	c.condType(x)
}

// whileCond checks a while loop's condition, whose type no bpftrace checks
// (measured: 0.17, 0.24 and 0.26 accept "while (comm)").
func (c *checker) whileCond(x syntax.Expr) {
	if x == nil {
		return
	}
	t := c.expr(x)
	c.needValue(x, t)
	c.printOnly(x, t)
}

// pointerCond checks the condition of an if or a ternary: before 0.23
// bpftrace refuses a pointer there (0.17: "Invalid condition in if():
// pointer"), though a predicate or a while loop may test one.
func (c *checker) pointerCond(x syntax.Expr, what string) {
	if t := c.condType(x); t.Kind == tyPointer && !c.v.AtLeast(syntax.V0_23) {
		c.r.Errorf(span(x), CodeCondNotInt, "a pointer as the condition of %s needs bpftrace 0.23 or newer (target is %s): compare it with 0", what, c.v)
	}
}

// condType is cond returning the condition's type.
func (c *checker) condType(x syntax.Expr) ty {
	if x == nil {
		return ty{}
	}
	t := c.expr(x)
	c.needValue(x, t)
	if c.printOnly(x, t) {
		return t
	}
	// Every version refuses other types here (0.26: "Invalid condition:
	// string", count_t too), measured with the real 0.17, 0.24 and 0.26;
	// 0.26 folds a string literal, so it accepts if ("s").
	if _, lit := syntax.Unparen(x).(*syntax.StrLit); lit && c.v.AtLeast(syntax.V0_25) {
		return t
	}
	if m, ok := syntax.Unparen(x).(*syntax.MapExpr); ok && t.Kind == tyInt {
		if agg := c.aggregateRead(m); agg.known() {
			t = agg // read as an integer elsewhere, but no truth value
		}
	}
	if t.known() && t.Kind != tyVoid && !t.isIntLike() {
		c.r.Errorf(span(x), CodeCondNotInt, "condition must be an integer or bool, not %s", t)
	}
	return t
}

func (c *checker) whileStmt(s *syntax.WhileStmt) {
	if c.v.AtLeast(syntax.V0_25) {
		c.r.Warnf(syntax.Span{Start: s.While, End: s.While + 5}, CodeWhileDeprecated,
			"while loops are deprecated since bpftrace 0.25: use for")
	}
	c.whileCond(s.Cond.X)
	c.loops++
	c.block(s.Body)
	c.loops--
}

// maxUnroll is bpftrace's limit on unroll counts.
const maxUnroll = 100

func (c *checker) unroll(s *syntax.UnrollStmt) {
	switch n := syntax.Unparen(s.Cond.X).(type) {
	case *syntax.IntLit:
		if n.Value < 1 || n.Value > maxUnroll {
			c.r.Errorf(span(n), CodeUnrollRange, "unroll count must be between 1 and %d", maxUnroll)
		}
	case *syntax.PositionalParam, nil:
	default:
		c.expr(n)
		c.r.Errorf(span(n), CodeUnrollRange, "unroll count must be an integer literal or a positional parameter")
	}
	c.loops++
	c.block(s.Body)
	c.loops--
}

// forStmt checks for ($x : @m) and for ($i : a..b): the loop variable
// lives in the body and may not shadow another.
func (c *checker) forStmt(s *syntax.ForStmt) {
	var elem ty
	if s.Map != nil {
		c.mapArg(s.Map)
		c.forMapShape(s.Map)
		elem = c.mapEntryType(s.Map.Name)
	} else {
		if s.From != nil {
			c.expr(s.From)
		}
		if s.To != nil {
			c.expr(s.To)
		}
		elem = int64Ty
	}
	c.loops++
	c.fors++
	// The loop variable lives in the body's scope, whatever the version.
	outer := c.scope
	c.scope = newScope(outer)
	if s.Var != nil {
		name := "$" + s.Var.Name
		if v, _ := outer.lookup(name); v != nil {
			c.r.Errorf(varSpan(s.Var), CodeLoopShadow, "loop variable %q shadows an existing variable", name)
		}
		c.declareParam(name, varSpan(s.Var), elem)
	}
	if s.Body != nil {
		c.stmts(s.Body.Stmts)
	}
	c.endScope(c.scope)
	if !c.blockScoped() {
		// Before block scoping, variables the body assigns outlive it.
		for _, v := range c.scope.order {
			if s.Var == nil || v.name != "$"+s.Var.Name {
				outer.declare(v)
			}
		}
	}
	c.scope = outer
	c.loops--
	c.fors--
}

// let checks "let $x [: T] [= e]": an annotation fixes the type.
func (c *checker) let(s *syntax.LetStmt) {
	if s.Var == nil {
		return
	}
	var typ ty
	if s.Type != nil {
		typ = c.typeExpr(s.Type)
		if s.Value != nil && c.v.AtLeast(syntax.V0_26) && !c.checkEnumCast(s.Type) {
			typ = unknownTy
		}
	}
	if s.Value != nil {
		vt := c.valueExpr(s.Value)
		if s.Type != nil {
			c.checkFits("$"+s.Var.Name, s.Value, typ)
		}
		if s.Type != nil && !compatible(typ, vt) {
			c.r.Errorf(span(s.Value), CodeVarTypeChange, "type mismatch for %q: assigning a value of type %s to a variable of type %s", "$"+s.Var.Name, vt, typ)
		}
		if !typ.known() {
			typ = vt
		}
	}
	c.letVar(s.Var, typ, s.Value != nil, s.Type != nil)
}

// jump checks break, continue and return.
func (c *checker) jump(s *syntax.JumpStmt) {
	if (s.Tok == syntax.KwBreak || s.Tok == syntax.KwContinue) && c.loops == 0 {
		c.r.Errorf(span(s), CodeJumpOutsideLoop, "%s can only be used inside a loop", strings.Trim(s.Tok.String(), "'"))
		return
	}
	if s.Tok != syntax.KwReturn {
		return
	}
	if s.Result == nil {
		c.bareReturn(s)
		return
	}
	t := c.expr(s.Result)
	switch {
	case c.fn != nil:
		c.fnReturn(s, t)
	case c.macro == nil && t.known() && !t.isInt():
		c.r.Errorf(span(s.Result), CodeReturnValue, "a probe can only return an integer, not %s", t)
	}
}

// incDec handles x++ and x-- as statements or expressions.
func (c *checker) incDec(x syntax.Expr) ty {
	switch x := syntax.Unparen(x).(type) {
	case *syntax.VarExpr:
		t := c.readVar(x)
		if t.known() && !t.isIntLike() {
			c.r.Errorf(span(x), CodeTypeMismatch, "cannot increment or decrement a value of type %s", t)
		}
		return t
	case *syntax.MapExpr:
		c.mapWrite(x, unknownTy, "") // keeps its type: pointers stay pointers
		t := c.env.mapValueType(x.Name)
		if t.known() && !t.isIntLike() {
			c.r.Errorf(span(x), CodeTypeMismatch, "cannot increment or decrement a map holding %s", t)
		}
		return t
	case nil:
		return unknownTy
	default:
		return c.expr(x)
	}
}

// span is the byte range of a node.
func span(n syntax.Node) syntax.Span { return syntax.Span{Start: n.Pos(), End: n.End()} }
