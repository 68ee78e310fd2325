package analysis

// This file implements the analysis view of one attach point: the parser's
// parts with the provider split off, as the provider checks read them.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// apPart is one ':'-separated part of an attach point.
type apPart struct {
	Text     string // unquoted text
	Span     syntax.Span
	Quoted   bool
	Wildcard bool
	// Sep is the separator before the part: ':', or '@' before the source
	// file of a uprobe source location (uprobe:BIN@FILE:LINE).
	Sep byte
}

// hasWildcard reports whether the part is a pattern ('*' or a '[…]' set)
// outside quotes.
func (p apPart) hasWildcard() bool { return p.Wildcard }

// hasParam reports whether the part holds a positional parameter, which
// bpftrace substitutes before it looks at the part.
func (p apPart) hasParam() bool { return strings.Contains(p.Text, "$") }

// attachPoint is one attach point of a probe, split into parts.
type attachPoint struct {
	Node     *syntax.AttachPoint
	Span     syntax.Span
	Provider apPart // the provider as written
	Parts    []apPart
}

// target is the text after the provider, as written (for messages).
func (ap *attachPoint) target() string {
	var b strings.Builder
	for i, p := range ap.Parts {
		if i > 0 && p.Sep == '@' {
			b.WriteByte('@')
		} else if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// partsSpan covers every part after the provider, or the whole attach point
// when there are none.
func (ap *attachPoint) partsSpan() syntax.Span {
	if len(ap.Parts) == 0 {
		return ap.Span
	}
	return syntax.Span{Start: ap.Parts[0].Span.Start, End: ap.Parts[len(ap.Parts)-1].Span.End}
}

// newAttachPoint converts the parser's attach point.
func newAttachPoint(n *syntax.AttachPoint) *attachPoint {
	ap := &attachPoint{Node: n, Span: n.Span}
	for i, p := range n.Parts {
		part := apPart{Text: p.Value, Span: p.Span, Quoted: p.Quoted, Wildcard: p.Wildcard, Sep: p.Sep}
		if i == 0 {
			ap.Provider = part
			continue
		}
		ap.Parts = append(ap.Parts, part)
	}
	if len(n.Parts) == 0 {
		ap.Provider = apPart{Text: n.Raw, Span: n.Span}
	}
	return ap
}

// isIdent reports whether s is a bpftrace identifier.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}
