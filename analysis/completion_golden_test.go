package analysis

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// updateGolden reports whether -update (declared by another test file of
// the package) asks for golden files to be rewritten.
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestCompletionGolden checks each testdata/completion/*.txtar: input.bt
// holds a cursor mark, the archive comment the target ("version: 0.17"),
// and want lists every proposal as "label<TAB>kind<TAB>detail", so that
// what each version offers is reviewed as a whole.
func TestCompletionGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/completion/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden files found")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v := goldenVersion(t, ar.Comment)
			s, pos := featureSnapshot(t, string(goldenSection(t, ar, "input.bt")), v, newFeatureKernel())
			got := renderCompletion(Completion(context.Background(), s, pos))
			if updateGolden() {
				goldenSetSection(ar, "want", got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := goldenSection(t, ar, "want"); !bytes.Equal(got, want) {
				t.Errorf("completion changed (go test ./analysis -run TestCompletionGolden -update to accept):\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}

var completionKindNames = map[CompletionKind]string{
	CompleteKeyword: "keyword", CompleteProvider: "provider", CompleteKernelFunc: "kernel-func",
	CompleteTracepoint: "tracepoint", CompleteField: "field", CompleteBuiltinVar: "builtin",
	CompleteBuiltinFunc: "function", CompleteMap: "map", CompleteVariable: "variable",
	CompleteMacro: "macro", CompleteType: "type", CompleteValue: "value",
}

func renderCompletion(l CompletionList) []byte {
	var b bytes.Buffer
	if l.Incomplete {
		b.WriteString("(incomplete)\n")
	}
	for _, it := range l.Items {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", it.Label, completionKindNames[it.Kind], it.Detail)
	}
	return b.Bytes()
}

func goldenVersion(t *testing.T, comment []byte) syntax.Version {
	for _, line := range strings.Split(string(comment), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "version:"); ok {
			ver, err := syntax.ParseVersion(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return ver
		}
	}
	return syntax.Newest
}

func goldenSection(t *testing.T, ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("archive has no %s section", name)
	return nil
}

func goldenSetSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}
