package analysis

// This file implements format strings (printf, system, cat, errorf, warnf,
// debugf): the conversions bpftrace accepts, their count against the
// arguments, and each argument's type against its conversion.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// verbClass is what a conversion prints.
type verbClass uint8

const (
	verbInt    verbClass = iota + 1 // %d %u %x %X %o %c %p, with length modifiers
	verbString                      // %s
	verbBuffer                      // %r %rx %rh
	verbBad                         // anything else
)

// fmtVerb is one conversion in a format string.
type fmtVerb struct {
	off   int    // byte offset of '%' in the decoded string
	text  string // "%-5lu"
	class verbClass
}

// parseFormat finds the conversions of a decoded format string as
// bpftrace v reads them. "%%" is a literal percent sign. A '%' that does not
// start a well-formed conversion is printed as written: bpftrace neither
// counts it nor complains, so it yields a verbBad only where it looks like
// a conversion (a letter ends it), for a warning.
//
// The shape, measured with the real compilers: 0.17 takes an optional '-',
// a width, a precision with digits, a length (hh h ll l j z t) and one of
// d o u x X c p s r; 0.24 and 0.26 also take i and the flags '-', '+',
// ' ', '#' and '0', each at most once and in that order (%-+d but not
// %+-d).
func parseFormat(s string, v syntax.Version) []fmtVerb {
	var verbs []fmtVerb
	flags, convs := "-", "douxXcps"
	if v.AtLeast(syntax.V0_24) {
		flags, convs = "-+ #0", "diouxXcps"
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		if end, class, ok := matchConversion(s, i+1, flags, convs); ok {
			verbs = append(verbs, fmtVerb{off: i, text: s[i:end], class: class})
			i = end - 1
			continue
		}
		if end, ok := looseConversion(s, i+1); ok {
			verbs = append(verbs, fmtVerb{off: i, text: s[i:end], class: verbBad})
			i = end - 1
		}
	}
	return verbs
}

// matchConversion matches a well-formed conversion after the '%' at j-1 and
// returns its end.
func matchConversion(s string, j int, flags, convs string) (int, verbClass, bool) {
	for _, f := range []byte(flags) {
		if j < len(s) && s[j] == f {
			j++
		}
	}
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j < len(s) && s[j] == '.' {
		j++
		d := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == d {
			return 0, 0, false
		}
	}
	for _, lm := range []string{"hh", "ll", "h", "l", "j", "z", "t"} {
		if strings.HasPrefix(s[j:], lm) {
			j += len(lm)
			break
		}
	}
	switch {
	case j >= len(s):
	case strings.IndexByte(convs, s[j]) >= 0:
		if s[j] == 's' {
			return j + 1, verbString, true
		}
		return j + 1, verbInt, true
	case strings.HasPrefix(s[j:], "gr"): // GFP flags, 0.26
		return j + 2, verbInt, true
	case s[j] == 'r':
		if j+1 < len(s) && (s[j+1] == 'x' || s[j+1] == 'h') {
			return j + 2, verbBuffer, true
		}
		return j + 1, verbBuffer, true
	}
	return 0, 0, false
}

// looseConversion returns the end of what looks like a conversion meant by
// the user after the '%' at j-1 — flags, digits, a length and a letter — so
// that it can be named in a warning (or refused, see refusedConversion).
func looseConversion(s string, j int) (int, bool) {
	for j < len(s) && strings.IndexByte("-+ #0123456789.", s[j]) >= 0 {
		j++
	}
	for j < len(s) && strings.IndexByte("hljztLq", s[j]) >= 0 {
		j++
	}
	if j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		return j + 1, true
	}
	return 0, false
}

// refusedConversion reports whether bpftrace rejects an unknown
// conversion: from 0.24 its format parser recognises C's floating-point
// conversions and %n and refuses them. Any other text after a '%' (before
// 0.24, anything it does not support) is not a conversion to bpftrace.
func refusedConversion(text string, v syntax.Version) bool {
	return v.AtLeast(syntax.V0_24) && strings.IndexByte("eEfFgGaAn", text[len(text)-1]) >= 0
}

// printkMaxArgs is bpf_trace_printk's limit, which debugf inherits.
const printkMaxArgs = 3

// checkFormat checks a call whose first argument is a format string.
func (c *checker) checkFormat(x *syntax.CallExpr, b *Builtin, types []ty) {
	lit, ok := syntax.Unparen(x.Args[0]).(*syntax.StrLit)
	if !ok {
		return
	}
	args := x.Args[1:]
	at := span(lit)
	var verbs []fmtVerb
	for _, v := range parseFormat(lit.Value, c.v) {
		switch {
		case v.class != verbBad:
			verbs = append(verbs, v)
		case refusedConversion(v.text, c.v):
			c.r.Errorf(at, CodeFormatBadVerb, "%s: unsupported conversion %q", b.Name, v.text)
			return
		default: // bpftrace does not see a conversion there and prints the text
			c.r.Warnf(at, CodeFormatBadVerb, "%s: %q is not a conversion, so it is printed as written (%%%% prints %%)", b.Name, v.text)
		}
	}
	switch {
	case len(args) < len(verbs):
		c.r.Errorf(span(x), CodeFormatTooFew, "%s: not enough arguments for the format string (%d given, %d expected)", b.Name, len(args), len(verbs))
		return
	case len(args) > len(verbs):
		c.r.Errorf(span(args[len(verbs)]), CodeFormatTooMany, "%s: too many arguments for the format string (%d given, %d expected)", b.Name, len(args), len(verbs))
		return
	case b.Name == "debugf" && len(args) > printkMaxArgs:
		c.r.Errorf(span(x), CodeFormatDebugfArgs, "debugf: cannot use more than %d conversions", printkMaxArgs)
	}
	for i, v := range verbs {
		if m, ok := syntax.Unparen(args[i]).(*syntax.MapExpr); ok && v.class == verbInt && c.v.AtLeast(syntax.V0_23) {
			// A count() map reads as an integer in arithmetic, but
			// printf sees the aggregate (0.24: unsupported format
			// specifier for type 'count_t': d).
			if t := c.aggregateRead(m); t.known() {
				c.r.Errorf(span(args[i]), CodeFormatVerbType, "%s: %s cannot print a %s map value directly: cast it, as in (int64)@%s, or use %%s", b.Name, v.text, t, m.Name)
				continue
			}
		}
		c.checkVerbArg(b, v, args[i], types[i+1])
	}
}

// checkVerbArg reports an argument whose type the conversion cannot print.
func (c *checker) checkVerbArg(b *Builtin, v fmtVerb, arg syntax.Expr, t ty) {
	if !t.known() {
		return
	}
	want := ""
	switch v.class {
	case verbInt:
		if !t.isIntLike() {
			want = "an integer"
		}
	case verbString:
		// From 0.24 %s prints a value of any type.
		if !t.isStringLike() && !c.v.AtLeast(syntax.V0_24) {
			want = "a string"
		}
	case verbBuffer:
		if t.Kind != tyBuffer {
			want = "a buffer (from buf())"
		}
	}
	if want != "" {
		c.r.Errorf(span(arg), CodeFormatVerbType, "%s: %s expects %s, got %s", b.Name, v.text, want, t)
	}
}
