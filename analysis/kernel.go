package analysis

import "github.com/bpfls/bpfls/btfindex"

// Kernel is what the analysis asks of kernel knowledge; *btfindex.Index
// implements it, and tests may use small fakes.
type Kernel interface {
	Func(name string) (*btfindex.Func, bool)
	Record(name string) (*btfindex.Record, bool)
}
