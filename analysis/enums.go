package analysis

// This file implements enum constants as bare identifiers: bpftrace takes
// TCP_ESTABLISHED from the kernel's BTF enums, so an all-caps name is
// checked against them rather than assumed to be one.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// EnumKernel is implemented by kernels that know their BTF enum constants
// (*btfindex.Index does). A [Kernel] without it leaves all-caps
// identifiers unchecked.
type EnumKernel interface {
	EnumConst(name string) (btfindex.EnumConst, bool)
	EnumTag(name string) bool
}

// enumKernel returns the kernel's enum constants, if it has them.
func (e *fileEnv) enumKernel() (EnumKernel, bool) {
	if e.kernel == nil {
		return nil, false
	}
	ek, ok := e.kernel.(EnumKernel)
	return ek, ok
}

// enumConst types a BTF enum constant; known is false for other names.
func (c *checker) enumConst(name string) (ty, bool) {
	ek, ok := c.env.enumKernel()
	if !ok {
		return unknownTy, false
	}
	ec, ok := ek.EnumConst(name)
	if !ok {
		return unknownTy, false
	}
	return enumTy(c.v, ec.Enum), true
}

// scriptEnumConst types an enum constant of the script's C part or its
// headers; known is false for other names.
func (c *checker) scriptEnumConst(name string) (ty, bool) {
	c.env.lookup(name)
	if c.env.cdecls == nil {
		return unknownTy, false
	}
	ec, ok := c.env.cdecls.Consts[name]
	if !ok {
		return unknownTy, false
	}
	return enumTy(c.v, ec.Enum), true
}

// enumTy is the type bpftrace gives an enum constant, as the compilers
// show it in mismatch messages: 0.17 reads every one as "unsigned int64";
// from 0.24 a constant keeps its enum's type ("enum tcp_state", or "enum
// (unnamed)" for an anonymous one), which mixes with integers as an
// unsigned 64-bit one.
func enumTy(v syntax.Version, enum string) ty {
	if !v.AtLeast(syntax.V0_24) {
		return uint64Ty
	}
	if enum == "" {
		enum = "(unnamed)"
	}
	return ty{Kind: tyInt, Size: 8, Name: "enum " + enum}
}

// enumsKnown reports whether every constant a bare identifier could name
// is known: the kernel's enums are, and no header or imported file may
// define more.
func (c *checker) enumsKnown() bool {
	_, ok := c.env.enumKernel()
	return ok && !c.headersUnread() && !c.env.imports
}

// enumCandidates lists enum constants starting like name, for a
// did-you-mean.
func (c *checker) enumCandidates(name string) []string {
	if _, ok := c.env.enumKernel(); !ok || len(name) < 3 {
		return nil
	}
	return c.env.kernel.Complete(btfindex.NameEnumConst, name[:3], 200)
}

// enumType resolves "enum name": 0.17 has no enum types (it looks the
// name up as a struct and fails); later versions take any tag here, as
// sizeof(enum nope) and (enum nope *) compile. Casts check the tag (see
// checkEnumCast).
func (c *checker) enumType(te *syntax.TypeExpr) ty {
	if !c.v.AtLeast(syntax.V0_24) {
		c.r.Errorf(span(te), CodeUnknownType, "bpftrace %s has no enum types: use an integer type such as uint32", c.v)
		return unknownTy
	}
	return enumTy(c.v, te.Name.Name)
}

// checkEnumCast reports a cast to an enum value type (not a pointer) whose
// tag the script's C part and headers do not define: 0.24 and 0.26 refuse
// it ("Unknown enum"), the kernel's enums included, as they know only the
// enums clang read from the script. 0.26 checks a let annotation too.
func (c *checker) checkEnumCast(te *syntax.TypeExpr) bool {
	if te == nil || te.Keyword != syntax.KwEnum || te.Name == nil || !c.v.AtLeast(syntax.V0_24) {
		return true
	}
	for _, sf := range te.Suffixes {
		if sf.Ptr {
			return true
		}
	}
	name := te.Name.Name
	if c.scriptEnum(name) || !c.cPartKnown() {
		return true
	}
	if c.kernelEnum(name) {
		c.r.Errorf(span(te.Name), CodeUnknownType, "unknown enum %q: bpftrace %s casts to the enums of the script and its headers, not to the kernel's: cast to an integer type such as uint32", name, c.v)
		return false
	}
	c.r.Errorf(span(te.Name), CodeUnknownType, "unknown enum %q: bpftrace %s knows only the enums the script and its headers define", name, c.v)
	return false
}

// kernelEnum reports whether the kernel's BTF has an enum tagged name.
func (c *checker) kernelEnum(name string) bool {
	k, ok := c.env.enumKernel()
	return ok && k.EnumTag(name)
}

// scriptEnum reports whether the script's C part or its headers define
// the enum tagged name.
func (c *checker) scriptEnum(name string) bool {
	c.env.lookup(name)
	if c.env.cdecls == nil {
		return false
	}
	for _, k := range c.env.cdecls.Consts {
		if k.Enum == name {
			return true
		}
	}
	return false
}

// cPartKnown reports whether every enum the C part could define is
// known: there is none, or the front end read it all.
func (c *checker) cPartKnown() bool {
	c.env.lookup(headersLookup) // the answer is whether the C part was read whole
	if c.env.imports {
		return false
	}
	if c.env.cdecls == nil {
		return !c.env.includes
	}
	return c.env.cdecls.Complete
}

// headersUnread reports whether the C part includes headers the front end
// did not read whole, whose names are then unknown. A walk notes that it
// asked (headersLookup): an edit that changes the answer changes what the
// walk reports where a name is not found.
func (c *checker) headersUnread() bool {
	c.env.lookup(headersLookup)
	return c.env.includes
}
