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

// parseFormat finds the conversions of a decoded format string. "%%" is a
// literal percent sign.
func parseFormat(s string) []fmtVerb {
	var verbs []fmtVerb
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("-+ #0", s[j]) >= 0 {
			j++
		}
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		for _, lm := range []string{"hh", "ll", "h", "l", "j", "z", "t"} {
			if strings.HasPrefix(s[j:], lm) {
				j += len(lm)
				break
			}
		}
		class := verbBad
		switch {
		case j >= len(s):
		case strings.IndexByte("diouxXcp", s[j]) >= 0:
			class = verbInt
		case s[j] == 's':
			class = verbString
		case s[j] == 'g' && j+1 < len(s) && s[j+1] == 'r': // GFP flags, 0.26
			class = verbInt
			j++
		case s[j] == 'r':
			class = verbBuffer
			if j+1 < len(s) && (s[j+1] == 'x' || s[j+1] == 'h') {
				j++
			}
		}
		end := min(j+1, len(s))
		verbs = append(verbs, fmtVerb{off: i, text: s[i:end], class: class})
		i = end - 1
	}
	return verbs
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
	for _, v := range parseFormat(lit.Value) {
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
