// This file implements the dialect gate: which syntax needs which bpftrace
// release (bpftrace-language.md §2.3).

package syntax

import "fmt"

// Feature is a piece of syntax that not every supported release accepts.
type Feature uint8

// Features with a minimum version; see [FeatureSince].
const (
	FeatOffsetof Feature = iota
	FeatOffsetofSubfield
	FeatArrayCast
	FeatConfig
	FeatFor
	FeatFuncDecl
	FeatReturnValue
	FeatLet
	FeatMapDecl
	FeatMacro
	FeatImport
	FeatDuration
	FeatBlockExpr
	FeatIfExpr
	FeatForRange
	FeatBareCond
	FeatAddrOf
	FeatNamedProbe
	FeatRecord
	FeatShortTuple
	FeatTypeof
	FeatTypeinfo
	FeatComptime
	FeatDiscard
	FeatStmtImport
	FeatShortTernary
	FeatCAttribute
	FeatBuiltinCall
	FeatNsecsCall
	FeatSizedString
	FeatParenName
	FeatVarAttachStart
	FeatSemiAfterBlock
	FeatTernaryNoSemi
	featCount
)

// featureTable gives each feature's phrase and first release; immutable.
var featureTable = [featCount]struct {
	phrase string
	since  Version
}{
	FeatOffsetof:         {"`offsetof` needs", V0_18},
	FeatOffsetofSubfield: {"`offsetof` with nested fields needs", V0_23},
	FeatArrayCast:        {"casts to array types need", V0_19},
	FeatConfig:           {"the `config` block needs", V0_20},
	FeatFor:              {"`for` loops need", V0_21},
	FeatFuncDecl:         {"`fn` definitions need", V0_21},
	FeatReturnValue:      {"`return` with a value needs", V0_21},
	FeatLet:              {"`let` declarations need", V0_22},
	FeatMapDecl:          {"map declarations need", V0_24},
	FeatMacro:            {"`macro` definitions need", V0_24},
	FeatImport:           {"`import` needs", V0_24},
	FeatDuration:         {"duration literals need", V0_24},
	FeatBlockExpr:        {"block expressions need", V0_24},
	FeatIfExpr:           {"`if` expressions need", V0_24},
	FeatForRange:         {"`for` over a range needs", V0_24},
	FeatBareCond:         {"conditions without parentheses need", V0_24},
	FeatAddrOf:           {"the address-of operator `&` needs", V0_24},
	FeatNamedProbe:       {"named probes need", V0_25},
	FeatRecord:           {"records need", V0_25},
	FeatShortTuple:       {"empty and one-element tuples need", V0_25},
	FeatTypeof:           {"`typeof` needs", V0_25},
	FeatTypeinfo:         {"`typeinfo` needs", V0_25},
	FeatComptime:         {"`comptime` needs", V0_25},
	FeatDiscard:          {"the discard assignment `_ =` needs", V0_25},
	FeatStmtImport:       {"`import` inside a block needs", V0_25},
	FeatShortTernary:     {"the `?:` operator needs", V0_26},
	FeatCAttribute:       {"`__attribute__` on C definitions needs", V0_26},
	FeatBuiltinCall:      {"calling a builtin variable like a function needs", V0_24},
	FeatNsecsCall:        {"calling `nsecs` like a function needs", V0_19},
	FeatSizedString:      {"sized `string[N]` types need", V0_25},
	// Before 0.26 bpftrace's grammar reads "(NAME)" as a cast to the type
	// NAME whenever NAME lexes as a plain identifier, so an operand must
	// follow: "(uint64)(retval)" and "x = (MAX);" are syntax errors there.
	FeatParenName: {"a name alone in parentheses (older releases read it as a cast) needs", V0_26},
	// Until 0.25 bpftrace's lexer reads "$name" as a variable, which no
	// attach point may start with ("syntax error, unexpected variable");
	// 0.26 reads it as text and asks for quotes in a later pass.
	FeatVarAttachStart: {"an attach point that starts with a variable-like \"$name\" needs", V0_26},
	// Before 0.26 an if, or a block without a value, ends its statement,
	// and bpftrace's grammar has no empty statement after it: "if (1) { };"
	// and "{ @a = 1; };" are "unexpected ;" there.
	FeatSemiAfterBlock: {"a ';' after an `if` or a block statement needs", V0_26},
	// 0.26 parses "c ? a : b" as an if expression, so a ternary statement
	// that does not start with a $variable or an @map needs no ';' there.
	FeatTernaryNoSemi: {"a ternary statement without ';' needs", V0_26},
}

// FeatureSince returns the first bpftrace release that accepts f.
func FeatureSince(f Feature) Version { return featureTable[f].since }

// CodeNeedsVersion is the code of errors about syntax that the target
// release does not accept.
const CodeNeedsVersion = "syntax/needs-version"

// need reports f at span unless the dialect accepts it.
func (p *parser) need(f Feature, span Span) {
	ft := featureTable[f]
	if p.d.Version.AtLeast(ft.since) {
		return
	}
	p.addError(Error{Span: span, Code: CodeNeedsVersion,
		Msg: fmt.Sprintf("%s bpftrace %s or newer", ft.phrase, ft.since)})
}
