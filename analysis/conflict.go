package analysis

// This file implements the view of a probe's argument conflict that
// refactorings build on, and the hook through which a caller offers them.
// The checker attaches whatever the Refactorer returns to the conflict's
// diagnostics; it does not know what the refactorings are.

import "github.com/bpfls/bpfls/analysis/syntax"

// Refactorer offers the fixes that resolve a probe's argument conflict
// (package fix implements it). The fixes it returns must leave a script
// that checks clean.
type Refactorer interface {
	Refactor(c *Conflict) []Fix
}

// Conflict is one probe whose attach points give its body different
// contexts (argument lists, retval, program types): the per-attach-point
// results of the probe as the checker found them. It is valid only during
// the Refactorer call.
type Conflict struct{ m *merger }

// AttachGroup is the instances of a probe that share one context.
type AttachGroup struct {
	Context   *ProbeContext
	Instances []Instance
}

// Instance is one match of an attach point: a kernel function, a
// tracepoint, or the attach point itself when it names one target.
type Instance struct {
	AttachPoint int // index into the probe's AttachPoints
	Context     *ProbeContext
}

// Probe returns the conflicting probe.
func (c *Conflict) Probe() *syntax.Probe { return c.m.p }

// Src returns the text of the file.
func (c *Conflict) Src() []byte { return c.m.pp.src.Bytes() }

// Items returns the top-level items of the file.
func (c *Conflict) Items() []syntax.Item {
	if c.m.pp.file == nil {
		return nil
	}
	return c.m.pp.file.Items()
}

// Dialect returns the target the file is checked for.
func (c *Conflict) Dialect() syntax.Dialect { return c.m.pp.cfg.Dialect }

// Groups returns the probe's instances grouped by identical context, in
// order of first appearance.
func (c *Conflict) Groups() []AttachGroup {
	out := make([]AttachGroup, len(c.m.groups))
	for i, g := range c.m.groups {
		ag := AttachGroup{Context: g.pc, Instances: make([]Instance, len(g.insts))}
		for j, in := range g.insts {
			ag.Instances[j] = Instance{AttachPoint: in.ap, Context: in.pc}
		}
		out[i] = ag
	}
	return out
}

// ArgUses returns every args field use of the probe, in source order.
func (c *Conflict) ArgUses() []ArgUse { return c.m.uses }

// ReadsRetval reports whether the probe's text reads retval.
func (c *Conflict) ReadsRetval() bool { return len(c.m.scanned.retvals) > 0 }

// UsesArgs reports whether the body reads args under any context.
func (c *Conflict) UsesArgs() bool { return c.m.usesArgs() }

// UsesRetval reports whether the body reads retval under any context.
func (c *Conflict) UsesRetval() bool { return c.m.usesRetval() }

// Counterpart returns the field of lacking that stands for field in the
// other contexts (same position and type, or the closest name), or "".
func (c *Conflict) Counterpart(field string, lacking *ProbeContext) string {
	return c.m.counterpart(field, lacking)
}

// FieldDiffers reports whether args field has more than one type, or is
// missing somewhere, across the probe's contexts.
func (c *Conflict) FieldDiffers(field string) bool { return len(c.m.statesOf(field)) > 1 }

// conflictFixes computes, once per probe, the fixes the configured
// Refactorer offers for its conflicts.
func (m *merger) conflictFixes() []Fix {
	if m.fixesDone {
		return m.fixes
	}
	m.fixesDone = true
	if r := m.pp.cfg.Refactorer; r != nil {
		m.fixes = r.Refactor(&Conflict{m})
	}
	return m.fixes
}

// IsProbeBuiltin reports whether the builtin name depends on the probe
// (retval, ctx, func, argN, …), so that code outside a probe cannot read it.
func IsProbeBuiltin(name string) bool {
	_, ok := probeBuiltins[builtinKey(name)]
	return ok
}

// ArgsOperatorSpan finds the "." or "->" before the args field name at
// field in src; arrow says which, ok is false when neither is there.
func ArgsOperatorSpan(src []byte, field syntax.Span) (op syntax.Span, arrow, ok bool) {
	return argsOperatorSpan(src, field)
}

// BodyMaps lists the maps (with '@') the text at span touches, skipping
// strings and comments, and whether it uses the anonymous map.
func BodyMaps(src []byte, span syntax.Span) (maps []string, anon bool) { return bodyMaps(src, span) }
