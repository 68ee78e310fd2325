package analysis

// This file implements the builtin name table: what each builtin is, how
// many arguments it takes in which version, and lookups by name.

//go:generate go run gen_builtins.go -in /work/shared/docs/builtins.tsv -out builtins_table.go

import (
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// BuiltinKind says how a builtin name may be used.
type BuiltinKind uint8

// Kinds of [Builtin].
const (
	BuiltinVar        BuiltinKind = iota + 1 // used bare only: args, ctx, cpu, argN
	BuiltinVarFunc                           // bare or called: pid, nsecs, kstack, comm
	BuiltinFunc                              // called only: printf, str
	BuiltinKeyword                           // sizeof, offsetof, typeof, typeinfo, comptime
	BuiltinMapFunc                           // aggregates, only as a map element's value: count, hist
	BuiltinPositional                        // $N, $#
	BuiltinRemoved                           // sargN: gone in newer versions
)

// ArgKind is what a builtin expects in one argument position.
type ArgKind uint8

// Kinds of builtin arguments.
const (
	ArgAny           ArgKind = iota // any value
	ArgInt                          // an integer
	ArgIntLiteral                   // an integer literal (or positional parameter)
	ArgString                       // a string value
	ArgStringLiteral                // a string literal
	ArgFormat                       // a format string literal
	ArgPointer                      // a pointer or an integer address
	ArgMap                          // a map, @m
	ArgVar                          // a scratch variable, $v
	ArgType                         // a type or an expression
	ArgFieldPath                    // a field path: f.g
	ArgMode                         // a bare mode word: perf, raw, init, boot
)

// ArityFrom is a builtin's argument count from one version on.
type ArityFrom struct {
	Since    syntax.Version
	Min, Max int
}

// Builtin is one builtin variable, function, keyword or map function.
type Builtin struct {
	Name       string
	Kind       BuiltinKind
	Signature  string // newest signatures, for hover
	MinArgs    int    // user arguments in the newest version
	MaxArgs    int    // 128 means variadic
	Args       []ArgKind
	Bare       bool   // usable without parentheses
	Result     string // result type as written in the signature ("uint32"), "" when it varies
	Restrict   string // which probes allow it, as prose
	Since      syntax.Version
	Unreleased bool // only in bpftrace after the newest release bpfls knows
	Unstable   bool // needs an unstable_* config flag
	Internal   bool // stdlib-internal, not for users
	In017      bool
	Notes017   string
	Arity      []ArityFrom // argument counts by version when they changed; nil: MinArgs..MaxArgs always
}

// variadicArgs is the MaxArgs of printf-like builtins.
const variadicArgs = 128

// lookupBuiltin finds the table entry for name: exact names, "argN" for
// arg0…, "sargN" for sarg0…, "$N" for $1…. It does not say whether the
// target version has it; see [Builtin.Available].
func lookupBuiltin(name string) (*Builtin, bool) {
	key := name
	switch {
	case isNumbered(name, "arg"):
		key = "argN"
	case isNumbered(name, "sarg"):
		key = "sargN"
	case isNumbered(name, "$"):
		key = "$N"
	}
	i := sort.Search(len(builtinTable), func(i int) bool { return builtinTable[i].Name >= key })
	if i < len(builtinTable) && builtinTable[i].Name == key {
		return &builtinTable[i], true
	}
	return nil, false
}

// isNumbered reports whether name is prefix followed by one or more digits.
func isNumbered(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Available reports whether d has the builtin, and if not why not, as a
// message fragment ("needs bpftrace 0.22 or newer").
func (b *Builtin) Available(d syntax.Dialect) (bool, string) {
	v := d.Version
	switch {
	case b.Internal:
		return false, "is internal to the bpftrace standard library"
	case b.Unreleased && !d.Experimental:
		return false, "is not in any bpftrace release yet"
	case b.Kind == BuiltinRemoved && v.AtLeast(syntax.V0_25):
		return false, "was removed in bpftrace 0.25"
	case v == syntax.V0_17 && !b.In017:
		return false, "needs bpftrace " + b.Since.String() + " or newer"
	case !b.Unreleased && !v.AtLeast(b.Since):
		return false, "needs bpftrace " + b.Since.String() + " or newer"
	}
	return true, ""
}

// ArityIn returns the user-argument range of b in version v.
func (b *Builtin) ArityIn(v syntax.Version) (lo, hi int) {
	lo, hi = b.MinArgs, b.MaxArgs
	for _, a := range b.Arity {
		if v.AtLeast(a.Since) {
			lo, hi = a.Min, a.Max
		}
	}
	return lo, hi
}

// Callable reports whether b may be written with parentheses in version v:
// before 0.24 the zero-argument builtins were variables only.
func (b *Builtin) Callable(v syntax.Version) bool {
	switch b.Kind {
	case BuiltinFunc, BuiltinKeyword, BuiltinMapFunc:
		return true
	case BuiltinVarFunc:
		_, hi := b.ArityIn(v)
		return hi > 0 || v.AtLeast(syntax.V0_24)
	case BuiltinVar:
		return v.AtLeast(syntax.V0_24) && b.Name != "args" && b.Name != "ctx" && b.Name != "argN"
	}
	return false
}

// ArgKindAt is the kind expected for argument i (0-based).
func (b *Builtin) ArgKindAt(i int) ArgKind {
	switch {
	case i < len(b.Args):
		return b.Args[i]
	case b.MaxArgs == variadicArgs && len(b.Args) > 0:
		return b.Args[len(b.Args)-1]
	}
	return ArgAny
}

// Builtins returns every builtin the dialect d has, sorted by name, for
// completion.
func Builtins(d syntax.Dialect) []*Builtin {
	var out []*Builtin
	for i := range builtinTable {
		b := &builtinTable[i]
		if ok, _ := b.Available(d); ok {
			out = append(out, b)
		}
	}
	return out
}
