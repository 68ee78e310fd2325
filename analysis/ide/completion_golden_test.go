package ide

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"golang.org/x/tools/txtar"
)

// TestCompletionGolden checks each testdata/completion/*.txtar: input.bt
// holds a cursor mark, the archive comment the target ("version: 0.17"),
// and want lists every proposal as "label<TAB>kind<TAB>detail", so that
// what each version offers is reviewed as a whole.
func TestCompletionGolden(t *testing.T) {
	analysistest.Run(t, "testdata/completion/*.txtar", func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		v := analysistest.CommentDialect(t, ar.Comment).Version
		s, pos := featureSnapshot(t, string(analysistest.Input(t, ar)), v, newFeatureKernel())
		return map[string][]byte{"want": renderCompletion(Completion(context.Background(), s, pos))}
	})
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
