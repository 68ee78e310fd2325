package analysis

// This file implements macros: declarations (version gate, parameters,
// overloads), calls (matching an overload by arity and parameter kind),
// hygiene inside bodies, and recursion.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// macroInfo is one macro definition (one overload).
type macroInfo struct {
	decl *syntax.MacroDecl
	sym  *Symbol
}

// macroScope is what a macro body may touch: its parameters.
type macroScope struct {
	info        *macroInfo
	varParams   map[string]bool
	mapParams   map[string]*Symbol
	identParams map[string]*Symbol
	// argTypes are the types of the expressions passed for identifier
	// parameters when the body is walked for a call's value (macroValue).
	argTypes map[string]ty
	// mapArgs names, by map parameter, the caller's map the call passed,
	// and fwd is the checker whose map table records the body's uses of
	// it: bpftrace substitutes the map, so they are uses of that map.
	mapArgs map[string]string
	fwd     *checker
}

func (m *macroScope) param(name string) bool {
	return m.varParams[name] || m.mapParams[name] != nil || m.identParams[name] != nil
}

// hasMacro reports whether a macro is declared by that name. Every name
// a walk resolves passes here first (a call, a bare identifier).
func (e *fileEnv) hasMacro(name string) bool {
	e.lookup(name)
	return len(e.macros[name]) > 0
}

// lookup notes, in a probe's walk under way, that it looked name up among
// the declarations (macros, fns, the C part's records, enums and
// constants): a declaration added, removed or changed then changes only
// the walks that noted its name (incremental_decls.go).
func (e *fileEnv) lookup(name string) {
	if rec := e.syms.recorder(); rec != nil {
		rec.lookup(name)
	}
}

// contextLookup is the name a walk without its probe's context notes
// where that context would type a value (args, retval, ctx, a macro using
// them): the probe pass checks the body with each instance's context,
// whose BTF or DWARF types lead to structs the walk never looked up, so a
// C part edit changing such a struct checks those probes again
// (incremental_cpart.go). No identifier can have this name.
const contextLookup = "(context)"

// headersLookup is the name a walk notes when what it reports depends on
// whether the C part's headers were read whole (checker.headersUnread).
const headersLookup = "(headers)"

// lookupContext notes contextLookup when c walks without a context.
func (c *checker) lookupContext() {
	if c.pc == nil {
		c.env.lookup(contextLookup)
	}
}

// macroInfo is the overload d declared, nil when d was rejected.
func (e *fileEnv) macroInfo(d *syntax.MacroDecl) *macroInfo {
	for _, info := range e.macros[nameOf(d.Name)] {
		if info.decl == d {
			return info
		}
	}
	return nil
}

// macroKinds spells a parameter list's kinds, for overload identity.
func macroKinds(d *syntax.MacroDecl) string {
	var b strings.Builder
	for _, p := range d.Params {
		b.WriteByte("i$@"[p.Kind])
	}
	return b.String()
}

// declareMacro checks one declaration and adds it to the overload set.
func (e *fileEnv) declareMacro(r *Reporter, d *syntax.MacroDecl) {
	if d.Name == nil {
		return
	}
	e.macroVersion(r, d)
	name := d.Name.Name
	seen := map[string]bool{}
	for _, p := range d.Params {
		if seen[p.Name] {
			r.Errorf(p.Span, CodeMacroDupParam, "macro parameter %q is already used", p.Name)
		}
		seen[p.Name] = true
		if b, ok := lookupBuiltin(p.Name); ok && p.Kind == syntax.MacroParamIdent && b.Kind != BuiltinPositional {
			r.Errorf(p.Span, CodeMacroBuiltinParam, "macro parameter %q is the name of a builtin", p.Name)
		}
	}
	for _, other := range e.macros[name] {
		if macroKinds(other.decl) == macroKinds(d) {
			diag := r.Errorf(span(d.Name), CodeMacroRedefined, "macro %q is already defined with these parameters", name)
			diag.Related = append(diag.Related, Related{Span: span(other.decl.Name), Message: "the original definition"})
			return
		}
	}
	info := &macroInfo{decl: d, sym: e.syms.add(SymbolMacro, name, span(d.Name))}
	info.sym.Detail = macroDeclText(d)
	e.macros[name] = append(e.macros[name], info)
}

// macroVersion warns about macros in 0.24, which had them behind
// unstable_macro (0.25 made them stable). Older versions are the parser's
// syntax/needs-version error.
func (e *fileEnv) macroVersion(r *Reporter, d *syntax.MacroDecl) {
	v := e.cfg.Dialect.Version
	at := syntax.Span{Start: d.Macro, End: d.Macro + 5}
	if v == syntax.V0_24 && e.config["unstable_macro"] != "enable" {
		r.Warnf(at, CodeUnstableFeature, "macros are unstable in bpftrace 0.24: set unstable_macro = enable in the config block")
	}
}

// macroDeclText renders "name(a, $b, @c)" for hover.
func macroDeclText(d *syntax.MacroDecl) string {
	parts := make([]string, len(d.Params))
	for i, p := range d.Params {
		parts[i] = p.Name
	}
	return d.Name.Name + "(" + strings.Join(parts, ", ") + ")"
}

// checkMacroBody checks a macro body once, without a probe context.
func (e *fileEnv) checkMacroBody(r *Reporter, info *macroInfo) {
	c := e.newChecker(nil, r, true)
	c.enterMacro(info)
	if info.decl.Body != nil {
		c.blockValue(info.decl.Body)
	}
	c.endScope(c.scope)
}

// enterMacro makes c check the body of info: its parameters are what the
// body may touch.
func (c *checker) enterMacro(info *macroInfo) {
	ms := &macroScope{info: info, varParams: map[string]bool{}, mapParams: map[string]*Symbol{}, identParams: map[string]*Symbol{}}
	c.macro = ms
	for _, p := range info.decl.Params {
		var sym *Symbol
		switch p.Kind {
		case syntax.MacroParamVar:
			ms.varParams[p.Name] = true
			if v := c.declareParam(p.Name, p.Span, unknownTy); v.sym != nil {
				v.sym.Kind = SymbolMacroParam
			}
			continue
		}
		if c.syms != nil {
			sym = c.syms.add(SymbolMacroParam, p.Name, p.Span)
		} else {
			sym = &Symbol{} // a placeholder: symbols are recorded in the file-level pass only
		}
		if p.Kind == syntax.MacroParamMap {
			ms.mapParams[p.Name] = sym
		} else {
			ms.identParams[p.Name] = sym
		}
	}
}

// maxMacroDepth bounds the re-walk of nested macro calls, and
// maxMacroWalks the number of re-walks under one checker: macros that call
// each other many times over would otherwise make checking exponential.
const (
	maxMacroDepth = 8
	maxMacroWalks = 2000
)

// inContext re-walks a called macro's body under the caller's probe
// context: bpftrace expands macros before it resolves args, so args
// fields and probe-specific builtins used inside a macro count for the
// probe that calls it. Only the diagnostics that depend on the context are
// kept; the rest were reported once at the definition.
func (c *checker) inContext(info *macroInfo) {
	if c.pc == nil && info.decl.Body != nil && c.env.syms.recorder() != nil && c.env.usesContext(info.decl.Body) {
		c.lookupContext()
	}
	if c.pc == nil || c.depth >= maxMacroDepth || info.decl.Body == nil || !c.env.usesContext(info.decl.Body) {
		return
	}
	if c.walks == nil {
		n := maxMacroWalks
		c.walks = &n
	}
	if *c.walks <= 0 {
		return
	}
	*c.walks--
	sub := c.env.newChecker(c.pc, &Reporter{}, false)
	sub.res, sub.depth, sub.walks, sub.mapUses = c.res, c.depth+1, c.walks, c.mapUses
	sub.enterMacro(info)
	sub.blockValue(info.decl.Body)
	for _, d := range sub.r.Diags {
		if d.Code != CodeArgsUnknownField && d.Code != CodeBuiltinProbe && d.Code != CodeUnknownField {
			continue
		}
		if !c.reported(d) {
			c.r.Diags = append(c.r.Diags, d)
		}
	}
}

// reported reports whether d (span and code) is already among c's.
func (c *checker) reported(d Diagnostic) bool {
	for _, x := range c.r.Diags {
		if x.Span == d.Span && x.Code == d.Code {
			return true
		}
	}
	return false
}

// usesContext reports whether a macro body names a probe-specific builtin
// or another macro (which might). It notes no lookup: a walk depends on a
// macro body through the macro's name, which its call looked up.
func (e *fileEnv) usesContext(body *syntax.Block) bool {
	found := false
	syntax.Inspect(body, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok && !found {
			b, isBuiltin := lookupBuiltin(id.Name)
			found = isBuiltin && probeSpecific(b.Name) || len(e.macros[id.Name]) > 0
		}
		return !found
	})
	return found
}

// macroCall checks a call of a user macro against its overloads.
func (c *checker) macroCall(x *syntax.CallExpr) ty {
	name := x.Fun.Name
	infos := c.env.macros[name]
	c.refMacro(name, span(x.Fun))
	var match *macroInfo
	sameArity := 0
	for _, info := range infos {
		if len(info.decl.Params) != len(x.Args) {
			continue
		}
		sameArity++
		if macroArgsFit(info.decl, x.Args) {
			match = info
			break
		}
	}
	switch {
	case match != nil:
		args, mapArgs := c.macroArgs(match.decl, x.Args)
		c.inContext(match)
		return c.macroValue(match, args, mapArgs)
	case sameArity == 0 && len(infos) == 1:
		c.r.Errorf(span(x), CodeMacroArity, "call to %s() has the wrong number of arguments: expected %d, got %d",
			name, len(infos[0].decl.Params), len(x.Args))
	case sameArity == 0:
		c.r.Errorf(span(x), CodeMacroArity, "call to %s() has the wrong number of arguments: no definition takes %d", name, len(x.Args))
	default:
		c.macroKindMismatch(x, infos)
	}
	for _, a := range x.Args { // a map passed whole says nothing of its keys
		if m, ok := syntax.Unparen(a).(*syntax.MapExpr); ok && !m.Lbrack.IsValid() {
			c.mapArg(m)
			continue
		}
		c.expr(a)
	}
	return unknownTy
}

// macroFits reports whether some overload of name accepts args. A user
// macro only replaces a builtin of the same name where it fits.
func (e *fileEnv) macroFits(name string, args []syntax.Expr) bool {
	for _, info := range e.macros[name] {
		if len(info.decl.Params) == len(args) && macroArgsFit(info.decl, args) {
			return true
		}
	}
	return false
}

// macroArgsFit reports whether args suit the parameter kinds of d.
func macroArgsFit(d *syntax.MacroDecl, args []syntax.Expr) bool {
	for i, p := range d.Params {
		switch a := syntax.Unparen(args[i]).(type) {
		case *syntax.VarExpr:
			if p.Kind == syntax.MacroParamMap {
				return false
			}
		case *syntax.MapExpr:
			if p.Kind == syntax.MacroParamVar || p.Kind == syntax.MacroParamMap && len(a.Keys) > 0 {
				return false
			}
		default:
			if p.Kind != syntax.MacroParamIdent {
				return false
			}
		}
	}
	return true
}

// macroKindMismatch explains the first mismatched argument of the first
// overload with the right arity.
func (c *checker) macroKindMismatch(x *syntax.CallExpr, infos []*macroInfo) {
	for _, info := range infos {
		if len(info.decl.Params) != len(x.Args) {
			continue
		}
		for i, p := range info.decl.Params {
			want := map[syntax.MacroParamKind]string{syntax.MacroParamVar: "a scratch variable", syntax.MacroParamMap: "a map without keys"}[p.Kind]
			if want != "" && !macroArgsFit(&syntax.MacroDecl{Params: []*syntax.MacroParam{p}}, x.Args[i:i+1]) {
				c.r.Errorf(span(x.Args[i]), CodeMacroArgKind, "%s() expects %s for parameter %s", x.Fun.Name, want, p.Name)
				return
			}
		}
	}
	c.r.Errorf(span(x), CodeMacroNoMatch, "call to %s() has arguments that do not match any definition", x.Fun.Name)
}

// macroValue types the value of a call of info whose identifier
// parameters receive values of the types in args: bpftrace expands the
// macro in place, so the call has the type of the body's final expression
// with the arguments substituted. Nothing is reported or recorded here;
// the body was checked at its definition.
func (c *checker) macroValue(info *macroInfo, args map[string]ty, mapArgs map[string]string) ty {
	if c.depth >= maxMacroDepth || info.decl.Body == nil || !hasFinalExpr(info.decl.Body) && len(mapArgs) == 0 {
		return unknownTy
	}
	if c.walks == nil {
		n := maxMacroWalks
		c.walks = &n
	}
	if *c.walks <= 0 {
		return unknownTy
	}
	*c.walks--
	sub := c.env.newChecker(c.pc, &Reporter{}, false)
	sub.depth, sub.walks, sub.quiet = c.depth+1, c.walks, true
	sub.enterMacro(info)
	sub.macro.argTypes, sub.macro.mapArgs, sub.macro.fwd = args, mapArgs, c.mapRecorder()
	return sub.blockValue(info.decl.Body)
}

// mapRecorder is the checker whose map table records c's map uses: c, or
// inside a macro walked for a call, the caller's.
func (c *checker) mapRecorder() *checker {
	if c.macro != nil {
		return c.macro.fwd
	}
	return c
}

// mapArgName is the map of the caller that the map argument a stands for.
func (c *checker) mapArgName(a *syntax.MapExpr) (string, bool) {
	name := "@" + a.Name
	if c.macro == nil {
		return name, true
	}
	target, ok := c.macro.mapArgs[name]
	return target, ok
}

// forwardMap records a use inside a macro body of the map the call passed
// for a map parameter, at its place in the body, where bpftrace reports
// it. It is no reference of the caller's map symbol.
func (c *checker) forwardMap(name string, u mapUse) {
	target, ok := c.macro.mapArgs[name]
	fwd := c.macro.fwd
	if !ok || fwd == nil || fwd.maps == nil {
		return
	}
	u.viaMacro = true
	for _, k := range u.keys {
		if !k.known() { // a key this walk cannot type (retval, a scratch variable): the use says too little
			return
		}
	}
	if rec := fwd.syms.recorder(); rec != nil {
		rec.mapUse(target, u)
	}
	fwd.maps.record(fwd.syms, target, u)
}

// hasFinalExpr reports whether a block ends in an expression without ';',
// the only blocks that have a value.
func hasFinalExpr(b *syntax.Block) bool {
	if len(b.Stmts) == 0 {
		return false
	}
	es, ok := b.Stmts[len(b.Stmts)-1].(*syntax.ExprStmt)
	return ok && !es.Semi.IsValid()
}

// macroArgs checks the arguments of a matched call: variables and maps are
// passed by name (the macro may assign them), the rest are expressions,
// whose types it returns by parameter name, with the caller's maps passed
// for map parameters.
func (c *checker) macroArgs(d *syntax.MacroDecl, args []syntax.Expr) (map[string]ty, map[string]string) {
	types := map[string]ty{}
	var mapArgs map[string]string
	for i, p := range d.Params {
		switch a := syntax.Unparen(args[i]).(type) {
		case *syntax.VarExpr:
			if p.Kind == syntax.MacroParamVar {
				c.outVar(a)
				continue
			}
		case *syntax.MapExpr:
			if p.Kind == syntax.MacroParamMap {
				c.recordMap(a, mapUse{span: mapNameSpan(a), bare: true, write: true})
				if target, ok := c.mapArgName(a); ok {
					if mapArgs == nil {
						mapArgs = map[string]string{}
					}
					mapArgs[p.Name] = target
				}
				continue
			}
		}
		t := c.expr(args[i])
		if p.Kind == syntax.MacroParamIdent {
			types[p.Name] = t
		}
	}
	return types, mapArgs
}

// bareMacro checks a macro named without parentheses: only zero-parameter
// macros may be.
func (c *checker) bareMacro(x *syntax.Ident) ty {
	infos := c.env.macros[x.Name]
	c.refMacro(x.Name, span(x))
	for _, info := range infos {
		if len(info.decl.Params) == 0 {
			c.inContext(info)
			return c.macroValue(info, nil, nil)
		}
	}
	c.r.Errorf(span(x), CodeMacroArity, "call to %s() has the wrong number of arguments: expected %d, got 0",
		x.Name, len(infos[0].decl.Params))
	return unknownTy
}

// refMacro records a reference to every overload of the macro name.
func (c *checker) refMacro(name string, at syntax.Span) {
	if c.syms == nil {
		return
	}
	if rec := c.syms.recorder(); rec != nil {
		rec.macroRef(name, at)
	}
	c.env.refMacroSyms(name, at)
}

func (e *fileEnv) refMacroSyms(name string, at syntax.Span) {
	if e.sharedDecls {
		return
	}
	for _, info := range e.macros[name] {
		info.sym.Refs = append(info.sym.Refs, at)
	}
}

func (c *checker) refSym(s *Symbol, at syntax.Span) {
	if c.syms != nil && s != nil {
		s.Refs = append(s.Refs, at)
	}
}

// checkMacroRecursion reports call cycles among macros, once per cycle.
func (e *fileEnv) checkMacroRecursion(r *Reporter) {
	calls := map[string][]macroCallSite{}
	for name, infos := range e.macros {
		for _, info := range infos {
			if info.decl.Body != nil {
				calls[name] = append(calls[name], macroCallsIn(e, info.decl.Body)...)
			}
		}
	}
	names := make([]string, 0, len(calls))
	for n := range calls {
		names = append(names, n)
	}
	sort.Strings(names)
	reported := map[string]bool{}
	search := &cycleSearch{calls: calls, budget: maxCycleSearch}
	for _, n := range names {
		search.seen = map[string]int{}
		if chain, at, ok := search.findCycle(n, []string{n}); ok {
			key := cycleKey(chain)
			if reported[key] {
				continue
			}
			reported[key] = true
			r.Errorf(at, CodeMacroRecursion, "recursive macro call: %s", strings.Join(chain, " > "))
		}
	}
}

type macroCallSite struct {
	name string
	at   syntax.Span
}

// macroCallsIn lists the macro calls (and bare uses of macro names) in a
// macro body. Field names are not uses.
func macroCallsIn(e *fileEnv, body *syntax.Block) []macroCallSite {
	var sites []macroCallSite
	var visit func(n syntax.Node) bool
	visit = func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FieldExpr:
			syntax.Inspect(n.X, visit)
			return false
		case *syntax.Ident:
			if e.hasMacro(n.Name) {
				sites = append(sites, macroCallSite{name: n.Name, at: span(n)})
			}
		}
		return true
	}
	syntax.Inspect(body, visit)
	return sites
}

// maxCycleSearch bounds the calls findCycle follows for one file, so that
// a file of many macros calling each other cannot make the search
// exponential; a cycle past the budget goes unreported here.
const maxCycleSearch = 100_000

// cycleSearch finds call cycles of at most 16 macros.
type cycleSearch struct {
	calls  map[string][]macroCallSite
	budget int
	seen   map[string]int // shortest path length a name was explored at
}

// findCycle follows calls from the last name of path back to path[0].
// A name already explored from a path no longer than this one is not
// explored again: it cannot lead back to start any sooner.
func (cs *cycleSearch) findCycle(start string, path []string) ([]string, syntax.Span, bool) {
	cur := path[len(path)-1]
	for _, c := range cs.calls[cur] {
		if c.name == start {
			return append(path, start), c.at, true
		}
		if cs.budget <= 0 || len(path) >= 16 || containsName(path, c.name) {
			continue
		}
		if d, ok := cs.seen[c.name]; ok && d <= len(path) {
			continue
		}
		cs.seen[c.name] = len(path)
		cs.budget--
		if chain, at, ok := cs.findCycle(start, append(path, c.name)); ok {
			return chain, at, true
		}
	}
	return nil, syntax.Span{}, false
}

func containsName(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cycleKey identifies a cycle whatever macro it is entered from.
func cycleKey(chain []string) string {
	members := append([]string(nil), chain[:len(chain)-1]...)
	sort.Strings(members)
	return fmt.Sprint(members)
}
