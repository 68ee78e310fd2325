package analysis

// This file implements the usdt attach-point check: the shape, then, with
// user-binary facts, the binary, the provider and probe in its
// .note.stapsdt notes, and how many arguments the probe has (for argN).

import (
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// checkUsdt handles usdt:BINARY[:namespace]:probe and usdt:probe with -p.
func checkUsdt(c *apCheck) []*ProbeContext {
	if !c.wantParts(1, 3, c.spell+":binary[:namespace]:probe") || len(c.ap.Parts) < 2 {
		return c.unknownCtx(false, nil)
	}
	bin, _, ok := c.userBinary(c.ap.Parts[0])
	if !ok {
		return c.unknownCtx(false, nil)
	}
	var prov *apPart
	if len(c.ap.Parts) == 3 {
		prov = &c.ap.Parts[1]
	}
	probe := c.ap.Parts[len(c.ap.Parts)-1]
	if probe.hasParam() || prov != nil && prov.hasParam() {
		return c.unknownCtx(false, nil)
	}
	probes := usdtMatches(bin, prov, probe)
	if len(probes) == 0 {
		c.reportNoUSDT(bin, prov, probe)
		return c.unknownCtx(false, nil)
	}
	out := make([]*ProbeContext, 0, len(probes))
	for i, p := range probes {
		if i == maxExpand {
			break
		}
		pc := c.base(p.Provider + ":" + p.Name)
		pc.HasArgCount, pc.ArgCount = true, len(p.Args)
		out = append(out, pc)
	}
	return out
}

// usdtMatches lists the probes a provider (nil: any) and probe part match.
func usdtMatches(bin *userbin.Binary, prov *apPart, probe apPart) []userbin.Probe {
	var out []userbin.Probe
	for _, p := range bin.Probes {
		if prov != nil && !btfindex.WildcardMatch(prov.Text, p.Provider) && prov.Text != p.Provider {
			continue
		}
		if btfindex.WildcardMatch(probe.Text, p.Name) || probe.Text == p.Name {
			out = append(out, p)
		}
	}
	return out
}

// reportNoUSDT words a provider or probe the binary lacks. bpftrace 0.26
// refuses it ("No matches for usdt"), 0.24 never finishes compiling it, and
// 0.17 compiles a literal one and fails when attaching; from 0.24 a pattern
// without matches leaves "no valid attach points".
func (c *apCheck) reportNoUSDT(bin *userbin.Binary, prov *apPart, probe apPart) {
	report := c.r.Warnf
	if c.version().AtLeast(syntax.V0_24) {
		report = c.r.Errorf
	}
	pattern := probe.hasWildcard() || prov != nil && prov.hasWildcard()
	report = c.missing(report)
	if len(bin.Probes) == 0 {
		report(c.ap.Parts[0].Span, CodeUnknownUSDT, "%s has no USDT probes", bin.Path)
		return
	}
	if prov != nil && !prov.hasWildcard() {
		known := false
		var provs []string
		for _, p := range bin.Probes {
			known = known || p.Provider == prov.Text
			provs = append(provs, p.Provider)
		}
		if !known {
			d := report(prov.Span, CodeUnknownUSDT, "%s has no USDT provider %q", bin.Path, prov.Text)
			addSuggestion(d, literalSpan(*prov), prov.Text, provs)
			return
		}
	}
	var names []string
	for _, p := range bin.Probes {
		if prov == nil || p.Provider == prov.Text {
			names = append(names, p.Name)
		}
	}
	what := probe.Text
	if prov != nil {
		what = prov.Text + ":" + probe.Text
	}
	d := report(probe.Span, CodeUnknownUSDT, "%s has no USDT probe %q", bin.Path, what)
	if !pattern {
		addSuggestion(d, literalSpan(probe), probe.Text, names)
	}
}

// usdtArg checks argN against the probe's argument count: bpftrace 0.17
// refuses it ("couldn't get argument N"), 0.24 aborts, 0.26 compiles it.
func (c *checker) usdtArg(x *syntax.Ident) {
	n, ok := parseUint(x.Name[len("arg"):])
	if !ok || int(n) < c.pc.ArgCount {
		return
	}
	report := c.r.Errorf
	if c.v.AtLeast(syntax.V0_26) {
		report = c.r.Warnf
	}
	report(span(x), CodeUSDTArg, "USDT probe %q has %d %s: %s reads nothing", c.pc.Target, c.pc.ArgCount,
		plural(c.pc.ArgCount, "argument", "arguments"), x.Name)
}
