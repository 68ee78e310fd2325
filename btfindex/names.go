package btfindex

// This file implements listings: matching wildcards and completing prefixes
// over sorted name lists, whichever source they come from.

import (
	"sort"
	"strings"
)

// nameList is a sorted list of names. The on-disk index serves one without
// materialising every string; the in-memory scan serves a plain slice.
type nameList interface {
	Len() int
	At(i int) string
}

// sliceNames is a sorted []string as a nameList.
type sliceNames []string

func (s sliceNames) Len() int        { return len(s) }
func (s sliceNames) At(i int) string { return s[i] }

// nameSet holds the sorted names of one kernel, per [NameKind].
type nameSet struct {
	funcs, records, typedefs sliceNames
}

func (ns *nameSet) list(kind NameKind) nameList {
	switch kind {
	case NameFunc:
		return ns.funcs
	case NameRecord:
		return ns.records
	case NameTypedef:
		return ns.typedefs
	}
	return sliceNames(nil)
}

// prefixRange returns the half-open range of names starting with prefix.
func prefixRange(l nameList, prefix string) (lo, hi int) {
	n := l.Len()
	lo = sort.Search(n, func(i int) bool { return l.At(i) >= prefix })
	hi = lo + sort.Search(n-lo, func(i int) bool { return !strings.HasPrefix(l.At(lo+i), prefix) })
	return lo, hi
}

// completeList returns up to limit names starting with prefix, in order.
// limit <= 0 means no limit. A name listed twice (a struct and a union may
// share one) is returned once.
func completeList(l nameList, prefix string, limit int) []string {
	lo, hi := prefixRange(l, prefix)
	n := hi - lo
	if limit > 0 {
		n = min(n, limit)
	}
	out := make([]string, 0, n)
	for i := lo; i < hi && (limit <= 0 || len(out) < limit); i++ {
		out = appendUnique(out, l.At(i))
	}
	return out
}

// appendUnique appends name unless it equals the last element.
func appendUnique(out []string, name string) []string {
	if len(out) > 0 && out[len(out)-1] == name {
		return out
	}
	return append(out, name)
}

// matchList returns the names matching a wildcard pattern, in order. Only
// the names sharing the pattern's literal prefix are tested.
func matchList(l nameList, pattern string, match func(pattern, name string) bool) []string {
	if !HasWildcard(pattern) {
		lo, _ := prefixRange(l, pattern)
		if lo < l.Len() && l.At(lo) == pattern {
			return []string{pattern}
		}
		return nil
	}
	lo, hi := prefixRange(l, literalPrefix(pattern))
	var out []string
	for i := lo; i < hi; i++ {
		if name := l.At(i); match(pattern, name) {
			out = appendUnique(out, name)
		}
	}
	return out
}
