package analysis

// This file implements the uprobe, uretprobe and usdt attach-point checks.
// bpfls reads no user binaries, so these only check the shape; args of a
// uprobe (DWARF) are unknown rather than empty.

import "github.com/bpfls/bpfls/analysis/syntax"

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
		c.funcTarget(p, true)
		if _, isAddr := parseUint(p.Text); isAddr && len(c.ap.Parts) > 1 && c.ap.Parts[0].hasWildcard() {
			c.r.Errorf(c.ap.Parts[0].Span, CodeAttachSyntax, "a wildcard binary cannot be combined with an absolute address")
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
		c.funcTarget(c.ap.Parts[len(c.ap.Parts)-1], false)
	}
	ret := uint64Type
	return c.unknownCtx(false, &ret)
}

// checkUsdt handles usdt:BINARY[:namespace]:probe and usdt:probe with -p.
func checkUsdt(c *apCheck) []*ProbeContext {
	c.wantParts(1, 3, c.spell+":binary[:namespace]:probe")
	return c.unknownCtx(false, nil)
}
