// Package verify runs the real bpftrace compiler on a script, without ever
// attaching a probe, and turns what it prints into analysis diagnostics with
// Source "bpftrace".
//
// Nothing here runs unless the caller sets [Options.Enabled]. [Check] writes
// the editor's buffer to a hidden temporary file next to the original (so
// relative #include lines resolve as they would for the saved file), runs the
// compile-only mode of the installed bpftrace version (--test=codegen up to
// 0.24, --mode codegen from 0.25) through exec without a shell, and maps the
// temporary name in the output back to the document. [ParseOutput] is the
// output parser on its own; [DetectVersion] reads `bpftrace --version` for an
// "auto" target version. Failures to run at all (no binary, a password prompt,
// a timeout, a refusal to run without root, a crash) come back as a
// [*RunError] that callers branch on with errors.Is against [ErrNotFound],
// [ErrPasswordRequired], [ErrTimeout], [ErrNotRoot], [ErrLockdown] and
// [ErrCrashed]; [FailureDiagnostic] turns one into a single diagnostic.
// [Compare] lines bpfls's own diagnostics up against bpftrace's, by line, for
// `bpfls check --verify`.
package verify
