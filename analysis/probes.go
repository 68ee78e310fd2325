package analysis

import (
	"context"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// checkProbes expands every probe into instances, checks each distinct
// context, and merges. TODO: placeholder until the per-attach-point analysis lands.
func checkProbes(ctx context.Context, env *fileEnv, f *syntax.File, cfg Config) []Diagnostic {
	return nil
}
