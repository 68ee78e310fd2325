package lsp

import (
	"strings"
	"testing"
	"time"
)

func TestParseSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		raw      string
		want     Settings
		problems []string // substrings, one per problem
	}{
		{"null", `null`, DefaultSettings(), nil},
		{"empty object", `{}`, DefaultSettings(), nil},
		{"under bpfls", `{"bpfls": {"targetVersion": "0.17", "diagnosticsDelay": 0, "kernelBTF": "/tmp/vmlinux"}}`,
			Settings{TargetVersion: "0.17", KernelBTF: "/tmp/vmlinux"}, nil},
		{"top level", `{"targetVersion": "newest", "diagnosticsDelay": 25.5, "logLevel": "debug"}`,
			Settings{TargetVersion: "newest", DiagnosticsDelay: 25500 * time.Microsecond, LogLevel: "debug"}, nil},
		{"bad values keep defaults", `{"targetVersion": "0.99", "diagnosticsDelay": -1, "logLevel": "loud"}`,
			DefaultSettings(), []string{"targetVersion", "diagnosticsDelay", "logLevel"}},
		{"wrong types", `{"bpfls": {"diagnosticsDelay": "fast"}}`, DefaultSettings(), []string{"reading bpfls settings"}},
		{"not an object", `[1]`, DefaultSettings(), []string{"JSON object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, problems := ParseSettings([]byte(tc.raw))
			if got.TargetVersion != tc.want.TargetVersion || got.DiagnosticsDelay != tc.want.DiagnosticsDelay ||
				got.KernelBTF != tc.want.KernelBTF || got.LogLevel != tc.want.LogLevel {
				t.Errorf("settings = %+v, want %+v", got, tc.want)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems = %q, want %d", problems, len(tc.problems))
			}
			for i, p := range tc.problems {
				if !strings.Contains(problems[i], p) {
					t.Errorf("problem %d = %q, want it to name %q", i, problems[i], p)
				}
			}
		})
	}
}
