package syntax

import (
	"strings"
	"testing"
)

// featureSnippets triggers each Feature exactly once; every Feature must
// have one.
var featureSnippets = map[Feature]string{
	FeatOffsetof:         "k:f { $x = offsetof(struct s, a); }",
	FeatOffsetofSubfield: "k:f { $x = offsetof(struct s, a.b); }",
	FeatArrayCast:        "k:f { $x = (uint8[4])arg0; }",
	FeatConfig:           "config = { max_map_keys = 1 }\nk:f { }",
	FeatFor:              "k:f { for ($kv : @m) { } }",
	FeatFuncDecl:         "fn f(): void { }",
	FeatReturnValue:      "k:f { return (1); }",
	FeatLet:              "k:f { let $x; }",
	FeatMapDecl:          "let @m = hash(1);",
	FeatMacro:            "macro m() { }",
	FeatImport:           "import \"a.bt\";",
	FeatDuration:         "k:f { $x = 1s; }",
	FeatBlockExpr:        "k:f { $x = { 1 }; }",
	FeatIfExpr:           "k:f { $x = if ($y) { 1 } else { 2 }; }",
	FeatForRange:         "k:f { for ($i : 0..2) { } }",
	FeatBareCond:         "k:f { while $x { } }",
	FeatAddrOf:           "k:f { $x = &$y; }",
	FeatNamedProbe:       "n=k:f { }",
	FeatRecord:           "k:f { $x = (a = 1); }",
	FeatShortTuple:       "k:f { $x = (); }",
	FeatTypeof:           "k:f { $x = sizeof(typeof($y)); }",
	FeatTypeinfo:         "k:f { $x = typeinfo($y); }",
	FeatComptime:         "k:f { $x = comptime $y; }",
	FeatDiscard:          "k:f { _ = $y; }",
	FeatStmtImport:       "k:f { import \"a.bt\"; }",
	FeatShortTernary:     "k:f { $x = $y ?: 1; }",
	FeatCAttribute:       "struct s { int a; } __attribute__((packed))\nk:f { }",
	FeatBuiltinCall:      "k:f { $x = pid(); }",
	FeatNsecsCall:        "k:f { $x = nsecs(boot); }",
	FeatSizedString:      "k:f { $x = (string[4])arg0; }",
	FeatParenName:        "k:f { $x = (MAX); }",
	FeatVarAttachStart:   "$name:f { }",
	FeatSemiAfterBlock:   "k:f { if (1) { } ; { 1 }; { @a = 1; } }",
	FeatTernaryNoSemi:    "k:f { 0 ? 1 : 2 @x = 1; }",
}

// TestDialectGates parses each snippet under the first release that has
// the feature (no version error) and under the release before it (exactly
// that version error), so the table and the parser agree.
func TestDialectGates(t *testing.T) {
	t.Parallel()
	for f := Feature(0); f < featCount; f++ {
		src, ok := featureSnippets[f]
		if !ok {
			t.Errorf("feature %d (%q) has no snippet", f, featureTable[f].phrase)
			continue
		}
		since := FeatureSince(f)
		t.Run(since.String()+"/"+featureTable[f].phrase, func(t *testing.T) {
			t.Parallel()
			if errs := versionErrors(Parse("gate.bt", []byte(src), Dialect{Version: since})); len(errs) != 0 {
				t.Errorf("under %s: unexpected %v", since, errs)
			}
			before := Version{since.Major, since.Minor - 1}
			errs := versionErrors(Parse("gate.bt", []byte(src), Dialect{Version: before}))
			want := featureTable[f].phrase + " bpftrace " + since.String() + " or newer"
			if len(errs) != 1 || errs[0].Msg != want {
				t.Errorf("under %s: got %v, want one %q", before, errs, want)
			}
		})
	}
}

func versionErrors(f *File) []Error {
	var out []Error
	for _, e := range f.Errors {
		if e.Code == CodeNeedsVersion {
			out = append(out, e)
		} else if !strings.HasPrefix(e.Code, "syntax/") {
			panic("error code without the syntax prefix: " + e.Code)
		}
	}
	return out
}

// TestDialectSameScript parses one script of newer syntax under 0.17 and
// under the newest release: the tree is the same, only the version errors
// differ.
func TestDialectSameScript(t *testing.T) {
	t.Parallel()
	src := []byte(`config = { max_map_keys = 8 }
let @m = lruhash(8);
macro twice(x) { x * 2 }
kprobe:vfs_read {
  let $n: uint64 = twice(1);
  for ($i : 0..4) { $n += $i; }
  @m[comm] = 10ms;
}
`)
	newest := Parse("s.bt", src, NewestDialect())
	old := Parse("s.bt", src, Dialect{Version: V0_17})
	if len(newest.Errors) != 0 {
		t.Fatalf("newest: unexpected errors %v", newest.Errors)
	}
	strip := func(s string) string { return s[:strings.Index(s, "error ")] }
	if strip(Dump(old)+"error ") != strip(Dump(newest)+"error ") {
		t.Errorf("trees differ between dialects")
	}
	want := []string{"the `config` block", "map declarations", "`macro` definitions", "`let` declarations", "`for` loops", "duration literals"}
	if len(old.Errors) != len(want) {
		t.Fatalf("0.17: got %d errors %v, want %d", len(old.Errors), old.Errors, len(want))
	}
	for i, e := range old.Errors {
		if e.Code != CodeNeedsVersion || !strings.HasPrefix(e.Msg, want[i]) {
			t.Errorf("0.17 error %d = %s %q, want needs-version %q…", i, e.Code, e.Msg, want[i])
		}
	}
}

// TestParenName checks which "(NAME)" with no operand after it each release
// refuses: bpftrace's grammar up to 0.25 reads "(NAME)" as a cast whenever
// NAME lexes as a plain identifier (measured with the real 0.17 and 0.24:
// "syntax error, unexpected ;"; 0.26 accepts).
func TestParenName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src     string
		v       Version
		refused bool
	}{
		{"$x = (uint64)(retval);", V0_24, true},
		{"$x = (uint64)(retval);", V0_17, false}, // retval has a token of its own
		{"$x = (uint64)(retval);", V0_26, false},
		{"@[(comm)] = 1;", V0_25, true},
		{"$x = ((cpu));", V0_24, true},
		{"printf(\"%d\", (MAX));", V0_17, true}, // #define is expanded after parsing
		{"$x = (pid);", V0_24, false},
		{"$x = (arg0) + (args);", V0_24, false},
		{"$x = (jiffies);", V0_19, true},
		{"$x = (jiffies);", V0_20, false},
		{"$x = (nsecs);", V0_17, false},
		{"$x = (MAX) * 2;", V0_24, false}, // a cast, checked later
		{"$x = (uint64)(1);", V0_24, false},
		{"$x = ($y);", V0_24, false},
	} {
		f := Parse("p.bt", []byte("k:f { "+tc.src+" }"), Dialect{Version: tc.v})
		errs := versionErrors(f)
		if got := len(errs) == 1 && strings.HasPrefix(errs[0].Msg, "a name alone in parentheses"); got != tc.refused || len(errs) > 1 {
			t.Errorf("%s under %s: errors %v, want refused=%v", tc.src, tc.v, errs, tc.refused)
		}
	}
}

// TestParenBuiltinCast: 0.24 and 0.25 lex cpu, comm and retval as plain
// names (stdlib macros), so "(cpu) * 2" is a cast of "*2" to a type cpu
// (measured: 0.24 "Cannot resolve unknown type \"cpu\""); 0.17, where cpu
// has a token of its own, reads a product, and pid stays a builtin in 0.24.
func TestParenBuiltinCast(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		v    Version
		cast bool
	}{
		{"$x = (cpu) * 2;", V0_24, true},
		{"$x = (retval) - 1;", V0_25, true},
		{"$x = (cpu) * 2;", V0_17, false},
		{"$x = (pid) * 2;", V0_24, false},
	} {
		d := Dump(Parse("c.bt", []byte("k:f { "+tc.src+" }"), Dialect{Version: tc.v}))
		if got := strings.Contains(d, "RHS: CastExpr"); got != tc.cast {
			t.Errorf("%s under %s: cast %v, want %v\n%s", tc.src, tc.v, got, tc.cast, d)
		}
	}
}
