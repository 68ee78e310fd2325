// This file implements verification with the real bpftrace compiler: the
// didSave trigger, the runs behind it and behind the bpfls.verify command,
// and the installed bpftrace's version for targetVersion "auto".
//
// Consent. bpfls runs bpftrace only when the user asked for it:
//   - a compile-only run (verify.Check) needs verify.enabled; it then runs on
//     the bpfls.verify command, and also on every save with verify.onSave;
//   - for targetVersion "auto" (the default), `bpftrace --version` runs once
//     per binary: the bpftrace in PATH, or verify.path when verify.enabled
//     is set, and never through verify.prefix (verify.ResolveTarget);
//   - with verify.enabled, a verification run first asks its own binary
//     for its version through the prefix, to pick the compile-only flags.
//
// A run works on the document version it started from, off the read loop,
// on the server's connection context. A newer version or a close cancels
// it, and a result whose version is no longer current is dropped. Results
// are published beside bpfls's own diagnostics (publisher.setVerify). A run
// that could not say anything about the script (no binary, a password
// prompt, a timeout, no root) becomes one diagnostic on the first line and
// one window/showMessage, shown again only when the failure changes.

package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// maxVerifyTimeout bounds the verify.timeoutMs setting.
const maxVerifyTimeout = 10 * time.Minute

// verifier starts verification runs and remembers what they need across
// runs: the run in flight per document, the installed version, and the last
// failure shown to the user.
type verifier struct {
	s   *Server
	log *zap.Logger

	mu      sync.Mutex
	runs    map[uri.URI]*verifyRun // the run in flight per document
	shown   string                 // code of the failure last shown; "" after a success
	told    string                 // the installed and target versions last said to differ
	stopped bool
	wg      sync.WaitGroup // runs in flight; Add only under mu and before stopped

	detectMu sync.Mutex                // one detection at a time, so each binary is asked once
	detected map[string]syntax.Version // by versionKey
}

// verifyRun is one run in flight.
type verifyRun struct {
	cancel context.CancelFunc
}

func newVerifier(s *Server) *verifier {
	return &verifier{
		s: s, log: s.log.Named("verify"),
		runs: make(map[uri.URI]*verifyRun), detected: make(map[string]syntax.Version),
	}
}

// DidSave handles textDocument/didSave: with verify.enabled and
// verify.onSave, the saved document is verified. The client sends no text
// (includeText is false): the store already holds what was saved.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	vs := s.verifySettings()
	if !vs.Enabled || !vs.OnSave {
		return nil
	}
	d, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return fmt.Errorf("verifying %s on save: %w", params.TextDocument.URI, err)
	}
	s.verify.start(d, vs)
	return nil
}

// verifySettings returns the current verification settings.
func (s *Server) verifySettings() VerificationSettings {
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	vs := s.settings.Verification
	if k, err := headersTree(s.settings.KernelHeaders); err == nil {
		vs.env = k.Env()
	}
	return vs
}

// start verifies d in the background, cancelling an earlier run for the
// same document. It returns at once: notifications call it on the read loop.
func (v *verifier) start(d *Document, vs VerificationSettings) {
	ctx, cancel := context.WithCancel(v.s.ctx) // never the handler's ctx (go-lsp-notes §1)
	run := &verifyRun{cancel: cancel}
	v.mu.Lock()
	if v.stopped {
		v.mu.Unlock()
		cancel()
		return
	}
	if old := v.runs[d.URI]; old != nil {
		old.cancel()
	}
	v.runs[d.URI] = run
	v.wg.Add(1)
	v.mu.Unlock()

	v.cancelWhenStale(ctx, d, cancel)
	go func() {
		defer v.wg.Done()
		defer v.finish(d.URI, run)
		v.run(ctx, d, vs)
	}()
}

// cancelWhenStale cancels a run once d stops being the current version of
// its document (a didChange or a didClose). New settings replace the
// Document without changing its version or text; the run then carries on
// and watches the replacement.
func (v *verifier) cancelWhenStale(ctx context.Context, d *Document, cancel context.CancelFunc) {
	context.AfterFunc(d.ctx, func() {
		if ctx.Err() != nil || v.s.ctx.Err() != nil {
			return // the run is over, or the server is stopping and cancels it anyway
		}
		cur, err := v.s.store.get(d.URI)
		if err != nil || cur.Version != d.Version {
			v.log.Debug("cancelling a stale verification", zap.String("uri", string(d.URI)), zap.Int32("version", d.Version))
			cancel()
			return
		}
		v.cancelWhenStale(ctx, cur, cancel)
	})
}

// finish forgets a run that ended, unless a newer one took its place.
func (v *verifier) finish(u uri.URI, run *verifyRun) {
	run.cancel()
	v.mu.Lock()
	if v.runs[u] == run {
		delete(v.runs, u)
	}
	v.mu.Unlock()
}

// stop cancels every run and waits for them to end; Serve calls it once
// the connection is gone.
func (v *verifier) stop() {
	v.mu.Lock()
	v.stopped = true
	for _, run := range v.runs {
		run.cancel()
	}
	v.mu.Unlock()
	v.wg.Wait()
}

// run verifies d and publishes the result, unless d has moved on.
func (v *verifier) run(ctx context.Context, d *Document, vs VerificationSettings) {
	start := time.Now()
	log := v.log.With(zap.String("uri", string(d.URI)), zap.Int32("version", d.Version))
	opts := verifyOptions(vs)
	res, err := v.check(ctx, opts, d)
	if ctx.Err() != nil {
		log.Debug("verification cancelled", zap.Duration("took", time.Since(start)))
		return
	}
	var diags []analysis.Diagnostic
	var failure analysis.Diagnostic
	if err != nil {
		var ok bool
		if failure, ok = verify.FailureDiagnostic(err, syntax.NewLineTable(d.Text.Bytes())); !ok {
			return
		}
		diags = []analysis.Diagnostic{failure}
	} else {
		if target, ok := v.target(d); ok {
			v.tellMismatch(verify.ForTarget(ctx, res, target, d.Text.Bytes()), res.Version, target)
		}
		diags = res.Diagnostics
		for _, n := range res.Notes {
			log.Debug("bpftrace note", zap.String("note", n))
		}
	}
	if cur, gerr := v.s.store.get(d.URI); gerr != nil || cur.Version != d.Version {
		log.Debug("dropping a verification of a version that moved on")
		return
	}
	// The message goes out before the diagnostics, so a client that sees
	// them has seen it too.
	v.report(failure, err)
	if !v.s.diags.setVerify(d.URI, d.Version, diags) {
		log.Debug("dropping a verification of a version that moved on")
		return
	}
	log.Debug("verified", zap.Int("diagnostics", len(diags)), zap.Duration("took", time.Since(start)), zap.Error(err))
}

// check runs bpftrace on d's text, asking the binary for its version first
// (once per binary).
func (v *verifier) check(ctx context.Context, opts verify.Options, d *Document) (*verify.Result, error) {
	if !opts.Enabled { // the bpfls.verify command while verification is off
		return nil, &verify.RunError{Kind: verify.ErrDisabled, ExitCode: -1}
	}
	ver, err := v.installedVersion(ctx, opts)
	if err != nil {
		return nil, err
	}
	opts.Version = ver
	return verify.Check(ctx, opts, documentPath(d.URI), d.Text.Bytes())
}

// report shows a failure to the user once, until a run succeeds or the
// failure changes; err nil records a success.
func (v *verifier) report(failure analysis.Diagnostic, err error) {
	v.mu.Lock()
	repeated := v.shown == failure.Code
	v.shown = failure.Code // "" on success
	v.mu.Unlock()
	if err == nil || repeated {
		return
	}
	v.log.Warn("verification with bpftrace said nothing about the script", zap.Error(err))
	msg := "bpfls: " + failure.Message
	if failure.Code == verify.CodeDisabled {
		msg += "; set verify.enabled to let bpfls run bpftrace (compile only, nothing is attached)"
	}
	v.s.notify("window/showMessage", func(ctx context.Context) error {
		return v.s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg})
	})
}

// target is the version d is checked for, unless that is "auto": then it
// is the installed bpftrace's version by definition, though d may have been
// analysed before the detection finished.
func (v *verifier) target(d *Document) (syntax.Version, bool) {
	v.s.settingsMu.Lock()
	auto := v.s.settings.TargetVersion == verify.TargetAuto
	v.s.settingsMu.Unlock()
	return d.cfg.Dialect.Version, !auto
}

// tellMismatch shows note, which says the bpftrace that ran is not the
// target version, once for each pair of versions.
func (v *verifier) tellMismatch(note string, ran, target syntax.Version) {
	if note == "" {
		return
	}
	key := ran.String() + " " + target.String()
	v.mu.Lock()
	repeated := v.told == key
	v.told = key
	v.mu.Unlock()
	if repeated {
		return
	}
	v.log.Info("the installed bpftrace is not the target version", zap.String("note", note))
	v.s.notify("window/showMessage", func(ctx context.Context) error {
		return v.s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeInfo, Message: "bpfls: " + note})
	})
}

// installedVersion returns the version of the bpftrace opts name, asking it
// only the first time. Failures are not remembered: the user may install or
// fix bpftrace at any time.
func (v *verifier) installedVersion(ctx context.Context, opts verify.Options) (syntax.Version, error) {
	key := opts.Path + "\x00" + strings.Join(opts.Prefix, "\x00")
	v.detectMu.Lock()
	defer v.detectMu.Unlock()
	if ver, ok := v.detected[key]; ok {
		return ver, nil
	}
	ver, err := verify.DetectVersion(ctx, opts)
	if err != nil {
		return syntax.Version{}, err
	}
	v.log.Info("detected bpftrace", zap.String("path", opts.Path), zap.Strings("prefix", opts.Prefix), zap.Stringer("version", ver))
	v.detected[key] = ver
	return ver, nil
}

// detectInstalled answers targetVersion "auto" (Config.DetectVersion's
// default): `path --version` without any prefix, once per binary.
func (v *verifier) detectInstalled(ctx context.Context, path string) (syntax.Version, error) {
	return v.installedVersion(ctx, verify.Options{Enabled: true, Path: path})
}

// verifyOptions turns settings into options for package verify.
func verifyOptions(vs VerificationSettings) verify.Options {
	return verify.Options{
		Enabled: vs.Enabled, Path: vs.Path, Prefix: vs.Prefix,
		IncludeDirs: vs.IncludeDirs, Params: vs.Params, Env: vs.env,
		Timeout: time.Duration(vs.TimeoutMs) * time.Millisecond,
	}
}

// documentPath is where bpftrace should believe the document lives: its
// file, or for an unsaved buffer a name in the temporary directory.
func documentPath(u uri.URI) string {
	if u.IsFile() {
		return u.FsPath()
	}
	return filepath.Join(os.TempDir(), "bpfls-buffer.bt")
}

// mergeVerification checks verification settings, keeping a bad timeout at
// its default, and appends what it found to problems.
func mergeVerification(vs VerificationSettings, problems []string) (VerificationSettings, []string) {
	if vs.TimeoutMs < 0 || int64(vs.TimeoutMs) > maxVerifyTimeout.Milliseconds() {
		problems = append(problems, fmt.Sprintf("verify.timeoutMs: %d ms is outside 0 to %d ms", vs.TimeoutMs, maxVerifyTimeout.Milliseconds()))
		vs.TimeoutMs = 0
	}
	if vs.OnSave && !vs.Enabled {
		problems = append(problems, "verify.onSave does nothing while verify.enabled is false; bpftrace is not run")
	}
	return vs, problems
}
