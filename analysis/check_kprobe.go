package analysis

// This file implements the kprobe and kretprobe attach-point checks.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// checkKprobe handles kprobe[:module]:function[+offset] and kprobe:ADDRESS.
// kprobes read registers (argN), so every match shares one context: a
// wildcard is only checked for matching something.
func checkKprobe(c *apCheck) []*ProbeContext {
	return checkKprobeFamily(c, true, nil)
}

// checkKretprobe handles kretprobe[:module]:function, which has retval
// (a uint64 register) and no offset.
func checkKretprobe(c *apCheck) []*ProbeContext {
	ret := uint64Type
	return checkKprobeFamily(c, false, &ret)
}

func checkKprobeFamily(c *apCheck, offsetOK bool, retval *btfindex.Type) []*ProbeContext {
	form := c.spell + ":function"
	hi := 1
	if c.version().AtLeast(syntax.V0_20) {
		form, hi = c.spell+"[:module]:function", 2
	}
	if offsetOK {
		form += "[+offset]"
	}
	if !c.wantParts(1, hi, form) {
		return c.unknownCtx(false, retval)
	}
	p := c.ap.Parts[len(c.ap.Parts)-1]
	if p.Text == "" {
		c.r.Errorf(c.ap.Span, CodeAttachSyntax, "%s probes need a function to attach to", c.spell)
		return c.unknownCtx(false, retval)
	}
	name, ok := c.funcTarget(p, offsetOK)
	if !ok {
		return c.unknownCtx(false, retval)
	}
	if _, isAddr := parseUint(name); isAddr {
		return c.unknownCtx(false, retval)
	}
	if len(c.ap.Parts) == 2 && c.ap.Parts[0].Text != "vmlinux" {
		c.moduleTarget(c.ap.Parts[0], p, name)
		return c.unknownCtx(false, retval)
	}
	c.kprobeTarget(p, name)
	pc := c.base(c.ap.target())
	pc.Retval = retval
	pc.Wildcard = p.hasWildcard()
	return []*ProbeContext{pc}
}

// kprobeTarget checks that a kprobe's function exists. kprobes attach by
// symbol, so a name counts when BTF or the kernel's symbols
// (kallsyms, available_filter_functions) have it: clones such as
// "kzalloc_noprof.constprop.0" and static functions have no BTF. Without
// symbols (another kernel's BTF, an older snapshot) BTF alone decides.
func (c *apCheck) kprobeTarget(p apPart, name string) {
	k := c.cfg.Kernel
	if k == nil || p.hasParam() || name == "" {
		return
	}
	if len(k.Complete(btfindex.NameSymbol, "", 1)) == 0 {
		c.kernelFuncs(p, name, false, false)
		return
	}
	if !p.hasWildcard() {
		if _, ok := k.Func(name); ok || len(k.Match(btfindex.NameSymbol, name)) > 0 {
			return
		}
		c.reportUnknownFunc(p, name, false)
		return
	}
	if len(k.Match(btfindex.NameSymbol, name)) == 0 && len(k.Match(btfindex.NameFunc, name)) == 0 {
		c.reportNoMatch(p, name, false)
	}
}

// ModuleKernel is implemented by kernels that know which modules are
// loaded and which symbols they have (*btfindex.Index does). Without it
// kprobe:module:function is not checked.
type ModuleKernel interface {
	ModuleLoaded(mod string) (loaded, known bool)
	ModuleHasSymbols(mod string) bool
	Symbols(name string) []btfindex.Symbol
}

// moduleTarget checks kprobe:module:function as the compilers do. 0.26
// refuses a module /proc/modules does not list ("specified module … is
// not loaded"); 0.24 compiles it, and attaching fails. A function the
// module lacks is a warning in both (bpftrace: "not traceable"), when the
// module has any symbols; a wildcard that matches none of them is an
// error.
func (c *apCheck) moduleTarget(mp, p apPart, name string) {
	mk, ok := c.cfg.Kernel.(ModuleKernel)
	if !ok || mp.hasWildcard() || mp.hasParam() || p.hasParam() || name == "" {
		return
	}
	mod := mp.Text
	loaded, known := mk.ModuleLoaded(mod)
	if !known {
		return
	}
	if !loaded {
		if c.version().AtLeast(syntax.V0_26) {
			c.r.Errorf(mp.Span, CodeUnknownModule, "module %q is not loaded: bpftrace %s refuses a kprobe on a module /proc/modules does not list", mod, c.version())
			return
		}
		c.r.Warnf(mp.Span, CodeUnknownModule, "module %q is not loaded: attaching will fail until it is", mod)
		if !p.hasWildcard() {
			return
		}
	}
	if p.hasWildcard() {
		if !c.moduleMatches(mk, mod, name) {
			c.reportNoMatch(p, mod+":"+name, true)
		}
		return
	}
	if !mk.ModuleHasSymbols(mod) {
		return
	}
	for _, s := range mk.Symbols(name) {
		if s.Module == mod {
			return
		}
	}
	c.r.Warnf(p.Span, CodeUnknownFunction, "module %q has no function %q (attaching to it will likely fail)", mod, name)
}

// maxModuleMatches bounds the names a module wildcard looks at.
const maxModuleMatches = 4096

// moduleMatches reports whether a symbol of module mod matches pattern.
func (c *apCheck) moduleMatches(mk ModuleKernel, mod, pattern string) bool {
	names := c.cfg.Kernel.Match(btfindex.NameSymbol, pattern)
	for _, n := range names[:min(len(names), maxModuleMatches)] {
		for _, s := range mk.Symbols(n) {
			if s.Module == mod {
				return true
			}
		}
	}
	return len(names) > maxModuleMatches
}
