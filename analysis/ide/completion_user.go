package ide

// This file implements completion in uprobe, uretprobe and usdt attach
// points: binaries (paths and ld.so.cache library names), a binary's
// functions with their DWARF prototypes, and its USDT probes.

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// completeUser completes the parts after uprobe:, uretprobe: or usdt:.
// A binary not read yet gives an incomplete empty list, so the client asks
// again; nothing here reads a binary on the caller's goroutine.
func completeUser(u analysis.UserBinaries, prov string, parts []string, span syntax.Span) CompletionList {
	if u == nil {
		return CompletionList{}
	}
	last := parts[len(parts)-1]
	if len(parts) == 1 {
		return completeBinaries(u, last, span)
	}
	e := u.Lookup(parts[0])
	if e.Binary == nil {
		return CompletionList{Span: span, Incomplete: e.State == userbin.Reading}
	}
	if prov == "usdt" {
		return completeUSDT(e.Binary, parts[1:], span)
	}
	if len(parts) != 2 {
		return CompletionList{}
	}
	fns := e.Binary.Complete(last, maxCompletionItems+1)
	capped := len(fns) > maxCompletionItems
	if capped {
		fns = fns[:maxCompletionItems]
	}
	items := make([]CompletionItem, 0, len(fns))
	for _, f := range fns {
		it := CompletionItem{Label: f.Name, Kind: CompleteKernelFunc, Insert: f.Name}
		if p, ok := e.Binary.Prototype(f.Name); ok {
			it.Detail = p.String()
		} else if f.Demangled != "" {
			it.Detail = f.Demangled
		}
		items = append(items, it)
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped || e.State != userbin.Complete}
}

// completeBinaries offers files for a path, and otherwise programs on PATH
// and library names.
func completeBinaries(u analysis.UserBinaries, prefix string, span syntax.Span) CompletionList {
	if strings.Contains(prefix, "/") {
		return completePath(prefix, span)
	}
	var items []CompletionItem
	if prefix != "" { // every program on PATH is too long a list to be useful
		for _, name := range u.Programs(prefix) {
			items = append(items, CompletionItem{Label: name, Kind: CompleteValue, Insert: name, Detail: "program (PATH)"})
		}
	}
	for _, name := range u.Libraries() {
		if strings.HasPrefix(name, prefix) {
			items = append(items, CompletionItem{Label: name, Kind: CompleteValue, Insert: name, Detail: "library (ld.so.cache)"})
		}
	}
	capped := len(items) > maxCompletionItems
	if capped {
		items = items[:maxCompletionItems]
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// completePath lists the entries of the directory prefix names: one
// directory read, no file opened.
func completePath(prefix string, span syntax.Span) CompletionList {
	dir, base := filepath.Split(prefix)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return CompletionList{}
	}
	var items []CompletionItem
	for _, de := range entries {
		name := de.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		full := dir + name
		if de.IsDir() {
			full += "/"
		}
		items = append(items, CompletionItem{Label: full, Kind: CompleteValue, Insert: full})
		if len(items) > maxCompletionItems {
			break
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Label < items[j].Label })
	capped := len(items) > maxCompletionItems
	if capped {
		items = items[:maxCompletionItems]
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// completeUSDT offers "provider:probe" after the binary, and probe names
// after a provider.
func completeUSDT(b *userbin.Binary, parts []string, span syntax.Span) CompletionList {
	var items []CompletionItem
	for _, p := range b.Probes {
		label := p.Provider + ":" + p.Name
		if len(parts) == 2 {
			if p.Provider != parts[0] {
				continue
			}
			label = p.Name
		}
		if !strings.HasPrefix(label, parts[len(parts)-1]) {
			continue
		}
		items = append(items, CompletionItem{Label: label, Kind: CompleteTracepoint, Insert: label,
			Detail: usdtArgs(p)})
	}
	return CompletionList{Items: items, Span: span}
}

// usdtArgs describes a probe's arguments: "arg0 int32, arg1 int64".
func usdtArgs(p userbin.Probe) string {
	if len(p.Args) == 0 {
		return "no arguments"
	}
	var b strings.Builder
	for i, a := range p.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		kind := "uint"
		if a.Signed {
			kind = "int"
		}
		b.WriteString("arg" + itoa(i) + " " + kind + itoa(a.Size*8))
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
