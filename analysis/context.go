package analysis

import (
	"github.com/bpfls/bpfls/btfindex"
)

// ArgField is one field of the args builtin for one attach point: a function
// parameter (fentry, uprobe with DWARF) or a tracepoint format field.
type ArgField struct {
	Name string
	Type btfindex.Type
}

// ProbeContext is what a probe body can see for one instance of the probe:
// one attach point, or one match of a wildcard attach point. Instances with
// equal contexts are checked once.
type ProbeContext struct {
	Provider string // canonical provider name: "kprobe", "fentry", "tracepoint", …
	Target   string // what the instance attaches to: "tcp_sendmsg", "syscalls:sys_enter_read"
	// HasArgs is true where the args builtin exists; Args lists its fields
	// when known (nil with HasArgs means unknown: no kernel facts).
	HasArgs bool
	Args    []ArgField
	// Retval is the type of retval where it exists (kretprobe, fexit, uretprobe),
	// nil elsewhere.
	Retval *btfindex.Type
}
