package analysis

// This file implements bare identifiers: builtin variables (pid, args,
// retval), zero-parameter macros, macro parameters, enum constants, and the
// "unknown identifier" report with its did-you-mean fix.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// ident checks a bare identifier in an expression and returns its type.
func (c *checker) ident(x *syntax.Ident) ty {
	name := x.Name
	if c.macro != nil {
		if p := c.macro.identParams[name]; p != nil {
			c.refSym(p, span(x))
			if t, ok := c.macro.argTypes[name]; ok {
				return t
			}
			return unknownTy
		}
	}
	if c.env.hasMacro(name) && (c.env.macroFits(name, nil) || !isBuiltinName(name)) {
		return c.bareMacro(x)
	}
	if b, ok := lookupBuiltin(name); ok && b.Kind != BuiltinPositional {
		return c.bareBuiltin(x, b)
	}
	switch {
	case name == "true" || name == "false":
		return boolTy
	case c.env.selfDefines[name]:
		c.selfDefine(x)
		return unknownTy
	case c.env.constants[name]:
		if d, ok := c.env.defines[name]; ok {
			return d.t
		}
		if t, ok := c.scriptEnumConst(name); ok {
			return t
		}
		return int64Ty
	case c.isInternal(name):
		return unknownTy
	}
	if t, known := c.enumConst(name); known {
		return t
	}
	if likelyConstant(name) && !c.enumsKnown() {
		// An all-caps name is a kernel enum or #define the analysis cannot
		// see without clang; bpftrace resolves those from BTF.
		return int64Ty
	}
	d := c.r.Errorf(span(x), CodeUnknownIdent, "unknown identifier %q", name)
	addSuggestion(d, span(x), name, append(c.identCandidates(), c.enumCandidates(name)...))
	return unknownTy
}

// selfDefine reports a name whose #define names only itself. Until 0.24
// bpftrace's lexer leaves such a name unexpanded, so it is unknown; from
// 0.24 the C macro expansion reports the recursion.
func (c *checker) selfDefine(x *syntax.Ident) {
	if c.v.AtLeast(syntax.V0_24) {
		c.r.Errorf(span(x), CodeMacroRecursion, "#define %q expands to itself", x.Name)
		return
	}
	c.r.Errorf(span(x), CodeUnknownIdent, "unknown identifier %q: its #define names only itself, which bpftrace %s does not expand", x.Name, c.v)
}

// isInternal reports whether name is one of the __builtin_* names the
// newest bpftrace's standard library is written with.
func (c *checker) isInternal(name string) bool {
	return strings.HasPrefix(name, "__builtin_") && c.v.AtLeast(syntax.V0_24)
}

// likelyConstant reports whether name looks like a C constant: no lower
// case letters, at least one upper case letter.
func likelyConstant(name string) bool {
	return strings.ToLower(name) != name && strings.ToUpper(name) == name
}

// identCandidates lists what a bare identifier could have meant.
func (c *checker) identCandidates() []string {
	var names []string
	d := c.env.cfg.Dialect
	for _, b := range Builtins(d) {
		if b.Bare && b.Kind != BuiltinPositional && !strings.HasSuffix(b.Name, "N") {
			names = append(names, b.Name)
		}
	}
	for name := range c.env.macros {
		names = append(names, name)
	}
	if c.macro != nil {
		for name := range c.macro.identParams {
			names = append(names, name)
		}
	}
	return names
}

// bareBuiltin checks a builtin used without parentheses.
func (c *checker) bareBuiltin(x *syntax.Ident, b *Builtin) ty {
	if !c.builtinAvailable(x, b) {
		return unknownTy
	}
	if !b.Bare {
		d := c.r.Errorf(span(x), CodeNeedsCall, "%q is a function: call it as %s(…)", x.Name, x.Name)
		if b.Kind == BuiltinMapFunc {
			d.Message += " on the right of a map assignment"
		}
		return unknownTy
	}
	c.useBuiltin(x, b)
	return c.builtinValue(x.Name, b)
}

// builtinAvailable reports a builtin the target version lacks.
func (c *checker) builtinAvailable(x *syntax.Ident, b *Builtin) bool {
	ok, why := b.Available(c.env.cfg.Dialect)
	if !ok {
		c.r.Errorf(span(x), CodeBuiltinVersion, "%q %s", x.Name, why)
	}
	return ok
}

// useBuiltin applies the rules that depend on where a builtin is used: the
// probe type, loop bodies, fn bodies. It also records args/retval use.
func (c *checker) useBuiltin(x *syntax.Ident, b *Builtin) {
	name := x.Name
	probeOnly := probeSpecific(b.Name)
	switch {
	case c.fn != nil && probeOnly:
		c.r.Errorf(span(x), CodeFnProbeBuiltin, "the %q builtin can only be used inside a probe", name)
		return
	case c.fors > 0 && (b.Name == "argN" || b.Name == "retval" || b.Name == "ctx"):
		c.r.Errorf(span(x), CodeBuiltinInLoop, "the %q builtin cannot be used inside a for loop body", name)
	}
	switch b.Name {
	case "args":
		c.res.UsesArgs = true
	case "retval":
		c.res.UsesRetval = true
	}
	if c.pc != nil && (probeOnly || b.Name == "signal") { // signal is fine in fn, not in every probe
		if ok, why := allowedBuiltin(c.pc, name); !ok {
			c.r.Errorf(span(x), CodeBuiltinProbe, "%s", why)
		}
	}
	if b.Name == "argN" && c.pc != nil && c.pc.HasArgCount {
		c.usdtArg(x)
	}
}

// probeSpecific names the builtins whose meaning comes from the attach
// point; they are rejected outside probes. (usermode is left out: the
// newest bpftrace's runtime tests use it in fentry and begin probes.)
func probeSpecific(name string) bool {
	switch name {
	case "args", "argN", "sargN", "retval", "ctx", "func", "probe", "reg", "uaddr", "usym", "override",
		"path", "skboutput", "socket_cookie":
		return true
	}
	return false
}

// builtinValue is the type of a builtin variable in this context.
func (c *checker) builtinValue(name string, b *Builtin) ty {
	switch b.Name {
	case "args", "retval", "ctx":
		c.lookupContext()
	}
	switch b.Name {
	case "args":
		t := ty{Kind: tyRecord, Args: true}
		if c.pc != nil {
			for _, f := range c.pc.Args {
				t.Fields = append(t.Fields, tyField{Name: f.Name, Type: fromBTF(&f.Type)})
			}
		}
		if !c.v.AtLeast(syntax.V0_19) {
			return ptrTo(t)
		}
		return t
	case "retval":
		if c.pc != nil && c.pc.Retval != nil {
			return fromBTF(c.pc.Retval)
		}
		return uint64Ty
	case "ctx":
		if c.pc != nil && c.pc.Ctx != nil {
			return fromBTF(c.pc.Ctx)
		}
		return ptrTo(unknownTy)
	}
	return builtinResult(b, c.v)
}
