package analysis_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/fix"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// TestUserProbeChecks checks the messages, codes and fixes of uprobe,
// uretprobe and usdt attach points against programs the test builds
// (which of them bpftrace refuses is TestDifferentialUserProbes's job).
func TestUserProbeChecks(t *testing.T) {
	bins := usertest.Build(t, "")
	ctx := context.Background()
	cache := userbin.NewCache(ctx, zaptest.NewLogger(t), userbin.Options{})
	defer cache.Close()
	user := userbin.Waiting{Cache: cache, Ctx: ctx}
	B := bins.Dir
	for _, tc := range []struct {
		name, src string
		v         syntax.Version
		want      string // "CODE: message substring", "" for no diagnostic
		fix       string // the text a fix puts in, if any
	}{
		{"missing binary", "uprobe:" + B + "/nothere:f {}", syntax.V0_26, analysis.CodeUnknownBinary + `: uprobe target file "` + B + `/nothere" does not exist`, ""},
		{"not ELF", "uprobe:" + B + "/script.sh:f {}", syntax.V0_17, analysis.CodeUnknownBinary + ": is not an ELF binary", ""},
		{"typo 0.26", "uprobe:" + B + "/shapes:add_pointz {}", syntax.V0_26, analysis.CodeUnknownFunction + `: has no function "add_pointz", did you mean "add_points"?`, "add_points"},
		{"typo 0.24 warns", "uprobe:" + B + "/shapes:add_pointz {}", syntax.V0_24, analysis.CodeUnknownFunction + ": (bpftrace 0.24 compiles it, attaching fails)", "add_points"},
		{"no match", "uprobe:" + B + "/shapes:zz* {}", syntax.V0_24, analysis.CodeNoMatch + `: matches "zz*"`, ""},
		{"args field", "uprobe:" + B + "/shapes:add_points { print(args.c); }", syntax.V0_26, analysis.CodeArgsUnknownField + `: args has no field "c"`, ""},
		{"args typed", "uprobe:" + B + "/shapes:scale_shape { $x = args.times + 1; print(args.s->name); }", syntax.V0_26, "", ""},
		{"no debug info", "uprobe:" + B + "/shapes-nog:add_points { print(args.a); }", syntax.V0_26, analysis.CodeArgsUnreadable + ": no debug info found for", ""},
		{"debuglink", "uprobe:" + B + "/shapes-nodebug:add_points { print(args.a->x); }", syntax.V0_26, "", ""},
		{"mixed", "uprobe:" + B + "/shapes:add_points, uprobe:" + B + "/shapes:local_helper { print(args.c); }", syntax.V0_26, analysis.CodeArgsMixed + `: add_points has no parameter "c", local_helper has char c`, ""},
		{"mixed split", "uprobe:" + B + "/shapes:add_points, uprobe:" + B + "/shapes:dist { print(args.a->x); }", syntax.V0_26, analysis.CodeArgsMixed + `: dist has no parameter "a"`, "print(args.p->x)"},
		{"stack args", "uprobe:" + B + "/shapes:seven { print(args.a); }", syntax.V0_26, analysis.CodeArgsUnreadable + `: args is not supported for "seven": it has 7 parameters and only 6 are passed in registers`, ""},
		{"stack args 0.17", "uprobe:" + B + "/shapes:seven { print(args->g); }", syntax.V0_17, analysis.CodeArgsUnknownField + `: args has no field "g"`, ""},
		{"usdt provider", "usdt:" + B + "/probes:myap:request {}", syntax.V0_26, analysis.CodeUnknownUSDT + `: has no USDT provider "myap", did you mean "myapp"?`, "myapp"},
		{"usdt probe", "usdt:" + B + "/probes:myapp:requst {}", syntax.V0_26, analysis.CodeUnknownUSDT + `: has no USDT probe "myapp:requst", did you mean "request"?`, "request"},
		{"usdt argN", "usdt:" + B + "/probes:myapp:request { print(arg2); }", syntax.V0_24, analysis.CodeUSDTArg + `: USDT probe "myapp:request" has 2 arguments: arg2 reads nothing`, ""},
		{"usdt args ok", "usdt:" + B + "/probes:myapp:reply { print(arg2); }", syntax.V0_24, "", ""},
		{"offset past the end", "uprobe:" + B + "/shapes:add_points+100000 {}", syntax.V0_26, analysis.CodeUserAddress + `: offset 100000 is past the end of "add_points"`, ""},
		{"offset inside", "uprobe:" + B + "/shapes:add_points+1 {}", syntax.V0_26, "", ""},
		{"address outside", "uprobe:" + B + "/shapes:0x1 {}", syntax.V0_26, analysis.CodeUserAddress + ": address 0x1 is in no function", ""},
		{"cpp", "uprobe:" + B + "/widgets:cpp:\"gadgets::measure\" {}", syntax.V0_26, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := syntax.Parse("t.bt", []byte(tc.src), syntax.Dialect{Version: tc.v})
			s := analysis.Analyze(ctx, f, analysis.Config{Dialect: f.Dialect, User: user, Refactorer: fix.Refactorings{}})
			var got []string
			var hit *analysis.Diagnostic
			for i, d := range s.Diagnostics {
				got = append(got, d.Code+": "+d.Message)
				code, msg, _ := strings.Cut(tc.want, ": ")
				if tc.want != "" && d.Code == code && strings.Contains(d.Message, msg) {
					hit = &s.Diagnostics[i]
				}
			}
			if tc.want == "" {
				if len(got) > 0 {
					t.Errorf("want no diagnostics, got %q", got)
				}
				return
			}
			if hit == nil {
				t.Fatalf("want %q, got %q", tc.want, got)
			}
			fixed := false
			for _, f := range hit.Fixes {
				fixed = fixed || strings.Contains(f.Edits[0].NewText, tc.fix)
			}
			if tc.fix != "" && !fixed {
				t.Errorf("fixes %+v, want one putting in %q", hit.Fixes, tc.fix)
			}
		})
	}
}
