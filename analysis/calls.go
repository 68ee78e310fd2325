package analysis

// This file implements calls: resolution (user macro, fn, builtin, kernel
// function), builtin arity and argument kinds per target version, and the
// rule that aggregates only go into map elements.

import (
	"fmt"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// call checks f(args). asMapValue is set when the call is the whole right
// side of "@m[…] = f(…)", the one place aggregates may appear.
func (c *checker) call(x *syntax.CallExpr, asMapValue bool) ty {
	if x.Fun == nil {
		c.exprs(x.Args)
		return unknownTy
	}
	name := x.Fun.Name
	if c.env.hasMacro(name) && (c.env.macroFits(name, x.Args) || !isBuiltinName(name)) {
		return c.macroCall(x)
	}
	if fd := c.env.fn(name); fd != nil {
		return c.fnCall(x, fd)
	}
	if b, ok := lookupBuiltin(name); ok && b.Kind != BuiltinPositional {
		return c.builtinCall(x, b, asMapValue)
	}
	c.callArgs(x.Args)
	if c.v.AtLeast(syntax.V0_24) && c.env.kernel != nil {
		if f, ok := c.env.kernel.Func(name); ok {
			return fromBTF(&f.Return) // a kfunc or an imported C function
		}
	}
	if c.env.imports || c.isInternal(name) {
		return unknownTy // from an imported file, or the standard library's internals
	}
	d := c.r.Errorf(span(x.Fun), CodeUnknownFunc, "unknown function %q", name)
	addSuggestion(d, span(x.Fun), name, c.funcCandidates())
	return unknownTy
}

// isBuiltinName reports whether name is a builtin a macro may overload.
func isBuiltinName(name string) bool {
	b, ok := lookupBuiltin(name)
	return ok && b.Kind != BuiltinPositional
}

// exprs checks a list of expressions.
func (c *checker) exprs(list []syntax.Expr) {
	for _, a := range list {
		c.expr(a)
	}
}

// looseArgs checks the arguments of a builtin call that is wrong as a
// whole; bare names there are modes or fields (nsecs(boot)), not
// identifiers to report.
func (c *checker) looseArgs(list []syntax.Expr) {
	for _, a := range list {
		if !isNamePath(syntax.Unparen(a)) {
			c.callArgs([]syntax.Expr{a})
		}
	}
}

// callArgs checks the arguments of a call nothing is known about: a whole
// map there says nothing about its keys.
func (c *checker) callArgs(list []syntax.Expr) {
	for _, a := range list {
		if m, ok := syntax.Unparen(a).(*syntax.MapExpr); ok && !m.Lbrack.IsValid() {
			c.mapArg(m)
			continue
		}
		c.expr(a)
	}
}

// funcCandidates lists what a call could have meant.
func (c *checker) funcCandidates() []string {
	var names []string
	for _, b := range Builtins(c.env.cfg.Dialect) {
		if b.Kind == BuiltinFunc || b.Kind == BuiltinVarFunc || b.Kind == BuiltinMapFunc || b.Kind == BuiltinKeyword {
			names = append(names, b.Name)
		}
	}
	for name := range c.env.macros {
		names = append(names, name)
	}
	return names
}

// builtinCall checks a call of a builtin: version, call form, probe
// type, arity and arguments.
func (c *checker) builtinCall(x *syntax.CallExpr, b *Builtin, asMapValue bool) ty {
	if !c.builtinAvailable(x.Fun, b) {
		c.looseArgs(x.Args)
		return unknownTy
	}
	if !b.Callable(c.v) {
		// Before 0.24 the parser reports calls of builtin variables.
		if c.v.AtLeast(syntax.V0_24) {
			c.notCallable(x, b)
		}
		c.looseArgs(x.Args)
		return c.builtinValue(x.Fun.Name, b)
	}
	if b.Kind == BuiltinMapFunc && !asMapValue {
		c.r.Errorf(span(x), CodeAggregateOutside, "%s() can only be assigned to a map element, as in @x = %s(…)", b.Name, b.Name)
	}
	c.useBuiltin(x.Fun, b)
	if b.Name == "exit" && c.loops > 0 && c.v.AtLeast(syntax.V0_25) {
		c.r.Errorf(span(x), CodeBuiltinInLoop, "exit() cannot be used inside a loop")
	}
	c.checkArity(x, b)
	first := c.builtinArgs(x, b)
	c.mapCallShape(x, b)
	switch b.Name {
	case "delete":
		c.deleteForm(x)
	case "hist", "lhist":
		c.histArgs(x)
	default:
		c.checkArgValues(x, b)
	}
	return c.callResult(b, first, len(x.Args))
}

// notCallable reports a builtin variable written as a call, where the
// version has no call form for it.
func (c *checker) notCallable(x *syntax.CallExpr, b *Builtin) {
	d := c.r.Errorf(span(x), CodeNotCallable, "%q is a builtin variable: write it without parentheses", x.Fun.Name)
	if len(x.Args) == 0 && x.Rparen.IsValid() {
		d.Fixes = append(d.Fixes, Fix{Title: "Remove the parentheses", Kind: "quickfix",
			Edits: []Edit{{Span: syntax.Span{Start: x.Lparen, End: x.Rparen + 1}}}})
	}
}

// checkArity reports a wrong argument count, saying which version
// accepts it when a newer one does.
func (c *checker) checkArity(x *syntax.CallExpr, b *Builtin) {
	n := len(x.Args)
	lo, hi := b.ArityIn(c.v)
	if n >= lo && n <= hi {
		return
	}
	if n >= b.MinArgs && n <= b.MaxArgs {
		first := firstVersionWithArity(b, n)
		c.r.Errorf(span(x), CodeBuiltinArityVer, "%s() takes %s in bpftrace %s; passing %d needs bpftrace %s or newer",
			b.Name, arityText(lo, hi), c.v, n, first)
		return
	}
	c.r.Errorf(span(x), CodeCallArity, "%s() takes %s, got %d", b.Name, arityText(lo, hi), n)
}

// firstVersionWithArity is the oldest version whose arity admits n.
func firstVersionWithArity(b *Builtin, n int) syntax.Version {
	for _, a := range b.Arity {
		if n >= a.Min && n <= a.Max {
			return a.Since
		}
	}
	return syntax.Newest
}

// arityText renders an argument range: "no arguments", "1 or 2 arguments".
func arityText(lo, hi int) string {
	switch {
	case hi == 0:
		return "no arguments"
	case hi >= variadicArgs:
		return fmt.Sprintf("at least %d %s", lo, pluralize(lo, "argument", "arguments"))
	case lo == hi:
		return fmt.Sprintf("%d %s", lo, pluralize(lo, "argument", "arguments"))
	case hi == lo+1:
		return fmt.Sprintf("%d or %d arguments", lo, hi)
	}
	return fmt.Sprintf("%d to %d arguments", lo, hi)
}

// pluralize picks one or many by n.
func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// deleteForm checks the spelling of delete for the version: delete(@m[k])
// is the only form in 0.17 and deprecated from 0.22, which has
// delete(@m, k).
func (c *checker) deleteForm(x *syntax.CallExpr) {
	if len(x.Args) != 1 || !c.v.AtLeast(syntax.V0_22) {
		return
	}
	m, ok := syntax.Unparen(x.Args[0]).(*syntax.MapExpr)
	if !ok || len(m.Keys) == 0 || !m.Rbrack.IsValid() {
		return
	}
	d := c.r.Hintf(span(m), CodeDeprecatedDelete, "delete(@m[key]) is deprecated: use delete(@m, key)")
	keys := c.env.text(m.Keys[0].Pos(), m.Keys[len(m.Keys)-1].End())
	if len(m.Keys) > 1 {
		keys = "(" + keys + ")"
	}
	d.Fixes = append(d.Fixes, Fix{Title: "Use delete(@m, key)", Kind: "quickfix",
		Edits: []Edit{{Span: syntax.Span{Start: m.Lbrack, End: m.Rbrack + 1}, NewText: ", " + keys}}})
}

// callResult is the type a builtin call yields.
func (c *checker) callResult(b *Builtin, first ty, nargs int) ty {
	switch b.Name {
	case "kptr", "uptr", "bswap":
		if nargs > 0 {
			return first
		}
	case "str":
		return stringTy
	case "print":
		return voidTy
	case "delete":
		if !c.v.AtLeast(syntax.V0_22) {
			return voidTy // a bool since it became a stdlib macro
		}
	}
	return c.builtinValue(b.Name, b)
}

// builtinArgs checks each argument against the kind the builtin expects
// and returns the first one's type. Only a format string needs them all;
// most calls keep them in buf, which does not outlive the call.
func (c *checker) builtinArgs(x *syntax.CallExpr, b *Builtin) (first ty) {
	format := len(x.Args) > 0 && b.ArgKindAt(0) == ArgFormat
	var buf [8]ty
	types := buf[:0]
	if format && len(x.Args) > len(buf) {
		types = make([]ty, 0, len(x.Args))
	}
	for i, a := range x.Args {
		t := c.builtinArg(x, b, i, a)
		if i == 0 {
			first = t
		}
		if format {
			types = append(types, t)
		}
	}
	if format {
		c.checkFormat(x, b, types)
	}
	return first
}

// builtinArg checks argument i of a builtin call and returns its type.
func (c *checker) builtinArg(x *syntax.CallExpr, b *Builtin, i int, a syntax.Expr) ty {
	kind := b.ArgKindAt(i)
	if b.Name == "delete" && c.v.AtLeast(syntax.V0_21) && !c.v.AtLeast(syntax.V0_22) {
		kind = ArgMap // 0.21's delete(@a, @b, …) takes maps only
	}
	u := syntax.Unparen(a)
	if t, done := c.specialArg(b, i, kind, a, u); done {
		return t
	}
	// join() reads the map's value (an array pointer), so @m there is a
	// scalar read like any other: every version refuses join(@m) of a
	// keyed map.
	if m, ok := u.(*syntax.MapExpr); ok && len(m.Keys) == 0 && b.Name != "join" {
		c.mapArg(m) // a whole map says nothing about its keys
		if t := c.aggregateRead(m); t.known() && !c.v.AtLeast(syntax.V0_23) {
			return t // see mapAccess
		}
		return c.env.mapValueType(m.Name)
	}
	t := c.expr(a)
	c.checkArgType(b, i, kind, a, t)
	return t
}

// specialArg checks the argument kinds that are not plain values: maps,
// variables, names, types and literals. done is false when the argument is
// to be checked as an ordinary value.
func (c *checker) specialArg(b *Builtin, i int, kind ArgKind, a, u syntax.Expr) (t ty, done bool) {
	want := ""
	switch kind {
	case ArgMap:
		if m, ok := u.(*syntax.MapExpr); ok {
			c.mapArg(m)
			return unknownTy, true
		}
		want = "a map"
	case ArgVar:
		if v, ok := u.(*syntax.VarExpr); ok {
			c.outVar(v)
			return unknownTy, true
		}
		want = "a scratch variable"
	case ArgFieldPath, ArgMode:
		return unknownTy, isNamePath(u)
	case ArgType:
		id, ok := u.(*syntax.Ident)
		return unknownTy, ok && c.isTypeName(id.Name)
	case ArgFormat, ArgStringLiteral, ArgIntLiteral:
		if c.isMacroIdentParam(u) || c.isMacroValue(u) {
			c.callArgs([]syntax.Expr{a})
			return unknownTy, true // a macro argument or result, maybe a literal
		}
		want = literalWant(kind, u)
	}
	if want == "" {
		return unknownTy, false
	}
	c.callArgs([]syntax.Expr{a})
	code := CodeCallArgKind
	if kind == ArgFormat {
		code = CodeFormatNotLiteral
	}
	c.r.Errorf(span(a), code, "%s() expects %s as argument %d", b.Name, want, i+1)
	return unknownTy, true
}

// checkArgType reports arguments of a type the builtin cannot take.
func (c *checker) checkArgType(b *Builtin, i int, kind ArgKind, a syntax.Expr, t ty) {
	if !t.known() {
		return
	}
	bad := ""
	switch {
	case kind == ArgInt && !t.isIntLike():
		bad = "an integer"
	case kind == ArgString && !t.isStringLike() && t.Kind != tyPointer:
		bad = "a string"
	case kind == ArgString && t.Name == "timestamp" && (b.Name == "strncmp" || b.Name == "strcontains"):
		bad = "a string (strftime() yields a timestamp, which only prints as one)"
	case b.Name == "join" && i == 0 && t.Kind == tyString:
		bad = "an integer or a pointer (an array of string pointers)"
	case b.Name == "str" && i == 0 && t.isStringLike() && !c.v.AtLeast(syntax.V0_25) && !(c.v.AtLeast(syntax.V0_24) && isStrLit(a)):
		// Measured: 0.17 and 0.24.2 refuse str(comm) and str() of a char
		// array field ("str() expects an integer or a pointer type as
		// first argument (string provided)"), though 0.24 takes a string
		// literal; 0.26 takes all three.
		bad = "an integer or a pointer (a string or char array needs bpftrace 0.25 or newer)"
	}
	if bad != "" {
		c.r.Errorf(span(a), CodeCallArgType, "%s() expects %s as argument %d, got %s", b.Name, bad, i+1, t)
	}
}

func isStrLit(x syntax.Expr) bool {
	_, ok := syntax.Unparen(x).(*syntax.StrLit)
	return ok
}

// outVar is a variable a builtin writes (find's $out).
func (c *checker) outVar(v *syntax.VarExpr) {
	if existing, _ := c.scope.lookup("$" + v.Name); existing != nil {
		c.refVar(existing, v)
		existing.assigned = true
		return
	}
	c.assignVar(v, unknownTy)
}
