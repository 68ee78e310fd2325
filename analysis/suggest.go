package analysis

// This file implements "did you mean" suggestions: the closest known name by
// edit distance, and the quick fix that writes it in.

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// levenshtein is the edit distance between a and b (insert, delete, replace,
// one byte each). Names are ASCII, so bytes are characters.
func levenshtein(a, b string) int { return editDistance(a, b, 1) }

// indelDistance is the edit distance without replacements (a replacement
// costs a deletion and an insertion). It breaks ties: "prinf" is one edit
// from both "print" and "printf", but one insertion from "printf" only.
func indelDistance(a, b string) int { return editDistance(a, b, 2) }

// editDistance counts insertions and deletions as one and a replacement as
// replace, with two rows of the dynamic-programming table.
func editDistance(a, b string, replace int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := replace
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxSuggestDistance is how far a candidate may be from what was written: a
// third of the name (sigil excluded), at least one edit and at most three,
// and always fewer edits than the name has characters, so that short names
// do not match everything.
func maxSuggestDistance(name string) int {
	n := len(strings.TrimLeft(name, "$@"))
	return min(n-1, max(1, min(3, n/3)))
}

// commonPrefix is the length of the common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// closer reports whether candidate c at distance d beats best at bestDist:
// fewer edits, then a longer common prefix (typos rarely hit the first
// letters), then fewer insertions and deletions, then alphabetical order.
func closer(name, c string, d int, best string, bestDist int) bool {
	if d != bestDist {
		return d < bestDist
	}
	if best == "" {
		return true
	}
	if cp, bp := commonPrefix(name, c), commonPrefix(name, best); cp != bp {
		return cp > bp
	}
	ci, bi := indelDistance(name, c), indelDistance(name, best)
	if ci != bi {
		return ci < bi
	}
	return c < best
}

// suggest returns the candidate closest to name (see [closer]), or "" when
// none is close enough.
func suggest(name string, candidates []string) string {
	limit := maxSuggestDistance(name)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if c == name || c == "" {
			continue
		}
		// A length difference beyond the limit can never be within it.
		if d := len(c) - len(name); d > limit || -d > limit {
			continue
		}
		if d := levenshtein(name, c); d <= limit && closer(name, c, d, best, bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// suggestAll returns up to n candidates within reach of name, closest first.
func suggestAll(name string, candidates []string, n int) []string {
	limit := maxSuggestDistance(name)
	type scored struct {
		s string
		d int
	}
	var out []scored
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := levenshtein(name, c); d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.Slice(out, func(i, j int) bool { return closer(name, out[i].s, out[i].d, out[j].s, out[j].d) })
	names := make([]string, 0, min(n, len(out)))
	for i := 0; i < len(out) && i < n; i++ {
		names = append(names, out[i].s)
	}
	return names
}

// addSuggestion appends " (did you mean %q?)"-style help to d when a
// candidate is close, with a quick fix replacing span by it. It reports
// whether it found one.
func addSuggestion(d *Diagnostic, span syntax.Span, name string, candidates []string) bool {
	s := suggest(name, candidates)
	if s == "" {
		return false
	}
	d.Message += ", did you mean " + quote(s) + "?"
	d.Fixes = append(d.Fixes, Fix{
		Title: "Change to " + quote(s),
		Kind:  "quickfix",
		Edits: []Edit{{Span: span, NewText: s}},
	})
	return true
}

// quote is %q for names, which are plain ASCII.
func quote(s string) string { return `"` + s + `"` }
