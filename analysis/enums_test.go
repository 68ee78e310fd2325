package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestRealEnumIdents: bare identifiers are BTF enum constants, the
// script's own enum constants or #defines, or errors (as bpftrace 0.17,
// 0.24 and 0.26 report "Unknown identifier"), with a did-you-mean from the
// kernel's constants.
func TestRealEnumIdents(t *testing.T) {
	ix := analysistest.RealKernel(t)
	tests := []struct {
		name, src string
		wantFix   string // "" when clean
	}{
		{"btf constant", "kprobe:vfs_read { @a = TCP_ESTABLISHED; }", ""},
		{"misspelt", "kprobe:vfs_read { @a = TCP_ESTABLISHD; }", "TCP_ESTABLISHED"},
		{"script enum", "enum ee { E1 = 3, E2 };\nkprobe:vfs_read { @a = E1 + E2; }", ""},
		{"script define", "#define MYC 3\nkprobe:vfs_read { @a = MYC; }", ""},
		{"lower case unknown", "kprobe:vfs_read { @a = tcp_established; }", ""},
	}
	for _, tc := range tests {
		for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
			t.Run(tc.name+"/"+v.String(), func(t *testing.T) {
				d := syntax.Dialect{Version: v}
				f := syntax.Parse("t.bt", []byte(tc.src), d)
				s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
				got := string(renderDiags(s.Diagnostics, []byte(tc.src)))
				switch {
				case tc.name == "lower case unknown":
					if !strings.Contains(got, CodeUnknownIdent) {
						t.Errorf("want an unknown identifier, got %s", got)
					}
				case tc.wantFix == "":
					if len(s.Diagnostics) != 0 {
						t.Errorf("got %s", got)
					}
				default:
					if len(s.Diagnostics) != 1 || s.Diagnostics[0].Code != CodeUnknownIdent || !strings.Contains(got, "with \""+tc.wantFix+"\"") {
						t.Errorf("want an unknown identifier with a fix to %s, got %s", tc.wantFix, got)
					}
				}
			})
		}
	}
}

// TestRealEnumConstTypes: an enum constant has the type the real compilers
// give it, as their map-value mismatch messages show: "unsigned int64" in
// 0.17, the enum itself from 0.24 (for the kernel's anonymous enums
// "enum (unnamed at …)").
func TestRealEnumConstTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles with the real compilers")
	}
	analysistest.RealKernel(t)
	compilers := agreementCompilers(t)
	dir := t.TempDir()
	for i, tc := range []struct{ name, src string }{
		{"script enum", "enum color { RED = 1, GREEN = 2 };\nkprobe:vfs_read { @m = GREEN; @m = \"x\"; }\n"},
		{"btf enum", "kprobe:vfs_read { @m = TCP_ESTABLISHED; @m = \"x\"; }\n"},
		{"enum64", "enum big { BIG = 0x100000000 };\nkprobe:vfs_read { @m = BIG; @m = \"x\"; }\n"},
	} {
		file := filepath.Join(dir, fmt.Sprintf("e%d.bt", i))
		if err := os.WriteFile(file, []byte(tc.src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range compilers {
			t.Run(tc.name+"/"+c.name, func(t *testing.T) {
				r := compileOne(c, file)
				s := analyzeRealAt(t, file, []byte(tc.src), c.version)
				var typ string
				for _, d := range s.Diagnostics {
					if _, rest, ok := strings.Cut(d.Message, " but holds "); ok && d.Code == CodeMapValueType {
						typ = strings.TrimSuffix(rest, " elsewhere")
					}
				}
				if typ == "" || r.Exit == 0 {
					t.Fatalf("bpfls: %v; bpftrace (exit %d): %s", s.Diagnostics, r.Exit, r.Output)
				}
				want := "'" + typ + "'"
				switch {
				case typ == "uint64":
					want = "'unsigned int64"
				case strings.HasSuffix(typ, "(unnamed)"):
					want = "'enum enum (unnamed at "
				}
				if !strings.Contains(r.Output, want) {
					t.Errorf("bpfls types the constant %s; bpftrace says:\n%s", typ, r.Output)
				}
			})
		}
	}
}

// TestRealEnumCasts: bpftrace 0.24 and 0.26 cast only to the enums of the
// script and its headers ("Unknown enum"), the kernel's named enums too,
// while sizeof(enum T) and pointer casts take any tag; 0.26 also checks a
// let annotation. Each case was compiled with the real 0.24.2 and 0.26.1;
// testdata/agreement/cdefs/enum-*.bt keep them compared in TestAgreement.
func TestRealEnumCasts(t *testing.T) {
	ix := analysistest.RealKernel(t)
	const unknown, kernel = `unknown enum "nope": bpftrace`, `not to the kernel's`
	tests := []struct {
		name, src    string
		want, want26 string // substring of the diagnostics at 0.24, at 0.26; "" for clean
	}{
		{"cast unknown", "kprobe:vfs_read { $x = (enum nope)arg2; print($x); }", unknown, unknown},
		{"cast kernel", "kprobe:vfs_read { $x = (enum pid_type)arg2; print($x); }", kernel, kernel},
		{"cast script", "enum nope { A = 1 };\nkprobe:vfs_read { $x = (enum nope)arg2; print($x); }", "", ""},
		{"pointer cast", "kprobe:vfs_read { $x = (enum nope *)arg2; print($x); }", "", ""},
		{"sizeof unknown", "kprobe:vfs_read { @s = sizeof(enum nope); }", "", ""},
		{"sizeof kernel", "kprobe:vfs_read { @s = sizeof(enum pid_type); }", "", ""},
		{"let unknown", "kprobe:vfs_read { let $x: enum nope = 1; print($x); }", "", unknown},
	}
	for _, tc := range tests {
		for _, v := range []syntax.Version{syntax.V0_24, syntax.V0_26} {
			t.Run(tc.name+"/"+v.String(), func(t *testing.T) {
				want := tc.want
				if v == syntax.V0_26 {
					want = tc.want26
				}
				d := syntax.Dialect{Version: v}
				f := syntax.Parse("t.bt", []byte(tc.src), d)
				s := Analyze(context.Background(), f, Config{Dialect: d, Kernel: ix})
				got := string(renderDiags(s.Diagnostics, []byte(tc.src)))
				if want == "" && len(s.Diagnostics) != 0 || want != "" && (len(s.Diagnostics) != 1 || !strings.Contains(got, want)) {
					t.Errorf("want %q, got %s", want, got)
				}
			})
		}
	}
}
