package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runBpfls runs the command in-process and returns its exit code and output.
func runBpfls(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const cleanScript = "BEGIN { printf(\"hello\\n\"); exit(); }\n"

// brokenScript has two separate syntax errors, on lines 2 and 5.
const brokenScript = "BEGIN {\n  @x = ;\n}\n\nEND { printf(\"%d\\n\", 1 +); }\n"

func TestCheckClean(t *testing.T) {
	p := writeFile(t, t.TempDir(), "ok.bt", cleanScript)
	code, out, errOut := runBpfls(t, "check", "--target-version", "0.24", p)
	if code != exitOK || out != "bpfls: checked for bpftrace 0.24 (bpftrace 0.24, as set)\n" {
		t.Fatalf("clean script: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestCheckTargetReported: with no --target-version, check asks the
// bpftrace in PATH once, checks for its version, and says so in every
// format; without one it checks for the newest and says why. Not parallel:
// it sets PATH.
func TestCheckTargetReported(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	calls := filepath.Join(dir, "calls")
	writeFile(t, bin, "bpftrace", "#!/bin/sh\necho \"$*\" >> "+calls+"\necho bpftrace v0.21.0\n")
	if err := os.Chmod(filepath.Join(bin, "bpftrace"), 0o755); err != nil {
		t.Fatal(err)
	}
	// let needs 0.22: an error under the installed 0.21, none under the newest.
	p := writeFile(t, dir, "let.bt", "BEGIN { let $x = 1; print($x); }\n")
	t.Setenv("PATH", bin)
	code, out, _ := runBpfls(t, "check", "--no-kernel", p)
	last := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]
	if code != exitFail || !strings.Contains(out, "bpftrace 0.22 or newer") || last != "bpfls: checked for bpftrace 0.21 (auto: "+filepath.Join(bin, "bpftrace")+" is bpftrace 0.21)\n" {
		t.Errorf("text: exit %d, output:\n%s", code, out)
	}
	if b, _ := os.ReadFile(calls); string(b) != "--version\n" {
		t.Errorf("bpftrace ran with %q, want one --version", b)
	}
	_, out, _ = runBpfls(t, "check", "--no-kernel", "--format", "json", p)
	var diags []struct {
		Target struct{ Version, Setting, Source, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &diags); err != nil || len(diags) == 0 || diags[0].Target.Version != "0.21" ||
		diags[0].Target.Source != "installed" || diags[0].Target.Setting != "auto" {
		t.Errorf("json: %v\n%s", err, out)
	}
	_, out, _ = runBpfls(t, "check", "--no-kernel", "--format", "sarif", p)
	var log struct {
		Runs []struct {
			Properties struct {
				BpftraceTarget struct{ Version, Source, Reason string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || log.Runs[0].Properties.BpftraceTarget.Version != "0.21" {
		t.Errorf("sarif: %v\n%s", err, out)
	}
	t.Setenv("PATH", t.TempDir())
	code, out, _ = runBpfls(t, "check", "--no-kernel", p)
	if code != exitOK || !strings.HasSuffix(out, "bpfls: checked for bpftrace 0.26 (auto: no bpftrace in PATH, so the newest, 0.26)\n") {
		t.Errorf("without bpftrace: exit %d, output:\n%s", code, out)
	}
}

func TestCheckTextFormat(t *testing.T) {
	p := writeFile(t, t.TempDir(), "bad.bt", brokenScript)
	code, out, _ := runBpfls(t, "check", p)
	if code != exitFail {
		t.Fatalf("exit %d, want %d; output:\n%s", code, exitFail, out)
	}
	head := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(p) + `:(\d+):(\d+): error: [^\n]+ \[syntax[/a-z-]*\]$`)
	heads := head.FindAllStringSubmatch(out, -1)
	if len(heads) != 2 || heads[0][1] != "2" || heads[1][1] != "5" {
		t.Fatalf("want one syntax error on line 2 and one on line 5, got:\n%s", out)
	}
	// The source line and a marker under the error's column follow each head.
	lines := strings.Split(out, "\n")
	if lines[1] != "  @x = ;" || !strings.HasPrefix(lines[2], "       ^") {
		t.Errorf("source line and marker missing or misplaced:\n%s", out)
	}
}

func TestCheckJSONFormat(t *testing.T) {
	p := writeFile(t, t.TempDir(), "bad.bt", brokenScript)
	code, out, _ := runBpfls(t, "check", "--format", "json", p)
	if code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	if len(got) != 2 {
		t.Fatalf("want 2 diagnostics, got %d:\n%s", len(got), out)
	}
	for _, field := range []string{"file", "line", "column", "endLine", "endColumn", "severity", "code", "message", "source"} {
		if _, ok := got[0][field]; !ok {
			t.Errorf("field %q missing in %v", field, got[0])
		}
	}
	d := got[0]
	if d["file"] != p || d["line"] != 2.0 || d["severity"] != "error" || d["source"] != "bpfls" ||
		!strings.HasPrefix(d["code"].(string), "syntax") {
		t.Errorf("first diagnostic = %v", d)
	}
	if d["endLine"].(float64) < d["line"].(float64) || d["column"].(float64) < 1 {
		t.Errorf("bad range in %v", d)
	}
}

func TestCheckJSONCleanIsEmptyArray(t *testing.T) {
	p := writeFile(t, t.TempDir(), "ok.bt", cleanScript)
	_, out, _ := runBpfls(t, "check", "--format", "json", p)
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("clean JSON output = %q, want []", out)
	}
}

func TestCheckSARIF(t *testing.T) {
	p := writeFile(t, t.TempDir(), "bad.bt", brokenScript)
	_, out, _ := runBpfls(t, "check", "--format", "sarif", p)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("not SARIF JSON: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "bpfls" {
		t.Fatalf("bad SARIF envelope: %+v", log)
	}
	res := log.Runs[0].Results
	if len(res) != 2 || res[0].Level != "error" || res[0].Locations[0].PhysicalLocation.Region.StartLine != 2 ||
		res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "file://"+filepath.ToSlash(p) {
		t.Errorf("bad SARIF results: %+v", res)
	}
	if len(log.Runs[0].Tool.Driver.Rules) == 0 {
		t.Error("SARIF rules list is empty")
	}
}

func TestCheckGitHub(t *testing.T) {
	p := writeFile(t, t.TempDir(), "bad.bt", brokenScript)
	_, out, _ := runBpfls(t, "check", "--format", "github", p)
	want := regexp.MustCompile(`(?m)^::error file=[^,]+,line=2,col=\d+,endLine=\d+,endColumn=\d+,title=bpfls syntax[^:]*::.+$`)
	if !want.MatchString(out) {
		t.Errorf("no GitHub annotation for line 2 in:\n%s", out)
	}
}

func TestCheckWalksDirectories(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.bt", cleanScript)
	writeFile(t, dir, "sub/b.bt", brokenScript)
	writeFile(t, dir, "sub/notes.txt", "not a script {")
	code, out, _ := runBpfls(t, "check", dir)
	if code != exitFail || !strings.Contains(out, filepath.Join("sub", "b.bt")+":2:") || strings.Contains(out, "notes.txt") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCheckBadInputFiles(t *testing.T) {
	dir := t.TempDir()
	bin := writeFile(t, dir, "bin.bt", "BEGIN {\x00\x01\x02 }")
	latin1 := writeFile(t, dir, "latin1.bt", "BEGIN { printf(\"caf\xe9\"); }")
	unreadable := writeFile(t, dir, "secret.bt", cleanScript)
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{bin, "contains NUL bytes"},
		{latin1, "not valid UTF-8"},
		{filepath.Join(dir, "missing.bt"), "no such file"},
	} {
		code, _, errOut := runBpfls(t, "check", tc.path)
		if code != exitFail || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want exit 1 and %q", tc.path, code, errOut, tc.want)
		}
	}
	if os.Geteuid() != 0 { // root reads anything
		code, _, errOut := runBpfls(t, "check", unreadable)
		if code != exitFail || !strings.Contains(errOut, "permission denied") {
			t.Errorf("unreadable file: exit %d, stderr %q", code, errOut)
		}
	}
}

func TestCheckUsage(t *testing.T) {
	p := writeFile(t, t.TempDir(), "ok.bt", cleanScript)
	for _, args := range [][]string{
		{"check"},
		{"check", "--format", "xml", p},
		{"check", "--target-version", "0.9", p},
		{"check", "--no-such-flag", p},
		{"frobnicate"},
	} {
		if code, _, _ := runBpfls(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestCheckTargetVersion(t *testing.T) {
	// for loops arrived after 0.17: the same script is clean for the newest
	// release and an error for 0.17, reported as a version problem.
	p := writeFile(t, t.TempDir(), "for.bt", "BEGIN { @m[1] = 1; for ($kv : @m) { print($kv); } }\n")
	if code, out, _ := runBpfls(t, "check", "--target-version", "newest", p); code != exitOK {
		t.Errorf("newest: exit %d:\n%s", code, out)
	}
	code, out, _ := runBpfls(t, "check", "--target-version", "0.17", p)
	if code != exitFail || !strings.Contains(out, "0.17") && !strings.Contains(out, "newer") {
		t.Errorf("0.17: exit %d:\n%s", code, out)
	}
}

// TestCheckShowsFixes: a misspelt builtin comes with its quick fix, named in
// text and spelled out as edits in JSON.
func TestCheckShowsFixes(t *testing.T) {
	p := writeFile(t, t.TempDir(), "typo.bt", "BEGIN { printf(\"%d\\n\", pidd); }\n")
	_, out, _ := runBpfls(t, "check", "--no-kernel", p)
	if !strings.Contains(out, "fix available: ") || !strings.Contains(out, `"pid"`) {
		t.Fatalf("no fix offered in text output:\n%s", out)
	}
	_, out, _ = runBpfls(t, "check", "--no-kernel", "--format", "json", p)
	var got []struct {
		Fixes []struct {
			Title string `json:"title"`
			Edits []struct {
				Line, Column, EndColumn int
				NewText                 string `json:"newText"`
			} `json:"edits"`
		} `json:"fixes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) == 0 || len(got[0].Fixes) == 0 {
		t.Fatalf("no fixes in JSON (%v):\n%s", err, out)
	}
	e := got[0].Fixes[0].Edits[0]
	if e.Line != 1 || e.Column != 24 || e.EndColumn != 28 || e.NewText != "pid" {
		t.Errorf("fix edit = %+v, want line 1, columns 24-28, \"pid\"", e)
	}
}
