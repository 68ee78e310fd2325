package analysis

import (
	"github.com/bpfls/bpfls/btfindex"
)

// The real index must satisfy Kernel; asserted here, in a test file, so
// that the production package keeps depending on btfindex's types only.
var _ Kernel = (*btfindex.Index)(nil)
