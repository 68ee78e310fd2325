package analysis

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// cacheScript has four probes; the mixed one reports with fixes, so that
// cached positions of related information and edits are exercised too.
const cacheScript = `BEGIN { @start = nsecs; }

fentry:tcp_sendmsg, fentry:tcp_recvmsg { @bytes[probe] = sum(args.size); }

tracepoint:syscalls:sys_enter_read { @reads[args.fd] = count(); }

kprobe:tcp_close { @closes[@start] = count(); }
`

func parse26(src string) *syntax.File {
	return syntax.Parse("cache.bt", []byte(src), syntax.Dialect{Version: syntax.V0_26})
}

// sameDiagnostics compares two snapshots' diagnostics, fixes included.
func sameDiagnostics(t *testing.T, got, want *Snapshot) {
	t.Helper()
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("re-analysis differs from a full analysis:\n--- got\n%s--- want\n%s",
			fmtDiags(got.File, got.Diagnostics), fmtDiags(want.File, want.Diagnostics))
	}
}

func TestReanalyzeMatchesAnalyze(t *testing.T) {
	t.Parallel()
	k := analysistest.NewTCPKernel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: k}
	f0 := parse26(cacheScript)
	s0 := Reanalyze(ctx, &Snapshot{Config: cfg}, f0)
	sameDiagnostics(t, s0, Analyze(ctx, f0, cfg))
	if s0.probes.misses != 4 || s0.probes.hits != 0 {
		t.Fatalf("first run: %d hits, %d misses; want 0 and 4", s0.probes.hits, s0.probes.misses)
	}
	if len(s0.Diagnostics) == 0 {
		t.Fatal("the script should report the mixed-arguments conflict")
	}

	edits := []struct {
		name         string
		src          string
		hits, misses int
	}{
		{"body edit", strings.Replace(cacheScript, "@reads[args.fd]", "@reads[args.fd, comm]", 1), 3, 1},
		{"text before every probe", "// a comment\n\n" + cacheScript, 4, 0},
		{"edit of the mixed probe", strings.Replace(cacheScript, "args.size", "args.sk", 1), 3, 1},
		{"a map type another probe reads changes", strings.Replace(cacheScript, "@start = nsecs", `@start = "x"`, 1), 2, 2},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			f := parse26(e.src)
			s := Reanalyze(ctx, s0, f)
			sameDiagnostics(t, s, Analyze(ctx, f, cfg))
			if s.probes.hits != e.hits || s.probes.misses != e.misses {
				t.Errorf("%d hits, %d misses; want %d and %d", s.probes.hits, s.probes.misses, e.hits, e.misses)
			}
		})
	}
}

// TestReanalyzeChangedTarget checks that a new target version misses.
func TestReanalyzeChangedTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	s0 := Reanalyze(ctx, &Snapshot{Config: cfg}, parse26(cacheScript))
	cfg24 := cfg
	cfg24.Dialect.Version = syntax.V0_24
	f := syntax.Parse("cache.bt", []byte(cacheScript), cfg24.Dialect)
	s := analyze(ctx, f, cfg24, s0.probes, s0.env, true)
	if s.probes.hits != 0 {
		t.Errorf("%d hits across target versions", s.probes.hits)
	}
	sameDiagnostics(t, s, Analyze(ctx, f, cfg24))
}

// TestReanalyzeConcurrent re-analyses from one snapshot on several
// goroutines, as the server may while edits race (run with -race).
func TestReanalyzeConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	s0 := Reanalyze(ctx, &Snapshot{Config: cfg}, parse26(cacheScript))
	done := make(chan *Snapshot)
	for i := range 4 {
		go func() {
			src := strings.Replace(cacheScript, "count()", "count() + "+strconv.Itoa(i), 1)
			done <- Reanalyze(ctx, s0, parse26(src))
		}()
	}
	for range 4 {
		if s := <-done; s.probes.hits < 3 {
			t.Errorf("%d hits, want at least 3", s.probes.hits)
		}
	}
}

// TestCancelledRunCachesNothing checks that a run cut short by its context
// leaves no (possibly partial) results for the next one.
func TestCancelledRunCachesNothing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}, Kernel: analysistest.NewTCPKernel()}
	f := parse26(cacheScript)
	body := func(p *syntax.Probe, pc *ProbeContext, _ bool) BodyResult { cancel(); return BodyResult{} }
	_, cache := runProbePass(ctx, body, f, cfg, newProbeCache(f, cfg, nil), nil)
	if len(cache.entries) != 0 {
		t.Errorf("a cancelled run cached %d probes", len(cache.entries))
	}
}
