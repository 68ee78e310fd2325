package analysis_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
)

func TestSemanticTokens(t *testing.T) {
	t.Parallel()
	src := `// count reads
kprobe:vfs_read /pid == $1/ {
	$n = (uint64)arg2;
	if ($n > 100) { @big[comm] = count(); }
	printf("%s\n", str(args.buf));
}
macro twice(x) { x * 2 }
`
	var got []string
	end := -1
	for _, tok := range analysis.SemanticTokens(context.Background(), parsed(src)) {
		if int(tok.Span.Start) < end {
			t.Errorf("token %q overlaps the one before", src[tok.Span.Start:tok.Span.End])
		}
		end = int(tok.Span.End)
		got = append(got, fmt.Sprintf("%s:%s/%d", src[tok.Span.Start:tok.Span.End], analysis.SemTokenTypeNames[tok.Type], tok.Mods))
	}
	want := []string{
		"// count reads:comment/0", "kprobe:namespace/0", "$1:parameter/0",
		"$n:variable/0", "uint64:type/0", "if:keyword/0", "$n:variable/0", "100:number/0",
		"@big:variable/2", "count:function/0", "printf:function/0", `"%s\n":string/0`, "str:function/0", "buf:property/0",
		"macro:keyword/0", "twice:macro/1", "x:parameter/1", "2:number/0",
	}
	if strings.Join(got, "  ") != strings.Join(want, "  ") {
		t.Errorf("tokens:\n got %s\nwant %s", strings.Join(got, "  "), strings.Join(want, "  "))
	}
}
