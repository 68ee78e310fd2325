package verify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// FuzzParseOutput feeds arbitrary scripts and outputs to the parser: it must
// never panic, and every span must lie inside the script.
func FuzzParseOutput(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtureRoot, "*", "*.txtar"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err == nil {
			f.Add([]byte("BEGIN { foo(); }\n\tx\n"), data)
		}
	}
	f.Add([]byte("#include <a.h>\nstruct s {\n int a\n};\n"), []byte("definitions.h:3:7: error: x\ndefinitions.h:99999999999:1: error: y\n"))
	f.Add([]byte(""), []byte("script.bt:0:0-0: ERROR: zero\nscript.bt:5-2: WARNING: backwards\n"))
	f.Fuzz(func(t *testing.T, src, out []byte) {
		res := ParseOutput(Document{Names: []string{"script.bt"}, Src: src}, out)
		check := func(s syntax.Span) {
			if s.Start < 0 || s.End < s.Start || int(s.End) > len(src) {
				t.Fatalf("span %v outside a %d-byte script", s, len(src))
			}
		}
		for _, d := range res.Diagnostics {
			check(d.Span)
			for _, r := range d.Related {
				check(r.Span)
			}
		}
	})
}
