package analysis

// This file packs a recorded walk (probeFacts) into bytes. A document
// keeps a walk per probe for as long as it is open, and the walk's records
// as Go structs (20 bytes an event, 36 a variable, 8 a reference, plus a
// slice header each) cost more than the probe's text. Packed, every number
// is a varint: dict indexes are small, and positions are relative to the
// probe or to the previous position. Reading a walk decodes it, which
// costs O(walk) like the reading itself.
//
// The layout: a header of six varints (the counts of events, reads and
// variables, and the byte lengths of the events' and reads' parts, then of
// the variables'), then the events, the reads, the variables and their
// references in turn.

import (
	"encoding/binary"
	"iter"
	"sync"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// walkDec reads the varints of a packed walk.
type walkDec struct {
	b []byte
	i int
}

func (d *walkDec) u() uint32 {
	if x := d.b[d.i]; x < 0x80 {
		d.i++
		return uint32(x)
	}
	v, n := binary.Uvarint(d.b[d.i:])
	d.i += n
	return uint32(v)
}

// z reads a signed varint.
func (d *walkDec) z() int32 {
	u := d.u()
	return int32(u>>1) ^ -int32(u&1)
}

// span reads a span whose start is prev plus a signed delta.
func (d *walkDec) span(prev syntax.Pos) syntax.Span {
	start := prev + syntax.Pos(d.z())
	return syntax.Span{Start: start, End: start + syntax.Pos(d.u())}
}

func appendU(b []byte, v uint32) []byte { return binary.AppendUvarint(b, uint64(v)) }

func appendZ(b []byte, v int32) []byte { return appendU(b, uint32(v<<1)^uint32(v>>31)) }

// appendSpan appends s, its start as a delta from prev; s.Start <= s.End.
func appendSpan(b []byte, s syntax.Span, prev syntax.Pos) []byte {
	return appendU(appendZ(b, int32(s.Start-prev)), uint32(s.End-s.Start))
}

// walkHeader is what a packed walk's header says.
type walkHeader struct {
	events, reads, syms int // counts
	evAt, readAt, symAt int // where each part starts
	refAt               int
}

func (pf *probeFacts) header() (walkHeader, walkDec) {
	d := walkDec{b: pf.enc}
	if len(pf.enc) == 0 {
		return walkHeader{}, d
	}
	h := walkHeader{events: int(d.u()), reads: int(d.u()), syms: int(d.u())}
	evLen, readLen, symLen := int(d.u()), int(d.u()), int(d.u())
	h.evAt = d.i
	h.readAt = h.evAt + evLen
	h.symAt = h.readAt + readLen
	h.refAt = h.symAt + symLen
	return h, d
}

// walkPacker packs walks; its buffers are reused from one walk to the
// next, and from one pass to the next (packers), so that a keystroke's
// walk allocates only what it keeps.
type walkPacker struct {
	out, ev, rd, sy []byte
	// syms and refs are scratch for factRecorder.finish.
	syms []factSym
	refs []syntax.Span
}

var packers = sync.Pool{New: func() any { return new(walkPacker) }}

// pack returns the packed form of a walk, valid until the next call. The
// spans are relative to the probe and not reversed.
func (p *walkPacker) pack(reads []factRead, events []factEvent, syms []factSym, refs []syntax.Span) []byte {
	if len(reads) == 0 && len(events) == 0 && len(syms) == 0 {
		return nil
	}
	b, ev, rd, sy := p.out[:0], p.ev[:0], p.rd[:0], p.sy[:0]
	defer func() { p.out, p.ev, p.rd, p.sy = b, ev, rd, sy }()
	prev := syntax.Pos(0)
	for _, e := range events {
		ev = appendU(ev, uint32(e.kind)|e.name<<2)
		switch e.kind {
		case factMapUse:
			ev = appendU(ev, e.use)
			fallthrough
		case factMacroRef:
			ev = appendSpan(ev, e.span, prev)
			prev = e.span.Start
		}
	}
	for _, r := range reads {
		rd = appendU(appendU(rd, r.name), r.state)
	}
	for _, s := range syms {
		for _, v := range [...]uint32{s.kind, s.name, s.typ, s.key, s.detail} {
			sy = appendU(sy, v)
		}
		sy = appendSpan(sy, s.def, 0)
		sy = appendU(sy, s.n)
	}
	for _, v := range [...]int{len(events), len(reads), len(syms), len(ev), len(rd), len(sy)} {
		b = appendU(b, uint32(v))
	}
	b = append(append(append(b, ev...), rd...), sy...)
	prev = 0
	for _, r := range refs {
		b = appendSpan(b, r, prev)
		prev = r.Start
	}
	return b
}

// events yields the walk's events in order; the index counts them.
func (pf *probeFacts) events() iter.Seq2[int, factEvent] {
	return func(yield func(int, factEvent) bool) {
		h, d := pf.header()
		prev := syntax.Pos(0)
		for k := range h.events {
			x := d.u()
			ev := factEvent{kind: factKind(x & 3), name: x >> 2}
			switch ev.kind {
			case factMapUse:
				ev.use = d.u()
				fallthrough
			case factMacroRef:
				ev.span = d.span(prev)
				prev = ev.span.Start
			}
			if !yield(k, ev) {
				return
			}
		}
	}
}

// reads yields the maps the walk touched, as earlier items left them.
func (pf *probeFacts) reads() iter.Seq2[int, factRead] {
	return func(yield func(int, factRead) bool) {
		h, d := pf.header()
		d.i = h.readAt
		for k := range h.reads {
			if !yield(k, factRead{name: d.u(), state: d.u()}) {
				return
			}
		}
	}
}

// numReads is how many maps the walk touched.
func (pf *probeFacts) numReads() int {
	h, _ := pf.header()
	return h.reads
}

// numSyms is how many variables the walk defined.
func (pf *probeFacts) numSyms() int {
	h, _ := pf.header()
	return h.syms
}

// syms returns the variables the walk defined, in their final state; their
// references are refs()[first:first+n].
func (pf *probeFacts) syms() []factSym {
	h, d := pf.header()
	if h.syms == 0 {
		return nil
	}
	d.i = h.symAt
	out := make([]factSym, h.syms)
	first := uint32(0)
	for k := range out {
		s := &out[k]
		s.kind, s.name, s.typ, s.key, s.detail = d.u(), d.u(), d.u(), d.u(), d.u()
		s.def = d.span(0)
		s.first, s.n = first, d.u()
		first += s.n
	}
	return out
}

// refs returns the references of the walk's variables, relative to the
// probe.
func (pf *probeFacts) refs() []syntax.Span {
	h, d := pf.header()
	if h.syms == 0 {
		return nil
	}
	d.i = h.refAt
	out := make([]syntax.Span, 0, (len(d.b)-d.i)/2) // two bytes at least each
	prev := syntax.Pos(0)
	for d.i < len(d.b) {
		s := d.span(prev)
		prev = s.Start
		out = append(out, s)
	}
	return out
}
