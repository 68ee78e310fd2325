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
	if _, isAddr := parseUint(name); isAddr || len(c.ap.Parts) == 2 {
		// An address, or a module function (module BTF may be absent).
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
