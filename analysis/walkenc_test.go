package analysis

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestPackedWalkRoundTrip packs walks of every shape, with large indexes
// and positions and spans out of order, and requires reading them back
// to give what was packed.
func TestPackedWalkRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	num := func() uint32 {
		switch r.IntN(3) {
		case 0:
			return uint32(r.IntN(100))
		case 1:
			return uint32(r.IntN(1 << 20))
		}
		return r.Uint32() >> 1
	}
	span := func() syntax.Span {
		start := syntax.Pos(num() >> 1)
		return syntax.Span{Start: start, End: start + syntax.Pos(r.IntN(3)*int(num()>>2))}
	}
	var p walkPacker
	for k := range 2000 {
		var reads []factRead
		var events []factEvent
		var syms []factSym
		var refs []syntax.Span
		for range r.IntN(5) {
			reads = append(reads, factRead{name: num(), state: num()})
		}
		for range r.IntN(12) {
			ev := factEvent{kind: factKind(r.IntN(3))}
			switch ev.kind {
			case factMapUse:
				ev.name, ev.use, ev.span = num()>>2, num(), span()
			case factMacroRef:
				ev.name, ev.span = num()>>2, span()
			case factSymbol:
				syms = append(syms, factSym{kind: num(), name: num(), typ: num(), key: num(), detail: num(), def: span(),
					first: uint32(len(refs)), n: uint32(r.IntN(4))})
				for range syms[len(syms)-1].n {
					refs = append(refs, span())
				}
			}
			events = append(events, ev)
		}
		pf := &probeFacts{enc: append([]byte(nil), p.pack(reads, events, syms, refs)...)}
		var gotReads []factRead
		for i, rd := range pf.reads() {
			if i != len(gotReads) {
				t.Fatalf("walk %d: read %d yielded as %d", k, len(gotReads), i)
			}
			gotReads = append(gotReads, rd)
		}
		var gotEvents []factEvent
		for _, ev := range pf.events() {
			gotEvents = append(gotEvents, ev)
		}
		if !reflect.DeepEqual(gotReads, reads) || !reflect.DeepEqual(gotEvents, events) || pf.numReads() != len(reads) || pf.numSyms() != len(syms) {
			t.Fatalf("walk %d: reads %v events %v, want %v %v", k, gotReads, gotEvents, reads, events)
		}
		if gotSyms, gotRefs := pf.syms(), pf.refs(); len(syms) > 0 && (!slices.Equal(gotSyms, syms) || !slices.Equal(gotRefs, refs)) {
			t.Fatalf("walk %d: syms %v refs %v, want %v %v", k, gotSyms, gotRefs, syms, refs)
		}
		for range pf.events() { // a loop that stops early
			break
		}
	}
}
