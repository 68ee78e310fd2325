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
	c.kernelFuncs(p, name, false, false)
	pc := c.base(c.ap.target())
	pc.Retval = retval
	pc.Wildcard = p.hasWildcard()
	return []*ProbeContext{pc}
}
