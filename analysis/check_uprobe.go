package analysis

// This file implements the uprobe, uretprobe and usdt attach-point checks.
// bpfls reads no user binaries, so these only check the shape; args of a
// uprobe (DWARF) are unknown rather than empty.

import "github.com/bpfls/bpfls/analysis/syntax"

// checkUprobe handles uprobe:BINARY:function[+offset], uprobe:BINARY:ADDRESS,
// uprobe:BINARY:cpp:"name" (0.19), and uprobe:function with -p.
func checkUprobe(c *apCheck) []*ProbeContext {
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

// checkUretprobe handles uretprobe:BINARY:function (no offset).
func checkUretprobe(c *apCheck) []*ProbeContext {
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
