package verify

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// at returns the span of the nth (0-based) occurrence of needle in src.
func at(t *testing.T, src, needle string, nth int) syntax.Span {
	t.Helper()
	i := -1
	for range nth + 1 {
		j := strings.Index(src[i+1:], needle)
		if j < 0 {
			t.Fatalf("%q not found %d times in %q", needle, nth+1, src)
		}
		i += 1 + j
	}
	return syntax.Span{Start: syntax.Pos(i), End: syntax.Pos(i + len(needle))}
}

type wantDiag struct {
	needle  string // the text the span must cover
	nth     int
	sev     analysis.Severity
	code    string
	message string // the message must contain this
}

func TestParseOutputShapes(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		names  []string
		hidden bool // HostHidesTraceable
		out    string
		want   []wantDiag
		notes  int
	}{
		{
			name: "tab columns are bytes",
			src:  "BEGIN {\n\t\t$x = \"a\";\t$x = 2;\n}\n",
			out:  "/tmp/.bpfls-1.bt:2:16-17: ERROR: Type mismatch for $x\n        $x = \"a\";    $x = 2;\n                     ~\n",
			want: []wantDiag{{needle: "=", nth: 1, sev: analysis.SeverityError, code: CodeError, message: "Type mismatch for $x"}},
		},
		{
			name: "unlocated error goes to the first line intact",
			src:  "BEGIN { }\nEND { }\n",
			out:  "ERROR: failed to open file '/x.bt': No such file or directory\n",
			want: []wantDiag{{needle: "BEGIN { }", sev: analysis.SeverityError, code: CodeError, message: "failed to open file '/x.bt': No such file or directory"}},
		},
		{
			name:  "glued tracefs noise is split and hides traceability",
			src:   "BEGIN {}\nkprobe:vfs_read { }\n",
			out:   "Error while reading traceable functions from /sys/kernel/tracing/available_filter_functions: Operation not permitted/tmp/.bpfls-1.bt:1-2: WARNING: vfs_read is not traceable (either non-existing, inlined, or marked as \"notrace\"); attaching to it will likely fail\n",
			want:  []wantDiag{{needle: "vfs_read", sev: analysis.SeverityInfo, code: CodeNotTraceable, message: "vfs_read is not traceable"}},
			notes: 1,
		},
		{
			name:   "not traceable stays a warning on a host that shows the list",
			src:    "kprobe:nosuchfn { }\n",
			out:    "/tmp/.bpfls-1.bt:1:1-16: WARNING: nosuchfn is not traceable (either non-existing, inlined, or marked as \"notrace\"); attaching to it will likely fail\n",
			want:   []wantDiag{{needle: "nosuchfn", sev: analysis.SeverityWarning, code: CodeNotTraceable}},
			hidden: false,
		},
		{
			name:   "not traceable is information on a host that hides the list",
			src:    "kprobe:vfs_read { }\n",
			out:    "/tmp/.bpfls-1.bt:1:1-16: WARNING: vfs_read is not traceable (either non-existing, inlined, or marked as \"notrace\"); attaching to it will likely fail\n",
			want:   []wantDiag{{needle: "vfs_read", sev: analysis.SeverityInfo, code: CodeNotTraceable}},
			hidden: true,
		},
		{
			name:  "host noise is a note, not a diagnostic",
			src:   "BEGIN { }\n",
			out:   "Attaching 1 probe...\nERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace.\nWARNING: BTF: failed to find BTF data\nKernel lockdown is enabled and set to 'confidentiality'. Lockdown mode blocks\nparts of BPF which makes it impossible for bpftrace to function. Please see \nhttps://github.com/iovisor/bpftrace/blob/master/INSTALL.md#disable-lockdown\nfor more details on lockdown and how to disable it.\n",
			notes: 7,
		},
		{
			name: "stdin and a file name without directory both mean the document",
			src:  "BEGIN { foo(); }\n",
			out:  "stdin:1:9-12: ERROR: Unknown function: foo\n",
			want: []wantDiag{{needle: "foo", sev: analysis.SeverityError, code: CodeError}},
		},
		{
			name: "location with no file name",
			src:  "BEGIN { foo(); }\n",
			out:  "1:9-12: ERROR: Unknown function: foo\n",
			want: []wantDiag{{needle: "foo", sev: analysis.SeverityError, code: CodeError}},
		},
		{
			name: "a line past the end clamps to the last line",
			src:  "BEGIN { }",
			out:  "/tmp/.bpfls-1.bt:9:1-3: ERROR: odd\n",
			want: []wantDiag{{needle: "BE", sev: analysis.SeverityError, code: CodeError}},
		},
		{
			name:  "a file name with colons and spaces",
			src:   "BEGIN { foo(); }\n",
			names: []string{"/tmp/a: b/.bpfls-1-x.bt"},
			out:   "/tmp/a: b/.bpfls-1-x.bt:1:9-12: ERROR: Unknown function: foo\n",
			want:  []wantDiag{{needle: "foo", sev: analysis.SeverityError, code: CodeError}},
		},
		{
			name: "a standalone hint",
			src:  "BEGIN { }\n",
			out:  "HINT: try something\n",
			want: []wantDiag{{needle: "BEGIN { }", sev: analysis.SeverityHint, code: CodeHint, message: "try something"}},
		},
		{
			name: "clang error in a system header is a header error on the first line",
			src:  "#include <linux/sched.h>\nBEGIN { }\n",
			out:  "/usr/include/linux/sched.h:93:2: error: unknown type name 'x'\nERROR: Include headers with missing type definitions or install BTF information to your system.\n",
			want: []wantDiag{{needle: "#include <linux/sched.h>", sev: analysis.SeverityError, code: CodeHeaderError, message: "/usr/include/linux/sched.h:93:2: unknown type name 'x'"}},
		},
		{
			name: "clang error on the definitions maps through the C lines",
			src:  "// c\n\n  #define A 1\nstruct s {\n  int a;\n  bad b;\n};\nBEGIN { }\n",
			out:  "definitions.h:5:3: error: unknown type name 'bad'\n",
			want: []wantDiag{{needle: "bad", sev: analysis.SeverityError, code: CodeCDefinitions}},
		},
		{
			name: "clang column on an indented preprocessor line is shifted",
			src:  "  #include <nope.h>\nBEGIN { }\n",
			out:  "definitions.h:2:10: fatal error: 'nope.h' file not found\n",
			want: []wantDiag{{needle: "<nope.h>", sev: analysis.SeverityError, code: CodeIncludeNotFound}},
		},
		{
			name:  "attach failures are host notes",
			src:   "BEGIN { }\n",
			out:   "WARNING: could not attach probe kprobe:foo, skipping.\nWARNING: uretprobes cannot be attached at function offset.\n",
			notes: 2,
		},
		{
			name: "a BTF redefinition conflict is the script's doing",
			src:  "struct task_struct { int x; };\nBEGIN { }\n",
			out:  "WARNING: Cannot take type definitions from BTF since there is a redefinition conflict with user-defined types.\n",
			want: []wantDiag{{needle: "struct task_struct { int x; };", sev: analysis.SeverityWarning, code: CodeWarning, message: "redefinition conflict"}},
		},
		{
			name: "BUG line",
			src:  "BEGIN { }\n",
			out:  "BUG: [src/x.cpp:1] oops\n",
			want: []wantDiag{{needle: "BEGIN { }", sev: analysis.SeverityError, code: CodeError, message: "oops"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			names := tc.names
			if names == nil {
				names = []string{"/tmp/.bpfls-1.bt"}
			}
			out := ParseOutput(Document{Names: names, Src: []byte(tc.src), HostHidesTraceable: tc.hidden}, []byte(tc.out))
			if len(out.Diagnostics) != len(tc.want) {
				t.Fatalf("got %d diagnostics %+v, want %d", len(out.Diagnostics), out.Diagnostics, len(tc.want))
			}
			for i, w := range tc.want {
				d := out.Diagnostics[i]
				span := at(t, tc.src, w.needle, w.nth)
				if d.Span != span {
					t.Errorf("diagnostic %d span %v (%q), want %v (%q)", i, d.Span, tc.src[d.Span.Start:d.Span.End], span, w.needle)
				}
				if d.Severity != w.sev || d.Code != w.code || d.Source != analysis.SourceBpftrace {
					t.Errorf("diagnostic %d is %s %s %s, want %s %s bpftrace", i, d.Severity, d.Code, d.Source, w.sev, w.code)
				}
				if !strings.Contains(d.Message, w.message) {
					t.Errorf("diagnostic %d message %q lacks %q", i, d.Message, w.message)
				}
			}
			if len(out.Notes) != tc.notes {
				t.Errorf("got notes %q, want %d", out.Notes, tc.notes)
			}
		})
	}
}

func TestParseOutputRelated(t *testing.T) {
	t.Parallel()
	src := "BEGIN { @y = count(); @x = @y; }\n"
	out := ParseOutput(Document{Names: []string{"f.bt"}, Src: []byte(src)},
		[]byte("f.bt:1:23-30: ERROR: Map value cannot be assigned\nBEGIN { @y = count(); @x = @y; }\n                      ~~~~~~~\nHINT: Add a cast\n"))
	if len(out.Diagnostics) != 1 {
		t.Fatalf("got %+v", out.Diagnostics)
	}
	d := out.Diagnostics[0]
	want := []analysis.Related{{Span: at(t, src, "@x = @y", 0), Message: "Add a cast"}}
	if !reflect.DeepEqual(d.Related, want) {
		t.Errorf("related %+v, want %+v", d.Related, want)
	}
	if len(out.Notes) != 0 {
		t.Errorf("source and marker lines became notes: %q", out.Notes)
	}
}

func TestParseOutputStreamsDoNotJoin(t *testing.T) {
	t.Parallel()
	src := "BEGIN { foo(); }\n"
	// stderr ends without a newline; stdout's first line must not be glued to it.
	out := ParseOutput(Document{Names: []string{"f.bt"}, Src: []byte(src)},
		[]byte("f.bt:1:9-12: ERROR: Unknown function: foo"), []byte("f.bt:1:9-12: WARNING: second\n"))
	if len(out.Diagnostics) != 2 || out.Diagnostics[1].Severity != analysis.SeverityWarning {
		t.Fatalf("got %+v", out.Diagnostics)
	}
}

func TestUnglue(t *testing.T) {
	t.Parallel()
	line := "Error while reading traceable functions from /sys/kernel/tracing/available_filter_functions: Operation not permittedERROR: Unknown error -1: x"
	got := unglue(line, nil)
	want := []string{
		"Error while reading traceable functions from /sys/kernel/tracing/available_filter_functions: Operation not permitted",
		"ERROR: Unknown error -1: x",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unglue = %q, want %q", got, want)
	}
	if got := unglue("ERROR: plain", nil); !reflect.DeepEqual(got, []string{"ERROR: plain"}) {
		t.Errorf("unglue changed an ordinary line: %q", got)
	}
}

func TestCDefinitionLines(t *testing.T) {
	t.Parallel()
	src := "#!/usr/bin/env bpftrace\n// c\n#include <a.h>\n\n/* x\n y */  #define B 2\nstruct s { int a; }; struct t {\n  int b;\n};\nBEGIN { $x = (struct s *)0; }\n"
	got := cDefinitionLines([]byte(src))
	want := []cLine{{line: 3}, {line: 6, shift: 7}, {line: 7}, {line: 7, shift: 21}, {line: 8}, {line: 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cDefinitionLines = %+v, want %+v", got, want)
	}
}

func TestParseVersionOutput(t *testing.T) {
	tests := []struct {
		out  string
		want syntax.Version
		ok   bool
	}{
		{"bpftrace v0.17.0\n", syntax.V0_17, true},
		{"bpftrace v0.26.0-12-g1234abcd\n", syntax.V0_26, true},
		{"bpftrace v0.26.1\n", syntax.V0_26, true},
		{"bpftrace v0.27.0-rc0-5-gdeadbee\n", syntax.Version{Major: 0, Minor: 27}, true},
		{"bpftrace 0.21.2\n", syntax.V0_21, true},
		{"WARNING: something\nbpftrace v0.20.4\n", syntax.V0_20, true},
		{"", syntax.Version{}, false},
		{"bpftrace vX.Y\n", syntax.Version{}, false},
		{"sudo: a password is required\n", syntax.Version{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.out, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVersionOutput(tc.out)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("ParseVersionOutput(%q) = %v, %v; want %v, ok=%v", tc.out, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestCompileFlags(t *testing.T) {
	t.Parallel()
	opts := Options{IncludeDirs: []string{"/inc"}, Includes: []string{"x.h"}, Params: []string{"-1", "a b"}, Prefix: []string{"sudo", "-n"}}
	got := opts.argv("/usr/bin/bpftrace", syntax.V0_17, "/d/.f.bt")
	want := []string{"sudo", "-n", "/usr/bin/bpftrace", "--unsafe", "--test=codegen", "-I", "/inc", "--include", "x.h", "--", "/d/.f.bt", "-1", "a b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("0.17 argv = %q, want %q", got, want)
	}
	got = (&Options{}).argv("bpftrace", syntax.V0_25, "f.bt")
	want = []string{"bpftrace", "--unsafe", "--mode", "codegen", "--", "f.bt"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("0.25 argv = %q, want %q", got, want)
	}
}
