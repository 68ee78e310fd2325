// This file implements integer and string literals: their forms, values,
// and the errors bpftrace reports for malformed ones.

package syntax

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// durationUnits maps duration suffixes to nanoseconds; immutable.
var durationUnits = map[string]uint64{
	"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9,
}

// isCSuffix reports whether s is a C integer suffix (u, l, ul, ll, ull, …).
func isCSuffix(s string) bool {
	switch strings.ToLower(s) {
	case "u", "l", "ul", "lu", "ll", "ull", "llu":
		return true
	}
	return false
}

// parseIntLit parses the current Int token.
func (p *parser) parseIntLit() *IntLit {
	x := p.a.ints.Put(IntLit{ValuePos: p.pos, Text: p.name()})
	v, unit, msg := decodeInt(x.Text)
	x.Value, x.Unit = v, unit
	switch {
	case msg != "":
		p.errorf(Span{p.pos, p.end}, "syntax/invalid-number", "%s", msg)
	case exponentOver16(x.Text) && !p.d.Version.AtLeast(V0_24):
		// Until 0.24 bpftrace refuses any exponent above 16, whatever the value.
		p.errorf(Span{p.pos, p.end}, "syntax/invalid-number",
			"exponent of %q overflows the integer range: bpftrace %s allows at most 16", x.Text, p.d.Version)
	case unit != "":
		p.need(FeatDuration, Span{p.pos, p.end})
	}
	p.next()
	return x
}

// decodeInt returns the value of an integer literal, its duration unit, and
// an error message ("" when valid).
func decodeInt(text string) (v uint64, unit, msg string) {
	base, digits := 10, text
	switch {
	case len(text) > 1 && (text[1] == 'x' || text[1] == 'X') && text[0] == '0':
		base, digits = 16, text[2:]
	case len(text) > 1 && text[0] == '0' && isDigit(text[1]):
		base = 8
	}
	i := 0
	for i < len(digits) && (digitVal(digits[i]) < base || digits[i] == '_') {
		i++
	}
	body, suffix := digits[:i], digits[i:]
	if body == "" {
		return 0, "", fmt.Sprintf("invalid integer literal %q", text)
	}
	if strings.HasSuffix(body, "_") {
		return 0, "", "trailing underscore in integer literal"
	}
	v, ok := accumulate(body, base)
	if base == 10 && len(suffix) > 1 && (suffix[0] == 'e' || suffix[0] == 'E') && isDigit(suffix[1]) {
		exp := suffix[1:]
		j := 0
		for j < len(exp) && (isDigit(exp[j]) || exp[j] == '_') {
			j++
		}
		exp, suffix = exp[:j], exp[j:]
		switch {
		case len(body) != 1 || body[0] == '0':
			return 0, "", fmt.Sprintf("coefficient part of scientific literal must be 1-9: %s", text)
		case strings.HasSuffix(exp, "_"):
			return 0, "", "trailing underscore in integer literal"
		}
		ok = ok && scaleExp(&v, exp)
	}
	if !ok {
		return 0, "", fmt.Sprintf("integer literal %q is too large", text)
	}
	switch {
	case suffix == "" || isCSuffix(suffix):
		return v, "", ""
	case durationUnits[suffix] != 0:
		hi, lo := bits.Mul64(v, durationUnits[suffix])
		if hi != 0 {
			return 0, "", fmt.Sprintf("integer literal %q is too large", text)
		}
		return lo, suffix, ""
	}
	return 0, "", fmt.Sprintf("invalid integer suffix %q", suffix)
}

// exponentOver16 reports whether text is a decimal literal in scientific
// notation whose exponent is above 16 (1e17).
func exponentOver16(text string) bool {
	if len(text) > 1 && (text[1] == 'x' || text[1] == 'X') {
		return false
	}
	i := strings.IndexAny(text, "eE")
	if i < 0 {
		return false
	}
	exp := text[i+1:]
	j := 0
	for j < len(exp) && (isDigit(exp[j]) || exp[j] == '_') {
		j++
	}
	n, ok := accumulate(exp[:j], 10)
	return j > 0 && (!ok || n > 16)
}

func digitVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return 99
}

// accumulate converts digits (with '_' separators) in base to a value.
func accumulate(body string, base int) (uint64, bool) {
	var v uint64
	for i := 0; i < len(body); i++ {
		if body[i] == '_' {
			continue
		}
		hi, lo := bits.Mul64(v, uint64(base))
		lo, carry := bits.Add64(lo, uint64(digitVal(body[i])), 0)
		if hi != 0 || carry != 0 {
			return 0, false
		}
		v = lo
	}
	return v, true
}

// scaleExp multiplies *v by 10^exp, reporting overflow.
func scaleExp(v *uint64, exp string) bool {
	n, ok := accumulate(exp, 10)
	if !ok || n > 20 {
		return *v == 0
	}
	for ; n > 0; n-- {
		if *v > math.MaxUint64/10 {
			return false
		}
		*v *= 10
	}
	return true
}

// parseStrLit parses the current Str token, reporting bad escapes and a
// missing closing quote.
func (p *parser) parseStrLit() *StrLit {
	raw := p.name() // interned: a long script repeats its format strings
	x := p.a.strs.Put(StrLit{ValuePos: p.pos, Raw: raw})
	closed := len(raw) >= 2 && raw[len(raw)-1] == '"' && !escapedQuote(raw)
	if !closed {
		p.errorf(Span{p.pos, p.end}, "syntax/unterminated-string", "unterminated string")
	}
	body := raw[1:]
	if closed {
		body = raw[1 : len(raw)-1]
	}
	x.Value = p.decodeString(body, p.pos+1)
	p.next()
	return x
}

// escapedQuote reports whether the final '"' of raw is escaped.
func escapedQuote(raw string) bool {
	n := 0
	for i := len(raw) - 2; i >= 1 && raw[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1 || len(raw) == 1
}

// decodeString decodes escapes in body, which starts at offset base.
func (p *parser) decodeString(body string, base Pos) string {
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 >= len(body) {
			b.WriteByte(body[i])
			continue
		}
		start := i
		i++
		switch c := body[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\':
			b.WriteByte(c)
		case 'x', 'X':
			n, v := 0, 0
			for n < 2 && i+1 < len(body) && digitVal(body[i+1]) < 16 {
				i++
				n++
				v = v*16 + digitVal(body[i])
			}
			if n == 0 {
				p.errorf(Span{base + Pos(start), base + Pos(i+1)}, "syntax/invalid-escape", "invalid escape character '\\%c'", c)
			}
			b.WriteByte(byte(v))
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for n := 1; n < 3 && i+1 < len(body) && '0' <= body[i+1] && body[i+1] <= '7'; n++ {
				i++
				v = v*8 + int(body[i]-'0')
			}
			if v > 255 {
				p.errorf(Span{base + Pos(start), base + Pos(i+1)}, "syntax/invalid-escape", "octal escape sequence out of range")
			}
			b.WriteByte(byte(v))
		default:
			p.errorf(Span{base + Pos(start), base + Pos(i+1)}, "syntax/invalid-escape", "invalid escape character '\\%c'", c)
			b.WriteByte(c)
		}
	}
	return b.String()
}
