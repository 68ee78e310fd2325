package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// sarifTyposScript has a misspelt builtin (with a quick fix) after a
// non-ASCII comment, so UTF-16 columns differ from byte columns.
const sarifTyposScript = "// naïve ✓\nBEGIN { printf(\"%d\\n\", pidd); }\n"

// TestCheckSARIFShape checks the SARIF 2.1.0 properties bpfls emits against
// the schema's requirements (required members, minimum counts and values),
// for a file whose absolute path has a space, '%' and '#'.
func TestCheckSARIFShape(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my scripts", "100% #1")
	p := writeFile(t, dir, "typo #2.bt", sarifTyposScript)
	_, out, _ := runBpfls(t, "check", "--no-kernel", "--format", "sarif", p)
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if log["version"] != "2.1.0" {
		t.Errorf("version = %v", log["version"])
	}
	runs := sarifArray(t, log, "runs", 1)
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := sarifObject(t, sarifObject(t, run, "tool"), "driver")
	if driver["name"] != "bpfls" {
		t.Errorf("driver name = %v", driver["name"])
	}
	rules := map[string]bool{}
	for _, r := range sarifArray(t, driver, "rules", 1) {
		rule := r.(map[string]any)
		id, _ := rule["id"].(string)
		rules[id] = true
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			if text, _ := sarifObject(t, rule, k)["text"].(string); text == "" {
				t.Errorf("rule %q: %s has no text", id, k)
			}
		}
	}
	fixes := 0
	for _, r := range sarifArray(t, run, "results", 1) {
		res := r.(map[string]any)
		if id, _ := res["ruleId"].(string); !rules[id] {
			t.Errorf("result's ruleId %q is not among the driver's rules", id)
		}
		if text, _ := sarifObject(t, res, "message")["text"].(string); text == "" {
			t.Error("result without message text")
		}
		for _, l := range sarifArray(t, res, "locations", 1) {
			phys := sarifObject(t, l.(map[string]any), "physicalLocation")
			sarifCheckURI(t, sarifObject(t, phys, "artifactLocation"), p)
			sarifCheckRegion(t, sarifObject(t, phys, "region"))
		}
		for _, f := range sarifOptionalArray(res, "fixes") {
			fixes++
			fix := f.(map[string]any)
			if text, _ := sarifObject(t, fix, "description")["text"].(string); text == "" {
				t.Error("fix without description")
			}
			for _, c := range sarifArray(t, fix, "artifactChanges", 1) {
				change := c.(map[string]any)
				sarifCheckURI(t, sarifObject(t, change, "artifactLocation"), p)
				for _, rep := range sarifArray(t, change, "replacements", 1) {
					sarifCheckRegion(t, sarifObject(t, rep.(map[string]any), "deletedRegion"))
				}
			}
		}
	}
	if fixes == 0 {
		t.Errorf("no SARIF fixes for a misspelt builtin:\n%s", out)
	}
}

// TestCheckSARIFFixApplies applies the first SARIF fix's replacements, as a
// SARIF consumer would (UTF-16 columns), and gets the corrected script.
func TestCheckSARIFFixApplies(t *testing.T) {
	p := writeFile(t, t.TempDir(), "typo.bt", sarifTyposScript)
	_, out, _ := runBpfls(t, "check", "--no-kernel", "--format", "sarif", p)
	var log struct {
		Runs []struct {
			Results []struct {
				Fixes []struct {
					ArtifactChanges []struct {
						Replacements []struct {
							DeletedRegion struct {
								StartLine, StartColumn, EndLine, EndColumn int
							}
							InsertedContent struct{ Text string }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 ||
		len(log.Runs[0].Results[0].Fixes) == 0 {
		t.Fatalf("no fix (%v):\n%s", err, out)
	}
	lines := strings.SplitAfter(sarifTyposScript, "\n")
	rep := log.Runs[0].Results[0].Fixes[0].ArtifactChanges[0].Replacements[0]
	r := rep.DeletedRegion
	if r.StartLine != r.EndLine {
		t.Fatalf("replacement spans lines: %+v", r)
	}
	u := utf16.Encode([]rune(lines[r.StartLine-1]))
	lines[r.StartLine-1] = string(utf16.Decode(u[:r.StartColumn-1])) + rep.InsertedContent.Text + string(utf16.Decode(u[r.EndColumn-1:]))
	if got, want := strings.Join(lines, ""), strings.Replace(sarifTyposScript, "pidd", "pid", 1); got != want {
		t.Errorf("fixed script = %q, want %q", got, want)
	}
}

// TestCheckSARIFRelativeURI: a relative path stays a relative reference,
// percent-encoded.
func TestCheckSARIFRelativeURI(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a b/50%.bt", sarifTyposScript)
	t.Chdir(dir)
	_, out, _ := runBpfls(t, "check", "--no-kernel", "--format", "sarif", "a b/50%.bt")
	if !strings.Contains(out, `"uri": "a%20b/50%25.bt"`) {
		t.Errorf("want the relative URI a%%20b/50%%25.bt:\n%s", out)
	}
}

func sarifObject(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	o, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("missing object %q in %v", key, m)
	}
	return o
}

func sarifArray(t *testing.T, m map[string]any, key string, minItems int) []any {
	t.Helper()
	a, ok := m[key].([]any)
	if !ok || len(a) < minItems {
		t.Fatalf("%q: want an array of at least %d items in %v", key, minItems, m)
	}
	return a
}

func sarifOptionalArray(m map[string]any, key string) []any {
	a, _ := m[key].([]any)
	return a
}

// sarifCheckURI: the artifact's uri is a file:// URI naming path exactly.
func sarifCheckURI(t *testing.T, art map[string]any, path string) {
	t.Helper()
	s, _ := art["uri"].(string)
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "file" || u.Fragment != "" || u.RawQuery != "" || u.Path != filepath.ToSlash(path) {
		t.Errorf("uri %q (%v) does not name %q", s, err, path)
	}
	if _, err := os.Stat(filepath.FromSlash(u.Path)); err != nil {
		t.Errorf("uri %q: %v", s, err)
	}
}

func sarifCheckRegion(t *testing.T, r map[string]any) {
	t.Helper()
	for _, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
		if v, _ := r[k].(float64); v < 1 {
			t.Errorf("region %s = %v, want ≥ 1", k, r[k])
		}
	}
}
