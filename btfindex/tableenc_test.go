package btfindex

import (
	"fmt"
	"reflect"
	"testing"
)

func TestTableBuilderDeduplicates(t *testing.T) {
	t.Parallel()
	i32 := Type{C: "int", Kind: KindInt, Size: 4, Signed: true}
	full := &Record{Name: "x", Size: 4, Members: []Member{{Name: "a", Type: i32}}}
	b := newTableBuilder()
	b.addRecord(&Record{Name: "x"})                                                                  // a declaration seen first
	b.addRecord(full)                                                                                // replaces it
	b.addRecord(&Record{Name: "x", Size: 8, Members: []Member{{Name: "other", Type: i32}}})          // a later definition loses
	b.addRecord(&Record{Name: "x", Union: true, Size: 4, Members: []Member{{Name: "u", Type: i32}}}) // a union of the same name is separate
	b.addRecord(&Record{Name: "w", Size: 4, Members: []Member{{Name: "b", Type: i32}}})
	b.addFunc(&Func{Name: "f", Return: i32})
	b.addFunc(&Func{Name: "f", Return: Type{C: "void", Kind: KindVoid}}) // first wins
	b.addTypedef("t", i32)
	b.addTypedef("t", Type{C: "long", Kind: KindInt, Size: 8})
	b.setTraceable([]string{"f", "g", "f"})
	tab, err := decodeTable(b.bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := tab.Record("x"); !ok || !reflect.DeepEqual(got, full) {
		t.Errorf("Record(x) = %+v, %v; want %+v", got, ok, full)
	}
	if got, ok := tab.Record("union x"); !ok || !got.Union || got.Members[0].Name != "u" {
		t.Errorf("Record(union x) = %+v, %v", got, ok)
	}
	if got := completeList(tab.names(NameRecord), "", 0); !reflect.DeepEqual(got, []string{"w", "x"}) {
		t.Errorf("record names = %q", got)
	}
	if f, ok := tab.Func("f"); !ok || f.Return.C != "int" {
		t.Errorf("Func(f) = %+v, %v", f, ok)
	}
	if td, ok := tab.Typedef("t"); !ok || td.C != "int" {
		t.Errorf("Typedef(t) = %+v, %v", td, ok)
	}
	if tab.Traceable("g") != TraceYes || tab.Traceable("h") != TraceNo || tab.secs[secTraceable].n() != 2 {
		t.Errorf("traceable list: g %d, h %d, %d entries", tab.Traceable("g"), tab.Traceable("h"), tab.secs[secTraceable].n())
	}
}

// TestTableBuilderInternsStrings checks the string table across its growth:
// one id per distinct string, stable, and the bytes read back.
func TestTableBuilderInternsStrings(t *testing.T) {
	t.Parallel()
	b := newTableBuilder()
	ids := map[string]uint32{}
	for i := range 5000 {
		s := fmt.Sprintf("name%d", i%3000)
		id := b.str(s)
		if prev, ok := ids[s]; ok && prev != id {
			t.Fatalf("%q: id %d, then %d", s, prev, id)
		}
		ids[s] = id
	}
	if b.strings.n() != 3001 || b.str("") != 0 {
		t.Fatalf("%d strings, want 3000 and the empty one", b.strings.n())
	}
	for s, id := range ids {
		if got := string(b.strAt(id)); got != s {
			t.Fatalf("string %d = %q, want %q", id, got, s)
		}
	}
}
