// Package btfindex answers questions about a kernel: functions and their
// prototypes, structs and unions with flattened members, typedefs,
// tracepoint formats, and which names match a prefix or a bpftrace wildcard.
//
// Its sources are the live kernel BTF (read lazily through cilium/ebpf),
// module BTF, a BTF file or kernel snapshot the user names, tracefs format
// files and available_filter_functions. Whole-kernel listings come from a
// compact on-disk index keyed by the SHA-256 of the BTF content.
package btfindex
