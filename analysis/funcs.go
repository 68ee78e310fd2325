package analysis

// This file implements `fn` definitions: typed parameters, returns that
// match the declared type on every path, and calls, which no bpftrace
// release supports.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// fn returns the fn named name, nil when there is none.
func (e *fileEnv) fn(name string) *syntax.FuncDecl {
	if d := e.fnEdit; d != nil && d.Name != nil && d.Name.Name == name {
		return d
	}
	return e.fns[name]
}

// declareFn checks a definition's name and adds it.
func (e *fileEnv) declareFn(r *Reporter, d *syntax.FuncDecl) {
	if d.Name == nil {
		return
	}
	name := d.Name.Name
	if prev := e.fn(name); prev != nil {
		diag := r.Errorf(span(d.Name), CodeFnRedefined, "function %q is already defined", name)
		diag.Related = append(diag.Related, Related{Span: span(prev.Name), Message: "the original definition"})
		return
	}
	e.fns[name] = d
}

// checkFnBody checks a definition's body once, without a probe context.
func (e *fileEnv) checkFnBody(r *Reporter, d *syntax.FuncDecl) {
	c := e.newChecker(nil, r, true)
	c.fn = d
	// Parameter types may name each other (typeof($y)): declare, then type.
	params := make([]*varInfo, len(d.Params))
	for i, p := range d.Params {
		if p != nil && p.Var != nil {
			params[i] = c.declareParam("$"+p.Var.Name, varSpan(p.Var), unknownTy)
		}
	}
	for i, p := range d.Params {
		if params[i] != nil {
			params[i].typ = c.typeExpr(p.Type)
		}
	}
	result := voidTy
	if d.Result != nil {
		result = c.typeExpr(d.Result)
	}
	if d.Body == nil {
		return
	}
	c.stmts(d.Body.Stmts)
	c.endScope(c.scope)
	if result.Kind != tyVoid && d.Name != nil && !alwaysReturns(d.Body.Stmts) {
		r.Errorf(span(d.Name), CodeFnMissingReturn, "function %q does not return a value on every path", d.Name.Name)
	}
}

// fnReturn checks "return e" inside a fn against its declared type.
func (c *checker) fnReturn(s *syntax.JumpStmt, t ty) {
	result := voidTy
	if c.fn.Result != nil {
		result = c.quietTypeExpr(c.fn.Result)
	}
	switch {
	case result.Kind == tyVoid && result.known():
		c.r.Errorf(span(s.Result), CodeFnReturnType, "function %q returns void: return takes no value", c.fn.Name.Name)
	case !compatible(result, t):
		c.r.Errorf(span(s.Result), CodeFnReturnType, "function %q returns %s, not %s", c.fn.Name.Name, result, t)
	default:
		if v, ok := intValue(s.Result); ok {
			lit, _ := syntax.Unparen(s.Result).(*syntax.IntLit)
			if !fitsInt(v, lit, result) {
				c.r.Errorf(span(s.Result), CodeFnReturnType, "value %s does not fit in %s, the result of %q", c.env.text(s.Result.Pos(), s.Result.End()), result, c.fn.Name.Name)
			}
		}
	}
}

// bareReturn checks "return;" inside a fn that declares a result.
func (c *checker) bareReturn(s *syntax.JumpStmt) {
	if c.fn == nil || c.fn.Result == nil || c.fn.Name == nil {
		return
	}
	if result := c.quietTypeExpr(c.fn.Result); result.known() && result.Kind != tyVoid {
		c.r.Errorf(span(s), CodeFnReturnType, "function %q returns %s: return needs a value", c.fn.Name.Name, result)
	}
}

// quietTypeExpr resolves a type without reporting it again.
func (c *checker) quietTypeExpr(te *syntax.TypeExpr) ty {
	quiet := *c
	quiet.r = &Reporter{}
	quiet.syms, quiet.maps = nil, nil
	return quiet.typeExpr(te)
}

// alwaysReturns reports whether a statement list ends in a return on every
// path: a final return, or an if/else whose branches both do.
func alwaysReturns(list []syntax.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch s := list[len(list)-1].(type) {
	case *syntax.JumpStmt:
		return s.Tok == syntax.KwReturn
	case *syntax.BlockStmt:
		return s.Block != nil && alwaysReturns(s.Block.Stmts)
	case *syntax.IfStmt:
		return ifReturns(s)
	}
	return false
}

func ifReturns(s *syntax.IfStmt) bool {
	if s.Then == nil || !alwaysReturns(s.Then.Stmts) {
		return false
	}
	switch e := s.Else.(type) {
	case *syntax.BlockStmt:
		return e.Block != nil && alwaysReturns(e.Block.Stmts)
	case *syntax.IfStmt:
		return ifReturns(e)
	}
	return false
}

// fnCall reports a call of a user-defined function: bpftrace parses fn
// definitions but no release can call them.
func (c *checker) fnCall(x *syntax.CallExpr, d *syntax.FuncDecl) ty {
	c.exprs(x.Args)
	if !c.env.cfg.Dialect.Experimental {
		c.r.Errorf(span(x.Fun), CodeFnCall, "bpftrace cannot call function %q: fn definitions have no call syntax yet, use a macro", d.Name.Name)
		return unknownTy
	}
	if len(x.Args) != len(d.Params) {
		c.r.Errorf(span(x), CodeCallArity, "%s() takes %s, got %d", d.Name.Name, arityText(len(d.Params), len(d.Params)), len(x.Args))
	}
	if d.Result == nil {
		return voidTy
	}
	return c.quietTypeExpr(d.Result)
}
