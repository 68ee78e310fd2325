package ide

// This file implements completion and hover for what the script's C part
// and its #included headers define: struct, union and enum names after
// their keyword, enum constants and #defines in bodies, beside the
// kernel's.

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// typeKeywordBefore returns "struct", "union" or "enum" when that keyword
// ends right before start (blanks aside), else "".
func typeKeywordBefore(src []byte, start syntax.Pos) string {
	before := strings.TrimRight(string(src[:start]), " \t")
	for _, kw := range []string{"struct", "union", "enum"} {
		if strings.HasSuffix(before, kw) && !isWordBefore([]byte(before), len(before)-len(kw)) {
			return kw
		}
	}
	return ""
}

// completeTypeNames proposes the tags a "struct ", "union " or "enum "
// can name: the script's and its headers' first, then the kernel's.
func completeTypeNames(ctx context.Context, s *analysis.Snapshot, kw, word string, span syntax.Span) CompletionList {
	var items []CompletionItem
	seen := map[string]bool{}
	if d := s.CDecls(ctx); d != nil {
		for _, tag := range cTags(d, kw) {
			if !strings.HasPrefix(tag, word) {
				continue
			}
			seen[tag] = true
			items = append(items, CompletionItem{Label: tag, Kind: CompleteType, Insert: tag, Sort: "0",
				Detail: kw + " " + tag, Doc: definedWhere(d, cKey(kw, tag))})
		}
	}
	kind := btfindex.NameRecord
	if kw == "enum" {
		if !s.Config.Dialect.Version.AtLeast(syntax.V0_24) {
			return CompletionList{Items: items, Span: span} // 0.17 has no enum types
		}
		kind = btfindex.NameEnum
	}
	names, capped := listKernel(s.Config.Kernel, kind, word)
	for _, n := range names {
		if seen[n] {
			continue
		}
		it := CompletionItem{Label: n, Kind: CompleteType, Insert: n, Sort: "1"}
		if kw == "enum" {
			it.Detail, it.Doc = "enum "+n+" (kernel BTF)", kernelEnumDoc(s.Config.Dialect.Version)
		}
		items = append(items, it)
	}
	return CompletionList{Items: items, Span: span, Incomplete: capped}
}

// kernelEnumDoc says where bpftrace v takes a kernel enum: the compilers
// cast values only to the enums clang read from the script.
func kernelEnumDoc(v syntax.Version) string {
	return "The kernel's enum: `sizeof` and pointer casts take it; bpftrace " + v.String() +
		" casts values only to enums the script or its headers define (\"Unknown enum\")."
}

// cTags lists the C part's tags of one kind, sorted.
func cTags(d *cdecl.Decls, kw string) []string {
	var tags []string
	switch kw {
	case "enum":
		for _, c := range d.Consts {
			if c.Enum != "" && !slices.Contains(tags, c.Enum) {
				tags = append(tags, c.Enum)
			}
		}
	default:
		for tag, r := range d.Records {
			if tag != "" && len(r.Members) > 0 && r.Union == (kw == "union") {
				tags = append(tags, tag)
			}
		}
	}
	slices.Sort(tags)
	return tags
}

// cKey is the key of [cdecl.Decls.Files] for a tag.
func cKey(kw, tag string) string {
	if kw == "enum" {
		return "enum " + tag
	}
	return tag
}

// definedWhere says where the C part defines key.
func definedWhere(d *cdecl.Decls, key string) string {
	if f, ok := d.Files[key]; ok {
		return "defined in `" + f + "`"
	}
	return "defined in the script"
}

// cConstItems lists the C part's enum constants and #defines starting
// with prefix.
func cConstItems(ctx context.Context, s *analysis.Snapshot, prefix string) []CompletionItem {
	d := s.CDecls(ctx)
	if d == nil {
		return nil
	}
	var items []CompletionItem
	for n, c := range d.Consts {
		if strings.HasPrefix(n, prefix) {
			items = append(items, CompletionItem{Label: n, Kind: CompleteValue, Insert: n, Sort: "2",
				Detail: cEnumDecl(c), Doc: constWhere(c)})
		}
	}
	for n, body := range d.Macros {
		if _, isConst := d.Consts[n]; !isConst && strings.HasPrefix(n, prefix) {
			items = append(items, CompletionItem{Label: n, Kind: CompleteValue, Insert: n, Sort: "2",
				Detail: strings.TrimSpace("#define " + n + " " + body), Doc: definedWhere(d, n)})
		}
	}
	slices.SortFunc(items, func(a, b CompletionItem) int { return cmp.Compare(a.Label, b.Label) })
	return items
}

// cEnumDecl spells a C part's enum constant: "enum color RED = 1".
func cEnumDecl(c cdecl.Const) string {
	return enumDecl(btfindex.EnumConst{Name: c.Name, Enum: c.Enum, Value: c.Value, Signed: true})
}

func constWhere(c cdecl.Const) string {
	if c.File != "" {
		return fmt.Sprintf("defined in `%s:%d`", c.File, c.Line)
	}
	return fmt.Sprintf("defined in the script, line %d", c.Line)
}

// cIdentHover describes an enum constant or #define of the C part: its
// value, where it is defined and, for a constant, the type bpftrace gives
// it in the target version; "" for other names.
func cIdentHover(ctx context.Context, s *analysis.Snapshot, name string) string {
	d := s.CDecls(ctx)
	if d == nil {
		return ""
	}
	v := s.Config.Dialect.Version
	if c, ok := d.Consts[name]; ok {
		return fmt.Sprintf("```c\n%s\n```\nenum constant, %s; type `%s` in bpftrace %s", cEnumDecl(c), constWhere(c),
			analysis.EnumConstType(v, c.Enum), v)
	}
	if body, ok := d.Macros[name]; ok {
		return fmt.Sprintf("```c\n#define %s %s\n```\n%s", name, body, definedWhere(d, name))
	}
	return ""
}

// cEnumHover shows an enum of the C part with its constants; "" when the
// C part defines no such enum.
func cEnumHover(ctx context.Context, s *analysis.Snapshot, tag string) string {
	d := s.CDecls(ctx)
	if d == nil {
		return ""
	}
	var consts []cdecl.Const
	for _, c := range d.Consts {
		if c.Enum == tag {
			consts = append(consts, c)
		}
	}
	if len(consts) == 0 {
		return ""
	}
	slices.SortFunc(consts, func(a, b cdecl.Const) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Value, b.Value))
	})
	var b strings.Builder
	b.WriteString("```c\nenum " + tag + " {\n")
	for _, c := range consts {
		fmt.Fprintf(&b, "\t%s = %d,\n", c.Name, c.Value)
	}
	b.WriteString("}\n```\n" + definedWhere(d, "enum "+tag))
	return b.String()
}

// cRecordWhere says where the C part defines a struct or union, for a
// hover; "" when the kernel's BTF is what defines it.
func cRecordWhere(ctx context.Context, s *analysis.Snapshot, tag string) string {
	d := s.CDecls(ctx)
	if d == nil {
		return ""
	}
	if r, ok := d.Records[tag]; !ok || len(r.Members) == 0 {
		return ""
	}
	if f, ok := d.Files[tag]; ok {
		return "\ndefined in `" + filepath.ToSlash(f) + "`"
	}
	return "\ndefined in the script"
}

// offsetofBefore matches the text of an offsetof(struct T, f.g. whose
// next field is being typed.
var offsetofBefore = regexp.MustCompile(`offsetof\s*\(\s*(struct|union)\s+([A-Za-z_][A-Za-z0-9_]*)\s*,\s*((?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*)$`)

// completeOffsetof proposes the fields of the record an offsetof names
// (the script's, a header's or the kernel's), through the fields already
// written; ok is false outside an offsetof's field list.
func completeOffsetof(ctx context.Context, s *analysis.Snapshot, item syntax.Node, start syntax.Pos, word string, span syntax.Span) (CompletionList, bool) {
	line := s.File.Slice(max(0, start-maxOffsetofText), start)
	m := offsetofBefore.FindSubmatch(line)
	if m == nil {
		return CompletionList{}, false
	}
	k := analysis.NewTyper(ctx, s, item).Kernel()
	if k == nil {
		return CompletionList{}, true
	}
	r, ok := k.Record(string(m[1]) + " " + string(m[2]))
	for _, f := range strings.FieldsFunc(string(m[3]), func(c rune) bool { return c == '.' || c == ' ' || c == '\t' }) {
		if !ok {
			break
		}
		mem, found := r.Field(f)
		if !found || mem.Type.Record == "" {
			return CompletionList{}, true
		}
		r, ok = k.Record(mem.Type.Record)
	}
	if !ok {
		return CompletionList{}, true
	}
	items, capped := filterPrefix(recordFieldItems(r), word)
	return CompletionList{Items: items, Span: span, Incomplete: capped}, true
}

// maxOffsetofText is how far back an offsetof's opening is looked for.
const maxOffsetofText = 512
