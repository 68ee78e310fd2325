package syntax

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var reparseSeed = flag.Int("reparse.seed", 1, "random seed for TestReparseEqualsParse")

var reparseEdits = flag.Int("reparse.edits", 100, "random edits per script and dialect in TestReparseEqualsParse")

// reparseCorpus returns the scripts to edit: our bench template, every
// script under testdata/syntax, and bpftrace's tools when
// BPFLS_BPFTRACE_TOOLS names a directory of them (see TestBpftraceTools).
func reparseCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob("../../testdata/syntax/*/*.bt")
	files = append(files, "../../testdata/bench/probes.bt")
	if dir := os.Getenv("BPFLS_BPFTRACE_TOOLS"); dir != "" {
		tools, _ := filepath.Glob(filepath.Join(dir, "*.bt"))
		files = append(files, tools...)
	}
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
	r := rand.New(rand.NewPCG(uint64(*reparseSeed), 2))
	total, reused, fresh := 0, 0, 0
	for name, src := range corpus {
		for _, d := range []Dialect{NewestDialect(), {Version: V0_17}} {
			var f *File
			for i := range *reparseEdits {
				if i%10 == 0 { // chains of ten edits from the intact script
					f = Parse(name, src, d)
				}
				e := randomEdit(r, f.Src())
				var oldDump string
				if i%10 == 5 { // now and then, check that the old File stays as it was
					oldDump = Dump(f)
				}
				got := Reparse(f, e)
				if oldDump != "" && Dump(f) != oldDump {
					t.Fatalf("%s: Reparse modified the old file (edit %+v %q)", name, e.Span, e.NewText)
				}
				want := Parse(name, applyEdit(f.Src(), e), d)
				checkSameFile(t, name, e, got, want)
				total++
				if got.reparsed >= 0 {
					reused++
					fresh += got.reparsed
				}
				f = got
			}
		}
	}
	// Most edits must take the incremental path, not the full-parse fallback.
	if reused*10 < total*8 {
		t.Errorf("only %d of %d edits were re-parsed incrementally", reused, total)
	}
	t.Logf("%d of %d edits re-parsed incrementally, %.1f items each", reused, total, float64(fresh)/float64(max(reused, 1)))
}

func checkSameFile(t *testing.T, name string, e Edit, got, want *File) {
	t.Helper()
	if string(got.Src()) != string(want.Src()) {
		t.Fatalf("%s: sources differ after edit %+v", name, e.Span)
	}
	g, w := Dump(got), Dump(want)
	if g != w {
		t.Fatalf("%s: edit %+v %q: Reparse differs from Parse\nsource:\n%s\n--- reparse:\n%s\n--- parse:\n%s", name, e.Span, e.NewText, want.Src(), g, w)
	}
	forgetItems(got) // as if collected: each item is then parsed alone, where it now is
	if g := Dump(got); g != w {
		t.Fatalf("%s: edit %+v %q: items parsed again differ from Parse\nsource:\n%s\n--- parsed again:\n%s\n--- parse:\n%s", name, e.Span, e.NewText, want.Src(), g, w)
	}
	if msg := headsDiffer(got, want); msg != "" {
		t.Fatalf("%s: edit %+v %q: %s", name, e.Span, e.NewText, msg)
	}
	if !slices.Equal(got.Lines.flat(), want.Lines.flat()) || got.Lines.size != want.Lines.size || got.Lines.Lines() != want.Lines.Lines() {
		t.Fatalf("%s: edit %+v: line tables differ", name, e.Span)
	}
}

// TestReparseConcurrent re-parses one old File from several goroutines,
// as snapshots sharing it would; run with -race it proves Reparse only
// reads the old File.
func TestReparseConcurrent(t *testing.T) {
	t.Parallel()
	src := benchScript(t, 300)
	old := Parse("c.bt", src, NewestDialect())
	want := Dump(old)
	done := make(chan string)
	for i := range 4 {
		go func() {
			at := Pos(len(src) * (i + 1) / 5)
			e := Edit{Span: Span{at, at}, NewText: []byte("\n")}
			got := Reparse(old, e)
			if Dump(got) != Dump(Parse("c.bt", applyEdit(src, e), NewestDialect())) {
				done <- "Reparse differs from Parse"
				return
			}
			done <- ""
		}()
	}
	for range 4 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	if Dump(old) != want {
		t.Error("the old File changed")
	}
}

// TestReparseBadSpan checks that an edit span outside the source is
// clamped instead of panicking.
func TestReparseBadSpan(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { @a = 1; }\nEND { }\n")
	f := Parse("b.bt", src, NewestDialect())
	for _, sp := range []Span{{-5, 2}, {10, 5}, {20, 999}, {999, 1000}} {
		got := Reparse(f, Edit{Span: sp, NewText: []byte("x")})
		a, b := clampEdit(int(sp.Start), int(sp.End), len(src))
		want := Parse("b.bt", applyEdit(src, Edit{Span: Span{Pos(a), Pos(b)}, NewText: []byte("x")}), NewestDialect())
		if Dump(got) != Dump(want) {
			t.Errorf("span %v: Reparse differs from Parse of the clamped edit", sp)
		}
	}
}

// TestConfigEditReparsesItAlone requires that an edit inside the config
// block or the C part re-parses that item only: the parser reads nothing
// of their meaning.
func TestConfigEditReparsesItAlone(t *testing.T) {
	src := "struct S { int x; };\nconfig = { max_strlen = 64 }\nBEGIN { @a = 1; }\nkprobe:f { @b = 2; }\n"
	f := Parse("config.bt", []byte(src), NewestDialect())
	at := func(s string) Pos { return Pos(strings.Index(src, s)) }
	for _, tc := range []struct {
		name         string
		edit         Edit
		lo, hi       int
		reparsedFrom bool
	}{
		{"config value", Edit{Span: Span{Start: at("64"), End: at("64") + 2}, NewText: []byte("128")}, 1, 2, true},
		{"config key", Edit{Span: Span{Start: at("64") + 2, End: at("64") + 2}, NewText: []byte("; missing_probes = warn")}, 1, 2, true},
		{"C part", Edit{Span: Span{Start: at("x;"), End: at("x;") + 1}, NewText: []byte("y")}, 0, 1, true},
		{"C part grows", Edit{Span: Span{Start: at("};"), End: at("};")}, NewText: []byte("long z; ")}, 0, 1, true},
	} {
		g := Reparse(f, tc.edit)
		lo, hiOld, hiNew, ok := g.ReparsedFrom(f)
		if ok != tc.reparsedFrom || ok && (lo != tc.lo || hiOld != tc.hi || hiNew != tc.hi) {
			t.Errorf("%s: re-parsed items [%d, %d) → [%d, %d), %v; want [%d, %d), %v", tc.name, lo, hiOld, lo, hiNew, ok, tc.lo, tc.hi, tc.reparsedFrom)
		}
		if d, w := Dump(g), Dump(Parse("config.bt", g.Src(), NewestDialect())); d != w {
			t.Errorf("%s: the re-parse differs from a parse:\n%s\n%s", tc.name, d, w)
		}
	}
}
