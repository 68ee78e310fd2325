package analysis

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// TestSemanticsGolden checks each testdata/semantics/*.txtar: input.bt is
// parsed for the version in the archive comment ("version: 0.17"), every
// probe body is checked with a probe context from semContext, and the
// file-level and body diagnostics are compared with the want section.
func TestSemanticsGolden(t *testing.T) {
	analysistest.Run(t, "testdata/semantics/*.txtar", func(t *testing.T, ar *txtar.Archive) map[string][]byte {
		src := analysistest.Input(t, ar)
		d := analysistest.CommentDialect(t, ar.Comment)
		return map[string][]byte{"want": renderDiags(checkSource(src, d, semKernel{}), src)}
	})
}

// checkSource runs the syntax check, the file-level pass and one body
// check per probe (its first attach point's context), like the probe pass
// does for a probe with one attach point.
func checkSource(src []byte, d syntax.Dialect, k Kernel) []Diagnostic {
	f := syntax.Parse("input.bt", src, d)
	var diags []Diagnostic
	for _, e := range f.Errors {
		diags = append(diags, Diagnostic{Span: e.Span, Severity: SeverityError, Code: e.Code, Message: e.Msg})
	}
	env := newFileEnv(context.Background(), f, Config{Dialect: d, Kernel: k})
	diags = append(diags, env.diags...)
	for _, it := range f.Items() {
		if p, ok := it.(*syntax.Probe); ok && len(p.AttachPoints) > 0 {
			res := env.checkBody(p, semContext(p.AttachPoints[0], d))
			diags = append(diags, res.Diags...)
		}
	}
	SortDiagnostics(diags)
	return diags
}

// renderDiags prints "line:col: severity: message [code]", one a line, with
// fixes indented below.
func renderDiags(diags []Diagnostic, src []byte) []byte {
	lt := syntax.NewLineTable(src)
	var b bytes.Buffer
	for _, d := range diags {
		line, col := lt.Position(d.Span.Start)
		fmt.Fprintf(&b, "%d:%d: %s: %s [%s]\n", line, col, d.Severity, d.Message, d.Code)
		for _, fx := range d.Fixes {
			for _, e := range fx.Edits {
				fmt.Fprintf(&b, "\tfix %q: replace %q with %q\n", fx.Title, src[e.Span.Start:e.Span.End], e.NewText)
			}
		}
	}
	return b.Bytes()
}

// Fake kernel facts for the golden tests: a few structs, typedefs and
// functions shaped like the real ones.
var (
	semInt32   = btfindex.Type{C: "int", Kind: btfindex.KindInt, Size: 4, Signed: true}
	semU16     = btfindex.Type{C: "unsigned short", Kind: btfindex.KindInt, Size: 2}
	semU64     = btfindex.Type{C: "u64", Kind: btfindex.KindInt, Size: 8}
	semChar    = btfindex.Type{C: "char", Kind: btfindex.KindInt, Size: 1, Signed: true}
	semCharPtr = btfindex.Type{C: "const char *", Kind: btfindex.KindPointer, Size: 8, Elem: &semChar}
	semSock    = btfindex.Type{C: "struct sock", Kind: btfindex.KindStruct, Record: "sock"}
	semSockPtr = btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8, Elem: &semSock}
	semTask    = btfindex.Type{C: "struct task_struct", Kind: btfindex.KindStruct, Record: "task_struct"}
	semTaskPtr = btfindex.Type{C: "struct task_struct *", Kind: btfindex.KindPointer, Size: 8, Elem: &semTask}
	semComm    = btfindex.Type{C: "char[16]", Kind: btfindex.KindArray, Size: 16, Len: 16, Elem: &semChar}
	semRecords = map[string]*btfindex.Record{
		"sock": {Name: "sock", Members: []btfindex.Member{
			{Name: "sk_family", Type: semU16}, {Name: "sk_state", Type: semChar}, {Name: "sk_flags", Type: semU64}}},
		"task_struct": {Name: "task_struct", Members: []btfindex.Member{
			{Name: "pid", Type: semInt32}, {Name: "tgid", Type: semInt32}, {Name: "comm", Type: semComm},
			{Name: "real_parent", Type: semTaskPtr}}},
	}
	semFuncs = map[string]*btfindex.Func{
		"tcp_sendmsg": {Name: "tcp_sendmsg", Return: semInt32, Params: []btfindex.Param{{Name: "sk", Type: semSockPtr}, {Name: "size", Type: semU64}}},
		"bpf_kfunc_x": {Name: "bpf_kfunc_x", Return: semInt32},
	}
	semTracepoints = map[string][]ArgField{
		"syscalls:sys_enter_openat": {{Name: "dfd", Type: semInt32}, {Name: "filename", Type: semCharPtr}, {Name: "flags", Type: semInt32}},
	}
)

// semKernel answers from the tables above.
type semKernel struct{}

func (semKernel) Func(name string) (*btfindex.Func, bool) { f, ok := semFuncs[name]; return f, ok }
func (semKernel) Record(name string) (*btfindex.Record, bool) {
	r, ok := semRecords[name]
	return r, ok
}
func (semKernel) Typedef(name string) (btfindex.Type, bool) {
	if name == "pid_t" {
		return semInt32, true
	}
	return btfindex.Type{}, false
}
func (semKernel) Tracepoint(cat, event string) (*btfindex.Tracepoint, bool) { return nil, false }
func (semKernel) Match(kind btfindex.NameKind, pattern string) []string {
	var names []string
	for n := range semRecords {
		if ok, _ := filepath.Match(pattern, n); ok && kind == btfindex.NameRecord {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
func (k semKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	return k.Match(kind, prefix+"*")
}

// semContext builds the probe context of one attach point from the fake
// tables; the provider must be spelled out in full.
func semContext(ap *syntax.AttachPoint, d syntax.Dialect) *ProbeContext {
	provider, target, _ := strings.Cut(ap.Raw, ":")
	pc := &ProbeContext{Provider: provider, Target: target}
	switch provider {
	case "tracepoint":
		pc.HasArgs = true
		pc.Args = semTracepoints[target]
		if pc.Args == nil {
			pc.Args = []ArgField{}
		}
	case "fentry", "fexit", "kfunc", "kretfunc":
		pc.HasArgs = true
		if f, ok := semFuncs[target]; ok {
			for _, p := range f.Params {
				pc.Args = append(pc.Args, ArgField{Name: p.Name, Type: p.Type})
			}
			if provider == "fexit" || provider == "kretfunc" {
				pc.Retval = &f.Return
			}
		}
	case "kretprobe":
		pc.Retval = &semU64
	}
	return pc
}
