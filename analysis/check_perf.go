package analysis

// This file implements the checks of the perf-event providers: profile,
// interval, software and hardware.

import (
	"strconv"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// timeUnits are the units profile and interval accept as a first part.
var timeUnits = []string{"hz", "s", "ms", "us"}

// checkProfile handles profile:UNIT:N and, from 0.24, profile:N[unit].
func checkProfile(c *apCheck) []*ProbeContext { return checkTimed(c) }

// checkInterval handles interval:UNIT:N and, from 0.24, interval:N[unit].
func checkInterval(c *apCheck) []*ProbeContext { return checkTimed(c) }

func checkTimed(c *apCheck) []*ProbeContext {
	lo := 2
	form := c.spell + ":hz|s|ms|us:count"
	if c.version().AtLeast(syntax.V0_24) {
		lo, form = 1, c.spell+":hz|s|ms|us:count or "+c.spell+":duration"
	}
	if !c.wantParts(lo, 2, form) {
		return c.unknownCtx(false, nil)
	}
	if len(c.ap.Parts) == 1 {
		checkDuration(c, c.ap.Parts[0])
		return c.unknownCtx(false, nil)
	}
	unit, count := c.ap.Parts[0], c.ap.Parts[1]
	if !unit.hasParam() && !contains(timeUnits, unit.Text) {
		d := c.r.Errorf(unit.Span, CodeAttachSyntax, "%q is not a unit of time (hz, s, ms or us)", unit.Text)
		addSuggestion(d, unit.Span, unit.Text, timeUnits)
	}
	if !count.hasParam() {
		if _, ok := parseCount(count.Text); !ok {
			c.r.Errorf(count.Span, CodeAttachSyntax, "%q is not a count", count.Text)
		}
	}
	return c.unknownCtx(false, nil)
}

// checkDuration checks the single-part form: nanoseconds, or a number with
// a duration suffix (1s, 100ms), at least 1us.
func checkDuration(c *apCheck, p apPart) {
	if p.hasParam() {
		return
	}
	num := strings.TrimRight(p.Text, "abcdefghijklmnopqrstuvwxyz")
	suffix := p.Text[len(num):]
	scale := map[string]uint64{"": 1, "ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9}
	n, ok := parseUint(num)
	mul, okSuffix := scale[suffix]
	if !ok || !okSuffix {
		c.r.Errorf(p.Span, CodeAttachSyntax, "%q is not a duration (for example 1s, 100ms or nanoseconds)", p.Text)
		return
	}
	if n*mul < 1000 {
		c.r.Errorf(p.Span, CodeAttachSyntax, "%s period %q is below the minimum of 1us", c.spell, p.Text)
	}
}

// softwareEvents and hardwareEvents are the perf events bpftrace knows,
// with their short aliases.
var (
	softwareEvents = []string{"cpu-clock", "cpu", "task-clock", "page-faults", "faults", "context-switches", "cs",
		"cpu-migrations", "minor-faults", "major-faults", "alignment-faults", "emulation-faults", "dummy", "bpf-output"}
	hardwareEvents = []string{"cpu-cycles", "cycles", "instructions", "cache-references", "cache-misses",
		"branch-instructions", "branches", "branch-misses", "bus-cycles", "frontend-stalls", "backend-stalls", "ref-cycles"}
)

// checkSoftware handles software:EVENT[:count].
func checkSoftware(c *apCheck) []*ProbeContext { return checkPerfEvent(c, softwareEvents) }

// checkHardware handles hardware:EVENT[:count].
func checkHardware(c *apCheck) []*ProbeContext { return checkPerfEvent(c, hardwareEvents) }

func checkPerfEvent(c *apCheck, events []string) []*ProbeContext {
	if !c.wantParts(1, 2, c.spell+":event[:count]") {
		return c.unknownCtx(false, nil)
	}
	ev := c.ap.Parts[0]
	if c.noWildcard(ev, "event") && !ev.hasParam() && !contains(events, ev.Text) {
		d := c.r.Errorf(ev.Span, CodeUnknownEvent, "%q is not a %s event", ev.Text, c.prov.name)
		addSuggestion(d, ev.Span, ev.Text, events)
	}
	if len(c.ap.Parts) == 2 && !c.ap.Parts[1].hasParam() {
		if _, ok := parseCount(c.ap.Parts[1].Text); !ok {
			c.r.Errorf(c.ap.Parts[1].Span, CodeAttachSyntax, "%q is not a count", c.ap.Parts[1].Text)
		}
	}
	return c.unknownCtx(false, nil)
}

// parseCount reads a count as bpftrace's attach-point parser does: a
// number with optional _ separators, or scientific notation with a
// one-digit coefficient and an exponent up to 16 (1e6).
func parseCount(s string) (uint64, bool) {
	s = strings.ReplaceAll(s, "_", "")
	coeff, exp, sci := strings.Cut(strings.ToLower(s), "e")
	if !sci || strings.HasPrefix(strings.ToLower(s), "0x") {
		return parseUint(s)
	}
	n, err1 := strconv.ParseUint(coeff, 10, 64)
	e, err2 := strconv.ParseUint(exp, 10, 64)
	if err1 != nil || err2 != nil || n > 9 || e > 16 {
		return 0, false
	}
	for range e {
		n *= 10
	}
	return n, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
