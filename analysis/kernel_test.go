package analysis

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

// The real index must satisfy Kernel; asserted here, in a test file, so
// that the production package keeps depending on btfindex's types only.
var _ Kernel = (*btfindex.Index)(nil)

// fakeKernel is a tiny kernel for exact expectations.
type fakeKernel struct {
	funcs   map[string]*btfindex.Func
	tps     map[string]*btfindex.Tracepoint
	records map[string]*btfindex.Record
}

func (k *fakeKernel) Func(name string) (*btfindex.Func, bool) {
	fn, ok := k.funcs[name]
	return fn, ok
}

func (k *fakeKernel) Record(name string) (*btfindex.Record, bool) {
	r, ok := k.records[strings.TrimPrefix(name, "struct ")]
	return r, ok
}

func (k *fakeKernel) Typedef(name string) (btfindex.Type, bool) { return btfindex.Type{}, false }

func (k *fakeKernel) Tracepoint(cat, ev string) (*btfindex.Tracepoint, bool) {
	tp, ok := k.tps[cat+":"+ev]
	return tp, ok
}

func (k *fakeKernel) names(kind btfindex.NameKind) []string {
	var out []string
	switch kind {
	case btfindex.NameFunc:
		for n := range k.funcs {
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

func (k *fakeKernel) Match(kind btfindex.NameKind, pattern string) []string {
	var out []string
	for _, n := range k.names(kind) {
		if kind == btfindex.NameTracepoint {
			pc, pe, _ := strings.Cut(pattern, ":")
			nc, ne, _ := strings.Cut(n, ":")
			if btfindex.WildcardMatch(pc, nc) && btfindex.WildcardMatch(pe, ne) {
				out = append(out, n)
			}
		} else if btfindex.WildcardMatch(pattern, n) {
			out = append(out, n)
		}
	}
	return out
}

func (k *fakeKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	var out []string
	for _, n := range k.names(kind) {
		if strings.HasPrefix(n, prefix) && (limit <= 0 || len(out) < limit) {
			out = append(out, n)
		}
	}
	return out
}

var (
	tSockPtr = btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8}
	tMsgPtr  = btfindex.Type{C: "struct msghdr *", Kind: btfindex.KindPointer, Size: 8}
	tSizeT   = btfindex.Type{C: "size_t", Kind: btfindex.KindInt, Size: 8}
	tInt     = btfindex.Type{C: "int", Kind: btfindex.KindInt, Size: 4, Signed: true}
	tIntPtr  = btfindex.Type{C: "int *", Kind: btfindex.KindPointer, Size: 8}
	tLong    = btfindex.Type{C: "long", Kind: btfindex.KindInt, Size: 8, Signed: true}
	tVoid    = btfindex.Type{C: "void", Kind: btfindex.KindVoid}
)

// newFakeKernel has the tcp send/receive pair (same first two parameters,
// then size vs len), a void function, and three syscall tracepoints.
func newFakeKernel() *fakeKernel {
	p := func(name string, t btfindex.Type) btfindex.Param { return btfindex.Param{Name: name, Type: t} }
	f := func(fn *btfindex.Func) *btfindex.Func { fn.Traceable = btfindex.TraceYes; return fn }
	tf := func(name string, t btfindex.Type) btfindex.TracepointField {
		return btfindex.TracepointField{Name: name, Type: t, Size: t.Size}
	}
	return &fakeKernel{
		funcs: map[string]*btfindex.Func{
			"tcp_sendmsg":  f(&btfindex.Func{Name: "tcp_sendmsg", Return: tInt, Params: []btfindex.Param{p("sk", tSockPtr), p("msg", tMsgPtr), p("size", tSizeT)}}),
			"tcp_recvmsg":  f(&btfindex.Func{Name: "tcp_recvmsg", Return: tInt, Params: []btfindex.Param{p("sk", tSockPtr), p("msg", tMsgPtr), p("len", tSizeT), p("flags", tInt), p("addr_len", tIntPtr)}}),
			"tcp_close":    f(&btfindex.Func{Name: "tcp_close", Return: tVoid, Params: []btfindex.Param{p("sk", tSockPtr), p("timeout", tLong)}}),
			"tcp_shutdown": f(&btfindex.Func{Name: "tcp_shutdown", Return: tVoid, Params: []btfindex.Param{p("sk", tSockPtr), p("how", tInt)}}),
			"udp_sendmsg":  f(&btfindex.Func{Name: "udp_sendmsg", Return: tInt, Params: []btfindex.Param{p("sk", tSockPtr), p("msg", tMsgPtr), p("len", tSizeT)}}),
			"secret_fn":    {Name: "secret_fn", Return: tInt, Traceable: btfindex.TraceNo},
		},
		tps: map[string]*btfindex.Tracepoint{
			"syscalls:sys_enter_read":   {Category: "syscalls", Event: "sys_enter_read", Fields: []btfindex.TracepointField{tf("fd", tInt), tf("buf", tIntPtr), tf("count", tSizeT)}},
			"syscalls:sys_enter_write":  {Category: "syscalls", Event: "sys_enter_write", Fields: []btfindex.TracepointField{tf("fd", tInt), tf("buf", tIntPtr), tf("count", tSizeT)}},
			"syscalls:sys_enter_openat": {Category: "syscalls", Event: "sys_enter_openat", Fields: []btfindex.TracepointField{tf("dfd", tInt), tf("filename", tIntPtr), tf("flags", tInt)}},
		},
		records: map[string]*btfindex.Record{"bpf_iter__task": {Name: "bpf_iter__task", Size: 16}},
	}
}
