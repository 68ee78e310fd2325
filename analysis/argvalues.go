package analysis

// This file implements checks on literal arguments that bpftrace resolves
// at compile time: register names, signals, addresses for pton, and the
// mode words of kstack, ustack, nsecs, pid and tid.

import (
	"net/netip"
	"runtime"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// x86Registers are the names reg() accepts on x86_64 (pt_regs fields).
var x86Registers = []string{"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"}

// signalNames are the signals signal() accepts by name (with or without
// the SIG prefix).
var signalNames = []string{"SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCONT", "SIGFPE", "SIGHUP",
	"SIGILL", "SIGINT", "SIGIO", "SIGKILL", "SIGPIPE", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGSEGV",
	"SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
	"SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ"}

// maxSignal is the highest signal number (SIGRTMAX on Linux).
const maxSignal = 64

// modeWords lists the bare words each builtin takes as its mode argument.
var modeWords = map[string][]string{
	"kstack": {"bpftrace", "perf", "raw"},
	"ustack": {"bpftrace", "perf", "raw", "build_id"},
	"nsecs":  {"boot", "monotonic", "tai", "sw_tai"},
	"pid":    {"curr_ns", "init"},
	"tid":    {"curr_ns", "init"},
}

// checkArgValues checks the literal arguments of x against what bpftrace
// accepts for builtin b.
func (c *checker) checkArgValues(x *syntax.CallExpr, b *Builtin) {
	if len(x.Args) == 0 {
		return
	}
	first := syntax.Unparen(x.Args[0])
	lit, isStr := first.(*syntax.StrLit)
	switch {
	case b.Name == "reg" && isStr && runtime.GOARCH == "amd64" && !containsName(x86Registers, lit.Value):
		// A warning: the script may be meant for another architecture.
		d := c.r.Warnf(span(lit), CodeCallArgValue, "unknown x86_64 register %q", lit.Value)
		if s := suggest(lit.Value, x86Registers); s != "" {
			d.Message += ", did you mean " + quote(s) + "?"
		}
	case (b.Name == "signal" || b.Name == "signal_thread") && isStr:
		name := strings.ToUpper(lit.Value)
		if !strings.HasPrefix(name, "SIG") {
			name = "SIG" + name
		}
		c.oneOf(lit, name, signalNames, "signal")
	case b.Name == "signal" || b.Name == "signal_thread":
		if n, ok := intValue(first); ok && (n < 1 || n > maxSignal) {
			c.r.Errorf(span(first), CodeCallArgValue, "signal %d is out of range: signals are 1 to %d", n, maxSignal)
		}
	case b.Name == "pton" && isStr:
		if _, err := netip.ParseAddr(lit.Value); err != nil {
			c.r.Errorf(span(lit), CodeCallArgValue, "pton() needs an IPv4 or IPv6 address, not %q", lit.Value)
		}
	case b.Name == "buf" && len(x.Args) == 1 && c.quietType(first).Kind == tyString:
		c.r.Errorf(span(x), CodeCallArity, "buf() of a string needs a length: buf(s, n)")
	case b.Name == "print" && isMapElement(first) && !c.v.AtLeast(syntax.V0_21):
		c.r.Errorf(span(first), CodeCallArgKind, "print() takes a whole map before bpftrace 0.21, not one element")
	case b.Name == "uaddr" && isStr && !validSymbol(lit.Value):
		c.r.Errorf(span(lit), CodeCallArgValue, "uaddr() needs a symbol name (letters, digits and . / _ -), not %q", lit.Value)
	case modeWords[b.Name] != nil:
		c.modeArgs(x, b)
	case b.Name == "macaddr" || b.Name == "unwatch" || b.Name == "ntop":
		last := x.Args[len(x.Args)-1]
		if t := c.quietType(last); t.Kind == tyString {
			c.r.Errorf(span(last), CodeCallArgType, "%s() expects an address, not a string", b.Name)
		}
	}
	c.nonNegative(x, b)
}

// isMapElement reports whether x is @m[key].
func isMapElement(x syntax.Expr) bool {
	m, ok := x.(*syntax.MapExpr)
	return ok && len(m.Keys) > 0
}

// validSymbol reports whether s can name a symbol for uaddr(): bpftrace
// accepts [a-zA-Z0-9./_-]+.
func validSymbol(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("./_-", r)) {
			return false
		}
	}
	return true
}

// modeArgs checks kstack(mode, limit) and the clock or namespace word of
// nsecs, pid and tid: the first argument is a mode word (or, for stacks, a
// literal limit), the limit a literal.
func (c *checker) modeArgs(x *syntax.CallExpr, b *Builtin) {
	first := syntax.Unparen(x.Args[0])
	stack := b.Name == "kstack" || b.Name == "ustack"
	switch id, isIdent := first.(*syntax.Ident); {
	case isIdent:
		c.oneOf(id, id.Name, modeWords[b.Name], b.Name+"() mode")
	case stack && isIntLiteral(first):
	default:
		c.r.Errorf(span(first), CodeCallArgKind, "%s() takes a mode (%s) as argument 1", b.Name, strings.Join(modeWords[b.Name], ", "))
	}
	if stack && len(x.Args) == 2 && !isIntLiteral(syntax.Unparen(x.Args[1])) {
		c.r.Errorf(span(x.Args[1]), CodeCallArgKind, "%s() takes an integer literal as its limit", b.Name)
	}
}

// nonNegative reports negative literal lengths and counts.
func (c *checker) nonNegative(x *syntax.CallExpr, b *Builtin) {
	i := -1
	switch b.Name {
	case "str", "buf":
		i = 1
	case "strncmp":
		i = 2
	}
	if i < 0 || i >= len(x.Args) {
		return
	}
	if v, ok := intValue(x.Args[i]); ok && v < 0 {
		c.r.Errorf(span(x.Args[i]), CodeCallArgValue, "%s() length must not be negative", b.Name)
	}
}

// oneOf reports value at n unless it is one of the allowed words.
func (c *checker) oneOf(n syntax.Node, value string, allowed []string, what string) {
	if containsName(allowed, value) {
		return
	}
	d := c.r.Errorf(span(n), CodeCallArgValue, "unknown %s %s", what, strconv.Quote(value))
	if s := suggest(value, allowed); s != "" {
		d.Message += ", did you mean " + quote(s) + "?"
		if id, ok := n.(*syntax.Ident); ok {
			d.Fixes = append(d.Fixes, Fix{Title: "Change to " + quote(s), Kind: "quickfix", Edits: []Edit{{Span: span(id), NewText: s}}})
		}
	}
}
