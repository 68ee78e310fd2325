package lsp

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

// FuzzSettings checks the settings decoder on any JSON a client or a
// workspace may send: it never panics, what it keeps is valid, and the
// settings it returns read back unchanged and without problems.
func FuzzSettings(f *testing.F) {
	f.Add([]byte(`{"bpfls":{"targetVersion":"0.17","diagnosticsDelay":0,"logLevel":"debug"}}`))
	f.Add([]byte(`{"targetVersion":"auto","kernelBTF":"/sys/kernel/btf/vmlinux","verify":{"enabled":true,"prefix":["sudo","-n"],"timeoutMs":5000}}`))
	f.Add([]byte(`{"diagnosticsDelay":-1,"verify":{"params":[1,2]},"logLevel":7}`))
	f.Add([]byte(`{"bpfls":null}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, _ := ParseSettings(raw)
		if s.TargetVersion != verify.TargetAuto {
			if _, err := syntax.ParseVersion(s.TargetVersion); err != nil {
				t.Fatalf("kept an invalid targetVersion %q", s.TargetVersion)
			}
		}
		if s.DiagnosticsDelay < 0 || s.DiagnosticsDelay > maxDiagnosticsDelay {
			t.Fatalf("kept diagnosticsDelay %v", s.DiagnosticsDelay)
		}
		if s.LogLevel != "" {
			if _, err := zapcore.ParseLevel(s.LogLevel); err != nil {
				t.Fatalf("kept an invalid logLevel %q", s.LogLevel)
			}
		}
		wire := map[string]any{"targetVersion": s.TargetVersion, "kernelBTF": s.KernelBTF, "kernelSnapshot": s.KernelSnapshot,
			"diagnosticsDelay": float64(s.DiagnosticsDelay) / float64(time.Millisecond), "verify": s.Verification}
		if s.LogLevel != "" {
			wire["logLevel"] = s.LogLevel
		}
		again, err := json.Marshal(map[string]any{"bpfls": wire})
		if err != nil {
			t.Fatal(err)
		}
		back, problems := ParseSettings(again)
		if len(problems) > 0 {
			t.Fatalf("settings it returned read back with problems %q:\n%s", problems, again)
		}
		if d := back.DiagnosticsDelay - s.DiagnosticsDelay; d < -time.Microsecond || d > time.Microsecond {
			t.Fatalf("diagnosticsDelay %v read back as %v", s.DiagnosticsDelay, back.DiagnosticsDelay)
		}
		back.DiagnosticsDelay = s.DiagnosticsDelay
		if !reflect.DeepEqual(normalize(back), normalize(s)) {
			t.Fatalf("settings changed on a round trip:\n%+v\n%+v", s, back)
		}
	})
}

// normalize makes empty and nil lists equal.
func normalize(s Settings) Settings {
	for _, l := range []*[]string{&s.Verification.Prefix, &s.Verification.IncludeDirs, &s.Verification.Params} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return s
}
