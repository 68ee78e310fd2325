package analysistest

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

// TCPKernel is a tiny kernel for exact expectations; NewTCPKernel says
// what it holds.
type TCPKernel struct {
	Funcs       map[string]*btfindex.Func
	Tracepoints map[string]*btfindex.Tracepoint
	Records     map[string]*btfindex.Record
}

// Func implements analysis.Kernel; so do the methods below.
func (k *TCPKernel) Func(name string) (*btfindex.Func, bool) {
	fn, ok := k.Funcs[name]
	return fn, ok
}

func (k *TCPKernel) Record(name string) (*btfindex.Record, bool) {
	r, ok := k.Records[strings.TrimPrefix(name, "struct ")]
	return r, ok
}

func (k *TCPKernel) Typedef(name string) (btfindex.Type, bool) { return btfindex.Type{}, false }

func (k *TCPKernel) Tracepoint(cat, ev string) (*btfindex.Tracepoint, bool) {
	tp, ok := k.Tracepoints[cat+":"+ev]
	return tp, ok
}

// names lists the names of kind, sorted.
func (k *TCPKernel) names(kind btfindex.NameKind) []string {
	var out []string
	switch kind {
	case btfindex.NameFunc:
		for n := range k.Funcs {
			out = append(out, n)
		}
	case btfindex.NameTracepoint:
		for n := range k.Tracepoints {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (k *TCPKernel) Match(kind btfindex.NameKind, pattern string) []string {
	return Match(k.names(kind), kind, pattern)
}

func (k *TCPKernel) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	return Complete(k.names(kind), prefix, limit)
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

// NewTCPKernel has the tcp send/receive pair (same first two parameters,
// then size vs len), a void function, and three syscall tracepoints.
func NewTCPKernel() *TCPKernel {
	p := func(name string, t btfindex.Type) btfindex.Param { return btfindex.Param{Name: name, Type: t} }
	f := func(fn *btfindex.Func) *btfindex.Func { fn.Traceable = btfindex.TraceYes; return fn }
	tf := func(name string, t btfindex.Type) btfindex.TracepointField {
		return btfindex.TracepointField{Name: name, Type: t, Size: t.Size}
	}
	return &TCPKernel{
		Funcs: map[string]*btfindex.Func{
			"tcp_sendmsg":  f(&btfindex.Func{Name: "tcp_sendmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("size", kSizeT)}}),
			"tcp_recvmsg":  f(&btfindex.Func{Name: "tcp_recvmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("len", kSizeT), p("flags", kInt), p("addr_len", kIntPtr)}}),
			"tcp_close":    f(&btfindex.Func{Name: "tcp_close", Return: kVoid, Params: []btfindex.Param{p("sk", kSockPtr), p("timeout", kLong)}}),
			"tcp_shutdown": f(&btfindex.Func{Name: "tcp_shutdown", Return: kVoid, Params: []btfindex.Param{p("sk", kSockPtr), p("how", kInt)}}),
			"udp_sendmsg":  f(&btfindex.Func{Name: "udp_sendmsg", Return: kInt, Params: []btfindex.Param{p("sk", kSockPtr), p("msg", kMsgPtr), p("len", kSizeT)}}),
			"secret_fn":    {Name: "secret_fn", Return: kInt, Traceable: btfindex.TraceNo},
		},
		Tracepoints: map[string]*btfindex.Tracepoint{
			"syscalls:sys_enter_read":   {Category: "syscalls", Event: "sys_enter_read", Fields: []btfindex.TracepointField{tf("fd", kInt), tf("buf", kIntPtr), tf("count", kSizeT)}},
			"syscalls:sys_enter_write":  {Category: "syscalls", Event: "sys_enter_write", Fields: []btfindex.TracepointField{tf("fd", kInt), tf("buf", kIntPtr), tf("count", kSizeT)}},
			"syscalls:sys_enter_openat": {Category: "syscalls", Event: "sys_enter_openat", Fields: []btfindex.TracepointField{tf("dfd", kInt), tf("filename", kIntPtr), tf("flags", kInt)}},
		},
		Records: map[string]*btfindex.Record{"bpf_iter__task": {Name: "bpf_iter__task", Size: 16}},
	}
}
