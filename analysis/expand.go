package analysis

// This file implements the expansion of one attach point into instances: the
// shared state of a provider check (apCheck) and the kernel lookups several
// providers use (functions by name or wildcard, tracepoints, records).

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// maxExpand caps the matches of one wildcard attach point that get their own
// context; bpftrace itself refuses far fewer programs (max_bpf_progs).
const maxExpand = 4096

// apCheck is the state of checking one attach point.
type apCheck struct {
	ctx   context.Context
	cfg   Config
	r     *Reporter
	ap    *attachPoint
	prov  *provider
	spell string // the provider as written
	// nAttach is how many attach points the probe has (iter must be alone).
	nAttach int
	// missingProbes is the config block's missing_probes setting.
	missingProbes string
	// dropsMissing is set when bpftrace expands every attach point of the
	// probe to its own program (it uses probe) and silently skips a
	// missing tracepoint.
	dropsMissing bool
}

func (c *apCheck) version() syntax.Version { return c.cfg.Dialect.Version }

// base is the context every instance of this attach point starts from.
func (c *apCheck) base(target string) *ProbeContext {
	return &ProbeContext{Provider: c.prov.name, Target: target, Dialect: c.cfg.Dialect}
}

// wantParts reports an error unless the attach point has between lo and hi
// parts after the provider; form shows the accepted syntax.
func (c *apCheck) wantParts(lo, hi int, form string) bool {
	n := len(c.ap.Parts)
	if n >= lo && n <= hi {
		return true
	}
	want := fmt.Sprintf("%d", lo)
	if hi > lo {
		want = fmt.Sprintf("%d to %d", lo, hi)
	}
	if hi == lo+1 {
		want = fmt.Sprintf("%d or %d", lo, hi)
	}
	c.r.Errorf(c.ap.Span, CodeAttachSyntax, "%s probes take %s %s after the provider (%s), found %d",
		c.spell, want, plural(hi, "part", "parts"), form, n)
	return false
}

// noWildcard reports an error when part is a pattern where none is allowed.
func (c *apCheck) noWildcard(p apPart, what string) bool {
	if p.hasWildcard() {
		c.r.Errorf(p.Span, CodeAttachSyntax, "%s probes do not accept wildcards in the %s", c.spell, what)
		return false
	}
	return true
}

// unknownCtx is the context of an attach point whose kernel facts are not
// known (no kernel, a positional parameter, a broken part): args are
// unknown rather than empty, so the body is not flooded with errors.
func (c *apCheck) unknownCtx(hasArgs bool, retval *btfindex.Type) []*ProbeContext {
	pc := c.base(c.ap.target())
	pc.HasArgs = hasArgs
	pc.Retval = retval
	return []*ProbeContext{pc}
}

// funcTarget splits "func+off" into the function and whether it had an
// offset, checking that an offset is a number.
func (c *apCheck) funcTarget(p apPart, offsetOK bool) (string, bool) {
	name, off, hasOff := strings.Cut(p.Text, "+")
	if !hasOff || p.Quoted {
		return p.Text, true
	}
	if !offsetOK {
		c.r.Errorf(p.Span, CodeAttachSyntax, "%s probes do not take an offset", c.spell)
		return name, false
	}
	if _, ok := parseUint(off); !ok && !p.hasParam() {
		c.r.Errorf(p.Span, CodeAttachSyntax, "offset %q is not a number", off)
		return name, false
	}
	return name, true
}

// kernelFuncs resolves a function name or pattern. Without a kernel, or
// when the name holds a positional parameter, known is false. strict makes
// a missing function an error (BTF-based probes) rather than a warning
// (kprobes may attach to functions BTF does not describe). withProto asks
// for each match's prototype; without it only existence is checked.
func (c *apCheck) kernelFuncs(p apPart, name string, strict, withProto bool) (fns []*btfindex.Func, known bool) {
	k := c.cfg.Kernel
	if k == nil || p.hasParam() || name == "" {
		return nil, false
	}
	if !p.hasWildcard() {
		fn, ok := k.Func(name)
		if !ok {
			c.reportUnknownFunc(p, name, strict)
			return nil, true
		}
		if fn.Traceable == btfindex.TraceNo {
			c.missing(c.r.Warnf)(p.Span, CodeNotTraceable, "%q is not traceable (inlined or marked notrace); attaching to it will likely fail", name)
		}
		return []*btfindex.Func{fn}, true
	}
	names := k.Match(btfindex.NameFunc, name)
	if len(names) == 0 {
		c.reportNoMatch(p, name, strict)
		return nil, true
	}
	if !withProto {
		return []*btfindex.Func{{Name: name}}, true
	}
	c.noteTruncated(p, len(names))
	for i, n := range names {
		if i == maxExpand || i%256 == 0 && c.ctx.Err() != nil {
			break
		}
		if fn, ok := k.Func(n); ok {
			fns = append(fns, fn)
		}
	}
	return fns, true
}

// noteTruncated says when a wildcard matches more than bpfls expands.
func (c *apCheck) noteTruncated(p apPart, n int) {
	if n > maxExpand {
		c.r.Infof(p.Span, CodeTruncated, "%q matches %d names; only the first %d are checked", p.Text, n, maxExpand)
	}
}

// reportFunc is the signature of [Reporter.Errorf] and [Reporter.Warnf].
type reportFunc func(span syntax.Span, code, format string, args ...any) *Diagnostic

// missing returns how to report an attach point the kernel lacks: report
// (c.r.Errorf or c.r.Warnf) by default; from 0.21 the config block's
// missing_probes = "warn" makes it a warning and "ignore" drops it.
func (c *apCheck) missing(report reportFunc) reportFunc {
	if !c.version().AtLeast(syntax.V0_21) {
		return report
	}
	switch c.missingProbes {
	case "warn":
		return c.r.Warnf
	case "ignore":
		return (&Reporter{}).Warnf // reported nowhere
	}
	return report
}

func (c *apCheck) reportUnknownFunc(p apPart, name string, strict bool) {
	var d *Diagnostic
	if strict {
		d = c.missing(c.r.Errorf)(p.Span, CodeUnknownFunction, "kernel has no function %q", name)
	} else {
		d = c.missing(c.r.Warnf)(p.Span, CodeUnknownFunction, "kernel BTF has no function %q (attaching to it will likely fail)", name)
	}
	addSuggestion(d, p.Span, name, c.cfg.Kernel.Complete(btfindex.NameFunc, name[:min(len(name), 3)], 0))
}

func (c *apCheck) reportNoMatch(p apPart, pattern string, strict bool) {
	report := c.r.Warnf
	if strict || c.version().AtLeast(syntax.V0_24) {
		report = c.r.Errorf
	}
	c.missing(report)(p.Span, CodeNoMatch, "no %s matches %q", c.matchNoun(), pattern)
}

func (c *apCheck) matchNoun() string {
	if c.prov.name == "tracepoint" {
		return "tracepoint"
	}
	return "kernel function"
}

// funcCtx builds the context of a BTF-typed function probe (fentry, fexit).
func (c *apCheck) funcCtx(fn *btfindex.Func, retval bool) *ProbeContext {
	pc := c.base(fn.Name)
	pc.HasArgs = true
	pc.Args = make([]ArgField, 0, len(fn.Params))
	for _, prm := range fn.Params {
		pc.Args = append(pc.Args, ArgField{Name: prm.Name, Type: prm.Type})
	}
	if retval {
		ret := fn.Return
		pc.Retval = &ret
	}
	return pc
}

// unknownType stands for a type bpfls cannot know (no kernel facts).
var unknownType = btfindex.Type{Kind: btfindex.KindUnknown}

// uint64Type is the type of argN and of untyped retval.
var uint64Type = btfindex.Type{C: "uint64", Kind: btfindex.KindInt, Size: 8}

// parseUint reads a decimal, 0x hexadecimal or 0 octal number.
func parseUint(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 0, 64)
	return n, err == nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
