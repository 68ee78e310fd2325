package analysis

// This file implements the tracepoint and rawtracepoint attach-point checks.
// Their args come from each matched event (format file, or the BTF of the
// event's probe stub), so wildcards expand into one instance per match.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// checkTracepoint handles tracepoint:category:event, with wildcards in both.
func checkTracepoint(c *apCheck) []*ProbeContext {
	if !c.wantParts(2, 2, c.spell+":category:event") {
		return c.unknownCtx(true, nil)
	}
	cat, ev := c.ap.Parts[0], c.ap.Parts[1]
	k := c.cfg.Kernel
	if k == nil || cat.hasParam() || ev.hasParam() {
		return c.unknownCtx(true, nil)
	}
	exact := !cat.hasWildcard() && !ev.hasWildcard()
	if exact {
		if tp, ok := k.Tracepoint(cat.Text, ev.Text); ok {
			return []*ProbeContext{c.tracepointCtx(tp)} // found: no need to list every tracepoint first
		}
	}
	if !tracepointsKnown(k) {
		return c.unknownCtx(true, nil)
	}
	span := c.ap.partsSpan()
	if exact {
		c.reportUnknownTracepoint(span, cat.Text, ev.Text)
		return c.unknownCtx(true, nil)
	}
	names := k.Match(btfindex.NameTracepoint, cat.Text+":"+ev.Text)
	if len(names) == 0 {
		c.missing(c.r.Errorf)(span, CodeNoMatch, "no tracepoint matches %q", cat.Text+":"+ev.Text)
		return c.unknownCtx(true, nil)
	}
	c.noteTruncated(ev, len(names))
	out := make([]*ProbeContext, 0, len(names))
	for i, n := range names {
		if i == maxExpand || i%256 == 0 && c.ctx.Err() != nil {
			break
		}
		cn, en, _ := strings.Cut(n, ":")
		if tp, ok := k.Tracepoint(cn, en); ok {
			out = append(out, c.tracepointCtx(tp))
		}
	}
	if len(out) == 0 {
		return c.unknownCtx(true, nil)
	}
	return out
}

// tracepointsKnown reports whether the kernel facts include tracepoints at
// all: without tracefs (an unprivileged user, a BTF file given alone) every
// tracepoint would look unknown.
func tracepointsKnown(k Kernel) bool {
	return len(k.Complete(btfindex.NameTracepoint, "", 1)) > 0
}

func (c *apCheck) reportUnknownTracepoint(span syntax.Span, cat, ev string) {
	report := c.r.Errorf
	msg := "kernel has no tracepoint %q"
	switch {
	case c.nAttach > 1 && !c.version().AtLeast(syntax.V0_24):
		report = c.r.Warnf // until 0.24 the probe's other attach points still attach
	case c.dropsMissing:
		report = c.r.Warnf
		msg += " (bpftrace skips it silently in a probe that uses the probe builtin)"
	}
	d := c.missing(report)(span, CodeUnknownTracepoint, msg, cat+":"+ev)
	names := c.cfg.Kernel.Complete(btfindex.NameTracepoint, cat+":", 0)
	if len(names) == 0 {
		names = c.cfg.Kernel.Match(btfindex.NameTracepoint, "*:"+ev)
	}
	addSuggestion(d, span, cat+":"+ev, names)
}

func (c *apCheck) tracepointCtx(tp *btfindex.Tracepoint) *ProbeContext {
	pc := c.base(tp.Category + ":" + tp.Event)
	pc.HasArgs = true
	pc.ArgsStruct = "struct _tracepoint_" + tp.Category + "_" + tp.Event
	pc.Args = make([]ArgField, 0, len(tp.Fields))
	for _, f := range tp.Fields {
		pc.Args = append(pc.Args, ArgField{Name: f.Name, Type: f.Type})
	}
	return pc
}

// checkRawTracepoint handles rawtracepoint[:module]:event (0.18; module
// and args 0.24). Args are the parameters of the event's BTF probe stub
// after the first (the context).
func checkRawTracepoint(c *apCheck) []*ProbeContext {
	hi := 1
	if c.version().AtLeast(syntax.V0_24) {
		hi = 2
	}
	hasArgs := c.version().AtLeast(syntax.V0_24)
	if !c.wantParts(1, hi, c.spell+"[:module]:event") {
		return c.unknownCtx(hasArgs, nil)
	}
	p := c.ap.Parts[len(c.ap.Parts)-1]
	k := c.cfg.Kernel
	if k == nil || p.hasParam() || p.hasWildcard() || len(c.ap.Parts) == 2 {
		return c.unknownCtx(hasArgs, nil)
	}
	for _, stub := range []string{"__probestub_", "__traceiter_", "__bpf_trace_"} {
		fn, ok := k.Func(stub + p.Text)
		if !ok {
			continue
		}
		pc := c.base(p.Text)
		if hasArgs && len(fn.Params) > 0 {
			pc.HasArgs = true
			for _, prm := range fn.Params[1:] {
				pc.Args = append(pc.Args, ArgField{Name: prm.Name, Type: prm.Type})
			}
			if pc.Args == nil {
				pc.Args = []ArgField{}
			}
		}
		return []*ProbeContext{pc}
	}
	c.missing(c.r.Errorf)(p.Span, CodeUnknownTracepoint, "kernel has no raw tracepoint %q", p.Text)
	return c.unknownCtx(hasArgs, nil)
}
