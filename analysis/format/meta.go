// This file implements the layout index: the comments and blank lines of
// the source, in source order, which the printer claims node by node. What
// a node does not claim before its end is gone, as in bpftrace's formatter.

package format

import (
	"bytes"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// meta is one comment line (vspace false) or one layout newline that
// bpftrace counts as vertical space.
type meta struct {
	start, end syntax.Pos
	vspace     bool
	text       string
}

// index is a run of layout entries, sorted by position.
type index struct {
	items []meta
}

// before removes and returns the entries that start at or before p. An
// empty result is nil, which reads as an empty index.
func (x *index) before(p syntax.Pos) *index {
	if x == nil {
		return nil
	}
	k := 0
	for k < len(x.items) && x.items[k].start <= p {
		k++
	}
	if k == 0 {
		return nil
	}
	out := &index{items: x.items[:k:k]}
	x.items = x.items[k:]
	return out
}

// dropSpaceBefore forgets the vertical space before p. A line break in an
// expression before a block's '{' reads as a blank line at the top of the
// block, so the breaks the layout itself makes there would add one per run.
func (x *index) dropSpaceBefore(p syntax.Pos) {
	if x == nil {
		return
	}
	for i, e := range x.items {
		if e.start >= p {
			return
		}
		if e.vspace {
			// Copied: other views of the entries are still being read.
			kept := append([]meta(nil), x.items[:i]...)
			for _, e := range x.items[i:] {
				if !e.vspace || e.start >= p {
					kept = append(kept, e)
				}
			}
			x.items = kept
			return
		}
	}
}

// entries returns the index's entries; nil has none.
func (x *index) entries() []meta {
	if x == nil {
		return nil
	}
	return x.items
}

// buildIndex reads the layout of f's source in [from, to) outside the C preamble and the
// shebang: each comment (a block comment yields one entry per line, with
// leading '*' decoration removed) and each newline that does not end a line
// after ';', '{', '}' or a comment.
func buildIndex(f *syntax.File, from, to int) *index {
	src := f.Src()
	var skip []syntax.Span // verbatim text: shebang and preamble
	// Decls, not Items: the probes of a large file would all be parsed
	// again and held at once, for nothing.
	for _, it := range f.Decls() {
		switch it := it.(type) {
		case *syntax.Shebang:
			skip = append(skip, syntax.Span{Start: it.Span.Start, End: lineEnd(src, it.Span.End)})
		case *syntax.Preamble:
			for _, d := range it.Decls {
				end := d.Span.End
				if d.Kind == syntax.CPreproc {
					end = lineEnd(src, end)
				}
				skip = append(skip, syntax.Span{Start: d.Span.Start, End: end})
			}
		}
	}
	inSkip := func(p syntax.Pos) bool {
		for _, s := range skip {
			if p >= s.Start && p < s.End {
				return true
			}
		}
		return false
	}
	x := &index{}
	comments := f.Comments()
	ci := sort.Search(len(comments), func(i int) bool { return comments[i].Span.End > syntax.Pos(from) })
	lastCommentEnd := syntax.Pos(-1)
	for i := from; i < to; i++ {
		p := syntax.Pos(i)
		for ci < len(comments) && comments[ci].Span.End <= p {
			ci++
		}
		if ci < len(comments) && comments[ci].Span.Start == p {
			c := comments[ci]
			if !inSkip(p) {
				x.items = append(x.items, commentEntries(src, c.Span)...)
				lastCommentEnd = c.Span.End
			}
			i = int(c.Span.End) - 1
			continue
		}
		if src[i] != '\n' {
			// Jump to the next newline, stopping at the next comment.
			next, j := to, ci
			if j < len(comments) && int(comments[j].Span.Start) < i {
				j++
			}
			if j < len(comments) && int(comments[j].Span.Start) < next {
				next = int(comments[j].Span.Start)
			}
			if k := bytes.IndexByte(src[i:next], '\n'); k > 0 {
				i += k - 1
			} else {
				i = next - 1
			}
			continue
		}
		if inSkip(p) || inString(f, p) {
			continue
		}
		j := i
		for j > 0 && isHSpace(src[j-1]) {
			j--
		}
		if syntax.Pos(j) == lastCommentEnd {
			continue
		}
		if j > 0 && (src[j-1] == ';' || src[j-1] == '{' || src[j-1] == '}') {
			continue
		}
		x.items = append(x.items, meta{start: p, end: p + 1, vspace: true})
	}
	sort.SliceStable(x.items, func(a, b int) bool {
		if x.items[a].start != x.items[b].start {
			return x.items[a].start < x.items[b].start
		}
		return x.items[a].end < x.items[b].end
	})
	return x
}

// inString is a hook for newlines inside literals; bpftrace strings cannot
// hold a raw newline, so none is layout of that kind.
func inString(*syntax.File, syntax.Pos) bool { return false }

// isHSpace reports whether c is blank within a line. The parser reads '\f'
// and '\v' as blanks too (bpftrace refuses them outside the C part).
func isHSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

// lineEnd returns the offset after the newline that ends the line holding p
// (or the end of src), skipping only horizontal space.
func lineEnd(src []byte, p syntax.Pos) syntax.Pos {
	i := int(p)
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i < len(src) {
		i++
	}
	return syntax.Pos(i)
}

// commentEntries splits one comment the way bpftrace records it.
func commentEntries(src []byte, sp syntax.Span) []meta {
	s, e := int(sp.Start), int(sp.End)
	at := func(i int) byte {
		if i < e {
			return src[i]
		}
		return 0
	}
	if bytes.HasPrefix(src[s:e], []byte("//")) {
		i := s + 2
		if at(i) == ' ' {
			i++
		}
		end := e
		for end > i && src[end-1] == '\n' {
			end--
		}
		// Trailing space is dropped here too: printed mid-line as a block
		// comment, it would come back trimmed on the next run.
		return []meta{{start: syntax.Pos(i), end: syntax.Pos(end), text: strings.TrimRight(string(src[i:end]), " \t\r")}}
	}
	var out []meta
	i := s + 2
	if at(i) == ' ' {
		i++
	}
	closes := func(i int) bool { return at(i) == '*' && at(i+1) == '/' }
	for i < e {
		b := i
		for i < e && at(i) != '\n' && !closes(i) {
			i++
		}
		if i != b {
			// Trailing space is dropped: bpftrace keeps it, so a comment
			// printed as "/* x */" mid-line grows a space per run.
			out = append(out, meta{start: syntax.Pos(b), end: syntax.Pos(i), text: strings.TrimRight(string(src[b:i]), " \t\r")})
		}
		if closes(i) || i >= e {
			break
		}
		i++ // the newline
		for i < e && isHSpace(at(i)) {
			i++
		}
		if closes(i) {
			continue
		}
		stars := false
		for i < e && at(i) == '*' && !closes(i) {
			stars = true
			i++
		}
		if stars && at(i) == ' ' {
			i++
		}
		if at(i) == '\n' || closes(i) {
			out = append(out, meta{start: syntax.Pos(i), end: syntax.Pos(i), text: ""})
		}
	}
	return out
}
