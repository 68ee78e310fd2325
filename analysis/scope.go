package analysis

// This file implements scratch-variable scopes. Before 0.22 a variable
// lives for the whole probe; from 0.22 it lives in the block that first
// assigns or declares it, and `let` may not shadow an outer variable.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// varInfo is one scratch variable in one scope.
type varInfo struct {
	name     string // with '$'
	def      syntax.Span
	typ      ty
	assigned bool // some assignment happened (or it is a parameter)
	declared bool // by let
	fixed    bool // the let gave a type: integers do not widen
	sym      *Symbol
}

// scope is a block's variables; parent is the enclosing block's scope.
type scope struct {
	parent *scope
	order  []*varInfo // declaration order, for stable end-of-scope reports
	// vars finds a variable by name once there are more than
	// linearVars; a block has few, searched in order, and every probe
	// body, macro expansion and block makes a scope.
	vars map[string]*varInfo
}

const linearVars = 8

func newScope(parent *scope) *scope {
	return &scope{parent: parent}
}

// find returns the variable name of s itself, the latest declared.
func (s *scope) find(name string) *varInfo {
	if s.vars != nil {
		return s.vars[name]
	}
	for i := len(s.order) - 1; i >= 0; i-- {
		if s.order[i].name == name {
			return s.order[i]
		}
	}
	return nil
}

// lookup finds name in s or an enclosing scope.
func (s *scope) lookup(name string) (*varInfo, *scope) {
	for sc := s; sc != nil; sc = sc.parent {
		if v := sc.find(name); v != nil {
			return v, sc
		}
	}
	return nil, nil
}

// declare adds a variable to s.
func (s *scope) declare(v *varInfo) {
	s.order = append(s.order, v)
	switch {
	case s.vars != nil:
		s.vars[v.name] = v
	case len(s.order) > linearVars:
		s.vars = make(map[string]*varInfo, 2*len(s.order))
		for _, w := range s.order {
			s.vars[w.name] = w
		}
	}
}

// names lists the names of s's variables, some perhaps twice.
func (s *scope) names() []string {
	names := make([]string, len(s.order))
	for i, v := range s.order {
		names[i] = v.name
	}
	return names
}

// blockScoped reports whether the target version scopes variables by block.
func (c *checker) blockScoped() bool { return c.v.AtLeast(syntax.V0_22) }

// pushScope opens a block scope where the version has them.
func (c *checker) pushScope() {
	if c.blockScoped() {
		c.scope = newScope(c.scope)
	}
}

// popScope closes the block scope opened by pushScope and reports `let`
// declarations that were never assigned.
func (c *checker) popScope() {
	if !c.blockScoped() {
		return
	}
	c.endScope(c.scope)
	c.scope = c.scope.parent
}

// endScope reports the declared-but-never-assigned variables of s.
func (c *checker) endScope(s *scope) {
	for _, v := range s.order {
		if v.sym != nil && v.typ.known() {
			v.sym.Type = v.typ.String()
		}
		if v.declared && !v.assigned {
			c.r.Warnf(v.def, CodeVarNeverAssigned, "variable %q is declared but never assigned", v.name)
		}
	}
}

// varSpan is the span of $name.
func varSpan(x *syntax.VarExpr) syntax.Span { return syntax.Span{Start: x.Pos(), End: x.End()} }

// readVar types a read of $x, reporting undefined variables.
func (c *checker) readVar(x *syntax.VarExpr) ty {
	name := "$" + x.Name
	v, _ := c.scope.lookup(name)
	if v == nil {
		c.undefinedVar(x, name)
		return unknownTy
	}
	c.refVar(v, x)
	if !v.assigned {
		c.r.Warnf(varSpan(x), CodeVarBeforeAssign, "variable %q is used before it is assigned", name)
	}
	return v.typ
}

// undefinedVar reports a read of a variable no scope has, with the
// closest name in scope as a suggestion.
func (c *checker) undefinedVar(x *syntax.VarExpr, name string) {
	d := c.r.Errorf(varSpan(x), CodeVarUndefined, "undefined variable %q", name)
	if c.macro != nil {
		d.Message += ": a macro sees only the variables passed to it"
		return
	}
	var names []string
	for sc := c.scope; sc != nil; sc = sc.parent {
		names = append(names, sc.names()...)
	}
	addSuggestion(d, varSpan(x), name, names)
}

// assignVar records "$x = value": the first assignment declares the
// variable in the current scope and fixes its type.
func (c *checker) assignVar(x *syntax.VarExpr, value ty) {
	name := "$" + x.Name
	v, _ := c.scope.lookup(name)
	if v == nil {
		v = &varInfo{name: name, def: varSpan(x), typ: value, assigned: true}
		c.scope.declare(v)
		c.defineVar(v, x)
		return
	}
	c.refVar(v, x)
	if !v.typ.known() {
		v.typ = value
	} else if !compatible(v.typ, value) {
		c.r.Errorf(varSpan(x), CodeVarTypeChange,
			"type mismatch for %q: assigning a value of type %s to a variable of type %s", name, value, v.typ)
	} else if value.Kind == tyInt && v.typ.Kind == tyInt && value.Size > v.typ.Size && !v.fixed {
		v.typ = value // integers widen
	}
	v.assigned = true
}

// intChange024 reports, in bpftrace 0.24 only, an assignment that changes
// an integer variable's width or sign (measured with the real 0.24.2:
// "Integer size mismatch. Assignment type 'uint64' is larger than the
// variable type 'uint32'", and a type mismatch for int32 into uint32). A
// literal that fits is fine; 0.17 and 0.25+ widen the variable instead.
func (c *checker) intChange024(x *syntax.VarExpr, rhs syntax.Node, value ty) {
	if !c.v.AtLeast(syntax.V0_24) || c.v.AtLeast(syntax.V0_25) || value.Kind != tyInt {
		return
	}
	if e, ok := rhs.(syntax.Expr); ok {
		if _, lit := syntax.Unparen(e).(*syntax.IntLit); lit {
			return
		}
	}
	v, _ := c.scope.lookup("$" + x.Name)
	if v == nil || v.typ.Kind != tyInt || v.typ.Size == 0 || value.Size == 0 {
		return
	}
	switch {
	case value.Size > v.typ.Size:
		c.r.Errorf(span(rhs), CodeVarTypeChange, "integer size mismatch for %q: %s is larger than the variable's %s (bpftrace 0.24; cast the value, or 0.25 widens the variable)", "$"+x.Name, value, v.typ)
	case value.Signed != v.typ.Signed:
		c.r.Errorf(span(rhs), CodeVarTypeChange, "type mismatch for %q: assigning %s to a variable of type %s (bpftrace 0.24 does not mix signedness)", "$"+x.Name, value, v.typ)
	}
}

// letVar handles "let $x [: T] [= e]" (0.22+); fixed is set when T is
// given.
func (c *checker) letVar(x *syntax.VarExpr, typ ty, hasValue, fixed bool) {
	name := "$" + x.Name
	if v, sc := c.scope.lookup(name); v != nil {
		c.refVar(v, x)
		if c.macro != nil && c.macro.param(name) {
			c.r.Errorf(varSpan(x), CodeMacroShadowParam, "variable declaration shadows macro parameter %q", name)
			return
		}
		if sc == c.scope {
			c.r.Errorf(varSpan(x), CodeVarRedeclared, "variable %q is already declared in this block", name)
		} else {
			c.r.Errorf(varSpan(x), CodeVarShadow, "variable %q is already declared in an enclosing block; shadowing is not allowed", name)
		}
		return
	}
	v := &varInfo{name: name, def: varSpan(x), typ: typ, assigned: hasValue, declared: true, fixed: fixed}
	c.scope.declare(v)
	c.defineVar(v, x)
}

// declareParam adds a parameter ($x of a macro or fn) to the current scope.
func (c *checker) declareParam(name string, span syntax.Span, typ ty) *varInfo {
	v := &varInfo{name: name, def: span, typ: typ, assigned: true}
	c.scope.declare(v)
	if c.syms != nil {
		v.sym = c.syms.add(SymbolVariable, name, span)
	}
	return v
}

// defineVar and refVar feed the symbol index in the file-level pass.
func (c *checker) defineVar(v *varInfo, x *syntax.VarExpr) {
	if c.syms != nil {
		v.sym = c.syms.add(SymbolVariable, v.name, varSpan(x))
	}
}

// refVar records a use of v.
func (c *checker) refVar(v *varInfo, x *syntax.VarExpr) {
	if c.syms != nil && v.sym != nil {
		v.sym.Refs = append(v.sym.Refs, varSpan(x))
	}
}
