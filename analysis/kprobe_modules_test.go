package analysis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// moduleCase is one kprobe:module:function script and what bpfls says.
type moduleCase struct {
	ap       string
	wantWarn string // a warning's code bpfls adds where bpftrace is silent or warns; "" for none
}

// checkModuleCases compiles each attach point with the real compilers
// and checks that bpfls rejects exactly what each rejects.
func checkModuleCases(t *testing.T, k Kernel, compilers []realCompiler, cases []moduleCase) {
	dir := t.TempDir()
	for i, tc := range cases {
		src := "kprobe:" + tc.ap + " { @ = count(); }\n"
		file := filepath.Join(dir, fmt.Sprintf("m%d.bt", i))
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range compilers {
			t.Run(tc.ap+"/"+c.name, func(t *testing.T) {
				r := compileOne(c, file)
				d := syntax.Dialect{Version: c.version}
				s := Analyze(context.Background(), syntax.Parse(file, []byte(src), d), Config{Dialect: d, Kernel: k})
				got := renderDiags(s.Diagnostics, []byte(src))
				if (r.Exit == 0) == hasErrors(s) {
					t.Fatalf("bpftrace exit %d:\n%s\nbpfls:\n%s", r.Exit, r.Output, got)
				}
				if tc.wantWarn != "" && r.Exit == 0 && !strings.Contains(string(got), "warning") {
					t.Errorf("want a %s warning, got:\n%s", tc.wantWarn, got)
				}
			})
		}
	}
}

// TestRealKprobeModules checks kprobe:module:function against the
// running kernel and the real compilers. This kernel is built without
// modules (no /proc/modules, no "[module]" in kallsyms), so every module
// is not loaded: 0.26 refuses the probe ("specified module … is not
// loaded"), 0.24 compiles it (bpfls warns), 0.17 has no module form;
// vmlinux:function is a kernel function in 0.24 and 0.26.
func TestRealKprobeModules(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles with the real compilers")
	}
	ix := analysistest.RealKernel(t)
	if loaded, known := ix.ModuleLoaded("nf_tables"); loaded || !known {
		t.Skipf("nf_tables is loaded here (%v) or the index cannot tell (%v): the expectations are for a kernel without it", loaded, known)
	}
	checkModuleCases(t, ix, agreementCompilers(t), []moduleCase{
		{ap: "nf_tables:nft_do_chain", wantWarn: CodeUnknownModule},
		{ap: "nf_tables:nft_*"},
		{ap: "vmlinux:vfs_read"},
		{ap: "vmlinux:vfs_reed", wantWarn: CodeUnknownFunction},
	})
}

// TestRealKprobeModuleSymbols gives bpfls and bpftrace 0.24 the same
// list of traceable functions, the running kernel's plus a loaded module's
// ("name [nf_tables]", as available_filter_functions lists module
// functions): a function the module has compiles, a misspelt one is a
// warning in both, a wildcard matching none of its functions an error in
// both. (0.26 decides "loaded" from /proc/modules, not from this list.)
func TestRealKprobeModuleSymbols(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles with the real compilers")
	}
	analysistest.RealKernel(t)
	var c24 []realCompiler
	for _, c := range agreementCompilers(t) {
		if c.name == "0.24" {
			c24 = append(c24, c)
		}
	}
	if len(c24) == 0 {
		return
	}
	base, err := os.ReadFile(traceableFunctions)
	if err != nil {
		analysistest.RequireReal(t, "no "+traceableFunctions+" (shared/tools/bpftrace/install writes it)")
		return
	}
	list := filepath.Join(t.TempDir(), "funcs.txt")
	mod := "nft_do_chain [nf_tables]\nnft_trace_init [nf_tables]\nnft_chain_validate [nf_tables]\n"
	if err := os.WriteFile(list, append(base, mod...), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := btfindex.Open(context.Background(), btfindex.Options{CacheDir: "-", SymbolsPath: list})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c24[0].env = []string{"BPFTRACE_AVAILABLE_FUNCTIONS_TEST=" + list}
	checkModuleCases(t, ix, c24, []moduleCase{
		{ap: "nf_tables:nft_do_chain"},
		{ap: "nf_tables:nft_do_chian", wantWarn: CodeUnknownFunction},
		{ap: "nf_tables:nft_*"},
		{ap: "nf_tables:xyz_*"},
	})
}
