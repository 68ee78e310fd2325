package analysis

import "github.com/bpfls/bpfls/btfindex"

// Kernel is what the analysis asks of kernel knowledge; *btfindex.Index
// implements it (asserted in kernel_test.go, which may import btfindex's
// constructors without an import cycle), and tests use small fakes.
type Kernel interface {
	// Func returns a kernel function's prototype and traceability.
	Func(name string) (*btfindex.Func, bool)
	// Record returns a struct or union by name.
	Record(name string) (*btfindex.Record, bool)
	// Typedef resolves a typedef name.
	Typedef(name string) (btfindex.Type, bool)
	// Tracepoint returns category:event with its format.
	Tracepoint(cat, event string) (*btfindex.Tracepoint, bool)
	// Match lists the names of one namespace matching a bpftrace wildcard
	// pattern ('*' and '[…]' sets), sorted.
	Match(kind btfindex.NameKind, pattern string) []string
	// Complete lists up to limit names of one namespace starting with
	// prefix, sorted (limit <= 0: all).
	Complete(kind btfindex.NameKind, prefix string, limit int) []string
}
