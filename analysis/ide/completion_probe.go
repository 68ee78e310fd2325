package ide

// This file implements completion in attach points: provider names per
// target version, kernel functions after fentry:/fexit:/kprobe:/kretprobe:
// (and their aliases), tracepoints as category:event, raw tracepoints, iter
// names, perf events and interval units.

import (
	"context"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// eagerPrototypes is how many kernel-function items get their prototype
// at once; longer lists are resolved item by item ([ResolveCompletion]).
const eagerPrototypes = 16

// completeAttachPoint completes the attach point ending at pos.
func completeAttachPoint(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) CompletionList {
	n := nearPos(s.File, pos)
	start := n.base + attachPointStart(n.src, n.rel(pos))
	raw := string(n.src[n.rel(start):n.rel(pos)])
	d := s.Config.Dialect
	provText, rest, hasColon := strings.Cut(raw, ":")
	if i := strings.IndexByte(provText, '='); i >= 0 && hasColon { // name=kprobe:f
		provText = provText[i+1:]
	}
	if !hasColon {
		if i := strings.IndexByte(raw, '='); i >= 0 {
			start += syntax.Pos(i + 1)
			raw = raw[i+1:]
		}
		return completeProviders(d, raw, syntax.Span{Start: start, End: pos})
	}
	prov, ok := analysis.LookupProbeType(provText, d.Version)
	if !ok {
		return CompletionList{}
	}
	parts := strings.Split(rest, ":")
	last := parts[len(parts)-1]
	span := syntax.Span{Start: pos - syntax.Pos(len(last)), End: pos}
	switch prov.Name {
	case "kprobe", "kretprobe":
		return completeKprobeTargets(ctx, s.Config.Kernel, last, span)
	case "fentry", "fexit":
		return completeKernelFuncs(ctx, s.Config.Kernel, last, span)
	case "uprobe", "uretprobe", "usdt":
		return completeUser(s.Config.User, prov.Name, parts, span)
	case "tracepoint":
		tpSpan := syntax.Span{Start: pos - syntax.Pos(len(rest)), End: pos}
		return completeTracepoints(s.Config.Kernel, rest, tpSpan)
	case "rawtracepoint":
		return completeStripped(s.Config.Kernel, btfindex.NameFunc, "__probestub_", last, span, CompleteTracepoint)
	case "iter":
		if len(parts) == 1 {
			return completeStripped(s.Config.Kernel, btfindex.NameRecord, "bpf_iter__", last, span, CompleteValue)
		}
	case "software", "hardware":
		if len(parts) == 1 {
			return completeWords(perfEvents[prov.Name], last, span)
		}
	case "interval", "profile":
		if len(parts) == 1 {
			return completeWords([]string{"s", "ms", "us", "hz"}, last, span)
		}
	}
	return CompletionList{}
}

// attachPointStart returns where the attach point ending at pos begins.
func attachPointStart(src []byte, pos syntax.Pos) syntax.Pos {
	i := int(pos)
	for i > 0 && !strings.ContainsRune(" \t\r\n{},;", rune(src[i-1])) {
		i--
	}
	return syntax.Pos(i)
}

// topLevelKeywords are the items other than probes, with the version that
// introduced each.
var topLevelKeywords = []struct {
	word  string
	since syntax.Version
}{
	{"config", syntax.V0_20}, {"fn", syntax.V0_21}, {"macro", syntax.V0_24}, {"let", syntax.V0_24}, {"import", syntax.V0_24},
}

// completeProviders proposes the probe types of dialect d, every spelling
// valid there, and the top-level keywords.
func completeProviders(d syntax.Dialect, prefix string, span syntax.Span) CompletionList {
	var items []CompletionItem
	for _, p := range analysis.ProbeTypes() {
		for _, sp := range p.Spellings {
			if !sp.ValidIn(d.Version) {
				continue
			}
			items = append(items, providerItem(p, sp.Name, d.Version))
			if (sp.Name == "BEGIN" || sp.Name == "END") && d.Version.AtLeast(syntax.V0_24) {
				items = append(items, providerItem(p, strings.ToLower(sp.Name), d.Version))
			}
		}
	}
	for _, kw := range topLevelKeywords {
		if d.Version.AtLeast(kw.since) {
			items = append(items, CompletionItem{Label: kw.word, Kind: CompleteKeyword, Insert: kw.word, Sort: "2"})
		}
	}
	items, capped := filterPrefix(items, prefix)
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// providerItem proposes one spelling of p. Where v predates p's canonical
// name (kfunc before fentry), the old name is the probe's own name there.
func providerItem(p analysis.ProbeType, spell string, v syntax.Version) CompletionItem {
	it := CompletionItem{Label: spell, Kind: CompleteProvider, Insert: spell, Detail: p.Name + " probe", Sort: "1"}
	canonical := p.Spellings[0]
	switch {
	case strings.EqualFold(spell, p.Name):
	case !canonical.ValidIn(v) && len(spell) > 2:
		it.Detail = spell + " probe (named " + p.Name + " from bpftrace " + canonical.Since.String() + ")"
	default:
		it.Detail = "alias of " + p.Name
		it.Sort = "1~" // after the canonical names
	}
	if doc, ok := providerDocs[p.Name]; ok {
		it.Doc = doc
	}
	return it
}

// completeKernelFuncs lists kernel functions starting with prefix, capped.
func completeKernelFuncs(ctx context.Context, k analysis.Kernel, prefix string, span syntax.Span) CompletionList {
	names, capped := listKernel(k, btfindex.NameFunc, prefix)
	items := make([]CompletionItem, len(names))
	for i, n := range names {
		items[i] = CompletionItem{Label: n, Kind: CompleteKernelFunc, Insert: n, Resolve: n}
	}
	if len(items) <= eagerPrototypes {
		for i := range items {
			if ctx.Err() != nil {
				break
			}
			ResolveCompletion(ctx, k, &items[i])
		}
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// listKernel asks k for up to maxCompletionItems names starting with
// prefix; capped reports that there were more.
func listKernel(k analysis.Kernel, kind btfindex.NameKind, prefix string) (names []string, capped bool) {
	if k == nil {
		return nil, false
	}
	names = k.Complete(kind, prefix, maxCompletionItems+1)
	if len(names) > maxCompletionItems {
		return names[:maxCompletionItems], true
	}
	return names, false
}

// ResolveCompletion fills in the prototype of a kernel-function item: its
// C declaration as Detail, module and traceability as Doc.
func ResolveCompletion(ctx context.Context, k analysis.Kernel, it *CompletionItem) {
	if it.Resolve == "" || k == nil {
		return
	}
	fn, ok := k.Func(it.Resolve)
	if !ok {
		return
	}
	it.Detail = cPrototype(fn)
	it.Doc = funcDoc(fn)
	it.Resolve = ""
}

// completeTracepoints completes "category:event" as one word: rest is what
// follows the provider.
func completeTracepoints(k analysis.Kernel, rest string, span syntax.Span) CompletionList {
	names, capped := listKernel(k, btfindex.NameTracepoint, rest)
	items := make([]CompletionItem, 0, len(names))
	for _, n := range names {
		items = append(items, CompletionItem{Label: n, Kind: CompleteTracepoint, Insert: n})
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// completeStripped lists the names of kind starting with strip+prefix and
// offers them without strip: raw tracepoints come from their BTF stubs
// (__probestub_EVENT), iterators from their context structs (bpf_iter__NAME).
func completeStripped(k analysis.Kernel, kind btfindex.NameKind, strip, prefix string, span syntax.Span, ck CompletionKind) CompletionList {
	names, capped := listKernel(k, kind, strip+prefix)
	items := make([]CompletionItem, 0, len(names))
	for _, n := range names {
		n = strings.TrimPrefix(n, strip)
		if strings.Contains(n, "__") {
			continue // a variant of a name, such as bpf_iter__task__safe_trusted
		}
		items = append(items, CompletionItem{Label: n, Kind: ck, Insert: n})
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// perfEvents are the software and hardware event names bpftrace accepts.
var perfEvents = map[string][]string{
	"software": {"alignment-faults", "bpf-output", "context-switches", "cpu-clock", "cpu-migrations", "cs", "cpu", "dummy",
		"emulation-faults", "faults", "major-faults", "minor-faults", "page-faults", "task-clock"},
	"hardware": {"backend-stalls", "branch-instructions", "branch-misses", "branches", "bus-cycles", "cache-misses",
		"cache-references", "cpu-cycles", "cycles", "frontend-stalls", "instructions", "ref-cycles"},
}

// completeWords proposes fixed words starting with prefix.
func completeWords(words []string, prefix string, span syntax.Span) CompletionList {
	items := make([]CompletionItem, 0, len(words))
	for _, w := range words {
		items = append(items, CompletionItem{Label: w, Kind: CompleteValue, Insert: w})
	}
	items, capped := filterPrefix(items, prefix)
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}
