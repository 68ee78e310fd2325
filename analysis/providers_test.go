package analysis

import (
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestLookupProvider(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spelled string
		v       syntax.Version
		want    string // canonical name, "" when unknown in v
	}{
		{"kprobe", syntax.V0_17, "kprobe"},
		{"k", syntax.V0_17, "kprobe"},
		{"U", syntax.V0_26, "usdt"},
		{"u", syntax.V0_26, "uprobe"},
		{"kfunc", syntax.V0_17, "fentry"},
		{"fentry", syntax.V0_17, ""},
		{"fentry", syntax.V0_20, "fentry"},
		{"kretfunc", syntax.V0_26, "fexit"},
		{"fr", syntax.V0_17, "fexit"},
		{"rawtracepoint", syntax.V0_17, ""},
		{"rt", syntax.V0_18, "rawtracepoint"},
		{"begin", syntax.V0_17, ""},
		{"begin", syntax.V0_24, "BEGIN"},
		{"KPROBE", syntax.V0_23, ""},
		{"KPROBE", syntax.V0_24, "kprobe"},
		{"aw", syntax.V0_24, "asyncwatchpoint"},
		{"aw", syntax.V0_25, ""},
		{"self", syntax.V0_21, ""},
		{"self", syntax.V0_22, "self"},
		{"bench", syntax.V0_24, "bench"},
		{"test", syntax.V0_24, ""},
		{"test", syntax.V0_25, "test"},
		{"nope", syntax.V0_26, ""},
	}
	for _, tc := range cases {
		p, _, ok := lookupProvider(tc.spelled, tc.v)
		got := ""
		if ok {
			got = p.name
		}
		if got != tc.want {
			t.Errorf("lookupProvider(%q, %s) = %q, want %q", tc.spelled, tc.v, got, tc.want)
		}
	}
}

// TestProviderTable checks the table's own invariants: one entry per name,
// a check for each, and no spelling shared by two providers in a version.
func TestProviderTable(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, p := range providers {
		if names[p.name] || p.check == nil || len(p.spellings) == 0 {
			t.Errorf("provider %q: duplicate, no check or no spellings", p.name)
		}
		names[p.name] = true
	}
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_20, syntax.V0_24, syntax.V0_26} {
		seen := map[string]string{}
		for _, p := range providers {
			for _, s := range p.spellings {
				if !s.validIn(v) {
					continue
				}
				if other, dup := seen[s.name]; dup {
					t.Errorf("%s: %q spells both %s and %s", v, s.name, other, p.name)
				}
				seen[s.name] = p.name
			}
		}
	}
}

func TestAllowedBuiltin(t *testing.T) {
	t.Parallel()
	pc := func(provider string) *ProbeContext {
		return &ProbeContext{Provider: provider, Dialect: syntax.Dialect{Version: syntax.V0_26}}
	}
	cases := []struct {
		provider, builtin string
		ok                bool
		why               string
	}{
		{"kprobe", "arg0", true, ""},
		{"kprobe", "arg12", true, ""},
		{"kprobe", "args", false, `the "args" builtin cannot be used in kprobe probes`},
		{"kprobe", "retval", false, "only in kretprobe, uretprobe, fexit"},
		{"kretprobe", "retval", true, ""},
		{"fexit", "retval", true, ""},
		{"fentry", "args", true, ""},
		{"fentry", "arg0", false, "use args instead of argN in fentry probes"},
		{"tracepoint", "ctx", false, "use args instead of ctx in tracepoint probes"},
		{"tracepoint", "retval", false, "try args.ret"},
		{"tracepoint", "func", false, "cannot be used in tracepoint probes"},
		{"BEGIN", "func", false, "cannot be used in BEGIN probes"},
		{"BEGIN", "pid", true, ""},
		{"profile", "reg", true, ""},
		{"tracepoint", "reg", false, "cannot be used in tracepoint probes"},
		{"usdt", "uaddr", true, ""},
		{"kprobe", "path", false, "only in fentry, fexit, iter"},
		{"iter", "path", true, ""},
		{"rawtracepoint", "skboutput", true, ""},
		{"", "args", true, ""},        // unknown provider: no cascade
		{"nope", "retval", true, ""},  // unknown provider name
		{"kprobe", "argx", true, ""},  // not a probe builtin at all
		{"kprobe", "sarg1", true, ""}, // stack args on kprobes
	}
	for _, tc := range cases {
		ok, why := allowedBuiltin(pc(tc.provider), tc.builtin)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("allowedBuiltin(%s, %s) = %v, %q; want %v, …%q…", tc.provider, tc.builtin, ok, why, tc.ok, tc.why)
		}
	}
	old := &ProbeContext{Provider: "fentry", Dialect: syntax.Dialect{Version: syntax.V0_17}}
	if ok, why := allowedBuiltin(old, "func"); ok || !strings.Contains(why, "before bpftrace 0.19") {
		t.Errorf("func in a 0.17 kfunc probe: %v, %q", ok, why)
	}
	old.Provider = "rawtracepoint"
	old.Dialect.Version = syntax.V0_23
	if ok, _ := allowedBuiltin(old, "args"); ok {
		t.Error("args in a 0.23 rawtracepoint probe should be refused")
	}
	if ok, _ := allowedBuiltin(nil, "args"); !ok {
		t.Error("a nil context must allow everything")
	}
}
