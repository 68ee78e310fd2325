package analysis

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/benchtest"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

var mapNameRe = regexp.MustCompile(`@[A-Za-z_][A-Za-z0-9_]*`)

// randomEdit changes src the way typing does: statements that read or
// write the script's maps (changing what other probes see of them),
// deletions, duplicated probes and lines, and text before everything.
func randomEdit(rng *rand.Rand, src []byte) []byte {
	s := string(src)
	maps := append(mapNameRe.FindAllString(s, -1), "@fresh")
	m := maps[rng.IntN(len(maps))]
	stmts := []string{m + " = 1;", m + `[1, "a"] = count();`, m + "[pid] = hist(1);", "$t = " + m + "; print($t);",
		m + " = \"s\";", "delete(" + m + ");", "for ($kv : " + m + ") { print($kv); }", "$u = 1; $u += 2;", "@ = 1;"}
	switch rng.IntN(6) {
	case 0, 1: // a statement after a '{' or ';'
		var at []int
		for i, c := range s {
			if c == '{' || c == ';' {
				at = append(at, i+1)
			}
		}
		if len(at) > 0 {
			i := at[rng.IntN(len(at))]
			return []byte(s[:i] + " " + stmts[rng.IntN(len(stmts))] + s[i:])
		}
	case 2: // delete a few bytes
		if len(s) > 0 {
			i := rng.IntN(len(s))
			j := min(len(s), i+1+rng.IntN(8))
			return []byte(s[:i] + s[j:])
		}
	case 3: // duplicate a line
		lines := strings.SplitAfter(s, "\n")
		i := rng.IntN(len(lines))
		return []byte(strings.Join(lines[:i+1], "") + strings.Join(lines[i:], ""))
	case 4: // a new probe at the end
		return []byte(s + "\nkprobe:tcp_sendmsg { " + stmts[rng.IntN(len(stmts))] + " }\n")
	}
	return []byte("// edited\n" + s)
}

// sameSymbols compares two symbol indexes.
func sameSymbols(t *testing.T, got, want *Snapshot) {
	t.Helper()
	g, w := got.Symbols(), want.Symbols()
	if !reflect.DeepEqual(g, w) {
		t.Errorf("re-analysis symbols differ from a full analysis:\n--- got\n%s--- want\n%s", fmtSymbols(g), fmtSymbols(w))
	}
}

func fmtSymbols(syms []*Symbol) string {
	var b strings.Builder
	for _, s := range syms {
		fmt.Fprintf(&b, "%+v\n", *s)
	}
	return b.String()
}

// TestReanalyzeRandomEdits applies random edits to every golden script and
// checks after each one that Reanalyze from the previous snapshot equals a
// full analysis, diagnostics and symbol index alike.
func TestReanalyzeRandomEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	hits := 0
	scripts := benchtest.GoldenInputs(t)
	files := make([]string, 0, len(scripts))
	for file := range scripts {
		files = append(files, file)
	}
	sort.Strings(files)
	for _, file := range files {
		src := scripts[file]
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_26} {
			cfg := Config{Dialect: syntax.Dialect{Version: v}, Kernel: analysistest.NewTCPKernel()}
			rng := rand.New(rand.NewPCG(uint64(len(src)), uint64(v.Minor)))
			prev := Reanalyze(ctx, &Snapshot{Config: cfg}, syntax.Parse("edit.bt", src, cfg.Dialect))
			for step := range 12 {
				src = randomEdit(rng, src)
				f := syntax.Parse("edit.bt", src, cfg.Dialect)
				got, want := Reanalyze(ctx, prev, f), Analyze(ctx, f, cfg)
				if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) || !reflect.DeepEqual(got.Symbols(), want.Symbols()) {
					t.Logf("%s, %s, edit %d:\n%s", file, v, step, src)
					for i := range min(len(got.Diagnostics), len(want.Diagnostics)) {
						if !reflect.DeepEqual(got.Diagnostics[i], want.Diagnostics[i]) {
							t.Logf("first difference:\n%#v\n%#v", got.Diagnostics[i], want.Diagnostics[i])
							break
						}
					}
				}
				sameDiagnostics(t, got, want)
				sameSymbols(t, got, want)
				if t.Failed() {
					return
				}
				hits += got.env.hits
				prev = got
			}
		}
	}
	if hits == 0 {
		t.Error("no probe walk of the file-level pass was reused")
	}
}

// TestEnvCacheReuse checks which probe walks an edit reuses: an edit inside
// one probe walks that probe again; a changed map type walks again the
// later probes that read the map; a changed declaration walks every probe.
func TestEnvCacheReuse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	s0 := Reanalyze(ctx, &Snapshot{Config: cfg}, parse26(cacheScript))
	if s0.env.hits != 0 || s0.env.misses != 4 {
		t.Fatalf("first run: %d hits, %d misses; want 0 and 4", s0.env.hits, s0.env.misses)
	}
	if s := Analyze(ctx, parse26(cacheScript), cfg); s.env != nil {
		t.Error("Analyze, which no edit follows, recorded its probe walks")
	}
	edits := []struct {
		name         string
		src          string
		hits, misses int
	}{
		{"body edit", strings.Replace(cacheScript, "@reads[args.fd]", "@reads[args.fd, comm]", 1), 3, 1},
		{"text before every probe", "// a comment\n\n" + cacheScript, 4, 0},
		{"a map type a later probe reads changes", strings.Replace(cacheScript, "@start = nsecs", `@start = "x"`, 1), 2, 2},
		{"a new declaration", "macro m() { 1 }\n" + cacheScript, 0, 4},
		{"a duplicated probe", cacheScript + "\nBEGIN { @start = nsecs; }\n", 4, 1},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			f := parse26(e.src)
			s := Reanalyze(ctx, s0, f)
			want := Analyze(ctx, f, cfg)
			sameDiagnostics(t, s, want)
			sameSymbols(t, s, want)
			if s.env.hits != e.hits || s.env.misses != e.misses {
				t.Errorf("%d hits, %d misses; want %d and %d", s.env.hits, s.env.misses, e.hits, e.misses)
			}
		})
	}
}

// BenchmarkFileEnvReuse measures the file-level pass of the bench script
// after an edit inside one probe, reusing the previous pass's probe walks
// (BenchmarkFileEnv is the same pass from scratch).
func BenchmarkFileEnvReuse(b *testing.B) {
	src := readBench(b)
	d := syntax.Dialect{Version: syntax.V0_26}
	cfg := Config{Dialect: d}
	prev := newFileEnvFrom(context.Background(), syntax.Parse("bench.bt", src, d), cfg, nil, true).cache
	edited := bytes.Replace(src, []byte("@big_17 = count();"), []byte("@big_17 = count(); @extra = 1;"), 1)
	f := syntax.Parse("bench.bt", edited, d)
	if e := newFileEnvFrom(context.Background(), f, cfg, prev, true); e.cache.misses != 1 {
		b.Fatalf("the edit should walk one probe again, walked %d", e.cache.misses)
	}
	b.SetBytes(int64(len(edited)))
	b.ReportAllocs()
	for b.Loop() {
		newFileEnvFrom(context.Background(), f, cfg, prev, true)
	}
}

// BenchmarkFileEnvScratch is BenchmarkFileEnvReuse without the previous
// pass (recording its walks, as Reanalyze's first pass does), for
// comparison on the same script.
func BenchmarkFileEnvScratch(b *testing.B) {
	src := readBench(b)
	d := syntax.Dialect{Version: syntax.V0_26}
	f := syntax.Parse("bench.bt", src, d)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		newFileEnvFrom(context.Background(), f, Config{Dialect: d}, nil, true)
	}
}

// TestTyEqualCoversEveryField fails when ty gains a field that tyEqual and
// appendTyKey do not compare yet: cached walks would then be reused for
// maps whose type differs in it.
func TestTyEqualCoversEveryField(t *testing.T) {
	t.Parallel()
	if n := reflect.TypeFor[ty]().NumField(); n != 11 {
		t.Errorf("ty has %d fields; update tyEqual and appendTyKey (envcache.go), then this count", n)
	}
	a := ty{Kind: tyTuple, Elems: []ty{int64Ty}}
	b := ty{Kind: tyTuple, Elems: []ty{{Kind: int64Ty.Kind, Size: 4, Signed: true}}}
	if tyEqual(a, b) || string((mapState{stored: a}).appendKey(nil)) == string((mapState{stored: b}).appendKey(nil)) {
		t.Error("tuples of int64 and int32 compare equal")
	}
}

// TestRecordedWalkCoversEveryField fails when a map use, a map state or a
// symbol gains a field that the recorded walks (envcache.go) do not keep
// yet: appendUseKey would intern two different uses as one, or a replayed
// symbol would lose the field.
func TestRecordedWalkCoversEveryField(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		typ   reflect.Type
		n     int
		where string
	}{
		{reflect.TypeFor[mapUse](), 10, "appendUseKey"},
		{reflect.TypeFor[mapState](), 5, "mapState.appendKey"},
		{reflect.TypeFor[Symbol](), 7, "factSym, factRecorder.finish and replay"},
	} {
		if n := c.typ.NumField(); n != c.n {
			t.Errorf("%s has %d fields; keep them in %s (envcache.go), then update this count", c.typ, n, c.where)
		}
	}
	u := mapUse{keyed: true, keys: []ty{int64Ty}, write: true, value: int64Ty, agg: "count", lit: litSmall, depth: 1}
	for _, v := range []mapUse{
		{keyed: true, keys: []ty{int64Ty}, write: true, value: int64Ty, agg: "count", lit: litSmall, depth: 2},
		{keyed: true, keys: []ty{int64Ty}, write: true, value: int64Ty, agg: "sum", lit: litSmall, depth: 1},
		{keyed: true, keys: []ty{int64Ty}, bare: true, write: true, value: int64Ty, agg: "count", lit: litSmall, depth: 1},
		{keyed: true, keys: []ty{int64Ty, int64Ty}, write: true, value: int64Ty, agg: "count", lit: litSmall, depth: 1},
		{keyed: true, keys: []ty{int64Ty}, write: true, value: int64Ty, agg: "count", lit: litSmall, depth: 1, viaMacro: true},
		{keyed: true, keys: []ty{int64Ty}, write: true, value: int64Ty, agg: "count", lit: litLarge, depth: 1},
	} {
		if string(appendUseKey(nil, u)) == string(appendUseKey(nil, v)) {
			t.Errorf("map uses %+v and %+v have the same key", u, v)
		}
	}
	d := newFactDict()
	if d.use(u) != d.use(u) || d.str("@a") == d.str("@b") {
		t.Error("the dict does not intern")
	}
}

// TestRecordedWalksShareDict types into probes of a long script, as the
// incremental path handles it, and requires every recorded walk to keep
// using the document's dict rather than a new one per keystroke, which
// would cost each edited probe a dict of its own; and a dict that has
// grown too much is not reused.
func TestRecordedWalksShareDict(t *testing.T) {
	t.Parallel()
	src, at := scaleScript(1000)
	f := syntax.Parse("scale.bt", src, syntax.NewestDialect())
	s := Reanalyze(context.Background(), nil, f)
	for k := range 40 {
		// A map use typed into the probe at at (the medium path), then a
		// character in its string (the fast path).
		text := []byte(fmt.Sprintf("@k%d = 1; ", k))
		if k%2 == 1 {
			text = []byte("a")
		}
		pos := at
		if k%2 == 0 {
			pos = at - syntax.Pos(len(`printf("`))
		}
		f = syntax.Reparse(f, syntax.Edit{Span: syntax.Span{Start: pos, End: pos}, NewText: text})
		at += syntax.Pos(len(text))
		s = Reanalyze(context.Background(), s, f)
	}
	if s.inc == nil {
		t.Fatal("the last keystroke left no incremental state")
	}
	dicts := map[*factDict]bool{}
	for i := range s.inc.items.len() {
		if r := s.inc.items.at(i); r.facts != nil {
			dicts[r.facts.dict] = true
		}
	}
	if len(dicts) != 1 {
		t.Errorf("the recorded walks use %d dicts, want 1", len(dicts))
	}
	d := newFactDict()
	d.str("@a")
	if d.reuse() != d {
		t.Fatal("a new dict is not reused")
	}
	for i := range 2000 {
		d.str(fmt.Sprintf("@m%d", i))
	}
	if d.reuse() != nil {
		t.Error("a dict that grew from 1 to 2001 names is reused")
	}
}
