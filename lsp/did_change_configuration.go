package lsp

import (
	"context"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// DidChangeConfiguration handles workspace/didChangeConfiguration. Settings
// that change the analysis re-analyse every open document.
func (s *Server) DidChangeConfiguration(ctx context.Context, params *protocol.DidChangeConfigurationParams) error {
	if len(params.Settings) == 0 || string(params.Settings) == "null" {
		return nil // a client that pulls configuration sends null here
	}
	settings, problems := ParseSettings(params.Settings)
	s.reportSettingsProblems(problems)
	s.applySettings(settings)
	return nil
}

// reportSettingsProblems logs bad settings and shows them to the user.
func (s *Server) reportSettingsProblems(problems []string) {
	if len(problems) == 0 {
		return
	}
	msg := "bpfls settings: " + strings.Join(problems, "; ")
	s.log.Warn("bad settings", zap.Strings("problems", problems))
	s.notify("window/showMessage", func(ctx context.Context) error {
		return s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg})
	})
}

// applySettings makes settings current. What needs no process or file runs
// here; detecting the bpftrace version and opening kernel BTF run in the
// background, and whichever settings came last win.
func (s *Server) applySettings(settings Settings) {
	if s.cfg.LogLevel != nil && settings.LogLevel != "" {
		if lvl, err := zapcore.ParseLevel(settings.LogLevel); err == nil {
			s.cfg.LogLevel.SetLevel(lvl)
		}
	}
	s.diags.setDelay(settings.delay())

	s.settingsMu.Lock()
	old := s.settings
	s.settings = settings
	s.settingsGen++
	gen := s.settingsGen
	kernelChanged := old.KernelBTF != settings.KernelBTF || old.KernelSnapshot != settings.KernelSnapshot || !s.kernelOpened
	if kernelChanged {
		s.kernelGen++
	}
	kgen := s.kernelGen
	s.settingsMu.Unlock()

	if settings.TargetVersion != verify.TargetAuto && (!kernelChanged || s.cfg.OpenKernel == nil) {
		// Nothing to run or open: apply at once, so the first analysis
		// already targets the right version.
		t := s.resolveTarget(settings)
		s.reconfigure(gen, kgen, settings, t, kernelChanged, nil, "")
		return
	}
	s.settingsWork.Add(1)
	go func() {
		defer s.settingsWork.Done()
		defer func() {
			if r := recover(); r != nil {
				logPanic(s.log, "applying settings", r)
			}
		}()
		t := s.resolveTarget(settings)
		var k analysis.Kernel
		var failure string
		if kernelChanged {
			k, failure = s.openKernelAt(kgen, settings)
		}
		s.reconfigure(gen, kgen, settings, t, kernelChanged, k, failure)
	}()
}

// reconfigure installs a new analysis configuration, unless newer settings
// arrived meanwhile, re-analyses open documents if it changed anything, and
// tells the client what is now targeted. The kernel knowledge k (opened
// for kernel generation kgen) is installed unless newer settings name
// other kernel knowledge; the kernel it replaces, or k itself when it
// comes too late, is closed, which stops its background work.
func (s *Server) reconfigure(gen, kgen uint64, settings Settings, t verify.Target, kernelChanged bool, k analysis.Kernel, failure string) {
	var unused analysis.Kernel
	defer func() { closeKernel(unused) }() // after the lock: Close waits for background work
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	current, install := gen == s.settingsGen, kernelChanged && kgen == s.kernelGen
	if kernelChanged && !install {
		unused = k
	}
	if !current && !install {
		return
	}
	cfg := s.store.config()
	if install {
		unused, cfg.Kernel, s.kernelOpened = cfg.Kernel, k, true
		s.kernel = kernelStatus(settings, k != nil, failure)
	}
	if !current { // newer settings decide the target; only the kernel is ours
		t = s.target
	}
	if s.target != t {
		s.target = t
		s.logTarget(t)
	}
	// The status goes out once the configuration is in place, so a client
	// that opens a document after reading it gets that target's diagnostics.
	defer s.setStatus(Status{Target: targetStatus(t), Kernel: s.kernel})
	inc := s.settings.Verification.IncludeDirs // the newest settings, as for the target
	headers, err := headersTree(s.settings.KernelHeaders)
	if err != nil { // the directory went away since the settings came
		s.log.Warn("kernelHeaders", zap.Error(err))
	}
	if cfg.Dialect.Version == t.Version && !install && slices.Equal(cfg.IncludeDirs, inc) && cfg.KernelHeaders == headers {
		return
	}
	cfg.Dialect.Version, cfg.IncludeDirs, cfg.KernelHeaders = t.Version, slices.Clone(inc), headers
	s.log.Info("analysis configured", zap.Stringer("target", t.Version), zap.Bool("kernel", cfg.Kernel != nil))
	for _, d := range s.store.reconfigure(cfg) {
		s.diags.schedule(d)
	}
}

// resolveTarget applies the target-version policy (verify.ResolveTarget)
// to settings. auto asks the bpftrace in PATH, or verify.path when
// verification is on; never through verify.prefix, which only a
// verification run uses.
func (s *Server) resolveTarget(settings Settings) verify.Target {
	binary := ""
	if settings.Verification.Enabled {
		binary = settings.Verification.Path
	}
	t, err := verify.ResolveTarget(s.ctx, settings.TargetVersion, binary, s.cfg.DetectVersion)
	if err != nil {
		// ParseSettings rejected a bad version, and a cancelled context
		// means the connection is closing: the newest will do.
		return verify.Target{Version: syntax.Newest, Setting: settings.TargetVersion, Source: verify.TargetFromFallback,
			Reason: "the newest, " + syntax.Newest.String()}
	}
	if t.Source == verify.TargetFromFallback {
		s.log.Warn("no usable bpftrace for targetVersion auto", zap.String("reason", t.Reason))
	}
	return t
}

// openKernelAt opens kernel knowledge for settings, one open at a time,
// unless newer settings have superseded kernel generation kgen meanwhile:
// a burst of changes then opens only the last, not every one in turn.
func (s *Server) openKernelAt(kgen uint64, settings Settings) (analysis.Kernel, string) {
	s.openMu.Lock()
	defer s.openMu.Unlock()
	s.settingsMu.Lock()
	superseded := kgen != s.kernelGen
	s.settingsMu.Unlock()
	if superseded {
		return nil, ""
	}
	return s.openKernel(settings)
}

// closeKernel stops the background work of kernel knowledge no longer in
// use. Snapshots analysed with it may still ask it single lookups.
func closeKernel(k analysis.Kernel) {
	if c, ok := k.(interface{ Close() }); ok {
		c.Close()
	}
}

// openKernel opens kernel knowledge for settings; nil means none, and
// failure then says why.
func (s *Server) openKernel(settings Settings) (k analysis.Kernel, failure string) {
	if s.cfg.OpenKernel == nil {
		return nil, ""
	}
	k, err := s.cfg.OpenKernel(s.ctx, settings)
	if err != nil {
		s.log.Warn("opening kernel knowledge; kernel checks are off", zap.Error(err))
		if settings.KernelBTF != "" || settings.KernelSnapshot != "" {
			// Only a file the user named is worth a message; a machine
			// without BTF is normal and only logged.
			s.reportSettingsProblems([]string{"kernel: " + err.Error()})
		}
		return nil, err.Error()
	}
	return k, ""
}
