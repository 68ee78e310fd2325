package analysis

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

// The real index must satisfy Kernel; asserted here, in a test file, so
// that the production package keeps depending on btfindex's types only.
var _ Kernel = (*btfindex.Index)(nil)

// pkKernel is a tiny kernel for exact expectations.
type pkKernel struct {
	funcs   map[string]*btfindex.Func
	tps     map[string]*btfindex.Tracepoint
	records map[string]*btfindex.Record
}

func (k *pkKernel) Func(name string) (*btfindex.Func, bool) {
	fn, ok := k.funcs[name]
	return fn, ok
}

func (k *pkKernel) Record(name string) (*btfindex.Record, bool) {
	r, ok := k.records[strings.TrimPrefix(name, "struct ")]
	return r, ok
}

func (k *pkKernel) Typedef(name string) (btfindex.Type, bool) { return btfindex.Type{}, false }

func (k *pkKernel) Tracepoint(cat, ev string) (*btfindex.Tracepoint, bool) {
	tp, ok := k.tps[cat+":"+ev]
	return tp, ok
}

func (k *pkKernel) names(kind btfindex.NameKind) []string {
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

func (k *pkKernel) Match(kind btfindex.NameKind, pattern string) []string {
	return fakeMatch(k.names(kind), kind, pattern)
}

func (k *pkKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	return fakeComplete(k.names(kind), prefix, limit)
}

var (
	kSockPtr = btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8}
	kMsgPtr  = btfindex.Type{C: "struct msghdr *", Kind: btfindex.KindPointer, Size: 8}
	kSizeT   = btfindex.Type{C: "size_t", Kind: btfindex.KindInt, Size: 8}
	kInt     = btfindex.Type{C: "int", Kind: btfindex.KindInt, Size: 4, Signed: true}
	kIntPtr  = btfindex.Type{C: "int *", Kind: btfindex.KindPointer, Size: 8}
	kLong    = btfindex.Type{C: "long", Kind: btfindex.KindInt, Size: 8, Signed: true}
	kVoid    = btfindex.Type{C: "void", Kind: btfindex.KindVoid}
)

// newPKernel has the tcp send/receive pair (same first two parameters,
// then size vs len), a void function, and three syscall tracepoints.
func newPKernel() *pkKernel {
	p := func(name string, t btfindex.Type) btfindex.Param { return btfindex.Param{Name: name, Type: t} }
	f := func(fn *btfindex.Func) *btfindex.Func { fn.Traceable = btfindex.TraceYes; return fn }
	tf := func(name string, t btfindex.Type) btfindex.TracepointField {
		return btfindex.TracepointField{Name: name, Type: t, Size: t.Size}
	}
	return &pkKernel{
		funcs: map[string]*btfindex.Func{
			"tcp_sendmsg":  f(&btfindex.Func{Name: "tcp_sendmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("size", kSizeT)}}),
			"tcp_recvmsg":  f(&btfindex.Func{Name: "tcp_recvmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("len", kSizeT), p("flags", kInt), p("addr_len", kIntPtr)}}),
			"tcp_close":    f(&btfindex.Func{Name: "tcp_close", Return: kVoid, Params: []btfindex.Param{p("sk", kSockPtr), p("timeout", kLong)}}),
			"tcp_shutdown": f(&btfindex.Func{Name: "tcp_shutdown", Return: kVoid, Params: []btfindex.Param{p("sk", kSockPtr), p("how", kInt)}}),
			"udp_sendmsg":  f(&btfindex.Func{Name: "udp_sendmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("len", kSizeT)}}),
			"secret_fn":    {Name: "secret_fn", Return: kInt, Traceable: btfindex.TraceNo},
		},
		tps: map[string]*btfindex.Tracepoint{
			"syscalls:sys_enter_read":   {Category: "syscalls", Event: "sys_enter_read", Fields: []btfindex.TracepointField{tf("fd", kInt), tf("buf", kIntPtr), tf("count", kSizeT)}},
			"syscalls:sys_enter_write":  {Category: "syscalls", Event: "sys_enter_write", Fields: []btfindex.TracepointField{tf("fd", kInt), tf("buf", kIntPtr), tf("count", kSizeT)}},
			"syscalls:sys_enter_openat": {Category: "syscalls", Event: "sys_enter_openat", Fields: []btfindex.TracepointField{tf("dfd", kInt), tf("filename", kIntPtr), tf("flags", kInt)}},
		},
		records: map[string]*btfindex.Record{"bpf_iter__task": {Name: "bpf_iter__task", Size: 16}},
	}
}

// fakeMatch is Kernel.Match over a fake kernel's sorted names: tracepoints
// match category and event separately, as btfindex does.
func fakeMatch(names []string, kind btfindex.NameKind, pattern string) []string {
	var out []string
	for _, n := range names {
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

// fakeComplete is Kernel.Complete over a fake kernel's sorted names.
func fakeComplete(names []string, prefix string, limit int) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && (limit <= 0 || len(out) < limit) {
			out = append(out, n)
		}
	}
	return out
}
