package lsp

import (
	"context"
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
	s.settingsMu.Unlock()

	if settings.TargetVersion != verify.TargetAuto && (!kernelChanged || s.cfg.OpenKernel == nil) {
		// Nothing to run or open: apply at once, so the first analysis
		// already targets the right version.
		t := s.resolveTarget(settings)
		s.reconfigure(gen, settings, t, kernelChanged, nil, "")
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logPanic(s.log, "applying settings", r)
			}
		}()
		t := s.resolveTarget(settings)
		var k analysis.Kernel
		var failure string
		if kernelChanged {
			k, failure = s.openKernel(settings)
		}
		s.reconfigure(gen, settings, t, kernelChanged, k, failure)
	}()
}

// reconfigure installs a new analysis configuration, unless newer settings
// arrived meanwhile, re-analyses open documents if it changed anything, and
// tells the client what is now targeted.
func (s *Server) reconfigure(gen uint64, settings Settings, t verify.Target, kernelChanged bool, k analysis.Kernel, failure string) {
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	if gen != s.settingsGen {
		return
	}
	cfg := s.store.config()
	if kernelChanged {
		cfg.Kernel, s.kernelOpened = k, true
		s.kernel = kernelStatus(settings, k != nil, failure)
	}
	s.setStatus(Status{Target: targetStatus(t), Kernel: s.kernel})
	if s.target != t {
		s.target = t
		s.logTarget(t)
	}
	if cfg.Dialect.Version == t.Version && !kernelChanged {
		return
	}
	cfg.Dialect.Version = t.Version
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
