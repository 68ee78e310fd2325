package main

// This file implements the kernels `bpfls check` checks against (the running
// kernel, or one or more snapshots and BTF files for a CI matrix) and its
// --verify mode.

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/fix"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"go.uber.org/zap"
)

// namedKernel is one kernel with the name diagnostics are tagged with when
// several are checked.
type namedKernel struct {
	name  string
	index *btfindex.Index
}

// kernelSet is every kernel one check run targets; empty means none.
type kernelSet struct {
	kernels  []namedKernel
	warnings []string
	// users holds the user-space binaries uprobe and usdt probes name,
	// always read from this machine (snapshots are kernel-only).
	users       *userbin.Cache
	user        analysis.UserBinaries
	includeDirs []string // -I
	headers     cdecl.KernelHeaders
}

// openKernels opens each --kernel file (a snapshot or a BTF file), or the
// running kernel when none is named. A missing running kernel is a warning,
// not an error: the check goes on without kernel facts.
func openKernels(ctx context.Context, opts checkOptions) (*kernelSet, error) {
	ks := &kernelSet{users: userbin.NewCache(ctx, zap.NewNop(), userbin.Options{})}
	ks.user = userbin.Waiting{Cache: ks.users, Ctx: ctx}
	ks.includeDirs, ks.headers = opts.includes, opts.headers
	if opts.noKernel {
		return ks, nil
	}
	if len(opts.kernels) == 0 {
		ix, err := btfindex.Open(ctx, btfindex.Options{})
		if err != nil {
			ks.warnings = append(ks.warnings, fmt.Sprintf("no kernel facts, checking syntax and names only: %v", err))
			return ks, nil
		}
		// With an index on disk, every lookup comes from it; waiting the few
		// milliseconds to read it spares loading the kernel's BTF spec.
		if err := ix.WaitLoaded(ctx); err != nil {
			ix.Close()
			return nil, err
		}
		ks.kernels = append(ks.kernels, namedKernel{name: "running kernel", index: ix})
		return ks, nil
	}
	for _, path := range opts.kernels {
		ix, err := btfindex.OpenKernel(ctx, path, btfindex.Options{CacheDir: "-"})
		if err != nil {
			ks.close()
			return nil, fmt.Errorf("--kernel %s: %w", path, err)
		}
		ks.kernels = append(ks.kernels, namedKernel{name: filepath.Base(path), index: ix})
	}
	return ks, nil
}

func (ks *kernelSet) close() {
	for _, k := range ks.kernels {
		k.index.Close()
	}
	ks.users.Close()
}

// analyze checks f once per kernel. A diagnostic every kernel reports is
// printed once; one only some kernels report names them, so a CI matrix shows
// which production kernels a script breaks on.
func (ks *kernelSet) analyze(ctx context.Context, f *syntax.File, d syntax.Dialect) []analysis.Diagnostic {
	if len(ks.kernels) == 0 {
		return analysis.Analyze(ctx, f, analysis.Config{Dialect: d, User: ks.user, Refactorer: fix.Refactorings{}, IncludeDirs: ks.includeDirs, KernelHeaders: ks.headers}).Diagnostics
	}
	if len(ks.kernels) == 1 {
		return analysis.Analyze(ctx, f, analysis.Config{Dialect: d, Kernel: ks.kernels[0].index, User: ks.user, Refactorer: fix.Refactorings{}, IncludeDirs: ks.includeDirs, KernelHeaders: ks.headers}).Diagnostics
	}
	type key struct {
		span      syntax.Span
		code, msg string
		severity  analysis.Severity
	}
	seen := map[key][]string{}
	var order []analysis.Diagnostic
	for _, k := range ks.kernels {
		for _, diag := range analysis.Analyze(ctx, f, analysis.Config{Dialect: d, Kernel: k.index, User: ks.user, Refactorer: fix.Refactorings{}, IncludeDirs: ks.includeDirs, KernelHeaders: ks.headers}).Diagnostics {
			kk := key{diag.Span, diag.Code, diag.Message, diag.Severity}
			if _, ok := seen[kk]; !ok {
				order = append(order, diag)
			}
			seen[kk] = append(seen[kk], k.name)
		}
	}
	var out []analysis.Diagnostic
	for _, diag := range order {
		names := seen[key{diag.Span, diag.Code, diag.Message, diag.Severity}]
		if len(names) < len(ks.kernels) {
			diag.Message = fmt.Sprintf("%s (on %s)", diag.Message, strings.Join(names, ", "))
		}
		out = append(out, diag)
	}
	return out
}

// verifyFile compiles the script with the real bpftrace and adds its
// diagnostics, plus one "verify/disagreement" note per line where bpfls and
// bpftrace disagree. A bpftrace that cannot run is one clear diagnostic, and
// makes verifyFile return false: verification was asked for and did not happen.
// When that bpftrace is not the target version, note says so, and its
// complaints about constructs it is too old for are left out
// (verify.ForTarget).
func verifyFile(ctx context.Context, cf *checkedFile, opts checkOptions, target syntax.Version, stderr io.Writer) (ok bool, note string) {
	vopts := verify.Options{Enabled: true, Path: opts.bpftrace, IncludeDirs: opts.includes, Env: opts.headers.Env()}
	res, err := verify.Check(ctx, vopts, cf.path, cf.src)
	if err != nil {
		if d, ok := verify.FailureDiagnostic(err, cf.lines); ok {
			cf.diags = append(cf.diags, d)
		} else {
			fmt.Fprintf(stderr, "bpfls check: verifying %s: %v\n", cf.path, err)
		}
		return false, ""
	}
	note = verify.ForTarget(ctx, res, target, cf.src)
	for _, dis := range verify.Compare(cf.diags, res.Diagnostics, cf.lines, res.Hidden...) {
		start, _ := cf.lines.LineStart(dis.Line)
		end, _ := cf.lines.Offset(dis.Line, 1<<30)
		cf.diags = append(cf.diags, analysis.Diagnostic{
			Span: syntax.Span{Start: start, End: end}, Severity: analysis.SeverityInfo,
			Code: "verify/disagreement", Message: dis.String(), Source: analysis.SourceBpfls,
		})
	}
	cf.diags = append(cf.diags, res.Diagnostics...)
	analysis.SortDiagnostics(cf.diags)
	return true, note
}
