// This file implements minimal edits between a text and its formatted
// form, line by line, so an editor keeps its cursor, marks and undo
// history on lines formatting does not touch.

package format

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// LineOp is one line of a line diff: Kind ' ' keeps the line, '-' removes
// it, '+' adds it; A and B are the indexes of the line in each side (the
// next line's for a side that lacks it).
type LineOp struct {
	Kind byte
	Text string // the line, with its '\n' when it has one
	A, B int
}

// SplitLines splits s into lines that keep their '\n'.
func SplitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// maxDiffCells bounds the table of the line diff; a larger changed middle
// is replaced whole.
const maxDiffCells = 1 << 24

// DiffLines returns a shortest line edit script from a to b: the common
// prefix and suffix are kept and the middle is compared line by line.
func DiffLines(a, b []string) []LineOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]LineOp, 0, len(a)+len(b)-pre-suf)
	for i := 0; i < pre; i++ {
		ops = append(ops, LineOp{' ', a[i], i, i})
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(am)*len(bm) > maxDiffCells {
		for i, l := range am {
			ops = append(ops, LineOp{'-', l, pre + i, pre})
		}
		for j, l := range bm {
			ops = append(ops, LineOp{'+', l, pre + len(am), pre + j})
		}
	} else {
		ops = append(ops, lcsOps(am, bm, pre)...)
	}
	for i := 0; i < suf; i++ {
		ai, bi := len(a)-suf+i, len(b)-suf+i
		ops = append(ops, LineOp{' ', a[ai], ai, bi})
	}
	return ops
}

func lcsOps(a, b []string, off int) []LineOp {
	n, m := len(a), len(b)
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var ops []LineOp
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, LineOp{' ', a[i], off + i, off + j})
			i++
			j++
		case i < n && (j == m || t[i+1][j] >= t[i][j+1]):
			ops = append(ops, LineOp{'-', a[i], off + i, off + j})
			i++
		default:
			ops = append(ops, LineOp{'+', b[j], off + i, off + j})
			j++
		}
	}
	return ops
}

// Edit replaces the text of Span (byte offsets into the old text) by New.
type Edit struct {
	Span syntax.Span
	New  string
}

// Edits returns the edits that turn old into new, each replacing whole
// changed lines; unchanged lines are not touched.
func Edits(old, new []byte) []Edit {
	a, b := SplitLines(string(old)), SplitLines(string(new))
	starts := make([]syntax.Pos, len(a)+1)
	for i, l := range a {
		starts[i+1] = starts[i] + syntax.Pos(len(l))
	}
	var out []Edit
	ops := DiffLines(a, b)
	for i := 0; i < len(ops); {
		if ops[i].Kind == ' ' {
			i++
			continue
		}
		from := ops[i].A
		var sb strings.Builder
		j := i
		to := from
		for ; j < len(ops) && ops[j].Kind != ' '; j++ {
			if ops[j].Kind == '-' {
				to = ops[j].A + 1
			} else {
				sb.WriteString(ops[j].Text)
			}
		}
		out = append(out, Edit{Span: syntax.Span{Start: starts[from], End: starts[to]}, New: sb.String()})
		i = j
	}
	return out
}

// Apply returns src with the edits applied; they must be sorted and must
// not overlap.
func Apply(src []byte, edits []Edit) []byte {
	var out []byte
	last := syntax.Pos(0)
	for _, e := range edits {
		out = append(out, src[last:e.Span.Start]...)
		out = append(out, e.New...)
		last = e.Span.End
	}
	return append(out, src[last:]...)
}

// EndOptions are an editor's wishes for the end of the file: keep a file
// without a final newline so (unless InsertFinalNewline), and cut blank
// lines at the end (TrimFinalNewlines). bpftrace itself keeps both as
// written.
type EndOptions struct {
	KeepNoFinalNewline bool
	TrimFinalNewlines  bool
}

// FixEnd applies opts to out, the formatted form of src.
func FixEnd(src, out []byte, opts EndOptions) []byte {
	if opts.TrimFinalNewlines {
		for len(out) >= 2 && out[len(out)-1] == '\n' && out[len(out)-2] == '\n' {
			out = out[:len(out)-1]
		}
	}
	if opts.KeepNoFinalNewline && len(src) > 0 && src[len(src)-1] != '\n' && len(out) > 0 && out[len(out)-1] == '\n' {
		out = out[:len(out)-1]
	}
	return out
}
