package userbin

// This file implements name questions on a binary's functions: exact
// lookup, bpftrace wildcards, prefixes for completion, and C++ names.

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

// Func returns the function symbol called name (a plain or mangled name),
// looking in the debug file's symbol table too once it is loaded.
func (b *Binary) Func(name string) (Func, bool) {
	if f, ok := findFunc(b.Funcs, name); ok {
		return f, true
	}
	return findFunc(b.DebugFuncs(), name)
}

func findFunc(fs []Func, name string) (Func, bool) {
	i := sort.Search(len(fs), func(i int) bool { return fs[i].Name >= name })
	if i < len(fs) && fs[i].Name == name {
		return fs[i], true
	}
	return Func{}, false
}

// Match returns the functions a bpftrace wildcard pattern matches, at most
// limit of them (limit <= 0: all).
func (b *Binary) Match(pattern string, limit int) []Func {
	var out []Func
	for _, fs := range [][]Func{b.Funcs, b.DebugFuncs()} {
		lo, hi := prefixRange(fs, literalPrefix(pattern))
		for _, f := range fs[lo:hi] {
			if btfindex.WildcardMatch(pattern, f.Name) {
				out = append(out, f)
				if limit > 0 && len(out) >= limit {
					return out
				}
			}
		}
	}
	return out
}

// MatchCpp returns the C++ functions whose demangled name matches pattern,
// as uprobe:BIN:cpp:PATTERN does: against the whole demangled name, or
// against it without its parameter list.
func (b *Binary) MatchCpp(pattern string, limit int) []Func {
	var out []Func
	for _, fs := range [][]Func{b.Funcs, b.DebugFuncs()} {
		for _, f := range fs {
			if f.Demangled == "" {
				continue
			}
			if btfindex.WildcardMatch(pattern, f.Demangled) || btfindex.WildcardMatch(pattern, stripParams(f.Demangled)) {
				out = append(out, f)
				if limit > 0 && len(out) >= limit {
					return out
				}
			}
		}
	}
	return out
}

// stripParams drops a demangled name's trailing parameter list.
func stripParams(s string) string {
	if !strings.HasSuffix(s, ")") {
		return s
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return s[:i]
			}
		}
	}
	return s
}

// Complete returns the functions whose names start with prefix, in name
// order, at most limit (limit <= 0: all).
func (b *Binary) Complete(prefix string, limit int) []Func {
	var out []Func
	for _, fs := range [][]Func{b.Funcs, b.DebugFuncs()} {
		lo, hi := prefixRange(fs, prefix)
		for _, f := range fs[lo:hi] {
			out = append(out, f)
			if limit > 0 && len(out) >= limit {
				return out
			}
		}
	}
	return out
}

// prefixRange is the index range of the sorted fs whose names start with p.
func prefixRange(fs []Func, p string) (int, int) {
	lo := sort.Search(len(fs), func(i int) bool { return fs[i].Name >= p })
	hi := lo + sort.Search(len(fs)-lo, func(i int) bool { return !strings.HasPrefix(fs[lo+i].Name, p) })
	return lo, hi
}

// literalPrefix is the part of a pattern before its first metacharacter.
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?["); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// FuncAt returns the function whose symbol covers addr.
func (b *Binary) FuncAt(addr uint64) (Func, bool) {
	for _, fs := range [][]Func{b.Funcs, b.DebugFuncs()} {
		for _, f := range fs {
			if addr >= f.Addr && (addr < f.Addr+f.Size || addr == f.Addr) {
				return f, true
			}
		}
	}
	return Func{}, false
}
