package lsp

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

// mapperText has a surrogate pair (😀, 4 bytes, 2 UTF-16 units), a 2-byte
// character (é), CRLF, a lone CR, and no final newline.
//
//	line 0: "a😀b"  bytes 0..6,  then "\r\n"
//	line 1: "é=1"   bytes 8..12, then "\r"
//	line 2: "x"     bytes 13..14, then "\n"
//	line 3: ""      byte 15 (end)
const mapperText = "a😀b\r\né=1\rx\n"

func TestMapperPositionOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		enc  Encoding
		pos  protocol.Position
		want syntax.Pos
		err  error
	}{
		{"utf16 start", UTF16, pos(0, 0), 0, nil},
		{"utf16 before emoji", UTF16, pos(0, 1), 1, nil},
		{"utf16 inside surrogate pair snaps to its start", UTF16, pos(0, 2), 1, nil},
		{"utf16 after emoji", UTF16, pos(0, 3), 5, nil},
		{"utf16 end of line", UTF16, pos(0, 4), 6, nil},
		{"utf16 past end of line clamps before CRLF", UTF16, pos(0, 99), 6, nil},
		{"utf16 after two-byte char", UTF16, pos(1, 1), 10, nil},
		{"utf16 line after lone CR", UTF16, pos(2, 0), 13, nil},
		{"utf16 past end of CR line", UTF16, pos(1, 9), 12, nil},
		{"utf16 empty last line", UTF16, pos(3, 0), 15, nil},
		{"utf16 line past the end", UTF16, pos(4, 0), syntax.NoPos, ErrPositionOutOfRange},
		{"utf8 after emoji", UTF8, pos(0, 5), 5, nil},
		{"utf8 inside emoji snaps to its start", UTF8, pos(0, 3), 1, nil},
		{"utf8 after two-byte char", UTF8, pos(1, 2), 10, nil},
		{"utf8 past end of line", UTF8, pos(2, 7), 14, nil},
		{"utf8 line past the end", UTF8, pos(9, 0), syntax.NoPos, ErrPositionOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewMapper([]byte(mapperText), tc.enc).PositionOffset(tc.pos)
			if !errors.Is(err, tc.err) {
				t.Fatalf("PositionOffset(%v) error = %v, want %v", tc.pos, err, tc.err)
			}
			if got != tc.want {
				t.Errorf("PositionOffset(%v) = %d, want %d", tc.pos, got, tc.want)
			}
		})
	}
}

func TestMapperOffsetPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		enc  Encoding
		off  syntax.Pos
		want protocol.Position
		err  error
	}{
		{"utf16 after emoji", UTF16, 5, pos(0, 3), nil},
		{"utf16 inside emoji", UTF16, 3, pos(0, 1), nil},
		{"utf16 on CR of CRLF", UTF16, 6, pos(0, 4), nil},
		{"utf16 on LF of CRLF", UTF16, 7, pos(0, 4), nil},
		{"utf16 start of line 1", UTF16, 8, pos(1, 0), nil},
		{"utf16 after é", UTF16, 10, pos(1, 1), nil},
		{"utf16 on lone CR", UTF16, 12, pos(1, 3), nil},
		{"utf16 after lone CR", UTF16, 13, pos(2, 0), nil},
		{"utf16 end", UTF16, 15, pos(3, 0), nil},
		{"utf16 past the end", UTF16, 16, protocol.Position{}, ErrOffsetOutOfRange},
		{"negative", UTF16, -1, protocol.Position{}, ErrOffsetOutOfRange},
		{"utf8 after emoji", UTF8, 5, pos(0, 5), nil},
		{"utf8 after é", UTF8, 10, pos(1, 2), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewMapper([]byte(mapperText), tc.enc).OffsetPosition(tc.off)
			if !errors.Is(err, tc.err) {
				t.Fatalf("OffsetPosition(%d) error = %v, want %v", tc.off, err, tc.err)
			}
			if got != tc.want {
				t.Errorf("OffsetPosition(%d) = %v, want %v", tc.off, got, tc.want)
			}
		})
	}
}

func TestMapperRanges(t *testing.T) {
	t.Parallel()
	m := NewMapper([]byte(mapperText), UTF16)
	r, err := m.SpanRange(syntax.Span{Start: 1, End: 10})
	if err != nil {
		t.Fatal(err)
	}
	if want := (protocol.Range{Start: pos(0, 1), End: pos(1, 1)}); r != want {
		t.Errorf("SpanRange = %v, want %v", r, want)
	}
	sp, err := m.RangeSpan(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := (syntax.Span{Start: 1, End: 10}); sp != want {
		t.Errorf("RangeSpan = %v, want %v", sp, want)
	}
	if _, err := m.RangeSpan(protocol.Range{Start: pos(1, 0), End: pos(0, 0)}); !errors.Is(err, ErrInvertedRange) {
		t.Errorf("inverted range: error = %v, want ErrInvertedRange", err)
	}
	if _, err := m.SpanRange(syntax.Span{Start: 3, End: 2}); !errors.Is(err, ErrInvertedRange) {
		t.Errorf("inverted span: error = %v, want ErrInvertedRange", err)
	}
	if _, err := m.SpanRange(syntax.Span{Start: 0, End: 99}); !errors.Is(err, ErrOffsetOutOfRange) {
		t.Errorf("span past the end: error = %v, want ErrOffsetOutOfRange", err)
	}
}

// FuzzMapper checks that every offset at a character boundary survives
// offset → position → offset, in both encodings, that the one-pass cursor
// agrees with OffsetPosition, and that no input panics.
func FuzzMapper(f *testing.F) {
	for _, s := range []string{"", mapperText, "ascii only\r\nline two", "\r\r\n\n", "x\xff\xfe😀\r", "BEGIN { printf(\"%s\\n\", \"日本\"); }\r\n"} {
		f.Add(s, uint32(0), uint32(1))
	}
	f.Fuzz(func(t *testing.T, text string, line, char uint32) {
		for _, enc := range []Encoding{UTF16, UTF8} {
			m := NewMapper([]byte(text), enc)
			for off := 0; off <= len(text); off++ {
				if !boundary(text, off) {
					continue
				}
				p, err := m.OffsetPosition(syntax.Pos(off))
				if err != nil {
					t.Fatalf("%v: OffsetPosition(%d): %v", enc, off, err)
				}
				back, err := m.PositionOffset(p)
				if err != nil {
					t.Fatalf("%v: PositionOffset(%v): %v", enc, p, err)
				}
				if int(back) != off {
					t.Fatalf("%v: offset %d → %v → %d in %q", enc, off, p, back, text)
				}
			}
			c := newCursor(m)
			for off := 0; off <= len(text); off++ {
				want, err := m.OffsetPosition(syntax.Pos(off))
				if err != nil {
					t.Fatalf("%v: OffsetPosition(%d): %v", enc, off, err)
				}
				if got, _ := c.position(syntax.Pos(off)); got != want {
					t.Fatalf("%v: cursor at %d = %v, OffsetPosition = %v, in %q", enc, off, got, want, text)
				}
			}
			if off, err := m.PositionOffset(pos(line, char)); err == nil && (off < 0 || int(off) > len(text)) {
				t.Fatalf("%v: PositionOffset(%d:%d) = %d, outside the text", enc, line, char, off)
			}
		}
	})
}

// boundary reports whether off starts a character and is not inside a line
// terminator (a position cannot name the LF of a CRLF, or the terminator
// itself, other than as the end of the line).
func boundary(text string, off int) bool {
	if off == len(text) {
		return true
	}
	if !utf8.RuneStart(text[off]) {
		return false
	}
	if off > 0 && text[off] == '\n' && text[off-1] == '\r' {
		return false
	}
	return true
}

// TestMapperEdit checks that a Mapper derived by Edit has the line table a
// fresh Mapper of the new text builds, over random edits mixing line
// terminators ("\n", "\r\n", a lone "\r") and multi-byte text, and edits
// that split or join a "\r\n".
func TestMapperEdit(t *testing.T) {
	t.Parallel()
	pieces := []string{"a", "bc", "\n", "\r", "\r\n", "é", "𝄞", "", "x\ny", "\r\r\n\n"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 3000 {
		var text []byte
		for range rng.IntN(12) {
			text = append(text, pieces[rng.IntN(len(pieces))]...)
		}
		for _, enc := range []Encoding{UTF16, UTF8} {
			m := NewMapper(text, enc) // edits across chunks: syntax.FuzzLineTable
			if round%2 == 1 {
				m.useLines(syntax.NewLineTable(text)) // the parser's table, where it counts the same lines
			}
			start := rng.IntN(len(text) + 1)
			end := start + rng.IntN(len(text)-start+1)
			ins := pieces[rng.IntN(len(pieces))] + pieces[rng.IntN(len(pieces))]
			next := append(append(slices.Clip(text[:start]), ins...), text[end:]...)
			got := m.Edit(syntax.Span{Start: syntax.Pos(start), End: syntax.Pos(end)}, ins, m.text.Edit(start, end, []byte(ins)))
			want := NewMapper(next, enc)
			if !slices.Equal(got.lineStarts(), want.lineStarts()) {
				t.Fatalf("round %d: %q with [%d,%d) replaced by %q = %q: lines %v, want %v",
					round, text, start, end, ins, next, got.lineStarts(), want.lineStarts())
			}
			for off := 0; off <= len(next); off++ {
				p1, err1 := got.OffsetPosition(syntax.Pos(off))
				p2, err2 := want.OffsetPosition(syntax.Pos(off))
				if p1 != p2 || (err1 == nil) != (err2 == nil) {
					t.Fatalf("round %d: offset %d of %q: %v, want %v", round, off, next, p1, p2)
				}
			}
			text = next
		}
	}
}

// lineStarts returns the offset of every line's first byte.
func (m *Mapper) lineStarts() []syntax.Pos {
	starts := make([]syntax.Pos, m.lineCount())
	for i := range starts {
		starts[i] = syntax.Pos(m.lineStart(i))
	}
	return starts
}

// TestMapperUsesParserLines checks that a Mapper takes the syntax tree's
// line table, which ends lines at '\n' only, exactly when the text has no
// lone '\r', and that a document's Mapper takes its tree's.
func TestMapperUsesParserLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text  string
		share bool
	}{
		{"BEGIN {}\n", true},
		{"a\r\nb\r\n", true},
		{"", true},
		{"a\rb\n", false},
		{"a\r", false},
		{"a\r\r\n", false},
	} {
		lt := syntax.NewLineTable([]byte(tc.text))
		m := NewMapper([]byte(tc.text), UTF16)
		m.useLines(lt)
		if got := m.index() == lt; got != tc.share {
			t.Errorf("%q: shares the parser's table: %v, want %v", tc.text, got, tc.share)
		}
		if want := NewMapper([]byte(tc.text), UTF16); !slices.Equal(m.lineStarts(), want.lineStarts()) {
			t.Errorf("%q: lines %v, want %v", tc.text, m.lineStarts(), want.lineStarts())
		}
	}
	st := newStore(t.Context(), zap.NewNop(), analysis.Config{Dialect: syntax.NewestDialect()})
	d := st.open("file:///a.bt", 1, rope.New([]byte("BEGIN { exit(); }\r\nEND {}\n")))
	if f := d.File(); d.Mapper.index() != f.Lines {
		t.Error("a document's Mapper keeps a line table of its own beside its tree's")
	}
}
