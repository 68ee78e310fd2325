package analysis

// This file implements the uprobe and uretprobe attach-point checks: the
// shape, then, with user-binary facts, the binary, the function or pattern
// in its symbols, and args from its DWARF per matched function.

import (
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// checkUprobe handles uprobe:BINARY:function[+offset], uprobe:BINARY:ADDRESS,
// uprobe:BINARY:cpp:"name" (0.19), uprobe:BINARY@FILE:LINE[:COL] (0.26), and
// uprobe:function with -p.
func checkUprobe(c *apCheck) []*ProbeContext {
	if len(c.ap.Parts) > 1 && c.ap.Parts[1].Sep == '@' {
		c.sourceLocation()
		return c.unknownCtx(true, nil)
	}
	hi := 2
	if c.version().AtLeast(syntax.V0_19) {
		hi = 3
	}
	if c.wantParts(1, hi, c.spell+":binary:function") {
		p := c.ap.Parts[len(c.ap.Parts)-1]
		name, ok := c.funcTarget(p, true)
		if _, isAddr := parseUint(p.Text); isAddr && len(c.ap.Parts) > 1 && c.ap.Parts[0].hasWildcard() {
			c.r.Errorf(c.ap.Parts[0].Span, CodeAttachSyntax, "a wildcard binary cannot be combined with an absolute address")
		}
		if ok && len(c.ap.Parts) > 1 {
			if pcs := c.userFuncs(p, name, false); pcs != nil {
				return pcs
			}
		}
	}
	return c.unknownCtx(true, nil)
}

// sourceLocation checks uprobe:BINARY@FILE:LINE[:COL], which bpftrace 0.26
// resolves through the binary's DWARF line table: a literal binary, a file
// name, a line number and an optional column number. A line of 0 never
// resolves (bpftrace refuses a uprobe without function, address or line);
// a column of 0 means "any column", as when it is left out.
func (c *apCheck) sourceLocation() {
	parts := c.ap.Parts
	at := syntax.Span{Start: parts[1].Span.Start - 1, End: c.ap.Span.End} // from the '@'
	if !c.version().AtLeast(syntax.V0_26) {
		c.r.Errorf(at, CodeProbeVersion, "source-location uprobes need bpftrace 0.26 or newer (target is %s)", c.version())
		return
	}
	if len(parts) < 3 || len(parts) > 4 || parts[1].Text == "" || parts[2].Text == "" {
		c.r.Errorf(c.ap.Span, CodeAttachSyntax, "source-location uprobes are written %s:BINARY@FILE:LINE[:COL]", c.spell)
		return
	}
	if parts[0].hasWildcard() {
		c.r.Errorf(parts[0].Span, CodeAttachSyntax, "a wildcard binary cannot be combined with a source location")
	}
	if n, ok := parseUint(parts[2].Text); (!ok || n == 0) && !parts[2].hasParam() {
		c.r.Errorf(parts[2].Span, CodeAttachSyntax, "line %q is not a positive integer", parts[2].Text)
	}
	if len(parts) == 4 {
		if _, ok := parseUint(parts[3].Text); !ok && !parts[3].hasParam() {
			c.r.Errorf(parts[3].Span, CodeAttachSyntax, "column %q is not a non-negative integer", parts[3].Text)
		}
	}
}

// checkUretprobe handles uretprobe:BINARY:function (no offset, no source
// location).
func checkUretprobe(c *apCheck) []*ProbeContext {
	if i := unquotedIndex(c.ap.Node, 1, '@'); i >= 0 {
		at := syntax.Span{Start: c.ap.Node.Parts[1].Span.Start + syntax.Pos(i), End: c.ap.Span.End}
		c.r.Errorf(at, CodeAttachSyntax, "%s probes do not take a source location (only uprobe:BINARY@FILE:LINE does)", c.spell)
		ret := uint64Type
		return c.unknownCtx(false, &ret)
	}
	hi := 2
	if c.version().AtLeast(syntax.V0_19) {
		hi = 3
	}
	if c.wantParts(1, hi, c.spell+":binary:function") {
		p := c.ap.Parts[len(c.ap.Parts)-1]
		if name, ok := c.funcTarget(p, false); ok && len(c.ap.Parts) > 1 {
			if pcs := c.userFuncs(p, name, true); pcs != nil {
				return pcs
			}
		}
	}
	ret := uint64Type
	return c.unknownCtx(false, &ret)
}

// userFuncs checks a function or pattern against the binary's symbols and
// returns one context per match, or nil when nothing is known (no
// user facts, the binary still being read, an address, a parameter).
// bpftrace 0.26 refuses a function the binary lacks ("No matches for
// uprobe"); 0.17 and 0.24 compile it and fail when attaching. From 0.24 a
// pattern without matches leaves "no valid attach points".
func (c *apCheck) userFuncs(p apPart, name string, ret bool) []*ProbeContext {
	bin, st, ok := c.userBinary(c.ap.Parts[0])
	if !ok || p.hasParam() || name == "" {
		return nil
	}
	if addr, isAddr := parseUint(name); isAddr {
		if _, in := bin.FuncAt(addr); !in && st == userbin.Complete {
			c.r.Warnf(p.Span, CodeUserAddress, "address %#x is in no function of %s; attaching will likely fail", addr, binaryLabel(bin))
		}
		return nil
	}
	lang, _ := trimLang(c.ap.Parts)
	var fns []userbin.Func
	switch {
	case lang == "cpp":
		fns = bin.MatchCpp(name, maxExpand+1)
	case p.hasWildcard():
		fns = bin.Match(name, maxExpand+1)
	default:
		if f, found := bin.Func(name); found {
			fns = []userbin.Func{f}
		}
	}
	if _, off, hasOff := strings.Cut(p.Text, "+"); hasOff && len(fns) == 1 && !p.Quoted {
		if n, ok := parseUint(off); ok && fns[0].Size > 0 && n >= fns[0].Size {
			c.r.Warnf(p.Span, CodeUserAddress, "offset %d is past the end of %q (%d bytes); attaching will fail", n, fns[0].Name, fns[0].Size)
		}
	}
	if len(fns) == 0 {
		if st != userbin.Complete {
			return nil // a separate debug file may still add symbols
		}
		c.reportNoUserFunc(p, bin, name, lang == "cpp" || p.hasWildcard())
		return nil
	}
	out := make([]*ProbeContext, 0, len(fns))
	for i, f := range fns {
		if i == maxExpand {
			break
		}
		out = append(out, c.userFuncCtx(bin, st, f, ret))
	}
	return out
}

// reportNoUserFunc words a function or pattern the binary lacks.
func (c *apCheck) reportNoUserFunc(p apPart, bin *userbin.Binary, name string, pattern bool) {
	if pattern {
		report := c.r.Warnf
		if c.version().AtLeast(syntax.V0_24) {
			report = c.r.Errorf
		}
		c.missing(report)(p.Span, CodeNoMatch, "no function in %s matches %q", binaryLabel(bin), name)
		return
	}
	var d *Diagnostic
	if c.version().AtLeast(syntax.V0_26) {
		d = c.missing(c.r.Errorf)(p.Span, CodeUnknownFunction, "%s has no function %q", binaryLabel(bin), name)
	} else {
		d = c.missing(c.r.Warnf)(p.Span, CodeUnknownFunction, "%s has no function %q (bpftrace %s compiles it, attaching fails)", binaryLabel(bin), name, c.version())
	}
	if d != nil {
		addSuggestion(d, literalSpan(p), name, funcNames(bin, name[:min(len(name), 2)]))
	}
}

// userFuncCtx is the context of one matched function: args from DWARF
// for a uprobe (bpftrace looks the attach point's name up in DWARF, so an
// alias such as glibc's malloc has none), retval uint64 for a uretprobe
// (bpftrace 0.17-0.26 do not type it from DWARF).
func (c *apCheck) userFuncCtx(bin *userbin.Binary, st userbin.State, f userbin.Func, ret bool) *ProbeContext {
	pc := c.base(f.Name)
	if ret {
		r := uint64Type
		pc.Retval = &r
		return pc
	}
	pc.HasArgs = true
	if st != userbin.Complete {
		return pc // args unknown until the debug info is read
	}
	proto, ok := bin.Prototype(f.Name)
	switch {
	case bin.DebugErr() != nil:
		pc.ArgsErr = fmt.Sprintf("args of %q cannot be read: %s", f.Name, debugHint(bin))
	case !ok:
		pc.ArgsErr = fmt.Sprintf("args of %q cannot be read: the debug info of %s does not describe it", f.Name, bin.Path)
	case proto.DWARFName != "":
		pc.ArgsErr = fmt.Sprintf("args of %q cannot be read: its debug info names it %q, and bpftrace looks args up by the attach point's name (attach to %q)",
			f.Name, proto.DWARFName, proto.DWARFName)
	case len(proto.Params) > registerArgs && c.version().AtLeast(syntax.V0_24):
		pc.ArgsErr = fmt.Sprintf("args is not supported for %q: it has %d parameters and only %d are passed in registers",
			f.Name, len(proto.Params), registerArgs)
	default:
		params := proto.Params
		if len(params) > registerArgs {
			params = params[:registerArgs] // 0.17 reads the register ones and fails on the others
		}
		pc.Args = make([]ArgField, 0, len(params))
		for _, prm := range params {
			pc.Args = append(pc.Args, ArgField{Name: prm.Name, Type: userType(prm)})
		}
	}
	return pc
}

// registerArgs is how many arguments the x86-64 calling convention passes
// in registers; bpftrace reads no stack-passed uprobe arguments (0.24+
// refuses args on such a function altogether).
const registerArgs = 6
