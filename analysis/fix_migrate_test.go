package analysis

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestMigrationFix applies the whole-file migration and re-checks: every
// version problem with one fix is gone, and nothing new appears.
func TestMigrationFix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version syntax.Version
		src     string
		want    string // the migrated text
	}{
		{"old names under 0.26", syntax.V0_26,
			"kfunc:vfs_read { @r = count(); }\nkretfunc:vfs_write { @w = count(); }\n",
			"fentry:vfs_read { @r = count(); }\nfexit:vfs_write { @w = count(); }\n"},
		{"new names under 0.17", syntax.V0_17,
			"fentry:vfs_read { @r = count(); }\nfexit:vfs_write { @w = count(); }\n",
			"kfunc:vfs_read { @r = count(); }\nkretfunc:vfs_write { @w = count(); }\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := syntax.Dialect{Version: tc.version}
			snap := Analyze(context.Background(), syntax.Parse("m.bt", []byte(tc.src), d), Config{Dialect: d})
			fix, ok := MigrationFix(snap)
			if !ok {
				t.Fatalf("no migration for:\n%s\ndiagnostics: %+v", tc.src, snap.Diagnostics)
			}
			if fix.Kind != "source.fixAll" || !strings.Contains(fix.Title, tc.version.String()) {
				t.Errorf("fix %q of kind %q, want source.fixAll naming %s", fix.Title, fix.Kind, tc.version)
			}
			out, err := applyEdits([]byte(tc.src), fix.Edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("migrated to:\n%s\nwant:\n%s", out, tc.want)
			}
			after := Analyze(context.Background(), syntax.Parse("m.bt", out, d), Config{Dialect: d})
			if _, again := MigrationFix(after); again {
				t.Errorf("the migrated file still has something to migrate: %+v", after.Diagnostics)
			}
			for _, dg := range after.Diagnostics {
				if dg.Severity <= SeverityWarning {
					t.Errorf("after migration: %s %s", dg.Code, dg.Message)
				}
			}
		})
	}
	d := syntax.Dialect{Version: syntax.V0_26}
	clean := Analyze(context.Background(), syntax.Parse("c.bt", []byte("BEGIN { @n = 1; }\n"), d), Config{Dialect: d})
	if fix, ok := MigrationFix(clean); ok {
		t.Errorf("a clean file gets a migration: %+v", fix)
	}
}

// applyEdits applies non-overlapping edits to src.
func applyEdits(src []byte, edits []Edit) ([]byte, error) {
	edits = append([]Edit(nil), edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Span.Start < edits[j].Span.Start })
	var out []byte
	at := syntax.Pos(0)
	for _, e := range edits {
		if e.Span.Start < at || e.Span.End > syntax.Pos(len(src)) || e.Span.End < e.Span.Start {
			return nil, fmt.Errorf("edit %v overlaps or is out of range", e.Span)
		}
		out = append(append(out, src[at:e.Span.Start]...), e.NewText...)
		at = e.Span.End
	}
	return append(out, src[at:]...), nil
}
