package main

// This file describes SARIF rules. A code's group (the part before '/') says
// what was checked and what to do about it; the rest names the case.

import "strings"

// sarifGroup is what a code group checks (fullDescription) and how a user
// resolves its findings (help).
type sarifGroup struct {
	what, help string
}

var sarifGroups = map[string]sarifGroup{
	"syntax":  {"The script does not parse as the target bpftrace version's grammar.", "Fix the syntax at the marked place; bpftrace refuses the whole script until it parses."},
	"name":    {"An identifier is no builtin, macro, enum or #define the target version knows.", "Check the spelling; a quick fix offers the nearest known name where there is one."},
	"call":    {"A call does not match the function's signature: unknown function, argument count, kind, type or value.", "Compare the call with the builtin's signature (hover over the name in an editor)."},
	"version": {"The construct exists in other bpftrace versions than the target.", "Set the target version (--target-version) to the bpftrace you deploy, or rewrite the construct as that version spells it."},
	"builtin": {"A builtin is used where the probe type or context does not provide it.", "Use the builtin only in probes that provide it, or read the value another way."},
	"var":     {"A $variable is read before it is set, redeclared, shadowed or changes type.", "Assign the variable before reading it and keep one type per variable."},
	"map":     {"Uses of one @map disagree: key count, key or value types, or aggregate functions.", "Use each map with one key shape and one value type; rename one of the uses if they are different data."},
	"type":    {"An expression's type does not allow the operation: field access, cast, comparison or condition.", "Check the types involved; hover shows each expression's type."},
	"stmt":    {"A statement is not allowed where it stands.", "Move or rewrite the statement as the message says."},
	"macro":   {"A macro definition or call is invalid.", "Fix the macro definition or the call so one overload fits."},
	"fn":      {"A user-defined fn is invalid.", "Fix the fn's signature, body or returns as the message says."},
	"config":  {"The config block sets an unknown key or a bad value.", "Use a config key and value the target version accepts."},
	"printf":  {"A format string does not match its arguments.", "Make every conversion match one argument of a fitting type."},
	"probe":   {"An attach point is malformed or names something this kernel or binary lacks.", "Check the attach point's spelling and that the kernel or binary provides it."},
	"args":    {"args is used in a way that fails or differs between the probe's attach points.", "Split the probe so each attach point's args has one layout, or use only fields all of them share."},
	"verify":  {"The real bpftrace compiler reported this while verifying the script.", "Fix what bpftrace reports; run bpftrace yourself to see its full output."},
	"file":    {"The file could not be analysed as a whole.", "Check the file's size and encoding."},
	"bpfls":   {"A status note from bpfls itself.", "No change to the script is needed."},
}

func newSARIFRule(code string) sarifRule {
	group, rest, _ := strings.Cut(code, "/")
	g, ok := sarifGroups[group]
	if !ok {
		g = sarifGroup{"A finding of bpfls's " + group + " checks.", "Fix the script as the message says."}
	}
	short := strings.ReplaceAll(rest, "-", " ")
	if short == "" {
		short = group
	}
	return sarifRule{
		ID:               code,
		Name:             code,
		ShortDescription: sarifMessage{Text: group + ": " + short},
		FullDescription:  sarifMessage{Text: g.what},
		Help:             sarifMessage{Text: g.help},
	}
}
