package ide

import (
	"sort"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// near is the part of a file that completion and signature help read
// around a position: from a little before the last item starting at or
// before it to two bytes past it. Reading only this part keeps
// a request's cost independent of the file's length: the whole text is
// never built.
type near struct {
	src  []byte     // the file's bytes from base
	base syntax.Pos // offset of src[0]
	safe syntax.Pos // at or before pos, outside any comment or string: scans start here
}

// nearSlack is how far before the item near reaches, for the scans that
// look back from a word (blanks, an operator, a keyword).
const nearSlack = 256

// nearPos returns the part of f around pos, which must be in [0, f.Len()].
// An item starts with a token, so its start is not inside a comment or a
// string.
func nearPos(f *syntax.File, pos syntax.Pos) near {
	n := f.NumItems()
	k := sort.Search(n, func(i int) bool { return f.ItemSpan(i).Start > pos }) - 1
	safe := syntax.Pos(0)
	if k >= 0 {
		safe = f.ItemSpan(k).Start // not its end: a body left open goes on past it
	}
	base := max(0, safe-nearSlack)
	return near{src: f.Slice(base, pos+2), base: base, safe: safe}
}

// rel converts a file offset to an index into n.src.
func (n near) rel(p syntax.Pos) syntax.Pos { return p - n.base }

// inCommentOrString reports whether pos lies inside a comment or a string
// literal.
func (n near) inCommentOrString(pos syntax.Pos) bool {
	return inCommentOrString(n.src[n.safe-n.base:], pos-n.safe)
}
