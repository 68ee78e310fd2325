package ide

// This file implements completion and hover for kprobe targets, which are
// kernel symbols rather than BTF functions: compiler clones
// ("kzalloc_noprof.constprop.0"), static functions and module functions
// without BTF attach too, only without typed arguments.

import (
	"context"
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// noBTFDoc marks a symbol BTF does not describe.
const noBTFDoc = "kernel symbol without BTF: no typed args (use arg0…argN)"

// completeKprobeTargets lists BTF functions and kernel symbols starting
// with prefix; symbols BTF lacks are marked as such.
func completeKprobeTargets(ctx context.Context, k analysis.Kernel, prefix string, span syntax.Span) CompletionList {
	list := completeKernelFuncs(ctx, k, prefix, span)
	syms, capped := listKernel(k, btfindex.NameSymbol, prefix)
	if len(syms) == 0 {
		return list
	}
	have := make(map[string]bool, len(list.Items))
	for _, it := range list.Items {
		have[it.Label] = true
	}
	for _, n := range syms {
		if have[n] {
			continue
		}
		have[n] = true
		if _, ok := k.Func(n); ok {
			continue // beyond the BTF list's cap; it is a typed function
		}
		list.Items = append(list.Items, CompletionItem{Label: n, Kind: CompleteKernelFunc, Insert: n, Detail: "kernel symbol (no BTF)", Doc: noBTFDoc})
	}
	slices.SortStableFunc(list.Items, func(a, b CompletionItem) int { return strings.Compare(a.Label, b.Label) })
	if len(list.Items) > maxCompletionItems {
		list.Items, capped = list.Items[:maxCompletionItems], true
	}
	list.Incomplete = list.Incomplete || capped
	return list
}

// kprobeHover shows a function's prototype, or for a symbol without BTF
// says so; a wildcard counts the symbols and functions it matches.
func kprobeHover(k analysis.Kernel, name string, wildcard bool) string {
	syms := k.Match(btfindex.NameSymbol, name)
	if wildcard {
		if len(syms) == 0 {
			return funcHover(k, name, true)
		}
		all := append(slices.Clone(syms), k.Match(btfindex.NameFunc, name)...)
		slices.Sort(all)
		return matchesHover(slices.Compact(all), name, "kernel function")
	}
	if md := funcHover(k, name, false); md != "" {
		return md
	}
	if len(syms) == 0 {
		return ""
	}
	md := "`" + name + "`: " + noBTFDoc
	if sk, ok := k.(interface {
		Symbols(string) []btfindex.Symbol
	}); ok {
		for _, sym := range sk.Symbols(name) {
			if sym.Module != "" {
				md += "\n\nin module `" + sym.Module + "`"
				break
			}
		}
	}
	return md
}
