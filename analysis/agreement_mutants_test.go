package analysis

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// The mutants of TestAgreement: each takes one clean corpus script and makes
// one mistake a user makes, at the first place the script allows it. Both
// bpftrace and bpfls judge the result, so a mutant needs no expectation of
// its own; one whose mistake happens to be harmless (a second key on a map
// used once) must simply be accepted by both.
//
// Kinds: field, function, tracepoint, builtin and call (a misspelt name),
// arity (one argument too many), keys (one key too many on a map used
// elsewhere), typemix (a variable given an integer, then a string),
// semicolon, lbrace and rparen (the first one deleted).

// mutantSource reports whether s is a clean script worth mutating: the
// examples and the valid realworld scripts.
func mutantSource(s agreementScript) bool {
	return strings.HasPrefix(s.name, "examples/") ||
		strings.HasPrefix(s.name, "realworld/") && !strings.HasPrefix(s.name, "realworld/invalid/")
}

// mutation is one edit of a script: replace src[from:to] with text.
type mutation struct {
	from, to int
	text     string
}

// mutate returns every mutant of s.
func mutate(s agreementScript) []agreementScript {
	f := syntax.Parse("m.bt", s.src, syntax.NewestDialect())
	if len(f.Errors) > 0 {
		f = syntax.Parse("m.bt", s.src, syntax.Dialect{Version: syntax.V0_17})
		if len(f.Errors) > 0 {
			return nil
		}
	}
	finders := []struct {
		kind string
		find func(*syntax.File, []byte) (mutation, bool)
	}{
		{"field", mutateField},
		{"function", mutateAttach(map[string]bool{"kprobe": true, "k": true, "kretprobe": true, "kr": true,
			"fentry": true, "f": true, "fexit": true, "fr": true, "kfunc": true, "kretfunc": true}, 1)},
		{"tracepoint", mutateAttach(map[string]bool{"tracepoint": true, "t": true}, 2)},
		{"builtin", mutateBuiltin},
		{"call", mutateCall},
		{"arity", mutateArity},
		{"keys", mutateKeys},
		{"typemix", mutateTypeMix},
		{"semicolon", mutateSemicolon},
		{"lbrace", mutateLbrace},
		{"rparen", mutateRparen},
	}
	var out []agreementScript
	for _, m := range finders {
		mu, ok := m.find(f, s.src)
		if !ok {
			continue
		}
		src := make([]byte, 0, len(s.src)+len(mu.text))
		src = append(src, s.src[:mu.from]...)
		src = append(src, mu.text...)
		src = append(src, s.src[mu.to:]...)
		out = append(out, agreementScript{name: "mutant/" + m.kind + "/" + s.name, src: src})
	}
	return out
}

// misspell turns a name into a near miss: its last two letters swapped, or
// an 'x' added where they are equal.
func misspell(name string) string {
	n := len(name)
	if n < 2 || name[n-1] == name[n-2] {
		return name + "x"
	}
	return name[:n-2] + string(name[n-1]) + string(name[n-2])
}

// nodes returns the nodes of every probe body in source order, with the
// identifiers that name fields or functions left out.
func probeNodes(f *syntax.File) []syntax.Node {
	var out []syntax.Node
	named := map[*syntax.Ident]bool{}
	for _, it := range f.Items() {
		p, ok := it.(*syntax.Probe)
		if !ok || p.Body == nil {
			continue
		}
		syntax.Inspect(p.Body, func(n syntax.Node) bool {
			switch x := n.(type) {
			case *syntax.FieldExpr:
				named[x.Field] = true
			case *syntax.CallExpr:
				named[x.Fun] = true
			case *syntax.Ident:
				if named[x] {
					return true
				}
			}
			out = append(out, n)
			return true
		})
	}
	return out
}

func mutateField(f *syntax.File, src []byte) (mutation, bool) {
	for _, n := range probeNodes(f) {
		if x, ok := n.(*syntax.FieldExpr); ok && x.Field != nil && x.Field.Name != "" && (x.Field.Name[0] < '0' || x.Field.Name[0] > '9') {
			from := int(x.Field.NamePos)
			return mutation{from, from + len(x.Field.Name), misspell(x.Field.Name)}, true
		}
	}
	return mutation{}, false
}

// mutateAttach misspells part `part` of the first attach point of one of
// the providers, unless it has a wildcard.
func mutateAttach(providers map[string]bool, part int) func(*syntax.File, []byte) (mutation, bool) {
	return func(f *syntax.File, src []byte) (mutation, bool) {
		for _, it := range f.Items() {
			p, ok := it.(*syntax.Probe)
			if !ok {
				continue
			}
			for _, ap := range p.AttachPoints {
				if !providers[ap.Provider] || len(ap.Parts) <= part {
					continue
				}
				pt := ap.Parts[len(ap.Parts)-1]
				if part < len(ap.Parts)-1 && ap.Provider != "kprobe" && ap.Provider != "k" {
					pt = ap.Parts[part]
				}
				if pt.Wildcard || pt.Quoted || strings.ContainsAny(pt.Text, "+*[") {
					continue
				}
				return mutation{int(pt.Span.Start), int(pt.Span.End), misspell(pt.Text)}, true
			}
		}
		return mutation{}, false
	}
}

func mutateBuiltin(f *syntax.File, src []byte) (mutation, bool) {
	for _, n := range probeNodes(f) {
		x, ok := n.(*syntax.Ident)
		if !ok {
			continue
		}
		if b := lookupBuiltinForMutant(x.Name); b != nil && b.Kind == BuiltinVar {
			from := int(x.NamePos)
			return mutation{from, from + len(x.Name), misspell(x.Name)}, true
		}
	}
	return mutation{}, false
}

func mutateCall(f *syntax.File, src []byte) (mutation, bool) {
	for _, n := range probeNodes(f) {
		if x, ok := n.(*syntax.CallExpr); ok && lookupBuiltinForMutant(x.Fun.Name) != nil {
			from := int(x.Fun.NamePos)
			return mutation{from, from + len(x.Fun.Name), misspell(x.Fun.Name)}, true
		}
	}
	return mutation{}, false
}

func mutateArity(f *syntax.File, src []byte) (mutation, bool) {
	for _, n := range probeNodes(f) {
		x, ok := n.(*syntax.CallExpr)
		if !ok || x.Rparen == syntax.NoPos {
			continue
		}
		b := lookupBuiltinForMutant(x.Fun.Name)
		if b == nil || b.MaxArgs >= variadicArgs || len(x.Args) != b.MaxArgs {
			continue
		}
		text := "1"
		if len(x.Args) > 0 {
			text = ", 1"
		}
		at := int(x.Rparen)
		return mutation{at, at, text}, true
	}
	return mutation{}, false
}

func mutateKeys(f *syntax.File, src []byte) (mutation, bool) {
	uses := map[string]int{}
	nodes := probeNodes(f)
	for _, n := range nodes {
		if x, ok := n.(*syntax.MapExpr); ok {
			uses[x.Name]++
		}
	}
	for _, n := range nodes {
		if x, ok := n.(*syntax.MapExpr); ok && len(x.Keys) > 0 && uses[x.Name] > 1 && x.Rbrack != syntax.NoPos {
			at := int(x.Rbrack)
			return mutation{at, at, ", 1"}, true
		}
	}
	return mutation{}, false
}

func mutateTypeMix(f *syntax.File, src []byte) (mutation, bool) {
	for _, it := range f.Items() {
		if p, ok := it.(*syntax.Probe); ok && p.Body != nil && p.Body.Lbrace != syntax.NoPos {
			at := int(p.Body.Lbrace) + 1
			return mutation{at, at, ` $mutant = 1; $mutant = "one";`}, true
		}
	}
	return mutation{}, false
}

func mutateSemicolon(f *syntax.File, src []byte) (mutation, bool) {
	for _, it := range f.Items() {
		p, ok := it.(*syntax.Probe)
		if !ok || p.Body == nil {
			continue
		}
		st := p.Body.Stmts
		for i := 0; i+1 < len(st); i++ {
			gap := string(src[st[i].End():st[i+1].Pos()])
			if j := strings.IndexByte(gap, ';'); j >= 0 && !strings.Contains(gap, "//") {
				at := int(st[i].End()) + j
				return mutation{at, at + 1, ""}, true
			}
		}
	}
	return mutation{}, false
}

func mutateLbrace(f *syntax.File, src []byte) (mutation, bool) {
	for _, it := range f.Items() {
		if p, ok := it.(*syntax.Probe); ok && p.Body != nil && p.Body.Lbrace != syntax.NoPos {
			at := int(p.Body.Lbrace)
			return mutation{at, at + 1, ""}, true
		}
	}
	return mutation{}, false
}

func mutateRparen(f *syntax.File, src []byte) (mutation, bool) {
	for _, n := range probeNodes(f) {
		if x, ok := n.(*syntax.CallExpr); ok && x.Rparen != syntax.NoPos {
			at := int(x.Rparen)
			return mutation{at, at + 1, ""}, true
		}
	}
	return mutation{}, false
}

// lookupBuiltinForMutant returns the builtin of that name in any version.
func lookupBuiltinForMutant(name string) *Builtin {
	for i := range builtinTable {
		if b := &builtinTable[i]; b.Name == name && !b.Internal {
			return b
		}
	}
	return nil
}
