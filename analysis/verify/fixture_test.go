package verify

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

var (
	update     = flag.Bool("update", false, "rewrite testdata/parse/*.want from the recorded fixtures")
	recordFlag = flag.Bool("record", false, "re-record testdata/bpftrace/<version>/*.txtar by running the installed bpftrace")
)

// fixtureRoot holds compiler output we recorded ourselves (see its README).
const fixtureRoot = "../../testdata/bpftrace"

// fixture is one recorded run: the script, extra files next to it, and what
// bpftrace printed. bpftrace was run as `bpftrace --unsafe --test=codegen --
// script.bt` in a directory holding the files, so it names the script
// "script.bt".
type fixture struct {
	path           string
	ar             *txtar.Archive
	script         []byte
	stdout, stderr []byte
	exitCode       int
}

func loadFixtures(t *testing.T, version string) []*fixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(fixtureRoot, version, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s/%s (%v)", fixtureRoot, version, err)
	}
	var out []*fixture
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{path: file, ar: ar, exitCode: -1}
		for _, s := range ar.Files {
			switch s.Name {
			case "script.bt":
				f.script = s.Data
			case "stdout":
				f.stdout = s.Data
			case "stderr":
				f.stderr = s.Data
			case "exitcode":
				f.exitCode, _ = strconv.Atoi(strings.TrimSpace(string(s.Data)))
			}
		}
		if f.script == nil {
			t.Fatalf("%s: no script.bt section", file)
		}
		out = append(out, f)
	}
	return out
}

func (f *fixture) name() string { return strings.TrimSuffix(filepath.Base(f.path), ".txtar") }

// supportFiles are the sections other than the script and the recording.
func (f *fixture) supportFiles() []txtar.File {
	var out []txtar.File
	for _, s := range f.ar.Files {
		switch s.Name {
		case "script.bt", "stdout", "stderr", "exitcode":
		default:
			out = append(out, s)
		}
	}
	return out
}

// TestRecordFixtures re-records the 0.17 fixtures with -record. Without the
// flag it checks that every fixture has been recorded.
func TestRecordFixtures(t *testing.T) {
	fixtures := loadFixtures(t, "0.17")
	if !*recordFlag {
		for _, f := range fixtures {
			if f.exitCode < 0 || f.stderr == nil {
				t.Errorf("%s: not recorded (go test -run TestRecordFixtures -record)", f.name())
			}
		}
		return
	}
	opts, v := realOptions(t)
	if v != syntax.V0_17 {
		t.Fatalf("recording 0.17 fixtures needs bpftrace 0.17, have %s", v)
	}
	for _, f := range fixtures {
		dir := t.TempDir()
		for _, s := range append(f.supportFiles(), txtar.File{Name: "script.bt", Data: f.script}) {
			if err := os.WriteFile(filepath.Join(dir, s.Name), s.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(opts.Path, "--unsafe", "--test=codegen", "--", "script.bt")
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("%s: %v", f.name(), err)
		}
		sections := []txtar.File{{Name: "script.bt", Data: f.script}}
		sections = append(sections, f.supportFiles()...)
		sections = append(sections,
			txtar.File{Name: "stdout", Data: stdout.Bytes()},
			txtar.File{Name: "stderr", Data: stderr.Bytes()},
			txtar.File{Name: "exitcode", Data: fmt.Appendf(nil, "%d\n", cmd.ProcessState.ExitCode())})
		f.ar.Files = sections
		if err := os.WriteFile(f.path, txtar.Format(f.ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestParseFixtures parses every recorded output and compares the result with
// testdata/parse/<version>/<case>.want (go test -update rewrites them).
func TestParseFixtures(t *testing.T) {
	for _, version := range []string{"0.17", "newest"} {
		for _, f := range loadFixtures(t, version) {
			t.Run(version+"/"+f.name(), func(t *testing.T) {
				t.Parallel()
				out := ParseOutput(Document{Names: []string{"script.bt"}, Src: f.script}, f.stderr, f.stdout)
				got := renderOutput(f.script, out)
				want := filepath.Join("testdata", "parse", version, f.name()+".want")
				if *update {
					if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(want, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				wantData, err := os.ReadFile(want)
				if err != nil {
					t.Fatalf("%v (go test -update to create)", err)
				}
				if !bytes.Equal(got, wantData) {
					t.Errorf("parse of %s changed (go test -update to accept):\n--- want\n%s--- got\n%s", f.path, wantData, got)
				}
			})
		}
	}
}

// renderOutput prints diagnostics as "L:C-L:C severity code: message" with
// the covered text, so a reviewer sees where each one lands.
func renderOutput(src []byte, out Output) []byte {
	lt := syntax.NewLineTable(src)
	var b bytes.Buffer
	span := func(s syntax.Span) string {
		l1, c1 := lt.Position(s.Start)
		l2, c2 := lt.Position(s.End)
		return fmt.Sprintf("%d:%d-%d:%d %q", l1, c1, l2, c2, src[s.Start:s.End])
	}
	for _, d := range out.Diagnostics {
		fmt.Fprintf(&b, "%s %s %s [%s]: %s\n", span(d.Span), d.Severity, d.Source, d.Code, d.Message)
		for _, r := range d.Related {
			fmt.Fprintf(&b, "\trelated %s: %s\n", span(r.Span), r.Message)
		}
	}
	for _, n := range out.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if out.Bug {
		b.WriteString("bug: true\n")
	}
	return b.Bytes()
}
