package analysis

// This file implements the provider table: every probe type bpftrace knows,
// its spellings per version, and the check that turns one attach point into
// instances. The table is hand-derived from /work/shared/docs/probes.tsv and
// never changes at run time.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// spelling is one way to write a provider in a range of versions.
type spelling struct {
	name  string
	since syntax.Version // zero: always
	until syntax.Version // exclusive; zero: still valid
}

func (s spelling) validIn(v syntax.Version) bool {
	if s.since != (syntax.Version{}) && !v.AtLeast(s.since) {
		return false
	}
	return s.until == (syntax.Version{}) || !v.AtLeast(s.until)
}

// provider describes one probe type.
type provider struct {
	name      string     // canonical newest name, the ProbeContext.Provider
	spellings []spelling // the canonical name and every alias, per version
	// check validates one attach point of this provider and returns its
	// instances. It lives in check_<provider>.go.
	check func(c *apCheck) []*ProbeContext
}

// v0 is the zero version: "always" in a spelling.
var v0 = syntax.Version{}

// providers is the single table of probe types. Order matters only for
// did-you-mean ties.
var providers = []*provider{
	{name: "kprobe", check: checkKprobe, spellings: []spelling{{"kprobe", v0, v0}, {"k", v0, v0}}},
	{name: "kretprobe", check: checkKretprobe, spellings: []spelling{{"kretprobe", v0, v0}, {"kr", v0, v0}}},
	{name: "uprobe", check: checkUprobe, spellings: []spelling{{"uprobe", v0, v0}, {"u", v0, v0}}},
	{name: "uretprobe", check: checkUretprobe, spellings: []spelling{{"uretprobe", v0, v0}, {"ur", v0, v0}}},
	{name: "usdt", check: checkUsdt, spellings: []spelling{{"usdt", v0, v0}, {"U", v0, v0}}},
	{name: "tracepoint", check: checkTracepoint, spellings: []spelling{{"tracepoint", v0, v0}, {"t", v0, v0}}},
	{name: "rawtracepoint", check: checkRawTracepoint, spellings: []spelling{{"rawtracepoint", syntax.V0_18, v0}, {"rt", syntax.V0_18, v0}}},
	{name: "fentry", check: checkFentry, spellings: []spelling{{"fentry", syntax.V0_20, v0}, {"kfunc", v0, v0}, {"f", v0, v0}}},
	{name: "fexit", check: checkFexit, spellings: []spelling{{"fexit", syntax.V0_20, v0}, {"kretfunc", v0, v0}, {"fr", v0, v0}}},
	{name: "profile", check: checkProfile, spellings: []spelling{{"profile", v0, v0}, {"p", v0, v0}}},
	{name: "interval", check: checkInterval, spellings: []spelling{{"interval", v0, v0}, {"i", v0, v0}}},
	{name: "software", check: checkSoftware, spellings: []spelling{{"software", v0, v0}, {"s", v0, v0}}},
	{name: "hardware", check: checkHardware, spellings: []spelling{{"hardware", v0, v0}, {"h", v0, v0}}},
	{name: "watchpoint", check: checkWatchpoint, spellings: []spelling{{"watchpoint", v0, v0}, {"w", v0, v0}}},
	{name: "asyncwatchpoint", check: checkWatchpoint, spellings: []spelling{{"asyncwatchpoint", v0, syntax.V0_25}, {"aw", v0, syntax.V0_25}}},
	{name: "iter", check: checkIter, spellings: []spelling{{"iter", v0, v0}, {"it", v0, v0}}},
	{name: "BEGIN", check: checkSpecial, spellings: []spelling{{"BEGIN", v0, v0}}},
	{name: "END", check: checkSpecial, spellings: []spelling{{"END", v0, v0}}},
	{name: "self", check: checkSelf, spellings: []spelling{{"self", syntax.V0_22, v0}}},
	{name: "bench", check: checkNamed, spellings: []spelling{{"bench", syntax.V0_24, v0}}},
	{name: "test", check: checkNamed, spellings: []spelling{{"test", syntax.V0_25, v0}}},
}

// lookupProvider finds the provider spelled name in version v. Providers are
// case-insensitive from 0.24; an exact match wins first so that "U" stays
// usdt and "u" uprobe.
func lookupProvider(name string, v syntax.Version) (*provider, spelling, bool) {
	for _, p := range providers {
		for _, s := range p.spellings {
			if s.name == name && s.validIn(v) {
				return p, s, true
			}
		}
	}
	if !v.AtLeast(syntax.V0_24) {
		return nil, spelling{}, false
	}
	for _, p := range providers {
		for _, s := range p.spellings {
			if len(s.name) > 1 && strings.EqualFold(s.name, name) && s.validIn(v) {
				return p, s, true
			}
		}
	}
	return nil, spelling{}, false
}

// providerSpellings lists every spelling valid in v, for did-you-mean.
func providerSpellings(v syntax.Version) []string {
	var out []string
	for _, p := range providers {
		for _, s := range p.spellings {
			if s.validIn(v) {
				out = append(out, s.name)
			}
		}
	}
	return out
}

// validSpelling returns how provider p is best written in version v: its
// first valid spelling longer than an alias.
func validSpelling(p *provider, v syntax.Version) (string, bool) {
	for _, s := range p.spellings {
		if s.validIn(v) && len(s.name) > 2 {
			return s.name, true
		}
	}
	return "", false
}
