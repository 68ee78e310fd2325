// This file implements the compact form in which a FileCache keeps one
// item's results: its outline entry, its folds and its semantic tokens,
// as varints in one string, every position relative to the item's start.
// A 2 MB script has about 240,000 tokens: held as SemTokens they would
// take 1.4 times its text, encoded (about two bytes each) a sixth of that.

package ide

import (
	"github.com/bpfls/bpfls/analysis/syntax"
)

// itemData is an item's encoded results: the lengths of the symbol and
// fold parts, then the symbol (absent when the item has none), the folds
// and the tokens.
type itemData string

// encodeItem appends to buf the results of it, the item of f that starts
// at base.
func encodeItem(buf []byte, f *syntax.File, it syntax.Item, base syntax.Pos) []byte {
	w := itemWriter{f: f, base: base}
	if sym, ok := itemSymbol(it); ok {
		w.symbol(sym)
	}
	syms := w.take()
	folds := appendItemFolds(nil, f, it)
	sortFolds(folds)
	for _, fd := range folds {
		w.buf = append(w.buf, byte(fd.Kind))
		w.span(fd.Span)
	}
	fs := w.take()
	prev := base
	for _, t := range itemTokens(f, it) {
		w.token(t, prev)
		prev = t.Span.End
	}
	toks := w.take()
	w.uvarint(uint64(len(syms)))
	w.uvarint(uint64(len(fs)))
	buf = append(buf, w.buf...)
	buf = append(buf, syms...)
	buf = append(buf, fs...)
	return append(buf, toks...)
}

// parts splits d, an item of f, into its symbol, fold and token parts,
// each read from base.
func (d itemData) parts(f *syntax.File, base syntax.Pos) (syms, folds, toks itemReader) {
	r := itemReader{s: string(d)}
	ns := int(r.uvarint())
	nf := int(r.uvarint())
	s := r.s
	return itemReader{f: f, s: s[:ns], base: base}, itemReader{s: s[ns : ns+nf], base: base}, itemReader{s: s[ns+nf:], base: base}
}

// itemWriter encodes positions relative to base, in f.
type itemWriter struct {
	f    *syntax.File
	buf  []byte
	base syntax.Pos
}

// take returns what was written since the last take.
func (w *itemWriter) take() []byte {
	b := w.buf
	w.buf = nil
	return b
}

func (w *itemWriter) uvarint(v uint64) {
	for v >= 0x80 {
		w.buf = append(w.buf, byte(v)|0x80)
		v >>= 7
	}
	w.buf = append(w.buf, byte(v))
}

// pos writes a valid position relative to base, an invalid one as it is
// (moving an item leaves its invalid positions alone).
func (w *itemWriter) pos(p syntax.Pos) {
	v, valid := int64(p), uint64(0)
	if p.IsValid() {
		v, valid = int64(p-w.base), 1
	}
	w.uvarint(uint64(v<<1^v>>63)<<1 | valid)
}

func (w *itemWriter) span(s syntax.Span) {
	w.pos(s.Start)
	w.pos(s.End)
}

// token writes t, which starts gap bytes after prev, the previous token's
// end: a small gap and length (most tokens) share one byte, a top nibble
// of 15 marks both written as varints. A last byte holds the type, the
// modifiers and the shadowable mark.
func (w *itemWriter) token(t SemToken, prev syntax.Pos) {
	gap, n := int64(t.Span.Start-prev), uint64(t.Span.End-t.Span.Start)
	if gap >= 0 && gap < 15 && n < 16 {
		w.buf = append(w.buf, byte(gap)<<4|byte(n))
	} else {
		w.buf = append(w.buf, 0xf0)
		w.uvarint(uint64(gap<<1 ^ gap>>63))
		w.uvarint(n)
	}
	w.buf = append(w.buf, byte(t.Type)|byte(t.Mods&^semModShadowable)<<4|byte(t.Mods&semModShadowable))
}

func (w *itemWriter) str(s string) {
	w.uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// symbol writes s. Most names are their NameSpan's text, which the File
// keeps: they are written as a mark, which halves an outline's size.
func (w *itemWriter) symbol(s DocSymbol) {
	w.buf = append(w.buf, byte(s.Kind))
	w.span(s.Span)
	w.span(s.NameSpan)
	if w.f.SpanText(s.NameSpan) == s.Name {
		w.uvarint(0)
	} else {
		w.uvarint(uint64(len(s.Name)) + 1)
		w.buf = append(w.buf, s.Name...)
	}
	w.str(s.Detail)
	w.uvarint(uint64(len(s.Children)))
	for _, c := range s.Children {
		w.symbol(c)
	}
}

// itemReader decodes what an itemWriter wrote, from base, in f.
type itemReader struct {
	f    *syntax.File
	s    string
	base syntax.Pos
}

func (r *itemReader) more() bool { return len(r.s) > 0 }

func (r *itemReader) u8() byte {
	b := r.s[0]
	r.s = r.s[1:]
	return b
}

func (r *itemReader) uvarint() uint64 {
	var v uint64
	for shift := 0; ; shift += 7 {
		b := r.u8()
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
}

func (r *itemReader) pos() syntax.Pos {
	u := r.uvarint()
	z := u >> 1
	v := int64(z>>1) ^ -int64(z&1)
	if u&1 == 1 {
		return r.base + syntax.Pos(v)
	}
	return syntax.Pos(v)
}

func (r *itemReader) span() syntax.Span {
	start := r.pos()
	return syntax.Span{Start: start, End: r.pos()}
}

// str returns a part of the encoded string, which it shares.
func (r *itemReader) str() string {
	n := int(r.uvarint())
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *itemReader) symbol() DocSymbol {
	s := DocSymbol{Kind: DocSymbolKind(r.u8()), Span: r.span(), NameSpan: r.span()}
	if n := int(r.uvarint()); n == 0 {
		s.Name = r.f.SpanText(s.NameSpan)
	} else {
		s.Name, r.s = r.s[:n-1], r.s[n-1:]
	}
	s.Detail = r.str()
	if n := int(r.uvarint()); n > 0 {
		s.Children = make([]DocSymbol, n)
		for i := range s.Children {
			s.Children[i] = r.symbol()
		}
	}
	return s
}

func (r *itemReader) fold() Fold {
	k := FoldKind(r.u8())
	return Fold{Kind: k, Span: r.span()}
}

// token decodes the next token; base is the previous token's end, or the
// item's start for the first.
func (r *itemReader) token() SemToken {
	gap, n := int64(0), uint64(0)
	if b := r.u8(); b>>4 != 15 {
		gap, n = int64(b>>4), uint64(b&15)
	} else {
		z := r.uvarint()
		gap, n = int64(z>>1)^-int64(z&1), r.uvarint()
	}
	start := r.base + syntax.Pos(gap)
	end := start + syntax.Pos(n)
	b := r.u8()
	r.base = end
	return SemToken{Span: syntax.Span{Start: start, End: end}, Type: SemTokenType(b & 0x0f), Mods: SemTokenMod(b>>4&0x07) | SemTokenMod(b&0x80)}
}
