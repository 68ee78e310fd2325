package ide

import (
	"context"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// TestKernelNamesRealKernel: kprobe completion and hover know kernel
// symbols without BTF (compiler clones), marked as having no typed args,
// and bare identifiers complete and hover BTF enum constants with their
// enum and value.
func TestKernelNamesRealKernel(t *testing.T) {
	k := analysistest.RealKernel(t)
	ctx := context.Background()
	var clone string
	for _, n := range k.Match(btfindex.NameSymbol, "*.constprop.*") {
		if _, ok := k.Func(n); !ok {
			clone = n
			break
		}
	}
	if clone == "" {
		analysistest.RequireReal(t, "the kernel's symbols have no .constprop clone without BTF")
	}
	t.Run("kprobe completes a clone", func(t *testing.T) {
		s, pos := featureSnapshot(t, "kprobe:"+clone[:len(clone)-1]+"‸", syntax.V0_26, k)
		it, ok := findItem(Completion(ctx, s, pos).Items, clone)
		if !ok || !strings.Contains(it.Doc, "no typed args") {
			t.Errorf("%s item = %+v, %v", clone, it, ok)
		}
	})
	t.Run("fentry does not", func(t *testing.T) {
		s, pos := featureSnapshot(t, "fentry:"+clone[:len(clone)-1]+"‸", syntax.V0_26, k)
		if it, ok := findItem(Completion(ctx, s, pos).Items, clone); ok {
			t.Errorf("fentry offers a symbol without BTF: %+v", it)
		}
	})
	t.Run("kprobe hover on a clone", func(t *testing.T) {
		s, pos := featureSnapshot(t, "kprobe:"+clone[:3]+"‸"+clone[3:]+" {}", syntax.V0_26, k)
		h, ok := Hover(ctx, s, pos)
		if !ok || !strings.Contains(h.Markdown, "no typed args") {
			t.Errorf("hover = %q, %v", h.Markdown, ok)
		}
	})
	t.Run("enum completion", func(t *testing.T) {
		s, pos := featureSnapshot(t, "kprobe:vfs_read { @a = TCP_ESTAB‸ }", syntax.V0_26, k)
		it, ok := findItem(Completion(ctx, s, pos).Items, "TCP_ESTABLISHED")
		if !ok || !strings.Contains(it.Detail, "TCP_ESTABLISHED = 1") {
			t.Errorf("TCP_ESTABLISHED item = %+v, %v", it, ok)
		}
	})
	t.Run("enum hover", func(t *testing.T) {
		s, pos := featureSnapshot(t, "kprobe:vfs_read { @a = TCP_EST‸ABLISHED; }", syntax.V0_26, k)
		h, ok := Hover(ctx, s, pos)
		if !ok || !strings.Contains(h.Markdown, "TCP_ESTABLISHED = 1") {
			t.Errorf("hover = %q, %v", h.Markdown, ok)
		}
	})
}
