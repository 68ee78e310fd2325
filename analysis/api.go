package analysis

// This file implements the API that editor features and fixes build on: the
// probe-type table, the builtin table, and typing expressions from kernel
// facts. Everything here reads the checker's tables and results; nothing
// here changes them.

import (
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// ProbeType is one probe type (a provider) as bpftrace spells it.
type ProbeType struct {
	Name      string     // canonical newest name, as in [ProbeContext.Provider]
	Spellings []Spelling // the canonical name first, then every alias
}

// Spelling is one way to write a probe type in a range of versions.
type Spelling struct {
	Name  string
	Since syntax.Version // zero: always
	Until syntax.Version // exclusive; zero: still valid
}

// ValidIn reports whether the spelling is accepted by version v.
func (s Spelling) ValidIn(v syntax.Version) bool {
	return spelling{name: s.Name, since: s.Since, until: s.Until}.validIn(v)
}

func exportProvider(p *provider) ProbeType {
	pt := ProbeType{Name: p.name, Spellings: make([]Spelling, len(p.spellings))}
	for i, s := range p.spellings {
		pt.Spellings[i] = Spelling{Name: s.name, Since: s.since, Until: s.until}
	}
	return pt
}

// ProbeTypes lists every probe type in table order.
func ProbeTypes() []ProbeType {
	out := make([]ProbeType, len(providers))
	for i, p := range providers {
		out[i] = exportProvider(p)
	}
	return out
}

// LookupProbeType finds the probe type spelled name in version v, as the
// checker does (case-insensitive from 0.24).
func LookupProbeType(name string, v syntax.Version) (ProbeType, bool) {
	p, _, ok := lookupProvider(name, v)
	if !ok {
		return ProbeType{}, false
	}
	return exportProvider(p), true
}

// ProviderText returns the probe-type part of an attach point as written.
func ProviderText(n *syntax.AttachPoint) string {
	return newAttachPoint(n).Provider.Text
}

// LookupBuiltin finds the builtin table entry for name: exact names, "argN"
// for arg0…, "sargN" for sarg0…, "$N" for $1…. It does not say whether the
// target version has it; see [Builtin.Available].
func LookupBuiltin(name string) (*Builtin, bool) { return lookupBuiltin(name) }

// VariadicArgs is the MaxArgs of printf-like builtins.
const VariadicArgs = variadicArgs

// IsIdent reports whether s is a bpftrace identifier.
func IsIdent(s string) bool { return isIdent(s) }

// IsNumbered reports whether name is prefix followed by one or more digits
// ("arg3" for prefix "arg").
func IsNumbered(name, prefix string) bool { return isNumbered(name, prefix) }

// IsArgs reports whether e is the args builtin.
func IsArgs(e syntax.Expr) bool { return isArgs(e) }

// MapValue returns the value first assigned to an element of map name in f.
func MapValue(f *syntax.File, name string) syntax.Expr { return mapValue(f, name) }

// ConfigKeys returns the settings a config block accepts (newest version).
func ConfigKeys() []string { return append([]string(nil), configKeys...) }

// Typer types the expressions of one top-level item from kernel facts, as
// the checker does: args fields per instance, casts, struct fields, and
// variables and maps through their first assignment.
type Typer struct{ t *kernelTyper }

// NewTyper returns a Typer for item of snapshot s. Inside a probe it expands
// the probe's attach points against the kernel once.
func NewTyper(ctx context.Context, s *Snapshot, item syntax.Node) *Typer {
	return &Typer{newKernelTyper(ctx, s, item)}
}

// TypeOf returns the C type of e, or nil when kernel facts do not give one.
func (t *Typer) TypeOf(e syntax.Expr) *btfindex.Type { return t.t.typeOf(e) }

// IdentType returns the C type a type name stands for, or nil.
func (t *Typer) IdentType(name string) *btfindex.Type { return t.t.identType(name) }

// Record returns the struct or union bt is or points to.
func (t *Typer) Record(bt *btfindex.Type) (*btfindex.Record, bool) { return t.t.record(bt) }

// VarValue returns the value first assigned to the variable in the item.
func (t *Typer) VarValue(v *syntax.VarExpr) syntax.Expr { return t.t.varValue(v) }

// Kernel returns the kernel facts the Typer reads; it may be nil.
func (t *Typer) Kernel() Kernel { return t.t.k }

// Contexts returns the probe's instances, one per attach-point match; nil
// outside probes.
func (t *Typer) Contexts() []*ProbeContext { return t.t.pcs }

// CDeclare spells a declaration of name with C type c: "struct sock *sk",
// "char comm[16]", "int (*fn)(void *)".
func CDeclare(c, name string) string { return cDeclare(c, name) }

// MapNames returns the names of the file's maps, "@name", in order of
// first use, as the file-level pass found them, without reading the file;
// ok is false when the snapshot did not keep them (an analysis that
// recorded nothing for the next version, or was cut short).
func (s *Snapshot) MapNames() (names []string, ok bool) {
	if s.inc == nil {
		return nil, false
	}
	names = make([]string, len(s.inc.maps))
	for i, m := range s.inc.maps {
		names[i] = m.name
	}
	return names, true
}

// SymbolIndex returns the file's symbol index: every map, variable, macro
// and macro parameter with its definition and references.
func (s *Snapshot) SymbolIndex() *SymbolIndex { return s.symbolIndex() }
