package analysis

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestItemList applies random insertions, removals and shifts to lists of
// several sizes, and compares each version, and the versions it was made
// from, with a flat list the same operations made.
func TestItemList(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	for _, size := range []int{0, 1, 5, itemChunk - 1, itemChunk, 3*itemChunk + 7, 2000} {
		var flat []int32
		for i := range size {
			flat = append(flat, int32(3*i+rng.IntN(3)))
		}
		l := newItemList(slices.Clone(flat))
		type version struct {
			l    itemList
			want []int32
		}
		var versions []version
		for step := range 300 {
			span := int32(3*size + 10)
			i := rng.Int32N(span)
			switch op := rng.IntN(3); op {
			case 0:
				if k, found := slices.BinarySearch(flat, i); !found {
					flat = slices.Insert(slices.Clone(flat), k, i)
				}
				l = l.with(i)
			case 1:
				if rng.IntN(2) == 0 && len(flat) > 0 {
					i = flat[rng.IntN(len(flat))]
				}
				if k, found := slices.BinarySearch(flat, i); found {
					flat = slices.Delete(slices.Clone(flat), k, k+1)
				}
				l = l.without(i)
			default:
				lo := i
				hi := lo + rng.Int32N(5)
				d := rng.Int32N(9) - 4
				d = max(d, lo-hi) // the items [lo, hi) become hi-lo+d >= 0 others
				var next []int32
				for _, x := range flat {
					switch {
					case x < lo:
						next = append(next, x)
					case x >= hi:
						next = append(next, x+d)
					}
				}
				flat = next
				l = l.shift(lo, hi, d)
			}
			versions = append(versions, version{l, flat})
			for _, v := range versions[max(0, len(versions)-5):] { // older versions are unchanged
				if got := v.l.slice(); !slices.Equal(got, v.want) || v.l.len() != len(v.want) {
					t.Fatalf("size %d step %d: list %v (len %d), want %v", size, step, got, v.l.len(), v.want)
				}
			}
			for _, c := range l.chunks {
				if len(c.vals) == 0 || len(c.vals) >= 2*itemChunk {
					t.Fatalf("size %d step %d: a chunk of %d entries", size, step, len(c.vals))
				}
			}
			for range 3 {
				x := rng.Int32N(span)
				if _, want := slices.BinarySearch(flat, x); l.contains(x) != want {
					t.Fatalf("size %d step %d: contains(%d) = %v", size, step, x, !want)
				}
			}
			if first, ok := l.first(); ok != (len(flat) > 0) || ok && first != flat[0] {
				t.Fatalf("size %d step %d: first %d %v", size, step, first, ok)
			}
		}
	}
}

// TestItemListShiftShares checks that a shift shares the chunks before
// the edit and the entries of those after it: its cost is the number of
// chunks, not of entries.
func TestItemListShiftShares(t *testing.T) {
	vals := make([]int32, 10*itemChunk)
	for i := range vals {
		vals[i] = int32(2 * i)
	}
	l := newItemList(vals)
	at := int32(len(vals)) // in the middle
	m := l.shift(at, at+2, 3)
	rebuilt := 0
	for k, c := range m.chunks {
		if &c.vals[0] != &l.chunks[k].vals[0] {
			rebuilt++
		}
	}
	if rebuilt != 1 {
		t.Errorf("%d chunks rebuilt, want 1", rebuilt)
	}
}

// requireIncIndexes checks the indexes an incremental state keeps up to
// date across edits against ones built from its records: the sets of
// names each chunk of records looked up, the items whose walks touch each
// map, and those whose walks expand each macro.
func requireIncIndexes(t *testing.T, s *Snapshot, what string) {
	t.Helper()
	if s.inc == nil {
		return
	}
	items := s.inc.items
	if len(items.looks) != len(items.chunks) {
		t.Fatalf("%s: %d chunks of records, %d sets of looked up names", what, len(items.chunks), len(items.looks))
	}
	for k, c := range items.chunks {
		want := map[dictSet]bool{}
		for _, rec := range c {
			if rec.facts != nil && rec.facts.looked != 0 {
				want[dictSet{rec.facts.dict, rec.facts.looked}] = true
			}
		}
		got := map[dictSet]bool{}
		for _, ds := range items.lookedUp(k) {
			got[ds] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: chunk %d of records looked up %v, its records %v", what, k, got, want)
		}
	}
	for _, idx := range []struct {
		what       string
		kept, made map[string]itemList
	}{
		{"map users", s.inc.mapIdx, buildMapIndex(s.inc.items)},
		{"macro users", s.inc.macroIdx, buildMacroIndex(s.inc.items)},
	} {
		if idx.kept == nil {
			continue
		}
		got, want := map[string][]int32{}, map[string][]int32{}
		for name, l := range idx.kept {
			if !l.empty() {
				got[name] = l.slice()
			}
		}
		for name, l := range idx.made {
			want[name] = l.slice()
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the index of %s differs from one built from the records:\n got %v\nwant %v", what, idx.what, got, want)
		}
	}
}

// TestRecListSetAt checks that replacing several records at once equals
// replacing them one at a time, and leaves the list it was made from as
// it was.
func TestRecListSetAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	recs := make([]*itemRec, 3*recChunk+5)
	for i := range recs {
		recs[i] = &itemRec{}
	}
	l := newRecList(slices.Clone(recs))
	for range 50 {
		var at []int
		var fresh []*itemRec
		one := l
		for i := 0; i < len(recs); i += 1 + rng.IntN(200) {
			at, fresh = append(at, i), append(fresh, &itemRec{})
			one = one.set(i, fresh[len(fresh)-1:])
		}
		got := l.setAt(at, fresh)
		if !slices.Equal(got.slice(0, got.len()), one.slice(0, one.len())) {
			t.Fatal("setAt differs from set one at a time")
		}
		if !slices.Equal(l.slice(0, l.len()), recs) {
			t.Fatal("setAt changed the list it was made from")
		}
		l, recs = got, got.slice(0, got.len())
	}
}
