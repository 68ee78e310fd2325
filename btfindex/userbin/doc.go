// Package userbin answers questions about user-space binaries for uprobe,
// uretprobe and usdt attach points: where a binary named in a script lives,
// which functions and USDT probes it has, and the C prototypes and structs
// its DWARF debug information describes.
//
// # Resolution
//
// [Resolver.Resolve] finds a binary the way bpftrace does: a name with a
// slash is a path; a bare name is an executable on PATH, else a library
// whose ld.so.cache entry (or file in a standard library directory) starts
// with NAME.so, so "libc" finds libc.so.6.
//
// # Reading
//
// [Read] reads one file: ELF symbols (.symtab and .dynsym, with GNU symbol
// versions and C++ names demangled), the build-id, .gnu_debuglink, and
// .note.stapsdt USDT probes. [Binary.LoadDebug] then finds DWARF in the
// binary itself, in the file its .gnu_debuglink names, or under
// /usr/lib/debug/.build-id, and indexes its functions; prototypes and
// structs are decoded on first use. Every read is bounded: only regular
// files are opened, and sections larger than the limits in [Limits] are
// refused, so a hostile file cannot make bpfls allocate without bound.
//
// # Cache
//
// [Cache] keeps one entry per binary, keyed by path, size, modification time
// and build-id. Its lookups never read a file on the caller's goroutine:
// the symbols are read in the background, then the debug information, and
// [Options.OnUpdate] tells the caller when either becomes available.
// Snapshots of a kernel never contain user binaries; they are always read
// from the machine bpfls runs on.
package userbin
