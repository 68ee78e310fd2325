package userdiff_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex/userbin"
	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// userCompiler is one real bpftrace in compile-only mode.
type userCompiler struct {
	version syntax.Version
	bin     string
	args    []string
}

// userCompilers are the real 0.17, 0.24 and 0.26, as .ci/run installs them
// (Debian's bpftrace, /opt/bpftrace-0.24.2 and /opt/bpftrace-0.26.1 from
// shared/tools/bpftrace/install).
func userCompilers(t *testing.T) []userCompiler {
	all := []userCompiler{
		{syntax.V0_17, "/usr/bin/bpftrace", []string{"--unsafe", "--test=codegen"}},
		{syntax.V0_24, "/opt/bpftrace-0.24.2/bin/bpftrace", []string{"--unsafe", "--test-mode", "codegen"}},
		{syntax.V0_26, "/opt/bpftrace-0.26.1/bin/bpftrace", []string{"--unsafe", "--mode", "codegen"}},
	}
	if os.Geteuid() != 0 {
		usertest.RequireReal(t, "bpftrace compiles only as root")
	}
	for _, c := range all {
		if _, err := os.Stat(c.bin); err != nil {
			usertest.RequireReal(t, fmt.Sprintf("no bpftrace %s at %s", c.version, c.bin))
		}
	}
	return all
}

// TestDifferentialUserProbes compiles our uprobe, uretprobe and usdt corpus
// (testdata/userspace, @BIN@ standing for the programs the test builds)
// with the real 0.17, 0.24 and 0.26, and checks that bpfls reports an
// error exactly where each refuses the script.
func TestDifferentialUserProbes(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the corpus with three real compilers")
	}
	compilers := userCompilers(t)
	bins := usertest.Build(t, "")
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "userspace", "*.bt"))
	if len(files) < 30 {
		t.Fatalf("only %d scripts in testdata/userspace", len(files))
	}
	ctx := context.Background()
	cache := userbin.NewCache(ctx, zaptest.NewLogger(t), userbin.Options{})
	defer cache.Close()
	user := userbin.Waiting{Cache: cache, Ctx: ctx}
	dir := t.TempDir()

	type job struct {
		name, path string
		src        []byte
		c          userCompiler
		rejected   bool
		out        string
	}
	var jobs []*job
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := []byte(strings.ReplaceAll(string(raw), "@BIN@", bins.Dir))
		path := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range compilers {
			jobs = append(jobs, &job{name: strings.TrimSuffix(filepath.Base(f), ".bt"), path: path, src: src, c: c})
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// bpftrace 0.24 never finishes a usdt probe the binary lacks;
			// a compile that times out counts as refused.
			cctx, cancel := context.WithTimeout(ctx, 45*time.Second)
			defer cancel()
			cmd := exec.CommandContext(cctx, j.c.bin, append(append([]string{}, j.c.args...), j.path)...)
			out, err := cmd.CombinedOutput()
			j.rejected, j.out = err != nil, bpftraceMessages(string(out))
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		t.Run(j.name+"/"+j.c.version.String(), func(t *testing.T) {
			f := syntax.Parse(j.path, j.src, syntax.Dialect{Version: j.c.version})
			s := analysis.Analyze(ctx, f, analysis.Config{Dialect: f.Dialect, User: user})
			var errs []string
			for _, d := range s.Diagnostics {
				if d.Severity == analysis.SeverityError {
					errs = append(errs, d.Code+": "+d.Message)
				}
			}
			if bpfls := len(errs) > 0; bpfls != j.rejected {
				t.Errorf("bpftrace %s rejected=%v, bpfls rejected=%v\nbpftrace: %s\nbpfls: %s\nscript: %s",
					j.c.version, j.rejected, bpfls, j.out, strings.Join(errs, "; "), j.src)
			}
		})
	}
}

// bpftraceMessages keeps bpftrace's ERROR and WARNING lines.
func bpftraceMessages(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ERROR") || strings.Contains(l, "WARNING") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
