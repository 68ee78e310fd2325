package ide

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestScriptStructs: the script's own structs complete their fields and
// hover with their types, as kernel structs do.
func TestScriptStructs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const def = "struct foo { int a; long bee; union { char c; short d; }; }\n"
	s, pos := featureSnapshot(t, def+"kprobe:f { $x = (struct foo *)arg0; @ = $x->‸ }", syntax.V0_26, nil)
	got := labels(Completion(ctx, s, pos).Items)
	for _, want := range []string{"a", "bee", "c", "d"} {
		if !slices.Contains(got, want) {
			t.Errorf("fields = %q, want %s", got, want)
		}
	}
	s, pos = featureSnapshot(t, def+"kprobe:f { $x = (struct foo *)arg0; @ = $x->b‸ee; }", syntax.V0_26, nil)
	h, ok := Hover(ctx, s, pos)
	if !ok || !strings.Contains(h.Markdown, "long") {
		t.Errorf("hover = %q, %v", h.Markdown, ok)
	}
}
