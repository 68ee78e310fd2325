// Package btfindex answers questions about a kernel: functions and their
// prototypes, structs and unions with flattened members, typedefs,
// tracepoint formats, kernel symbols (what kprobes attach to), and which
// names match a prefix or a bpftrace wildcard.
//
// # Sources
//
// [Open] combines, each where present: the running kernel's BTF
// (/sys/kernel/btf/vmlinux) or a BTF file the user names (raw or ELF
// vmlinux); module split BTF (every other file in /sys/kernel/btf, or
// [Options.ModulesDir]); tracefs format files (events/*/*/format under
// /sys/kernel/tracing or /sys/kernel/debug/tracing); and
// available_filter_functions; for the running kernel, its function symbols
// (available_filter_functions where readable, else /proc/kallsyms, see
// [Index.Symbols]). Anything missing degrades to a warning in
// [Index.Stats], never an error, except having no BTF at all ([ErrNoBTF]).
// [OpenSnapshot] opens a kernel snapshot written by [Index.Export] instead,
// which needs none of these; [OpenKernel] takes either a snapshot or a BTF
// file, as `--kernel FILE` does.
//
// # Single lookups
//
// [Index.Func], [Index.Record], [Index.Typedef] and [Index.Tracepoint] read
// the BTF lazily through cilium/ebpf (the kernel spec is decoded on first
// use, about 12 ms; a lookup then costs microseconds) and tracefs one file
// at a time. They never walk the whole kernel and never wait for the
// on-disk index.
//
// # Listings and the on-disk index
//
// Whole-kernel questions ([Index.Match], [Index.Complete], counts) need every
// name. [Open] starts a background job bound to its context: it hashes the
// BTF (SHA-256 of vmlinux and each module file), loads
// <CacheDir>/<hash>.idx, or, when that file is missing, truncated, corrupt
// (CRC-32C), of another schema version or built from other BTF, walks the
// raw BTF type by type (about 0.5 s for a kernel; cilium/ebpf's decoded
// types would hold 31 MiB), streams a new file atomically (temporary file
// and rename) and serves it mapped. The format is our own (see table.go):
// interned strings and types, uvarint entries, decoded only when asked for.
//
// Until that job is done, listings are answered from a scan of the raw BTF
// that reads only type names (about 15 ms, done once on first use), so
// answers are the same before and after, only slower. Tracepoint listings
// always come from tracefs (or the snapshot). [Index.WaitReady] waits for
// the job; [Index.Close] stops it.
//
// All methods are safe for concurrent use, and returned values are shared:
// callers must not modify them.
package btfindex
