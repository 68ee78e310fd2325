package fix

import (
	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Refactorings implements [analysis.Refactorer]. The zero value is ready
// to use: set analysis.Config.Refactorer to Refactorings{}.
type Refactorings struct{}

var _ analysis.Refactorer = Refactorings{}

// Refactor returns the fixes for c, best first: the split sharing a macro,
// a #define or a fn where the target allows one, then the plain split.
// None are offered when the probe cannot be split into probes that each
// check clean.
func (Refactorings) Refactor(c *analysis.Conflict) []analysis.Fix {
	m := &conflict{c: c, p: c.Probe(), src: c.Src(), items: c.Items(), dialect: c.Dialect(), uses: c.ArgUses()}
	plan, ok := m.splitPlan()
	if !ok || !m.planRenames(plan) {
		return nil
	}
	var fixes []analysis.Fix
	if mf, ok := m.macroFix(plan); ok {
		fixes = append(fixes, mf)
	}
	if df, ok := m.defineFix(plan); ok {
		fixes = append(fixes, df)
	}
	if ff, ok := m.fnFix(plan); ok {
		fixes = append(fixes, ff)
	}
	return append(fixes, m.splitFix(plan))
}

// conflict is what the fixes of one probe read.
type conflict struct {
	c       *analysis.Conflict
	p       *syntax.Probe
	src     []byte
	items   []syntax.Item
	dialect syntax.Dialect
	uses    []analysis.ArgUse
}

// quote spells s in double quotes for a fix title.
func quote(s string) string { return `"` + s + `"` }
