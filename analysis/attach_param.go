package analysis

// This file implements the check of '$' in attach points. bpftrace
// substitutes "$N" (N from 1) into an attach point's text; any other '$'
// outside quotes is an error in every version: a syntax error before 0.24
// ("unexpected variable", "param $0 is out of integer range"), and from 0.24
// "invalid trailing character for positional param", which asks for quotes.
// Before 0.26 a "$name" that opens an attach point is the parser's to report
// (syntax.FeatVarAttachStart), so it is not reported here again.

import (
	"strconv"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// checkAttachParams reports each unquoted '$' in ap that does not start a
// positional parameter, with a fix that quotes it.
func checkAttachParams(r *Reporter, ap *attachPoint, v syntax.Version) {
	for pi, part := range ap.Node.Parts {
		outside := unquotedBytes(part.Text)
		for j := 0; j < len(part.Text); j++ {
			if part.Text[j] != '$' || !outside[j] {
				continue
			}
			end := j + 1
			for end < len(part.Text) && outside[end] && isIdentByte(part.Text[end]) {
				end++
			}
			word := part.Text[j:end]
			if end > j+1 && word[1] >= '1' && word[1] <= '9' {
				j = end - 1 // $N, maybe followed by more text ("$1func")
				continue
			}
			if pi == 0 && j == 0 && end > 1 && !v.AtLeast(syntax.FeatureSince(syntax.FeatVarAttachStart)) && (word[1] < '0' || word[1] > '9') {
				j = end - 1
				continue
			}
			span := syntax.Span{Start: part.Span.Start + syntax.Pos(j), End: part.Span.Start + syntax.Pos(end)}
			d := r.Errorf(span, CodeAttachParam, "%q is not a positional parameter ($1, $2, …); quote it to keep it as text", word)
			d.Fixes = append(d.Fixes, Fix{
				Title: "Quote " + strconv.Quote(word),
				Kind:  "quickfix",
				Edits: []Edit{{Span: span, NewText: strconv.Quote(word)}},
			})
			j = end - 1
		}
	}
}

// unquotedBytes marks the bytes of an attach-point part that lie outside
// "…" (the quotes themselves count as inside).
func unquotedBytes(text string) []bool {
	out := make([]bool, len(text))
	in := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in && i+1 < len(text):
			i++
		default:
			out[i] = !in
		}
	}
	return out
}

// unquotedIndex returns the offset of the first c outside quotes in the raw
// text of part i of n, or -1.
func unquotedIndex(n *syntax.AttachPoint, i int, c byte) int {
	if i >= len(n.Parts) {
		return -1
	}
	text := n.Parts[i].Text
	for j, out := range unquotedBytes(text) {
		if out && text[j] == c {
			return j
		}
	}
	return -1
}
