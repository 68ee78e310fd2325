package analysis

import (
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// fileEnv holds the file-level facts every probe body is checked against:
// maps, macros, functions, config. TODO: placeholder until the name and type
// checks land.
type fileEnv struct {
	cfg   Config
	diags []Diagnostic // file-level problems (maps used inconsistently, …)
}

func newFileEnv(ctx context.Context, f *syntax.File, cfg Config) *fileEnv {
	return &fileEnv{cfg: cfg}
}

// checkBody checks the predicate and body of probe p for one instance.
func (e *fileEnv) checkBody(p syntax.Node, pc *ProbeContext) BodyResult {
	return BodyResult{}
}
