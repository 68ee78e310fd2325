package analysis

// This file implements the per-instance probe context: what a probe body can
// see when it runs for one attach point (or one wildcard match), and which
// builtins its provider allows in the target version.

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
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
// equal contexts (see [ProbeContext.Key]) are checked once.
type ProbeContext struct {
	Provider string // canonical provider name: "kprobe", "fentry", "tracepoint", …
	Target   string // what the instance attaches to: "tcp_sendmsg", "syscalls:sys_enter_read"
	// Dialect is the target language version; builtins and args spelling
	// (args->f before 0.19) depend on it.
	Dialect syntax.Dialect
	// HasArgs is true where the args builtin exists; Args lists its fields
	// when known (nil with HasArgs means unknown: no kernel facts).
	HasArgs bool
	Args    []ArgField
	// ArgsStruct names the record args has in bpftrace's messages
	// ("struct _tracepoint_syscalls_sys_enter_read"); "" when it has none.
	ArgsStruct string
	// Retval is the type of retval where it exists (kretprobe, fexit, uretprobe),
	// nil elsewhere.
	Retval *btfindex.Type
	// Ctx is the type of the ctx builtin where known (iter: struct
	// bpf_iter__task *), nil otherwise.
	Ctx *btfindex.Type
	// Wildcard is set when the instance stands for every match of a pattern
	// (kprobe:vfs_*), whose contexts cannot differ.
	Wildcard bool
	// ArgsErr says why args cannot be read where it exists but its fields
	// are unknown for a known reason (a uprobe without debug info).
	ArgsErr string
	// HasArgCount is set for a USDT probe whose argument count ArgCount is
	// known: argN beyond it reads nothing.
	HasArgCount bool
	ArgCount    int
}

// Arg finds an args field by name; known is false when the fields are not
// known at all (no kernel facts), in which case any name is accepted.
func (pc *ProbeContext) Arg(name string) (f ArgField, ok, known bool) {
	if !pc.HasArgs {
		return ArgField{}, false, true
	}
	if pc.Args == nil {
		return ArgField{}, false, false
	}
	for _, a := range pc.Args {
		if a.Name == name {
			return a, true, true
		}
	}
	return ArgField{}, false, true
}

// Key identifies the context for grouping: instances with the same key see
// the same builtins with the same types, so the body is checked once. The
// target is left out on purpose.
func (pc *ProbeContext) Key() string {
	var b strings.Builder
	b.WriteString(pc.Provider)
	if pc.HasArgs {
		b.WriteString("|args")
		if pc.Args == nil {
			b.WriteString("?")
		}
		for _, a := range pc.Args {
			b.WriteString(";" + a.Name + ":" + typeKey(&a.Type))
		}
	}
	if pc.ArgsErr != "" {
		b.WriteString("|argserr:" + pc.ArgsErr)
	}
	if pc.HasArgCount {
		b.WriteString("|argc:" + strconv.Itoa(pc.ArgCount))
	}
	if pc.Retval != nil {
		b.WriteString("|ret:" + typeKey(pc.Retval))
	}
	if pc.Ctx != nil {
		b.WriteString("|ctx:" + typeKey(pc.Ctx))
	}
	return b.String()
}

// typeKey spells a type with its resolved kind and size, so that two typedef
// names for different types do not compare equal. Qualifiers are left out:
// bpftrace's types carry none (its BTF reader skips const and volatile), so
// "const char *" and "char *" are the same argument type to it.
func typeKey(t *btfindex.Type) string {
	unqualified := strings.TrimSpace(cQualifier.ReplaceAllString(t.C, ""))
	return unqualified + "/" + strconv.Itoa(int(t.Kind)) + "/" + strconv.Itoa(int(t.Size))
}

var cQualifier = regexp.MustCompile(`\b(?:const|volatile|restrict)\b ?`)

// builtinRule says in which providers a probe-specific builtin is allowed.
type builtinRule struct {
	providers []string
	hint      map[string]string // provider → advice
	// since holds, for providers that gained the builtin later, the first
	// version that allows it there.
	since map[string]syntax.Version
	// before, when set, is the first version that no longer restricts
	// the builtin.
	before syntax.Version
	// again, when set, is the first version after before that restricts
	// it again: the real 0.26.1 refuses signal() in BEGIN, END, interval,
	// software and hardware probes ("signal() can not be used for this
	// probetype special").
	again syntax.Version
}

// probeBuiltins is the table of builtins that depend on the probe type
// (usermode is not one: where it cannot be read, bpftrace folds it to a
// constant, 1 in BEGIN/END and 0 elsewhere);
// every other builtin is allowed everywhere as far as the probe is
// concerned. "argN" and "sargN" stand for every numbered form.
var probeBuiltins = map[string]builtinRule{
	"args":          {providers: []string{"tracepoint", "rawtracepoint", "fentry", "fexit", "uprobe"}, since: map[string]syntax.Version{"rawtracepoint": syntax.V0_24}},
	"argN":          {providers: []string{"kprobe", "uprobe", "usdt", "rawtracepoint"}, hint: map[string]string{"tracepoint": "use args instead of argN in tracepoint probes", "fentry": "use args instead of argN in fentry probes"}},
	"sargN":         {providers: []string{"kprobe", "uprobe"}},
	"retval":        {providers: []string{"kretprobe", "uretprobe", "fexit"}, hint: map[string]string{"tracepoint": "try args.ret"}},
	"ctx":           {providers: []string{"kprobe", "kretprobe", "uprobe", "uretprobe", "usdt", "profile", "interval", "software", "hardware", "watchpoint", "asyncwatchpoint", "iter", "rawtracepoint", "fentry", "fexit", "BEGIN", "END"}, hint: map[string]string{"tracepoint": "use args instead of ctx in tracepoint probes"}},
	"func":          {providers: []string{"kprobe", "kretprobe", "uprobe", "uretprobe", "fentry", "fexit"}, since: map[string]syntax.Version{"fentry": syntax.V0_19, "fexit": syntax.V0_19}},
	"reg":           {providers: []string{"kprobe", "kretprobe", "uprobe", "uretprobe", "usdt", "profile", "interval", "software", "hardware", "watchpoint", "asyncwatchpoint"}},
	"uaddr":         {providers: []string{"uprobe", "uretprobe", "usdt"}},
	"signal":        {providers: []string{"kprobe", "kretprobe", "uprobe", "uretprobe", "usdt", "tracepoint", "profile", "fentry", "fexit", "rawtracepoint"}, before: syntax.V0_25, again: syntax.V0_26},
	"override":      {providers: []string{"kprobe"}},
	"path":          {providers: []string{"fentry", "fexit", "iter"}},
	"skboutput":     {providers: []string{"fentry", "fexit", "iter", "rawtracepoint"}},
	"socket_cookie": {providers: []string{"fentry", "fexit", "iter", "rawtracepoint"}},
}

// builtinKey maps arg3 to "argN" and sarg0 to "sargN".
func builtinKey(name string) string {
	for _, prefix := range []string{"arg", "sarg"} {
		rest, ok := strings.CutPrefix(name, prefix)
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return prefix + "N"
		}
	}
	return name
}

// allowedBuiltin reports whether the builtin (or builtin function) name may
// be used in a probe with context pc, and if not, why, in a message ready to
// report ("the \"args\" builtin cannot be used in kprobe probes: …").
// Builtins that do not depend on the probe are always allowed. A nil pc or
// an unknown provider allows everything, so that one bad attach point does
// not flood the body with errors.
func allowedBuiltin(pc *ProbeContext, name string) (ok bool, why string) {
	rule, restricted := probeBuiltins[builtinKey(name)]
	if !restricted || pc == nil || pc.Provider == "" {
		return true, ""
	}
	if providerByName(pc.Provider) == nil {
		return true, ""
	}
	if rule.before != (syntax.Version{}) && targetVersion(pc).AtLeast(rule.before) &&
		(rule.again == (syntax.Version{}) || !targetVersion(pc).AtLeast(rule.again)) {
		return true, ""
	}
	for _, p := range rule.providers {
		if p != pc.Provider {
			continue
		}
		if v, later := rule.since[p]; later && !targetVersion(pc).AtLeast(v) {
			return false, "the " + strconv.Quote(name) + " builtin cannot be used in " + p + " probes before bpftrace " + v.String()
		}
		return true, ""
	}
	why = "the " + strconv.Quote(name) + " builtin cannot be used in " + pc.Provider + " probes"
	if h := rule.hint[pc.Provider]; h != "" {
		why += ": " + h
	} else {
		why += " (only in " + strings.Join(rule.providers, ", ") + ")"
	}
	return false, why
}

// targetVersion is the context's version; a context built without one
// targets the newest.
func targetVersion(pc *ProbeContext) syntax.Version {
	if pc.Dialect.Version == (syntax.Version{}) {
		return syntax.Newest
	}
	return pc.Dialect.Version
}

// Allowed is [allowedBuiltin] as a method, for the body checks.
func (pc *ProbeContext) Allowed(name string) (ok bool, why string) { return allowedBuiltin(pc, name) }

// providerByName finds a provider by canonical name, nil when unknown.
func providerByName(name string) *provider {
	for _, p := range providers {
		if p.name == name {
			return p
		}
	}
	return nil
}
