package syntax

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// reparseCorpus returns our own scripts to edit: the bench template and
// every script under testdata/syntax.
func reparseCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob("../../testdata/syntax/*/*.bt")
	files = append(files, "../../testdata/bench/probes.bt")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name)] = src
	}
	return out
}

// randomEdit returns an edit of src: a random insertion, deletion or
// replacement, of single bytes, of syntax fragments, or of whole lines.
func randomEdit(r *rand.Rand, src []byte) Edit {
	fragments := []string{"{", "}", "(", ")", "/", "\"", ";", "\n", " ", ":", ",", "$", "@", "#",
		"kprobe:f ", "if (", "else", "/*", "*/", "//", "BEGIN {", "struct ", "macro m(", "fn f(",
		"let @m = hash(1)", "config = {", "import \"x\";", "\n}\n", "0x", "1ms", "?:", "->", "..",
		"\\", "'", "\x00", "é"}
	n := len(src)
	a := r.IntN(n + 1)
	b := a
	switch r.IntN(4) {
	case 0: // delete a few bytes
		b = min(n, a+r.IntN(4)+1)
		return Edit{Span: Span{Pos(a), Pos(b)}}
	case 1: // delete up to a line or two
		b = min(n, a+r.IntN(80))
	case 2: // replace one byte
		b = min(n, a+1)
	}
	var text []byte
	if r.IntN(3) == 0 {
		text = []byte{byte(r.IntN(128))}
	} else {
		text = []byte(fragments[r.IntN(len(fragments))])
	}
	return Edit{Span: Span{Pos(a), Pos(b)}, NewText: text}
}

func applyEdit(src []byte, e Edit) []byte {
	out := slices.Clone(src[:e.Span.Start])
	out = append(out, e.NewText...)
	return append(out, src[e.Span.End:]...)
}

// TestReparseEqualsParse applies chains of random edits to real scripts and
// checks after each that Reparse gives the same tree, comments, errors and
// line table as a full Parse, and that the old File is left untouched.
func TestReparseEqualsParse(t *testing.T) {
	t.Parallel()
	corpus := reparseCorpus(t)
	if len(corpus) == 0 {
		t.Fatal("no scripts found")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for name, src := range corpus {
		for _, d := range []Dialect{NewestDialect(), {Version: V0_17}} {
			f := Parse(name, src, d)
			for range 150 {
				e := randomEdit(r, f.Src)
				oldDump := Dump(f)
				got := Reparse(f, e)
				if Dump(f) != oldDump {
					t.Fatalf("%s: Reparse modified the old file (edit %+v %q)", name, e.Span, e.NewText)
				}
				want := Parse(name, applyEdit(f.Src, e), d)
				checkSameFile(t, name, e, got, want)
				f = got
			}
		}
	}
}

func checkSameFile(t *testing.T, name string, e Edit, got, want *File) {
	t.Helper()
	if string(got.Src) != string(want.Src) {
		t.Fatalf("%s: sources differ after edit %+v", name, e.Span)
	}
	if g, w := Dump(got), Dump(want); g != w {
		t.Fatalf("%s: edit %+v %q: Reparse differs from Parse\nsource:\n%s\n--- reparse:\n%s\n--- parse:\n%s", name, e.Span, e.NewText, want.Src, g, w)
	}
	if !slices.Equal(got.Lines.starts, want.Lines.starts) || got.Lines.size != want.Lines.size {
		t.Fatalf("%s: edit %+v: line tables differ", name, e.Span)
	}
}
