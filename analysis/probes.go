package analysis

// This file implements the probe pass: every probe is expanded into one
// instance per attach point (and per wildcard match), instances are grouped
// by context, the body is checked once per group, and the results are
// merged (mixed.go). Results are cached per probe (probecache.go).

import (
	"context"
	"strings"

	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// instance is one attach point, or one match of a wildcard attach point,
// with the context its body runs in.
type instance struct {
	ap int // index into the probe's attach points
	pc *ProbeContext
}

// group is the instances sharing one context, and the result of checking
// the body under it.
type group struct {
	key   string
	pc    *ProbeContext
	insts []instance
	res   BodyResult
}

// probePass holds what every probe of one file is checked against.
type probePass struct {
	ctx  context.Context
	cfg  Config
	src  *rope.Text
	file *syntax.File // its Items are read only for a refactoring fix (Conflict.Items)
	body bodyFunc
	// missingProbes is the config block's missing_probes ("" when unset);
	// the config block is part of the probe cache's file key.
	missingProbes string
	// check is the one attach point check in progress, reused for the
	// next: a check outlives no expansion. It is made on first use, as
	// the file-level pass makes a probe pass per probe that expands one
	// attach point.
	check *apCheck
}

// bodyFunc checks a probe body under one context, keeping its map uses in
// the result with mapUses set.
type bodyFunc func(p *syntax.Probe, pc *ProbeContext, mapUses bool) BodyResult

// envBody checks bodies with the file environment.
func envBody(env *fileEnv) bodyFunc {
	return func(p *syntax.Probe, pc *ProbeContext, mapUses bool) BodyResult {
		return env.checkBodyUses(p, pc, mapUses)
	}
}

// runProbePass checks every probe of f into the cache next, reusing prev's
// results for probes whose key did not change.
func runProbePass(ctx context.Context, body bodyFunc, f *syntax.File, cfg Config, next, prev *probeCache) ([]Diagnostic, *probeCache) {
	pp := &probePass{ctx: ctx, cfg: cfg, src: f.Text(), file: f, body: body,
		missingProbes: configSetting(f, "missing_probes")}
	var diags []Diagnostic
	for i := range f.NumItems() { // one item at a time: see analyze
		if !f.IsProbe(i) {
			continue
		}
		p := f.Item(i).(*syntax.Probe)
		if len(p.AttachPoints) == 0 || p.Body == nil {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		diags = append(diags, next.lookupOrCheck(ctx, prev, f.Text(), i, p, pp.checkProbe)...)
	}
	diags = append(diags, checkSpecialProbes(f, cfg)...)
	return diags, next
}

// checkProbe checks one probe and returns its diagnostics.
func (pp *probePass) checkProbe(p *syntax.Probe) []Diagnostic {
	r := &Reporter{}
	aps := make([]*attachPoint, len(p.AttachPoints))
	var insts []instance
	dropsMissing := len(p.AttachPoints) > 1 && expandsFully(p)
	for i, n := range p.AttachPoints {
		aps[i] = newAttachPoint(n)
		for _, pc := range pp.expandAttachPointIn(r, aps[i], len(aps), dropsMissing) {
			insts = append(insts, instance{ap: i, pc: pc})
		}
	}
	groups := groupInstances(insts)
	mapUses := comparesMapUses(pp.cfg.Dialect.Version, groups)
	for _, g := range groups {
		if pp.ctx.Err() != nil {
			return r.Diags
		}
		g.res = pp.body(p, g.pc, mapUses)
	}
	m := &merger{pp: pp, p: p, aps: aps, groups: groups, r: r}
	m.merge()
	return r.Diags
}

// expandAttachPoint finds the provider of ap and lets it check the attach
// point and produce its instances. It always yields at least one context,
// so the body is checked even under a broken attach point.
func (pp *probePass) expandAttachPoint(r *Reporter, ap *attachPoint, nAttach int) []*ProbeContext {
	return pp.expandAttachPointIn(r, ap, nAttach, false)
}

// expandsFully reports whether bpftrace expands every attach point of p to
// a program of its own because the body uses the probe builtin. From 0.24
// such a probe silently skips a tracepoint the kernel lacks (measured with
// the real 0.24.2 and 0.26.1), where any other probe with several attach
// points refuses it, a wildcard attach point beside it included.
func expandsFully(p *syntax.Probe) bool {
	uses := false
	check := func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok && id.Name == "probe" {
			uses = true
		}
		return !uses
	}
	if p.Pred != nil && p.Pred.Cond != nil {
		syntax.Inspect(p.Pred.Cond, check)
	}
	if p.Body != nil {
		syntax.Inspect(p.Body, check)
	}
	return uses
}

// expandAttachPointIn is expandAttachPoint for an attach point of a probe
// that, with dropsMissing, bpftrace expands fully (see expandsFully).
func (pp *probePass) expandAttachPointIn(r *Reporter, ap *attachPoint, nAttach int, dropsMissing bool) []*ProbeContext {
	v := pp.cfg.Dialect.Version
	name := ap.Provider.Text
	unknown := func() []*ProbeContext { // made only when needed: most attach points have a provider
		return []*ProbeContext{{Target: ap.target(), Dialect: pp.cfg.Dialect, HasArgs: true}}
	}
	checkAttachParams(r, ap, v)
	switch {
	case ap.Provider.hasParam():
		// Measured: the real 0.17 also substitutes "$1" as the probe type
		// or the whole attach point ("$1:vfs_read" with "kprobe").
		return unknown()
	case ap.Provider.hasWildcard() || name == "":
		if name == "" {
			r.Errorf(ap.Span, CodeUnknownProbe, "attach point has no probe type")
		}
		return unknown()
	}
	prov, spell, ok := lookupProvider(name, v)
	if !ok {
		reportUnknownProvider(r, ap, v)
		return unknown()
	}
	if pp.check == nil {
		pp.check = &apCheck{}
	}
	c := pp.check
	*c = apCheck{ctx: pp.ctx, cfg: pp.cfg, r: r, ap: ap, prov: prov, spell: name, nAttach: nAttach,
		missingProbes: pp.missingProbes, dropsMissing: dropsMissing}
	pcs := prov.check(c)
	*c = apCheck{} // holds nothing of this attach point until the next
	suggestModernSpelling(r, ap, prov, spell, v)
	return pcs
}

// reportUnknownProvider reports a provider unknown in version v, saying so
// when another version or another case has it, with a fix where v has a
// spelling for it.
func reportUnknownProvider(r *Reporter, ap *attachPoint, v syntax.Version) {
	name := ap.Provider.Text
	for _, p := range providers {
		for _, s := range p.spellings {
			if s.validIn(v) && strings.EqualFold(s.name, name) {
				d := r.Errorf(ap.Provider.Span, CodeProbeVersion, "probe type %q must be written %q before bpftrace 0.24", name, s.name)
				d.Fixes = append(d.Fixes, renameProviderFix(ap, s.name))
				return
			}
		}
	}
	for _, p := range providers {
		for _, s := range p.spellings {
			if s.name != name {
				continue
			}
			d := r.Errorf(ap.Provider.Span, CodeProbeVersion, "%s", versionMessage(s, v))
			if alt, ok := validSpelling(p, v); ok {
				d.Message += ", use " + quote(alt)
				d.Fixes = append(d.Fixes, renameProviderFix(ap, alt))
			}
			return
		}
	}
	d := r.Errorf(ap.Provider.Span, CodeUnknownProbe, "unknown probe type %q", name)
	addSuggestion(d, ap.Provider.Span, name, providerSpellings(v))
}

func versionMessage(s spelling, v syntax.Version) string {
	if s.until != v0 && v.AtLeast(s.until) {
		return "probe type " + quote(s.name) + " was removed in bpftrace " + s.until.String()
	}
	return "probe type " + quote(s.name) + " needs bpftrace " + s.since.String() + " or newer (target is " + v.String() + ")"
}

// groupInstances groups instances by context key, in order of first
// appearance.
func groupInstances(insts []instance) []*group {
	var groups []*group
	byKey := map[string]*group{}
	for _, in := range insts {
		k := in.pc.Key()
		g, ok := byKey[k]
		if !ok {
			g = &group{key: k, pc: in.pc}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.insts = append(g.insts, in)
	}
	return groups
}

// checkSpecialProbes checks what spans probes: before 0.25 a script may
// have only one BEGIN and one END probe.
func checkSpecialProbes(f *syntax.File, cfg Config) []Diagnostic {
	if cfg.Dialect.Version.AtLeast(syntax.V0_25) {
		return nil
	}
	r := &Reporter{}
	seen := map[string]bool{}
	for i := range f.NumItems() {
		if !f.IsProbe(i) {
			continue
		}
		for _, n := range f.ProbeAttachPoints(i) { // its head alone: see analyze
			prov, _, ok := lookupProvider(n.Provider, cfg.Dialect.Version)
			if !ok || (prov.name != "BEGIN" && prov.name != "END") {
				continue
			}
			if seen[prov.name] {
				r.Errorf(n.Span, CodeAttachSyntax, "only one %s probe is allowed before bpftrace 0.25", prov.name)
			}
			seen[prov.name] = true
		}
	}
	return r.Diags
}
