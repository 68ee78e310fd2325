package analysis

// This file implements enum constants as bare identifiers: bpftrace takes
// TCP_ESTABLISHED from the kernel's BTF enums, so an all-caps name is
// checked against them rather than assumed to be one.

import (
	"github.com/bpfls/bpfls/btfindex"
)

// EnumKernel is implemented by kernels that know their BTF enum constants
// (*btfindex.Index does). A [Kernel] without it leaves all-caps
// identifiers unchecked.
type EnumKernel interface {
	EnumConst(name string) (btfindex.EnumConst, bool)
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
	if !ec.Signed && ec.Size == 8 {
		return uint64Ty, true
	}
	return int64Ty, true
}

// enumsKnown reports whether every constant a bare identifier could name
// is known: the kernel's enums are, and no header or imported file may
// define more.
func (c *checker) enumsKnown() bool {
	_, ok := c.env.enumKernel()
	return ok && !c.env.includes && !c.env.imports
}

// enumCandidates lists enum constants starting like name, for a
// did-you-mean.
func (c *checker) enumCandidates(name string) []string {
	if _, ok := c.env.enumKernel(); !ok || len(name) < 3 {
		return nil
	}
	return c.env.kernel.Complete(btfindex.NameEnumConst, name[:3], 200)
}
