package btfindex

// This file implements bpftrace's attach-point wildcards: "*" matches any
// run of characters, "?" one character, and "[...]" one character from a
// set ("[abc]", "[a-c]", negated with "[!a]" or "[^a]").

import "strings"

// HasWildcard reports whether s contains a wildcard character.
func HasWildcard(s string) bool {
	return strings.ContainsAny(s, "*?[")
}

// WildcardMatch reports whether name matches pattern. A malformed class
// ("[a-" without "]") matches its characters literally.
func WildcardMatch(pattern, name string) bool {
	// Greedy matching with one backtrack point for the last "*": linear in
	// practice, and never exponential.
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				p++
				n++
				continue
			case '[':
				if ok, width := matchClass(pattern[p:], name[n]); width > 0 {
					if ok {
						p += width
						n++
						continue
					}
				} else if name[n] == '[' {
					p++
					n++
					continue
				}
			default:
				if pattern[p] == name[n] {
					p++
					n++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starN++
		p, n = starP+1, starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchClass matches c against the class at the start of pat ("[...]").
// width is the length of the class in pat, or 0 when it is not closed.
func matchClass(pat string, c byte) (ok bool, width int) {
	i := 1
	negate := i < len(pat) && (pat[i] == '!' || pat[i] == '^')
	if negate {
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != negate, i + 1
		}
		first = false
		lo, hi := pat[i], pat[i]
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			hi = pat[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			ok = true
		}
		i++
	}
	return false, 0
}

// literalPrefix returns the part of pattern before its first wildcard, which
// lets a sorted listing skip straight to the candidates.
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?["); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// matchTracepoint matches "cat:event" against a pattern whose parts are
// matched separately, so "*" never crosses the ":". A pattern without ":"
// is matched against the whole "cat:event".
func matchTracepoint(pattern, name string) bool {
	pc, pe, ok := strings.Cut(pattern, ":")
	if !ok {
		return WildcardMatch(pattern, name)
	}
	nc, ne, _ := strings.Cut(name, ":")
	return WildcardMatch(pc, nc) && WildcardMatch(pe, ne)
}
