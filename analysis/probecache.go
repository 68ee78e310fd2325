package analysis

// This file implements the per-probe cache of the probe pass, and
// Reanalyze, which uses it: after an edit inside one probe, only that probe
// is expanded and checked again.
//
// A probe's result depends on its own text, the target (dialect, kernel),
// the file's declarations (macros, fn, config, C definitions, imports) and
// the file-level facts of the body checks (map types), which the key covers.
// Positions are stored relative to the probe, so a probe that only moved is
// still a hit.

import (
	"context"
	"crypto/sha256"

	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// probeCache maps a probe's key to its diagnostics (positions relative to
// the probe's start). A cache is built by one run and only read afterwards.
type probeCache struct {
	fileKey string
	// maps are the file's maps while this run keys its probes (nil after);
	// buf is scratch space for their facts.
	maps    *mapTable
	buf     []byte
	entries map[[32]byte][]Diagnostic
	// items holds each item's diagnostics relative to its start, by item
	// index, for the next Reanalyze (incremental.go); volatile marks the
	// items whose diagnostics could not be kept so.
	items    [][]Diagnostic
	volatile []bool
	// hits and misses count this run's lookups, for tests.
	hits, misses int
}

// factsKeyer is implemented by a file environment that can name file facts
// probe bodies are checked against beyond maps and declarations.
type factsKeyer interface{ factsKey() string }

func newProbeCache(f *syntax.File, cfg Config, env *fileEnv) *probeCache {
	h := sha256.New()
	writeDecls(h, f, cfg)
	if fk, ok := any(env).(factsKeyer); ok {
		h.Write([]byte(fk.factsKey()))
	}
	c := &probeCache{fileKey: string(h.Sum(nil)), entries: map[[32]byte][]Diagnostic{},
		items: make([][]Diagnostic, f.NumItems()), volatile: make([]bool, f.NumItems())}
	if env != nil {
		c.maps = env.maps
	}
	return c
}

// key names p's text, the file's declarations and target (fileKey), and
// the facts probe bodies read about each map p names (value type,
// aggregate, key shape: see mapState), so that editing another probe's
// write to one of them invalidates p.
func (c *probeCache) key(src *rope.Text, p *syntax.Probe) [32]byte {
	h := sha256.New()
	h.Write([]byte(c.fileKey))
	start, end := p.Pos(), p.End()
	if start >= 0 && end <= syntax.Pos(src.Len()) && start <= end {
		text := src.Slice(int(start), int(end))
		h.Write(text)
		maps, anon := bodyMaps(text, syntax.Span{End: syntax.Pos(len(text))})
		if anon {
			maps = append(maps, "@") // the anonymous map has facts too
		}
		for _, m := range maps {
			var f *mapFacts
			if c.maps != nil {
				f = c.maps.byName[m]
			}
			c.buf = append(append(append(c.buf[:0], 0), m...), '=')
			c.buf = mapStateOf(f).appendKey(c.buf)
			h.Write(c.buf)
		}
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// lookupOrCheck returns p's diagnostics from prev when its key is there,
// else runs check; either way the result is stored in c, unless ctx ended
// during the check (the result may then be partial).
// The item's diagnostics are also kept under its index i.
func (c *probeCache) lookupOrCheck(ctx context.Context, prev *probeCache, src *rope.Text, i int, p *syntax.Probe, check func(*syntax.Probe) []Diagnostic) []Diagnostic {
	k := c.key(src, p)
	start := p.Pos()
	if prev != nil {
		if rel, ok := prev.entries[k]; ok {
			c.hits++
			c.entries[k], c.items[i] = rel, rel
			return shiftAll(rel, start, false)
		}
	}
	c.misses++
	diags := check(p)
	if ctx.Err() == nil && within(diags, syntax.Span{Start: start, End: p.End()}) {
		rel := shiftAll(diags, start, true)
		c.entries[k], c.items[i] = rel, rel
	} else {
		c.volatile[i] = true
	}
	return diags
}

// within reports whether every position of diags lies inside the probe.
// Others (the #define a fix inserts after the preamble) may move when text
// outside the probe changes, which the key does not see, so such results
// are not cached. An insertion at the probe's start counts as outside: it
// may be the end of the preamble.
func within(diags []Diagnostic, probe syntax.Span) bool {
	in := func(s syntax.Span) bool {
		return s.Start >= probe.Start && s.End <= probe.End && (s.Start > probe.Start || s.End > s.Start)
	}
	for _, d := range diags {
		if !in(d.Span) {
			return false
		}
		for _, r := range d.Related {
			if !in(r.Span) {
				return false
			}
		}
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				if !in(e.Span) {
					return false
				}
			}
		}
	}
	return true
}

// absMark moves a span that lies before the probe (an edit at the top of the
// file, such as a config entry) out of the relative range, so it is restored
// unshifted.
const absMark = 1 << 30

// shiftAll copies diags with every span made relative to start (store) or
// absolute again (restore).
func shiftAll(diags []Diagnostic, start syntax.Pos, store bool) []Diagnostic {
	shift := func(s syntax.Span) syntax.Span {
		switch {
		case store && s.Start < start:
			return syntax.Span{Start: s.Start - absMark, End: s.End - absMark}
		case store:
			return syntax.Span{Start: s.Start - start, End: s.End - start}
		case s.Start < -absMark/2:
			return syntax.Span{Start: s.Start + absMark, End: s.End + absMark}
		default:
			return syntax.Span{Start: s.Start + start, End: s.End + start}
		}
	}
	out := make([]Diagnostic, len(diags))
	for i, d := range diags {
		d.Span = shift(d.Span)
		d.Related = append([]Related(nil), d.Related...)
		for j := range d.Related {
			d.Related[j].Span = shift(d.Related[j].Span)
		}
		d.Fixes = append([]Fix(nil), d.Fixes...)
		for j := range d.Fixes {
			d.Fixes[j].Edits = append([]Edit(nil), d.Fixes[j].Edits...)
			for e := range d.Fixes[j].Edits {
				d.Fixes[j].Edits[e].Span = shift(d.Fixes[j].Edits[e].Span)
			}
		}
		out[i] = d
	}
	return out
}

// Reanalyze is [Analyze] for a new version of prev's document: probes whose
// text, declarations and target did not change reuse prev's results, so the
// cost of an edit inside one probe is about that probe's. prev may be nil.
func Reanalyze(ctx context.Context, prev *Snapshot, f *syntax.File) *Snapshot {
	cfg := Config{Dialect: f.Dialect}
	var prevCache *probeCache
	var prevEnv *envCache
	if prev != nil {
		if s := reanalyzeFast(ctx, prev, f); s != nil {
			return s
		}
		cfg = prev.Config
		prevCache, prevEnv = prev.probes, prev.env
	}
	return analyze(ctx, f, cfg, prevCache, prevEnv, true)
}
