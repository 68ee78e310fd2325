package analysis

// This file implements the file-level pass: it collects what every probe
// body is checked against (macros, fns, maps, C definitions, config), checks
// macro and fn bodies once, checks maps across probes, and builds the
// symbol index. checkBody then checks one probe body per probe context.

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// fileEnv holds the file-level facts every probe body is checked against.
type fileEnv struct {
	cfg    Config
	file   *syntax.File
	kernel Kernel
	diags  []Diagnostic // file-level problems (maps used inconsistently, …)
	macros map[string][]*macroInfo
	fns    map[string]*syntax.FuncDecl // read through fn
	// fnEdit is a fn whose body an edit changed, in place of its name's
	// entry in fns: the fn path (incremental_fn.go) then shares fns.
	fnEdit    *syntax.FuncDecl
	maps      *mapTable
	syms      *symbolSink
	symbols   *SymbolIndex
	cdefs     map[string]bool // struct/union names the script defines in C
	constants map[string]bool // enum constants and #define names from the preamble
	// defines holds the #define names whose body is one literal: bpftrace's
	// preprocessor pastes it in, so the name has the literal's type and,
	// for an integer, counts as a literal where one is needed.
	defines  map[string]defineConst
	config   map[string]string // config block entries
	includes bool              // the preamble #includes headers, whose macros bpftrace expands
	imports  bool              // the file imports others, which may define functions and macros
	// userProbes is set when a probe attaches to user space, whose
	// structs come from DWARF rather than kernel BTF.
	userProbes bool
	// selfDefines are #define names whose value is the name itself, which
	// bpftrace never expands: the name stays an unknown identifier.
	selfDefines map[string]bool
	cache       *envCache     // the probe walks of this pass, for the next one (envcache.go)
	declIdx     []int         // the indexes of the items that are not probes
	itemFacts   []*probeFacts // with cache: each probe's walk by item index, nil when not replayable
	aligned     recList       // with cache: earlier records of the same items, by index (incremental.go)
	cdecls      *cdecl.Decls  // what the C part and its headers define (cpart.go); nil without one
	// mapDiagFrom is where checkMaps's diagnostics start in diags, and
	// mapDiags where each map's lie.
	mapDiagFrom int
	mapDiags    []mapDiagRange
	// sharedDecls is set when the declarations are shared with other
	// passes (incremental.go): their symbols then take no references.
	sharedDecls bool
}

// newFileEnv runs the file-level pass over f: declarations, macro and fn
// bodies, maps across probes, and the symbol index. Its diagnostics are
// in diags; per-probe ones come from checkBody.
func newFileEnv(ctx context.Context, f *syntax.File, cfg Config) *fileEnv {
	return newFileEnvFrom(ctx, f, cfg, nil, false)
}

// newFileEnvFrom is [newFileEnv] reusing the probe walks of the pass that
// made prev (may be nil) where they still hold. With record set, it keeps
// its own probe walks in e.cache for the next pass.
func newFileEnvFrom(ctx context.Context, f *syntax.File, cfg Config, prev *envCache, record bool) *fileEnv {
	return newFileEnvWith(ctx, f, cfg, prev, record, nil)
}

// newFileEnvAligned is the recording [newFileEnv] replaying the walks the
// incremental state of f holds (incremental.go), so that no probe it
// replays is read.
func newFileEnvAligned(ctx context.Context, f *syntax.File, cfg Config, inc *incState) *fileEnv {
	return newFileEnvWith(ctx, f, cfg, nil, true, inc)
}

func newFileEnvWith(ctx context.Context, f *syntax.File, cfg Config, prev *envCache, record bool, inc *incState) *fileEnv {
	r := &Reporter{}
	nmaps := 0
	if prev != nil { // the last pass's size: the table is rebuilt, not grown
		nmaps = prev.nmaps
	}
	var e *fileEnv
	if inc != nil {
		user := inc.nuser > 0
		e = newDeclEnvAt(ctx, r, f, cfg, len(inc.maps), &user, inc.declIdx)
		e.aligned = inc.items
	} else {
		e = newDeclEnv(ctx, r, f, cfg, nmaps, nil)
	}
	if record {
		e.cache = newEnvCache(envDeclKey(f, cfg, e.userProbes), prev)
	}
	e.collectProbes(ctx, prev)
	for _, i := range e.declIdx { // in source order, which the symbol index keeps
		if d, ok := f.Item(i).(*syntax.MacroDecl); ok && e.macroInfo(d) != nil {
			e.checkMacroBody(r, e.macroInfo(d))
		}
	}
	for _, i := range e.declIdx {
		if d, ok := f.Item(i).(*syntax.FuncDecl); ok && e.fn(nameOf(d.Name)) == d {
			e.checkFnBody(r, d)
		}
	}
	e.checkMacroRecursion(r)
	e.checkMaps(r)
	e.symbols = e.syms.finish()
	if e.cache != nil {
		e.cache.nmaps = len(e.maps.order)
	}
	e.diags = r.Diags
	return e
}

// newDeclEnv is the start of the file-level pass: the declarations and the
// C part. With userProbes set, probes are not read: it says whether any
// attaches to user space.
func newDeclEnv(ctx context.Context, r *Reporter, f *syntax.File, cfg Config, nmaps int, userProbes *bool) *fileEnv {
	return newDeclEnvAt(ctx, r, f, cfg, nmaps, userProbes, nil)
}

// newDeclEnvAt is newDeclEnv given the items that are not probes (nil:
// found here).
func newDeclEnvAt(ctx context.Context, r *Reporter, f *syntax.File, cfg Config, nmaps int, userProbes *bool, decls []int) *fileEnv {
	e := &fileEnv{cfg: cfg, file: f, kernel: cfg.Kernel,
		macros: map[string][]*macroInfo{}, fns: map[string]*syntax.FuncDecl{},
		maps: newMapTable(), syms: newSymbolSink(),
		cdefs: map[string]bool{}, constants: map[string]bool{}, selfDefines: map[string]bool{}, defines: map[string]defineConst{},
		config: map[string]string{}}
	if nmaps > 0 {
		e.maps.byName = make(map[string]*mapFacts, nmaps)
	}
	e.declIdx = decls
	if decls == nil {
		e.declIdx = declIndexes(f)
	}
	e.declare(r, userProbes)
	e.readCPart(ctx, r)
	if e.includes && e.cComplete() {
		e.includes = false // every header was read: their names are known
	}
	return e
}

// nameOf is the name of id, "" when it is missing.
func nameOf(id *syntax.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

// declare collects the top-level declarations.
func (e *fileEnv) declare(r *Reporter, userProbes *bool) {
	if userProbes != nil {
		e.userProbes = *userProbes
	}
	idx := e.declIdx
	if userProbes == nil {
		idx = allIndexes(e.file)
	}
	for _, i := range idx {
		if e.file.IsProbe(i) { // its head alone: see analyze
			e.userProbes = e.userProbes || userAttach(e.file.ProbeAttachPoints(i))
			continue
		}
		switch it := e.file.Item(i).(type) {
		case *syntax.Preamble:
			e.preamble(it)
		case *syntax.ConfigBlock:
			e.checkConfig(r, it)
		case *syntax.MacroDecl:
			e.declareMacro(r, it)
		case *syntax.FuncDecl:
			e.declareFn(r, it)
		case *syntax.MapDecl:
			e.checkMapDecl(r, it)
		case *syntax.ImportDecl:
			e.imports = true
		}
	}
}

func allIndexes(f *syntax.File) []int {
	idx := make([]int, f.NumItems())
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// attachesToUser reports whether p attaches to user space, whose structs
// come from DWARF rather than kernel BTF.
func attachesToUser(p *syntax.Probe) bool { return userAttach(p.AttachPoints) }

// userAttach reports whether any of a probe's attach points aps attaches
// to user space.
func userAttach(aps []*syntax.AttachPoint) bool {
	for _, ap := range aps {
		switch strings.ToLower(ap.Provider) {
		case "uprobe", "u", "uretprobe", "ur", "usdt":
			return true
		}
	}
	return false
}

// Patterns for the C preamble: enum constants, #define and #include lines.
var (
	enumConst = regexp.MustCompile(`(?:[{,]\s*)([A-Za-z_][A-Za-z0-9_]*)`)
	defineRe  = regexp.MustCompile(`^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(.*)`)
	includeRe = regexp.MustCompile(`^\s*#\s*include\b`)
)

// preamble notes the struct names, enum constants and #define names the
// script's C part declares, so that uses of them are not reported.
func (e *fileEnv) preamble(p *syntax.Preamble) {
	for _, d := range p.Decls {
		switch d.Kind {
		case syntax.CStruct, syntax.CUnion:
			if d.Name != "" {
				e.cdefs[d.Name] = true
			}
		case syntax.CEnum:
			for _, m := range enumConst.FindAllStringSubmatch(d.Text, -1) {
				e.constants[m[1]] = true
			}
		case syntax.CPreproc:
			if m := defineRe.FindStringSubmatch(d.Text); m != nil {
				if strings.TrimSpace(m[2]) == m[1] {
					e.selfDefines[m[1]] = true
				} else {
					e.constants[m[1]] = true
					if d, ok := literalDefine(m[2]); ok {
						e.defines[m[1]] = d
					}
				}
			}
			if includeRe.MatchString(d.Text) {
				e.includes = true
			}
		}
	}
}

// defineConst is a #define whose body is one literal.
type defineConst struct {
	t     ty
	value int64 // for an integer
	isInt bool
}

// literalDefine reads a #define body that is one integer or string
// literal, parenthesised or not ("256", "(0x10)", "\"bash\"").
func literalDefine(body string) (defineConst, bool) {
	body = strings.TrimSpace(body)
	for len(body) > 1 && body[0] == '(' && body[len(body)-1] == ')' {
		body = strings.TrimSpace(body[1 : len(body)-1])
	}
	if len(body) >= 2 && body[0] == '"' && body[len(body)-1] == '"' && !strings.ContainsAny(body[1:len(body)-1], "\"\\") {
		return defineConst{t: stringTy}, true
	}
	neg := strings.HasPrefix(body, "-")
	if v, err := strconv.ParseInt(strings.TrimPrefix(body, "-"), 0, 64); err == nil {
		if neg {
			v = -v
		}
		return defineConst{t: int64Ty, value: v, isInt: true}, true
	}
	return defineConst{}, false
}

// newChecker starts a body check with a fresh top-level scope. In the
// file-level pass (record set) it records map uses and symbols.
func (e *fileEnv) newChecker(pc *ProbeContext, r *Reporter, record bool) *checker {
	c := &checker{env: e, pc: pc, v: e.cfg.Dialect.Version, r: r, res: &BodyResult{}, scope: newScope(nil)}
	if record {
		c.maps, c.syms = e.maps, e.syms
	}
	return c
}

// probe checks the predicate and body of p in c's top-level scope.
func (c *checker) probe(p *syntax.Probe) {
	if p.Pred != nil && p.Pred.Cond != nil {
		c.cond(p.Pred.Cond)
	}
	if p.Body != nil {
		c.stmts(p.Body.Stmts)
	}
	c.endScope(c.scope)
}

// checkBody checks the predicate and body of probe p for one instance. The
// result lists the args field uses in source order.
func (e *fileEnv) checkBody(p *syntax.Probe, pc *ProbeContext) BodyResult {
	return e.checkBodyUses(p, pc, true)
}

// checkBodyUses is checkBody keeping the map uses in the result only
// with mapUses set.
func (e *fileEnv) checkBodyUses(p *syntax.Probe, pc *ProbeContext, mapUses bool) BodyResult {
	r := &Reporter{}
	c := e.newChecker(pc, r, false)
	c.mapUses = mapUses
	c.probe(p)
	c.res.Diags = r.Diags
	sort.SliceStable(c.res.ArgUses, func(i, j int) bool { return c.res.ArgUses[i].Span.Start < c.res.ArgUses[j].Span.Start })
	return *c.res
}

// text is the source between two offsets, clamped to the file.
func (e *fileEnv) text(from, to syntax.Pos) string {
	if from < 0 || to > syntax.Pos(e.file.Len()) || from > to {
		return ""
	}
	return string(e.file.Slice(from, to))
}
