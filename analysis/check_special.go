package analysis

// This file implements the checks of the providers without a kernel
// target: BEGIN/END, self, test and bench, watchpoint and iter.

import (
	"slices"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// checkSpecial handles BEGIN and END, which take no parts (newest
// tolerates "begin:*").
func checkSpecial(c *apCheck) []*ProbeContext {
	if len(c.ap.Parts) > 0 && !(c.version().AtLeast(syntax.V0_24) && len(c.ap.Parts) == 1 && c.ap.Parts[0].Text == "*") {
		c.wantParts(0, 0, c.spell)
	}
	return c.unknownCtx(false, nil)
}

// checkSelf handles self:signal:SIGUSR1 (0.22), the only signal bpftrace
// lets a script catch.
func checkSelf(c *apCheck) []*ProbeContext {
	if c.wantParts(2, 2, "self:signal:SIGUSR1") {
		kind, sig := c.ap.Parts[0], c.ap.Parts[1]
		if kind.Text != "signal" {
			c.r.Errorf(kind.Span, CodeAttachSyntax, "self probes only support \"signal\", not %q", kind.Text)
		} else if sig.Text != "SIGUSR1" {
			c.r.Errorf(sig.Span, CodeAttachSyntax, "self:signal probes only support SIGUSR1, not %q", sig.Text)
		}
	}
	return c.unknownCtx(false, nil)
}

// checkNamed handles test:NAME (0.25) and bench:NAME (0.24).
func checkNamed(c *apCheck) []*ProbeContext {
	if c.wantParts(1, 1, c.spell+":name") && !c.ap.Parts[0].hasParam() && !isIdent(c.ap.Parts[0].Text) {
		c.r.Errorf(c.ap.Parts[0].Span, CodeAttachSyntax, "%s probe name %q is not an identifier", c.spell, c.ap.Parts[0].Text)
	}
	return c.unknownCtx(false, nil)
}

// checkWatchpoint handles watchpoint:ADDRESS:LEN:MODE (and 0.17's
// watchpoint:func+argN:LEN:MODE, removed in 0.25).
func checkWatchpoint(c *apCheck) []*ProbeContext {
	if !c.wantParts(3, 3, c.spell+":address:length:mode") {
		return c.unknownCtx(false, nil)
	}
	addr, length, mode := c.ap.Parts[0], c.ap.Parts[1], c.ap.Parts[2]
	if _, ok := parseUint(addr.Text); !ok && !addr.hasParam() {
		fn, arg, isFunc := strings.Cut(addr.Text, "+")
		if !isFunc || c.version().AtLeast(syntax.V0_25) || !strings.HasPrefix(arg, "arg") || fn == "" {
			c.r.Errorf(addr.Span, CodeAttachSyntax, "%q is not an address", addr.Text)
		}
	}
	if !length.hasParam() && !contains([]string{"1", "2", "4", "8"}, length.Text) {
		c.r.Errorf(length.Span, CodeAttachSyntax, "watchpoint length must be 1, 2, 4 or 8, not %q", length.Text)
	}
	if !mode.hasParam() && (mode.Text == "" || strings.Trim(mode.Text, "rwx") != "" || len(mode.Text) > 3) {
		c.r.Errorf(mode.Span, CodeAttachSyntax, "watchpoint mode must be a combination of r, w and x, not %q", mode.Text)
	} else if !mode.hasParam() {
		checkWatchpointMode(c, mode)
	}
	if n, ok := parseUint(addr.Text); ok && n == 0 {
		c.r.Errorf(addr.Span, CodeAttachSyntax, "watchpoint must be attached to a non-zero address")
	}
	return c.unknownCtx(false, nil)
}

// checkWatchpointMode reports a repeated letter, and (as a warning, since
// it depends on the machine) a mode x86_64 cannot watch: it has w, rw and x.
func checkWatchpointMode(c *apCheck, mode apPart) {
	letters := []byte(mode.Text)
	slices.Sort(letters)
	sorted := string(letters)
	if strings.Contains(sorted, "rr") || strings.Contains(sorted, "ww") || strings.Contains(sorted, "xx") {
		c.r.Errorf(mode.Span, CodeAttachSyntax, "watchpoint modes may not be repeated: %q", mode.Text)
		return
	}
	if !contains([]string{"w", "rw", "x"}, sorted) {
		c.r.Warnf(mode.Span, CodeAttachSyntax, "x86_64 watchpoints have the modes w, rw and x, not %q", mode.Text)
	}
}

// checkIter handles iter:NAME[:PIN]. ctx is a pointer to the kernel's
// struct bpf_iter__NAME; an iter probe must have a single attach point.
func checkIter(c *apCheck) []*ProbeContext {
	if c.nAttach > 1 {
		c.r.Errorf(c.ap.Span, CodeIterAlone, "an iter probe must have a single attach point")
	}
	if !c.wantParts(1, 2, c.spell+":name[:pin]") {
		return c.unknownCtx(false, nil)
	}
	name := c.ap.Parts[0]
	if !c.version().AtLeast(syntax.V0_19) && !name.hasParam() && name.Text != "task" && name.Text != "task_file" {
		c.r.Errorf(name.Span, CodeAttachSyntax, "bpftrace %s only has the iter probes \"task\" and \"task_file\"", c.version())
		return c.unknownCtx(false, nil)
	}
	k := c.cfg.Kernel
	if k == nil || name.hasParam() || !c.noWildcard(name, "iterator name") {
		return c.unknownCtx(false, nil)
	}
	rec, ok := k.Record("bpf_iter__" + name.Text)
	if !ok {
		c.r.Errorf(name.Span, CodeUnknownIter, "kernel has no iterator %q", name.Text)
		return c.unknownCtx(false, nil)
	}
	pc := c.base(name.Text)
	rt := btfindex.Type{C: "struct " + rec.Name, Kind: btfindex.KindStruct, Size: rec.Size, Record: rec.Name}
	pc.Ctx = &btfindex.Type{C: "struct " + rec.Name + " *", Kind: btfindex.KindPointer, Size: 8, Elem: &rt}
	return []*ProbeContext{pc}
}
