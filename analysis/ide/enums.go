package ide

// This file implements completion and hover for enum constants, which
// bpftrace takes from the kernel's BTF as bare identifiers.

import (
	"fmt"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// minEnumPrefix is how much of a name must be typed before the kernel's
// enum constants (about 18,000) are offered.
const minEnumPrefix = 2

// enumItems lists the kernel's enum constants starting with prefix.
func enumItems(k analysis.Kernel, prefix string) []CompletionItem {
	ek, ok := k.(analysis.EnumKernel)
	if !ok || len(prefix) < minEnumPrefix {
		return nil
	}
	names, _ := listKernel(k, btfindex.NameEnumConst, prefix)
	items := make([]CompletionItem, 0, len(names))
	for _, n := range names {
		it := CompletionItem{Label: n, Kind: CompleteValue, Insert: n, Sort: "3"}
		if c, ok := ek.EnumConst(n); ok {
			it.Detail = enumDecl(c)
		}
		items = append(items, it)
	}
	return items
}

// enumHover shows a kernel enum constant's enum and value; "" for a name
// that is none.
func enumHover(k analysis.Kernel, name string, v syntax.Version) string {
	ek, ok := k.(analysis.EnumKernel)
	if !ok {
		return ""
	}
	c, ok := ek.EnumConst(name)
	if !ok {
		return ""
	}
	return "```c\n" + enumDecl(c) + "\n```\nkernel enum constant (BTF); type `" + analysis.EnumConstType(v, c.Enum) + "` in bpftrace " + v.String()
}

// enumDecl spells a constant as C would: "enum tcp_state TCP_ESTABLISHED = 1".
func enumDecl(c btfindex.EnumConst) string {
	enum := "enum " + c.Enum
	if c.Enum == "" {
		enum = "enum (anonymous)"
	}
	if !c.Signed && c.Value < 0 {
		return fmt.Sprintf("%s %s = %d", enum, c.Name, uint64(c.Value))
	}
	return fmt.Sprintf("%s %s = %d", enum, c.Name, c.Value)
}
