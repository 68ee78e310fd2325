package ide

// This file implements hover: what the thing under the cursor is. Attach
// points show kernel prototypes, wildcard matches and tracepoint formats;
// bodies show field types with offsets, struct layouts on casts, builtin
// docs, and the types of variables and maps.

import (
	"context"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// HoverInfo is what hover shows: markdown about the text at Span.
type HoverInfo struct {
	Span     syntax.Span
	Markdown string
}

// Hover describes what is at pos; ok is false when there is nothing to say.
func Hover(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) (HoverInfo, bool) {
	f := s.File
	if pos < 0 || int(pos) > f.Len() {
		return HoverInfo{}, false
	}
	item := itemAt(f, pos)
	if item == nil {
		return HoverInfo{}, false
	}
	if p, ok := item.(*syntax.Probe); ok {
		for _, ap := range p.AttachPoints {
			if ap.Span.Start <= pos && pos < ap.Span.End {
				return hoverAttachPoint(ctx, s, ap, pos)
			}
		}
	}
	path := nodePath(item, pos)
	if len(path) == 0 {
		return HoverInfo{}, false
	}
	return hoverBody(ctx, s, item, path)
}

// nodePath returns the nodes of item that contain pos, outermost first.
func nodePath(item syntax.Node, pos syntax.Pos) []syntax.Node {
	var path []syntax.Node
	syntax.Inspect(item, func(n syntax.Node) bool {
		if n == nil {
			return true
		}
		if n.Pos() > pos || n.End() < pos || !n.Pos().IsValid() {
			return false
		}
		path = append(path, n)
		return true
	})
	return path
}

// hoverAttachPoint describes the part of ap under pos.
func hoverAttachPoint(ctx context.Context, s *analysis.Snapshot, ap *syntax.AttachPoint, pos syntax.Pos) (HoverInfo, bool) {
	part := 0
	for i, p := range ap.Parts {
		if p.Span.Start <= pos && pos <= p.Span.End {
			part = i
			break
		}
	}
	prov, ok := analysis.LookupProbeType(ap.Provider, s.Config.Dialect.Version)
	if !ok || len(ap.Parts) == 0 {
		return HoverInfo{}, false
	}
	span := ap.Parts[part].Span
	if part == 0 {
		return HoverInfo{Span: span, Markdown: providerHover(prov, ap.Provider)}, true
	}
	switch prov.Name {
	case "uprobe", "uretprobe", "usdt":
		return hoverUser(s.Config.User, prov.Name, ap, part)
	}
	k := s.Config.Kernel
	if k == nil {
		return HoverInfo{}, false
	}
	last := ap.Parts[len(ap.Parts)-1]
	var md string
	switch prov.Name {
	case "kprobe", "kretprobe", "fentry", "fexit":
		if part != len(ap.Parts)-1 {
			return HoverInfo{}, false
		}
		name, _, _ := strings.Cut(last.Value, "+")
		if prov.Name == "kprobe" || prov.Name == "kretprobe" {
			md = kprobeHover(k, name, last.Wildcard)
		} else {
			md = funcHover(k, name, last.Wildcard)
		}
	case "tracepoint":
		if len(ap.Parts) != 3 {
			return HoverInfo{}, false
		}
		span = syntax.Span{Start: ap.Parts[1].Span.Start, End: last.Span.End}
		md = tracepointHover(k, ap.Parts[1].Value, last.Value, ap.Parts[1].Wildcard || last.Wildcard)
	case "rawtracepoint":
		if fn, ok := k.Func("__probestub_" + last.Value); ok && !last.Wildcard {
			md = "```c\n" + cPrototype(fn) + "\n```\nraw tracepoint `" + last.Value + "`: args are the parameters after the first"
		}
	}
	if md == "" {
		return HoverInfo{}, false
	}
	return HoverInfo{Span: span, Markdown: md}, true
}

func providerHover(p analysis.ProbeType, spell string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** probe", p.Name)
	var aliases []string
	for _, sp := range p.Spellings {
		if sp.Name != p.Name {
			aliases = append(aliases, "`"+sp.Name+"`")
		}
	}
	if len(aliases) > 0 {
		b.WriteString(" (also " + strings.Join(aliases, ", ") + ")")
	}
	if doc := providerDocs[p.Name]; doc != "" {
		b.WriteString("\n\n" + doc)
	}
	return b.String()
}

// maxHoverMatches is how many matches of a wildcard hover lists.
const maxHoverMatches = 10

// funcHover shows a kernel function's prototype, or what a pattern matches.
func funcHover(k analysis.Kernel, name string, wildcard bool) string {
	if wildcard {
		return matchesHover(k.Match(btfindex.NameFunc, name), name, "kernel function")
	}
	fn, ok := k.Func(name)
	if !ok {
		return ""
	}
	return "```c\n" + cPrototype(fn) + "\n```\n" + funcDoc(fn)
}

// matchesHover says how many names a pattern matches and lists the first.
func matchesHover(names []string, pattern, noun string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "`%s` matches %d %s", pattern, len(names), pluralNoun(len(names), noun))
	if len(names) == 0 {
		return b.String()
	}
	b.WriteString(":\n")
	for i, n := range names {
		if i == maxHoverMatches {
			fmt.Fprintf(&b, "- … and %d more\n", len(names)-i)
			break
		}
		b.WriteString("- `" + n + "`\n")
	}
	return b.String()
}

func pluralNoun(n int, noun string) string {
	switch {
	case n == 1:
		return noun
	case strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "s"):
		return noun + "es"
	}
	return noun + "s"
}

// tracepointHover shows a tracepoint's format, or what a pattern matches.
func tracepointHover(k analysis.Kernel, cat, event string, wildcard bool) string {
	if wildcard {
		return matchesHover(k.Match(btfindex.NameTracepoint, cat+":"+event), cat+":"+event, "tracepoint")
	}
	tp, ok := k.Tracepoint(cat, event)
	if !ok {
		return ""
	}
	return "```c\n" + tracepointFormat(tp) + "\n```"
}
