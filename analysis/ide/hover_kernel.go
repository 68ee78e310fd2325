package ide

// This file implements the C spellings hover and completion show for kernel
// facts: function prototypes, struct layouts, tracepoint formats, and the
// short description of each probe type.

import (
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/btfindex"
)

// cPrototype spells fn as a C declaration.
func cPrototype(fn *btfindex.Func) string {
	params := make([]string, len(fn.Params))
	for i, p := range fn.Params {
		params[i] = analysis.CDeclare(p.Type.C, p.Name)
	}
	if len(params) == 0 {
		params = []string{"void"}
	}
	ret := fn.Return.C
	if ret == "" {
		ret = "void"
	}
	return analysis.CDeclare(ret, fn.Name) + "(" + strings.Join(params, ", ") + ")"
}

// funcDoc says where fn comes from and whether it can be traced.
func funcDoc(fn *btfindex.Func) string {
	var b strings.Builder
	if fn.Module != "" {
		fmt.Fprintf(&b, "module `%s`", fn.Module)
	} else {
		b.WriteString("vmlinux")
	}
	switch fn.Traceable {
	case btfindex.TraceNo:
		b.WriteString(" · not traceable (inlined or notrace)")
	case btfindex.TraceYes:
		b.WriteString(" · traceable")
	}
	return b.String()
}

// maxLayoutMembers caps the members a struct layout shows.
const maxLayoutMembers = 60

// recordLayout spells r as a C definition with each member's offset and
// size in a comment.
func recordLayout(r *btfindex.Record) string {
	var b strings.Builder
	kw := "struct"
	if r.Union {
		kw = "union"
	}
	fmt.Fprintf(&b, "%s %s { // size %d\n", kw, r.Name, r.Size)
	for i, m := range r.Members {
		if i == maxLayoutMembers {
			fmt.Fprintf(&b, "\t// … %d more members\n", len(r.Members)-i)
			break
		}
		fmt.Fprintf(&b, "\t%s; // %s\n", memberDecl(m), memberPlace(m))
	}
	b.WriteString("};")
	return b.String()
}

func memberDecl(m btfindex.Member) string {
	d := analysis.CDeclare(m.Type.C, m.Name)
	if m.BitSize > 0 {
		d += fmt.Sprintf(" : %d", m.BitSize)
	}
	return d
}

// memberPlace says where a member lives: "offset 24, size 8".
func memberPlace(m btfindex.Member) string {
	if m.BitSize > 0 {
		return fmt.Sprintf("offset %d, bit %d, %d bits", m.Offset, m.BitOffset, m.BitSize)
	}
	return fmt.Sprintf("offset %d, size %d", m.Offset, m.Type.Size)
}

// tracepointFormat spells a tracepoint's args as the struct bpftrace builds.
func tracepointFormat(tp *btfindex.Tracepoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "struct _tracepoint_%s_%s {\n", tp.Category, tp.Event)
	for _, f := range tp.Fields {
		fmt.Fprintf(&b, "\t%s; // offset %d, size %d\n", analysis.CDeclare(f.Type.C, f.Name), f.Offset, f.Size)
	}
	b.WriteString("};")
	return b.String()
}

// providerDocs describes each probe type in a line or two of markdown.
var providerDocs = map[string]string{
	"kprobe":          "Dynamic kernel probe at a function's entry (or `+offset`). Body reads `arg0…argN`, `ctx` (`struct pt_regs *`), `func`, `reg()`.",
	"kretprobe":       "Dynamic kernel probe at a function's return. Body reads `retval` (uint64), `func`, `ctx`, `reg()`.",
	"uprobe":          "User-space probe at a function's entry in a binary or library. Body reads `arg0…argN`, `args` (with DWARF), `func`, `uaddr()`, `usym()`.",
	"uretprobe":       "User-space probe at a function's return. Body reads `retval`, `func`, `ctx`.",
	"usdt":            "User statically defined tracing point in a binary. Body reads `arg0…argN`.",
	"tracepoint":      "Static kernel tracepoint `tracepoint:category:event`. Body reads `args` with the fields of the event's format.",
	"rawtracepoint":   "Raw kernel tracepoint `rawtracepoint:event`, without the format's copying. Body reads `argN`, and `args` since 0.24.",
	"fentry":          "BPF trampoline at a kernel function's entry (`kfunc` before 0.20). Body reads `args` typed from BTF, `func`, `path()`.",
	"fexit":           "BPF trampoline at a kernel function's return (`kretfunc` before 0.20). Body reads `args` and a typed `retval`.",
	"profile":         "Timed sampling on every CPU: `profile:hz:99`, `profile:ms:10`.",
	"interval":        "Timer on one CPU: `interval:s:1`, `interval:ms:100`.",
	"software":        "Kernel software event: `software:page-faults:100`.",
	"hardware":        "Processor hardware event: `hardware:cache-misses:1000000`.",
	"watchpoint":      "Memory watchpoint `watchpoint:ADDR:LEN:MODE`; needs `-p` or `-c`.",
	"asyncwatchpoint": "Asynchronous memory watchpoint (removed in 0.25).",
	"iter":            "BPF iterator `iter:task`, `iter:task_file`; body reads `ctx` (`struct bpf_iter__NAME *`).",
	"BEGIN":           "Runs once when the program starts.",
	"END":             "Runs once when the program ends.",
	"self":            "Event of bpftrace itself: `self:signal:SIGUSR1` (0.22).",
	"bench":           "Benchmark body run with `--bench` (0.24).",
	"test":            "Test body run with `--test`; a non-zero `return` fails (0.25).",
}
