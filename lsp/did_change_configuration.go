package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
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

	v, known := settings.targetVersion()
	if known && (!kernelChanged || s.cfg.OpenKernel == nil) {
		s.reconfigure(gen, v, kernelChanged, nil)
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logPanic(s.log, "applying settings", r)
			}
		}()
		if !known {
			v = s.detectVersion(settings)
		}
		var k analysis.Kernel
		if kernelChanged {
			k = s.openKernel(settings)
		}
		s.reconfigure(gen, v, kernelChanged, k)
	}()
}

// reconfigure installs a new analysis configuration, unless newer settings
// arrived meanwhile, and re-analyses open documents if it changed anything.
func (s *Server) reconfigure(gen uint64, v syntax.Version, kernelChanged bool, k analysis.Kernel) {
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	if gen != s.settingsGen {
		return
	}
	cfg := s.store.config()
	if kernelChanged {
		cfg.Kernel, s.kernelOpened = k, true
	}
	if cfg.Dialect.Version == v && !kernelChanged {
		return
	}
	cfg.Dialect.Version = v
	s.log.Info("analysis configured", zap.Stringer("target", v), zap.Bool("kernel", cfg.Kernel != nil))
	for _, d := range s.store.reconfigure(cfg) {
		s.diags.schedule(d)
	}
}

// detectVersion answers targetVersion "auto".
func (s *Server) detectVersion(settings Settings) syntax.Version {
	if s.cfg.DetectVersion == nil {
		return syntax.Newest
	}
	v, err := s.cfg.DetectVersion(s.ctx, settings)
	switch {
	case err != nil:
		s.log.Warn("detecting the bpftrace version; targeting the newest", zap.Error(err))
		return syntax.Newest
	case !v.AtLeast(syntax.Oldest):
		s.log.Warn("installed bpftrace is older than bpfls knows", zap.Stringer("version", v))
		return syntax.Oldest
	case !syntax.Newest.AtLeast(v):
		s.log.Warn("installed bpftrace is newer than bpfls knows", zap.Stringer("version", v))
		return syntax.Newest
	}
	return v
}

// openKernel opens kernel knowledge for settings; nil means none.
func (s *Server) openKernel(settings Settings) analysis.Kernel {
	if s.cfg.OpenKernel == nil {
		return nil
	}
	k, err := s.cfg.OpenKernel(s.ctx, settings)
	if err != nil {
		s.log.Warn("opening kernel knowledge; kernel checks are off", zap.Error(err))
		if settings.KernelBTF != "" || settings.KernelSnapshot != "" {
			// Only a file the user named is worth a message; a machine
			// without BTF is normal and only logged.
			s.reportSettingsProblems([]string{"kernel: " + err.Error()})
		}
		return nil
	}
	return k
}
