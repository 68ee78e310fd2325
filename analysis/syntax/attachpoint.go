// This file implements the attach point node and the splitting of its raw
// text into ':'-separated parts.

package syntax

import "strings"

// AttachPoint is one attach point, kept as raw text the way bpftrace reads
// it, plus its parts: "kprobe:vfs_*" has parts "kprobe" and "vfs_*".
type AttachPoint struct {
	Span Span
	Raw  string
	// Name is the probe name of "name=kprobe:f" (0.25), nil without one.
	Name *Ident
	// Provider is the first part as written ("kprobe", "k", "BEGIN"); it is
	// not normalised.
	Provider string
	Parts    []*APart // Parts[0] is the provider
}

// APart is one part of an attach point.
type APart struct {
	Span Span
	Text string // raw text, quotes included
	// Value is Text with quotes removed and escapes decoded.
	Value    string
	Sep      byte // separator before this part: ':' or '@' (uprobe source file); 0 first
	Quoted   bool // some of the part is in "…"
	Wildcard bool // unquoted '*' or a [...] set
}

// Pos returns the start of the attach point.
func (x *AttachPoint) Pos() Pos { return x.Span.Start }

// End returns one past the last byte of the attach point.
func (x *AttachPoint) End() Pos { return x.Span.End }

// Pos returns the start of the part.
func (x *APart) Pos() Pos { return x.Span.Start }

// End returns one past the last byte of the part.
func (x *APart) End() Pos { return x.Span.End }

// HasWildcard reports whether any part holds a wildcard.
func (x *AttachPoint) HasWildcard() bool {
	for _, p := range x.Parts {
		if p.Wildcard {
			return true
		}
	}
	return false
}

// scanAttachPoint reads the raw text of one attach point at off: everything
// up to unquoted whitespace, '{', ',' or a '/' before any ':' (a '/' after a
// ':' belongs to a path). It returns the end offset.
func scanAttachPoint(src []byte, off int) int {
	start, colon := off, false
	for off < len(src) {
		c := src[off]
		switch {
		case c == '{' || c == ',' || isSpace(c):
			return off
		case c == '/' && off > start && !colon:
			if n := byteAt(src, off+1); n != '/' && n != '*' {
				return off
			}
			return off // a comment ends the attach point too
		case c == ':':
			colon = true
		case c == '"':
			off = skipQuoted(src, off)
			continue
		}
		off++
	}
	return off
}

func byteAt(src []byte, i int) byte {
	if i >= 0 && i < len(src) {
		return src[i]
	}
	return 0
}

// skipQuoted skips a "…" run starting at off (with \ escapes) and returns the
// offset after the closing quote, or the end of the line when unterminated.
func skipQuoted(src []byte, off int) int {
	for off++; off < len(src); off++ {
		switch src[off] {
		case '\\':
			off++
		case '"':
			return off + 1
		case '\n':
			return off
		}
	}
	return len(src)
}

// newAttachPoint splits the raw text src[start:end] into parts; src starts
// at the absolute offset base. The strings of the attach point and its
// parts share one copy of its text, interned in a (which may be nil): a
// long script repeats the same attach points many times.
func newAttachPoint(a *arena, src []byte, base, start, end int) *AttachPoint {
	raw := string(src[start:end])
	if a != nil {
		raw = a.intern(src[start:end])
	}
	ap := &AttachPoint{Span: Span{Pos(base + start), Pos(base + end)}, Raw: raw}
	partStart := start
	// A leading "name=" names the probe (0.25).
	if i := nameEnd(src, start, end); i > start {
		ap.Name = &Ident{NamePos: Pos(base + start), Name: raw[:i-start]}
		partStart = i + 1
	}
	var buf [4]*APart
	parts := buf[:0]
	var sep byte
	for off := partStart; ; {
		if off >= end || src[off] == ':' || src[off] == '@' && isUprobe(parts) {
			parts = append(parts, newAPart(a, raw, src, base, start, partStart, off, sep))
			if off >= end {
				break
			}
			sep = src[off]
			off++
			partStart = off
			continue
		}
		if src[off] == '"' {
			off = min(skipQuoted(src, off), end)
			continue
		}
		off++
	}
	ap.Parts = append(make([]*APart, 0, len(parts)), parts...)
	ap.Provider = ap.Parts[0].Text
	return ap
}

// nameEnd returns the offset of '=' in a leading "ident=", or start.
func nameEnd(src []byte, start, end int) int {
	i := start
	for i < end && isIdentByte(src[i]) {
		i++
	}
	if i > start && i < end && src[i] == '=' && isIdentStart(src[start]) {
		return i
	}
	return start
}

// isUprobe reports whether '@' after parts separates a source location
// (only uprobe takes "bin@file.c:line").
func isUprobe(parts []*APart) bool {
	if len(parts) != 1 { // the '@' follows the binary, the second part
		return false
	}
	p := strings.ToLower(parts[0].Text)
	return p == "uprobe" || p == "u"
}

// raw is the attach point's text, which starts at apStart in src.
func newAPart(a *arena, raw string, src []byte, base, apStart, start, end int, sep byte) *APart {
	v := APart{Span: Span{Pos(base + start), Pos(base + end)}, Text: raw[start-apStart : end-apStart], Sep: sep}
	part := &v
	if a != nil {
		part = a.parts.Put(v)
	}
	if strings.IndexByte(part.Text, '"') < 0 { // the value is the text: no copy
		for i := start; i < end && !part.Wildcard; i++ {
			part.Wildcard = src[i] == '*' || src[i] == '[' && hasClose(src[i:end])
		}
		part.Value = part.Text
		return part
	}
	var val strings.Builder
	for i := start; i < end; i++ {
		c := src[i]
		switch {
		case c == '"':
			part.Quoted = true
			j := min(skipQuoted(src, i), end)
			for k := i + 1; k < j; k++ {
				if src[k] == '\\' && k+1 < j {
					k++
				} else if src[k] == '"' {
					break
				}
				val.WriteByte(src[k])
			}
			i = j - 1
		case c == '*' || c == '[' && hasClose(src[i:end]):
			part.Wildcard = true
			val.WriteByte(c)
		default:
			val.WriteByte(c)
		}
	}
	part.Value = val.String()
	return part
}

func hasClose(b []byte) bool {
	for _, c := range b {
		if c == ']' {
			return true
		}
	}
	return false
}
