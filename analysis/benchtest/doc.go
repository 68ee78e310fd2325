// Package benchtest holds what the benchmarks and size tests of every
// bpfls package share: the CPU clock they report, the live heap they
// measure and the documents they open. It is for tests and benchmarks
// only; no other code imports it (TestOnlyTestsImport checks that).
//
// It lives outside analysis/internal so that lsp, btfindex and cmd/bpfls
// can import it too.
package benchtest
