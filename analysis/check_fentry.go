package analysis

// This file implements the fentry and fexit (kfunc, kretfunc) attach-point
// checks. Their args come from the BTF prototype of each matched function,
// so a wildcard expands into one instance per match.

import (
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// checkFentry handles fentry[:module]:function (kfunc in 0.17).
func checkFentry(c *apCheck) []*ProbeContext { return checkTracingFunc(c, false) }

// checkFexit handles fexit[:module]:function, which also has a typed retval.
func checkFexit(c *apCheck) []*ProbeContext { return checkTracingFunc(c, true) }

func checkTracingFunc(c *apCheck, exit bool) []*ProbeContext {
	var unknownRet *btfindex.Type
	if exit {
		unknownRet = &unknownType
	}
	hi := 2
	if c.version().AtLeast(syntax.V0_24) && len(c.ap.Parts) == 3 && c.ap.Parts[0].Text == "bpf" {
		return c.unknownCtx(false, nil) // fentry:bpf:prog_id:name has no args
	}
	if !c.wantParts(1, hi, c.spell+"[:module]:function") {
		return c.unknownCtx(true, unknownRet)
	}
	p := c.ap.Parts[len(c.ap.Parts)-1]
	if p.Text == "" {
		c.r.Errorf(c.ap.Span, CodeAttachSyntax, "%s probes need a function to attach to", c.spell)
		return c.unknownCtx(true, unknownRet)
	}
	if len(c.ap.Parts) == 2 && c.ap.Parts[0].Text == "bpf" {
		return c.unknownCtx(false, nil)
	}
	fns, known := c.kernelFuncs(p, p.Text, true, true)
	if !known || len(fns) == 0 {
		return c.unknownCtx(true, unknownRet)
	}
	out := make([]*ProbeContext, 0, len(fns))
	for _, fn := range fns {
		if len(c.ap.Parts) == 2 && fn.Module != "" && fn.Module != c.ap.Parts[0].Text {
			continue
		}
		out = append(out, c.funcCtx(fn, exit))
	}
	if len(out) == 0 {
		return c.unknownCtx(true, unknownRet)
	}
	return out
}
