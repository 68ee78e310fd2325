package ide

// This file holds the small kernel and the helpers the language-feature
// tests (completion, hover, signature help, references, inlay hints) share.

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// cursor marks the position in a test source; it is removed before parsing.
const cursor = "‸"

// featureKernel is a tiny kernel with exact answers: tcp functions with
// prototypes, struct sock and task_struct, three syscall tracepoints.
type featureKernel struct {
	funcs   map[string]*btfindex.Func
	records map[string]*btfindex.Record
	tps     map[string]*btfindex.Tracepoint
	extra   []string // more function names, without prototypes
}

var (
	fkInt     = btfindex.Type{C: "int", Kind: btfindex.KindInt, Size: 4, Signed: true}
	fkSizeT   = btfindex.Type{C: "size_t", Kind: btfindex.KindInt, Size: 8}
	fkSock    = btfindex.Type{C: "struct sock", Kind: btfindex.KindStruct, Size: 760, Record: "sock"}
	fkSockPtr = btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8, Elem: &fkSock}
	fkMsg     = btfindex.Type{C: "struct msghdr", Kind: btfindex.KindStruct, Size: 96, Record: "msghdr"}
	fkMsgPtr  = btfindex.Type{C: "struct msghdr *", Kind: btfindex.KindPointer, Size: 8, Elem: &fkMsg}
	fkChar16  = btfindex.Type{C: "char[16]", Kind: btfindex.KindArray, Size: 16, Len: 16}
)

func newFeatureKernel() *featureKernel {
	prm := func(name string, t btfindex.Type) btfindex.Param { return btfindex.Param{Name: name, Type: t} }
	fn := func(name string, params ...btfindex.Param) *btfindex.Func {
		return &btfindex.Func{Name: name, Return: fkInt, Params: params, Traceable: btfindex.TraceYes}
	}
	field := func(name string, t btfindex.Type, off uint32) btfindex.TracepointField {
		return btfindex.TracepointField{Name: name, Type: t, Offset: off, Size: t.Size}
	}
	return &featureKernel{
		funcs: map[string]*btfindex.Func{
			"tcp_sendmsg":  fn("tcp_sendmsg", prm("sk", fkSockPtr), prm("msg", fkMsgPtr), prm("size", fkSizeT)),
			"tcp_recvmsg":  fn("tcp_recvmsg", prm("sk", fkSockPtr), prm("msg", fkMsgPtr), prm("len", fkSizeT), prm("flags", fkInt)),
			"tcp_close":    fn("tcp_close", prm("sk", fkSockPtr), prm("timeout", fkInt)),
			"tcp_shutdown": fn("tcp_shutdown", prm("sk", fkSockPtr), prm("how", fkInt)),
			"vfs_read":     fn("vfs_read"),
		},
		records: map[string]*btfindex.Record{
			"sock": {Name: "sock", Size: 760, Members: []btfindex.Member{
				{Name: "sk_rcvbuf", Type: fkInt, Offset: 256},
				{Name: "sk_sndbuf", Type: fkInt, Offset: 260},
			}},
			"bpf_iter__task":               {Name: "bpf_iter__task", Size: 16},
			"bpf_iter__task_file":          {Name: "bpf_iter__task_file", Size: 32},
			"bpf_iter__task__safe_trusted": {Name: "bpf_iter__task__safe_trusted", Size: 8},
			"task_struct": {Name: "task_struct", Size: 9000, Members: []btfindex.Member{
				{Name: "pid", Type: fkInt, Offset: 2500},
				{Name: "comm", Type: fkChar16, Offset: 3000},
			}},
		},
		tps: map[string]*btfindex.Tracepoint{
			"syscalls:sys_enter_read":   {Category: "syscalls", Event: "sys_enter_read", Fields: []btfindex.TracepointField{field("fd", fkInt, 16), field("count", fkSizeT, 32)}},
			"syscalls:sys_enter_write":  {Category: "syscalls", Event: "sys_enter_write", Fields: []btfindex.TracepointField{field("fd", fkInt, 16), field("count", fkSizeT, 32)}},
			"syscalls:sys_enter_openat": {Category: "syscalls", Event: "sys_enter_openat", Fields: []btfindex.TracepointField{field("dfd", fkInt, 16)}},
		},
	}
}

func (k *featureKernel) Func(name string) (*btfindex.Func, bool) {
	fn, ok := k.funcs[name]
	return fn, ok
}

func (k *featureKernel) Record(name string) (*btfindex.Record, bool) {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "struct "), "union ")
	r, ok := k.records[name]
	return r, ok
}

func (k *featureKernel) Typedef(name string) (btfindex.Type, bool) {
	if name == "size_t" {
		return btfindex.Type{C: "__kernel_size_t", Kind: btfindex.KindInt, Size: 8}, true
	}
	return btfindex.Type{}, false
}

func (k *featureKernel) Tracepoint(cat, ev string) (*btfindex.Tracepoint, bool) {
	tp, ok := k.tps[cat+":"+ev]
	return tp, ok
}

func (k *featureKernel) names(kind btfindex.NameKind) []string {
	var out []string
	switch kind {
	case btfindex.NameFunc:
		for n := range k.funcs {
			out = append(out, n)
		}
		out = append(out, k.extra...)
	case btfindex.NameRecord:
		for n := range k.records {
			out = append(out, n)
		}
	case btfindex.NameTracepoint:
		for n := range k.tps {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (k *featureKernel) Match(kind btfindex.NameKind, pattern string) []string {
	return analysistest.Match(k.names(kind), kind, pattern)
}

func (k *featureKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	return analysistest.Complete(k.names(kind), prefix, limit)
}

// featureSnapshot parses src (with one cursor mark) for version v and
// returns the analysed snapshot and the cursor's offset.
func featureSnapshot(t testing.TB, src string, v syntax.Version, k analysis.Kernel) (*analysis.Snapshot, syntax.Pos) {
	t.Helper()
	at := strings.Index(src, cursor)
	if at < 0 {
		t.Fatalf("test source has no cursor mark: %q", src)
	}
	src = src[:at] + src[at+len(cursor):]
	d := syntax.Dialect{Version: v}
	f := syntax.Parse("test.bt", []byte(src), d)
	cfg := analysis.Config{Dialect: d}
	if k != nil {
		cfg.Kernel = k
	}
	return analysis.Analyze(context.Background(), f, cfg), syntax.Pos(at)
}

// labels lists the labels of items.
func labels(items []CompletionItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Label
	}
	return out
}

func findItem(items []CompletionItem, label string) (CompletionItem, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
	}
	return CompletionItem{}, false
}
