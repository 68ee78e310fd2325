package analysis

// This file implements the argument shapes calls care about: literals,
// bare names, type names, and uses of macro parameters and macros, whose
// values the file-level pass cannot see.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// isMacroValue reports whether x is a use of a user macro, whose value may
// be a literal.
func (c *checker) isMacroValue(x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.CallExpr:
		return x.Fun != nil && c.env.hasMacro(x.Fun.Name)
	case *syntax.Ident:
		return c.env.hasMacro(x.Name)
	}
	return false
}

// isMacroIdentParam reports whether x is an expression parameter of the
// macro being checked.
func (c *checker) isMacroIdentParam(x syntax.Expr) bool {
	id, ok := x.(*syntax.Ident)
	if ok && c.macro != nil && c.macro.identParams[id.Name] != nil {
		c.refSym(c.macro.identParams[id.Name], span(id))
		return true
	}
	return false
}

// isNamePath reports whether x is a bare name or a dotted path of names.
func isNamePath(x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.Ident:
		return true
	case *syntax.FieldExpr:
		return !x.Arrow && isNamePath(x.X)
	}
	return false
}

// isStringLiteral reports whether x is a string literal, or a positional
// parameter (str($1) included), which bpftrace substitutes as one.
func isStringLiteral(x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.StrLit, *syntax.PositionalParam:
		return true
	case *syntax.CallExpr:
		if x.Fun != nil && x.Fun.Name == "str" && len(x.Args) == 1 {
			_, ok := syntax.Unparen(x.Args[0]).(*syntax.PositionalParam)
			return ok
		}
	}
	return false
}

func isIntLiteral(x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.IntLit, *syntax.PositionalParam:
		return true
	case *syntax.UnaryExpr:
		return x.Op == syntax.Minus && isIntLiteral(syntax.Unparen(x.X))
	}
	return false
}

// isTypeName reports whether name can be a type in a type-or-expression
// position (sizeof(int32), offsetof(task_struct, pid)).
func (c *checker) isTypeName(name string) bool {
	if _, ok := builtinTypeNames[name]; ok {
		return true
	}
	if _, ok := c.env.typedef(name); ok {
		return true
	}
	return strings.HasSuffix(name, "_t")
}

// literalWant says what literal kind k wants when u is not one, "" when it is.
func literalWant(k ArgKind, u syntax.Expr) string {
	switch {
	case k == ArgIntLiteral && !isIntLiteral(u):
		return "an integer literal"
	case k == ArgStringLiteral && !isStringLiteral(u):
		return "a string literal"
	case k == ArgFormat && !isStringLiteral(u):
		return "a literal format string"
	}
	return ""
}
