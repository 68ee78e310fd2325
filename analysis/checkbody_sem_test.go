package analysis

import (
	"context"
	"reflect"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestCheckBodyResult checks the contract with the probe pass: every args
// field use (also through macros), and whether args and retval are used.
func TestCheckBodyResult(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src  string
		v          syntax.Version
		fields     []string
		arrows     []bool
		args, ret  bool
		diagCodes  []string
		pcProvider string
	}{
		{name: "fields", src: `fentry:tcp_sendmsg { @[args.sk] = sum(args.size); print(args.msg); }`,
			fields: []string{"sk", "size", "msg"}, arrows: []bool{false, false, false}, args: true,
			diagCodes: []string{CodeArgsUnknownField}, pcProvider: "fentry"},
		{name: "arrow in 0.17", src: `kfunc:tcp_sendmsg { $x = args->sk; }`, v: syntax.V0_17,
			fields: []string{"sk"}, arrows: []bool{true}, args: true, pcProvider: "fentry"},
		{name: "bare args", src: `fentry:tcp_sendmsg { print(args); }`, args: true, pcProvider: "fentry"},
		{name: "retval", src: `fexit:tcp_sendmsg { @r = retval; }`, ret: true, pcProvider: "fexit"},
		{name: "through a macro", src: "macro sz() { args.size }\nfentry:tcp_sendmsg { $s = sz; }",
			fields: []string{"size"}, arrows: []bool{false}, args: true, pcProvider: "fentry"},
		{name: "predicate", src: `fentry:tcp_sendmsg /args.size > 10/ { }`,
			fields: []string{"size"}, arrows: []bool{false}, args: true, pcProvider: "fentry"},
		{name: "none", src: `kprobe:f { @[comm] = count(); }`, pcProvider: "kprobe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := tc.v
			if v == (syntax.Version{}) {
				v = syntax.Newest
			}
			d := syntax.Dialect{Version: v}
			f := syntax.Parse("t.bt", []byte(tc.src), d)
			if len(f.Errors) > 0 {
				t.Fatalf("syntax errors: %v", f.Errors)
			}
			env := newFileEnv(context.Background(), f, Config{Dialect: d, Kernel: semKernel{}})
			var p *syntax.Probe
			for _, it := range f.Items() {
				if pr, ok := it.(*syntax.Probe); ok {
					p = pr
				}
			}
			pc := &ProbeContext{Provider: tc.pcProvider, Target: "tcp_sendmsg", Dialect: d, HasArgs: tc.pcProvider == "fentry" || tc.pcProvider == "fexit",
				Args: []ArgField{{Name: "sk", Type: semSockPtr}, {Name: "size", Type: semU64}}}
			if tc.pcProvider == "fexit" {
				pc.Retval = &semInt32
			}
			res := env.checkBody(p, pc)
			var fields []string
			var arrows []bool
			for _, u := range res.ArgUses {
				fields = append(fields, u.Field)
				arrows = append(arrows, u.Arrow)
				if got := tc.src[u.Span.Start:u.Span.End]; got != u.Field {
					t.Errorf("use span covers %q, want %q", got, u.Field)
				}
			}
			if !reflect.DeepEqual(fields, tc.fields) || !reflect.DeepEqual(arrows, tc.arrows) {
				t.Errorf("ArgUses = %v %v, want %v %v", fields, arrows, tc.fields, tc.arrows)
			}
			if res.UsesArgs != tc.args || res.UsesRetval != tc.ret {
				t.Errorf("UsesArgs, UsesRetval = %v, %v; want %v, %v", res.UsesArgs, res.UsesRetval, tc.args, tc.ret)
			}
			var codes []string
			for _, dg := range res.Diags {
				codes = append(codes, dg.Code)
			}
			if !reflect.DeepEqual(codes, tc.diagCodes) {
				t.Errorf("diagnostics %v, want %v", codes, tc.diagCodes)
			}
		})
	}
}
