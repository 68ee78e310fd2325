package syntax

import (
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/rope"
)

// TestLineTableEdit checks the edited line table against a fresh one for
// every edit of a short text, under both line-end rules, with chunks small
// enough that edits cross them. The pieces split and join "\r\n" pairs.
func TestLineTableEdit(t *testing.T) {
	t.Parallel()
	for _, src := range []string{"ab\ncd\n\nef\ng\nh\n\nij\nk", "a\r\nb\rc\r\r\n\n\rd\r"} {
		for _, ends := range []LineEnds{EndLF, EndAny} {
			for _, chunk := range []int{1, 2, 3, chunkLines} {
				for a := 0; a <= len(src); a++ {
					for b := a; b <= len(src); b++ {
						for _, text := range []string{"", "x", "\n", "\r", "y\nz\r\n", "\n\n\n\n\n\n\n"} {
							next := []byte(src[:a] + text + src[b:])
							span := Span{Pos(a), Pos(b)}
							before, after := Around(rope.FromString(src), span)
							got := newLineTable([]byte(src), ends, chunk).Edit(span, []byte(text), before, after)
							checkLineTable(t, got, next)
						}
					}
				}
			}
		}
	}
}

// FuzzLineTable checks that a table edited twice (an edit, then one that
// puts the old bytes back) answers as one built from scratch after each.
func FuzzLineTable(f *testing.F) {
	f.Add([]byte("a\nb\r\nc\rd"), uint16(2), uint16(3), []byte("\r"), uint8(1), true)
	f.Add([]byte("x\r\n\n\r"), uint16(1), uint16(2), []byte("\n\r"), uint8(2), false)
	f.Add([]byte("BEGIN {\n\tprintf(\"\")\n}\n"), uint16(15), uint16(15), []byte("é\n"), uint8(3), true)
	f.Fuzz(func(t *testing.T, src []byte, at, del uint16, ins []byte, chunk uint8, cr bool) {
		ends := EndLF
		if cr {
			ends = EndAny
		}
		a := min(int(at), len(src))
		b := min(a+int(del), len(src))
		lt := newLineTable(src, ends, 1+int(chunk%8))
		next := slices.Concat(src[:a:a], ins, src[b:])
		span := Span{Pos(a), Pos(b)}
		before, after := Around(rope.New(src), span)
		edited := lt.Edit(span, ins, before, after)
		checkLineTable(t, edited, next)
		undo := Span{Pos(a), Pos(a + len(ins))}
		before, after = Around(rope.New(next), undo)
		back := edited.Edit(undo, src[a:b], before, after)
		checkLineTable(t, back, src)
		checkLineTable(t, lt, src) // unchanged by the edits
	})
}

// wantStarts returns the line starts of src by the rule ends, byte by byte.
func wantStarts(src []byte, ends LineEnds) []Pos {
	starts := []Pos{0}
	for i, c := range src {
		if c == '\n' || ends == EndAny && c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			starts = append(starts, Pos(i+1))
		}
	}
	return starts
}

// flat returns all line starts.
func (lt *LineTable) flat() []Pos {
	var out []Pos
	for _, c := range lt.chunks {
		for i := range c.starts {
			out = append(out, c.start(i))
		}
	}
	return out
}

// checkLineTable checks lt's answers against a scan of src.
func checkLineTable(t *testing.T, lt *LineTable, src []byte) {
	t.Helper()
	starts := wantStarts(src, lt.ends)
	if got := lt.flat(); !slices.Equal(got, starts) || lt.Lines() != len(starts) || lt.size != Pos(len(src)) {
		t.Fatalf("starts %v (%d lines, size %d), want %v for %q", got, lt.Lines(), lt.size, starts, src)
	}
	for k, c := range lt.chunks {
		if len(c.starts) == 0 || k > 0 && int(c.first) != int(lt.chunks[k-1].first)+len(lt.chunks[k-1].starts) {
			t.Fatalf("chunk %d of %d is empty or misnumbered in %q", k, len(lt.chunks), src)
		}
	}
	line, col := 1, 1
	for p := 0; p <= len(src); p++ {
		if line < len(starts) && Pos(p) == starts[line] {
			line, col = line+1, 1
		}
		if l, c := lt.Position(Pos(p)); l != line || c != col {
			t.Fatalf("Position(%d) = %d:%d, want %d:%d in %q", p, l, c, line, col, src)
		}
		if off, ok := lt.Offset(line, col); !ok || off != Pos(p) {
			t.Fatalf("Offset(%d, %d) = %d, %v, want %d in %q", line, col, off, ok, p, src)
		}
		if col == 1 {
			if s, ok := lt.LineStart(line); !ok || s != Pos(p) {
				t.Fatalf("LineStart(%d) = %d, want %d in %q", line, s, p, src)
			}
		}
		col++
	}
	if _, ok := lt.LineStart(line + 1); ok {
		t.Fatalf("LineStart(%d) exists in %q", line+1, src)
	}
}
