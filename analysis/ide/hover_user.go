package ide

// This file implements hover on uprobe, uretprobe and usdt attach points:
// the binary (where it resolved, build-id, where its debug info comes
// from), a function's DWARF prototype, a USDT probe's arguments.

import (
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// hoverUser describes part i of a user-space attach point (0 is the
// provider, 1 the binary).
func hoverUser(u analysis.UserBinaries, prov string, ap *syntax.AttachPoint, i int) (HoverInfo, bool) {
	if u == nil || len(ap.Parts) < 3 || ap.Parts[1].Wildcard {
		return HoverInfo{}, false
	}
	e := u.Lookup(ap.Parts[1].Value)
	if e.Binary == nil {
		return HoverInfo{}, false
	}
	b := e.Binary
	span := ap.Parts[i].Span
	if i == 1 {
		return HoverInfo{Span: span, Markdown: binaryHover(e)}, true
	}
	last := ap.Parts[len(ap.Parts)-1]
	if i != len(ap.Parts)-1 || last.Wildcard {
		return HoverInfo{}, false
	}
	var md strings.Builder
	if prov == "usdt" {
		provider := ""
		if len(ap.Parts) == 4 {
			provider = ap.Parts[2].Value
		}
		p, ok := b.Probe(provider, last.Value)
		if !ok {
			return HoverInfo{}, false
		}
		fmt.Fprintf(&md, "USDT probe **%s:%s**: %s", p.Provider, p.Name, usdtArgs(p))
		if p.Sites > 1 {
			fmt.Fprintf(&md, " (%d sites)", p.Sites)
		}
	} else {
		name, _, _ := strings.Cut(last.Value, "+")
		f, ok := b.Func(name)
		if !ok {
			return HoverInfo{}, false
		}
		if p, ok := b.Prototype(name); ok {
			fmt.Fprintf(&md, "```c\n%s\n```\n", p.String())
			if p.DWARFName != "" {
				fmt.Fprintf(&md, "alias of `%s` in the debug info: bpftrace reads no args through this name\n\n", p.DWARFName)
			}
		} else {
			fmt.Fprintf(&md, "function `%s`", f.Versioned())
			if f.Demangled != "" {
				fmt.Fprintf(&md, " (`%s`)", f.Demangled)
			}
			md.WriteString("\n\n")
		}
	}
	md.WriteString("\n\n" + binaryHover(e))
	return HoverInfo{Span: span, Markdown: md.String()}, true
}

// binaryHover says where a binary resolved and what is known of it.
func binaryHover(e userbin.Entry) string {
	b := e.Binary
	var md strings.Builder
	fmt.Fprintf(&md, "`%s`", b.Path)
	switch e.Via {
	case "PATH":
		md.WriteString(" (found on PATH)")
	case "ld.so.cache", "libdir":
		md.WriteString(" (library, found through " + e.Via + ")")
	}
	fmt.Fprintf(&md, "\n\n%d functions, %d USDT probes", len(b.Funcs), len(b.Probes))
	if b.BuildID != "" {
		fmt.Fprintf(&md, ", build-id `%s`", b.BuildID)
	}
	switch {
	case e.State != userbin.Complete:
		md.WriteString("\n\ndebug info: still being read")
	case b.DebugErr() != nil:
		md.WriteString("\n\ndebug info: none found (args cannot be read)")
	case b.DebugSource() == b.Path:
		md.WriteString("\n\ndebug info: in the binary itself")
	default:
		fmt.Fprintf(&md, "\n\ndebug info: `%s`", b.DebugSource())
	}
	return md.String()
}
