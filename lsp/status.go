// This file implements the bpfls/status notification: which bpftrace
// version the server checks against and why, and which kernel data it
// uses. Editors show it (VS Code's language status item); the bpfls.status
// command returns the same value on request.

package lsp

import (
	"context"
	"encoding/json"
	"os"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/verify"
)

// methodStatus is the server-to-client notification carrying [Status].
const methodStatus = "bpfls/status"

// Status is what the analysis currently targets.
type Status struct {
	Target TargetStatus `json:"target"`
	Kernel KernelStatus `json:"kernel"`
}

// TargetStatus is the target bpftrace version and where it came from.
type TargetStatus struct {
	Version string `json:"version"` // "0.17"
	Setting string `json:"setting"` // "auto", "newest", "0.17"
	Source  string `json:"source"`  // "setting", "installed" or "fallback"
	Binary  string `json:"binary,omitempty"`
	Reason  string `json:"reason"`
}

// KernelStatus names the kernel data in use.
type KernelStatus struct {
	Kind        string `json:"kind"` // "running", "snapshot", "btf" or "none"
	Description string `json:"description"`
}

func targetStatus(t verify.Target) TargetStatus {
	return TargetStatus{Version: t.Version.String(), Setting: t.Setting, Source: t.Source, Binary: t.Binary, Reason: t.Reason}
}

// kernelStatus describes the kernel data settings asked for; failure is
// why none could be opened, "" when it was.
func kernelStatus(settings Settings, opened bool, failure string) KernelStatus {
	if !opened {
		if failure == "" {
			failure = "kernel checks are off"
		}
		return KernelStatus{Kind: "none", Description: "no kernel data: " + failure}
	}
	switch {
	case settings.KernelSnapshot != "":
		return KernelStatus{Kind: "snapshot", Description: "snapshot " + settings.KernelSnapshot}
	case settings.KernelBTF != "":
		return KernelStatus{Kind: "btf", Description: "BTF file " + settings.KernelBTF}
	}
	desc := "the running kernel"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		desc += " " + strings.TrimSpace(string(b))
	}
	return KernelStatus{Kind: "running", Description: desc}
}

// setStatus records st and sends it when the client is ready for
// notifications and it differs from what was sent last.
func (s *Server) setStatus(st Status) {
	s.statusMu.Lock()
	s.status = st
	s.statusMu.Unlock()
	s.sendStatus()
}

// sendStatus sends the current status unless the client already has it or
// has not yet sent initialized.
func (s *Server) sendStatus() {
	s.statusMu.Lock()
	if !s.statusReady || s.status == s.statusSent || s.status.Target.Version == "" {
		s.statusMu.Unlock()
		return
	}
	st := s.status
	s.statusSent = st
	s.statusMu.Unlock()
	s.notify(methodStatus, func(ctx context.Context) error {
		return s.conn.Notify(ctx, methodStatus, st)
	})
}

// currentStatus is the bpfls.status command's answer.
func (s *Server) currentStatus() (protocol.LSPAny, error) {
	s.statusMu.Lock()
	st := s.status
	s.statusMu.Unlock()
	b, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	return protocol.LSPAny(b), nil
}

// logTarget logs the target once per change, at Info: it decides what
// every diagnostic says.
func (s *Server) logTarget(t verify.Target) {
	s.log.Info("target bpftrace version", zap.Stringer("version", t.Version), zap.String("setting", t.Setting),
		zap.String("source", t.Source), zap.String("reason", t.Reason))
}
