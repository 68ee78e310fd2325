package analysis

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
	"golang.org/x/tools/txtar"
)

// TestAgreement compiles every script of our corpora with each real
// bpftrace compiler (0.17, 0.24.2 and 0.26.1, compile-only: nothing is
// loaded or attached) and checks bpfls at the same target against the
// running kernel:
//
//   - accept/reject must agree (bpfls rejects when it reports an error);
//   - where both reject, bpfls's first error must lie within one line of
//     bpftrace's first located error (bpftrace stops after the first pass
//     that fails, so only its first error is comparable).
//
// The corpus is:
//
//   - testdata/analysis/*.txtar and testdata/semantics/*.txtar (input.bt),
//   - testdata/examples/*.bt,
//   - testdata/realworld/*.bt and testdata/realworld/invalid/*.bt,
//   - testdata/agreement/**/*.bt: cases written for this suite, in
//     subdirectories by topic (syntax/, types/, printf/, define/, …). Add a
//     script there to have it compared with every compiler; a script may
//     use #include with a header beside it, and uprobe scripts may name
//     binaries the test machine has (/bin/bash),
//   - one-mistake mutants of the clean scripts above (see mutants), named
//     mutant/KIND/SCRIPT.
//
// A script that needs positional parameters names them: a txtar section
// "bpftrace args", or a "// args: A B" line among a .bt script's leading
// comments. bpftrace gets them after the script; bpfls checks a script for
// any value of its parameters, so it needs none.
//
// A disagreement fails unless testdata/agreement/allowlist.txt names it
// with a reason about this machine or a known bpftrace bug (see
// loadAllowlist); an entry that no longer matches a disagreement fails too,
// so the list stays short. The run logs a table per version (go test
// ./analysis -run TestAgreement -v).
//
// Compiles run in parallel, one per CPU; the compilers are
// /usr/bin/bpftrace (Debian's 0.17) and /opt/bpftrace-0.24.2 and
// /opt/bpftrace-0.26.1, as installed by shared/tools/bpftrace/install
// (.ci/run setup). A missing compiler skips its version, or fails the test
// under BPFLS_REQUIRE_REAL=1.
func TestAgreement(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles every corpus script with three real compilers")
	}
	analysistest.RealKernel(t)
	compilers := agreementCompilers(t)
	corpus := agreementCorpus(t)
	allow := loadAllowlist(t, analysistest.RepoPath("testdata/agreement/allowlist.txt"), allowTags)
	gaps := loadAllowlist(t, analysistest.RepoPath("testdata/agreement/gaps.txt"), gapTags)

	start := time.Now()
	results := compileAll(compilers, corpus, os.Getenv("BPFLS_AGREEMENT_CACHE"))
	t.Logf("%d compiles in %s wall", len(compilers)*len(corpus), time.Since(start).Round(time.Millisecond))

	used := map[*allowEntry]bool{}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-7s %7s %7s %9s %9s %7s %7s %7s %9s %6s\n", "version", "scripts", "accept", "reject=", "reject~", "missed", "false", "line", "allowed", "gaps")
	for ci, c := range compilers {
		var row agreementRow
		for si, s := range corpus {
			r := results[ci][si]
			got := analyzeRealAt(t, s.path, s.src, c.version)
			verdict := judgeAgreement(r, got)
			row.count(verdict)
			if verdict.agrees() {
				continue
			}
			if e := gaps.match(c.name, s.name); e != nil && e.tag == verdict.tag() {
				used[e] = true
				row.gaps++
				continue
			}
			if e := allow.match(c.name, s.name); e != nil {
				if e.evidence != "" && !strings.Contains(r.Output, e.evidence) {
					t.Errorf("%s %s: allowlisted as %s, but bpftrace did not say %q:\n%s", c.name, s.name, e.tag, e.evidence, r.Output)
				}
				used[e] = true
				row.allowed++
				continue
			}
			t.Errorf("%s %s: %s\nbpftrace (exit %d):\n%s\nbpfls:\n%s\nscript:\n%s", c.name, s.name, verdict.describe(),
				r.Exit, r.Output, fmtDiags(got.File, got.Diagnostics), numbered(s.src))
		}
		fmt.Fprintf(&table, "%-7s %7d %7d %9d %9d %7d %7d %7d %9d %6d\n", c.name, len(corpus), row.accept, row.rejectLine, row.rejectNoLine, row.missed, row.falseAlarm, row.lineOff, row.allowed, row.gaps)
	}
	t.Log(table.String() + "accept: both accept; reject=: both reject, first errors within a line; reject~: both reject, bpftrace names no line;\n" +
		"missed: only bpftrace rejects; false: only bpfls rejects; line: both reject on lines further apart (these three are counted\n" +
		"before the lists); allowed: disagreements allowlist.txt explains; gaps: bpfls mistakes gaps.txt lists, not fixed yet")
	for _, e := range append(allow.entries, gaps.entries...) {
		ran := false
		for _, c := range compilers {
			ok, _ := path.Match(e.version, c.name)
			ran = ran || ok
		}
		if ran && !used[e] {
			t.Errorf("%s:%d (%s %s) matches no disagreement: remove it", e.file, e.line, e.version, e.pattern)
		}
	}
}

// realCompiler is one real bpftrace, run compile-only.
type realCompiler struct {
	name    string // "0.17"
	version syntax.Version
	bin     string
	args    []string // before the script's path
	env     []string
}

// traceableFunctions is where shared/tools/bpftrace/install writes the
// kernel's functions when tracefs hides available_filter_functions.
const traceableFunctions = "/opt/bpftrace-traceable-functions.txt"

// agreementCompilers returns the real compilers of this machine: each
// missing one skips, or fails under BPFLS_REQUIRE_REAL=1.
func agreementCompilers(t *testing.T) []realCompiler {
	if os.Geteuid() != 0 {
		analysistest.RequireReal(t, "bpftrace compiles only as root")
	}
	funcs := ""
	if _, err := os.Stat(traceableFunctions); err == nil {
		funcs = traceableFunctions
	}
	var out []realCompiler
	c17 := realCompiler{name: "0.17", version: syntax.V0_17, bin: "/usr/bin/bpftrace", args: []string{"--unsafe", "--test=codegen"}}
	c24 := realCompiler{name: "0.24", version: syntax.V0_24, bin: "/opt/bpftrace-0.24.2/bin/bpftrace", args: []string{"--unsafe", "--test-mode", "codegen"}}
	if funcs != "" {
		c24.env = []string{"BPFTRACE_AVAILABLE_FUNCTIONS_TEST=" + funcs}
	}
	c26 := realCompiler{name: "0.26", version: syntax.V0_26, bin: "/opt/bpftrace-0.26.1/bin/bpftrace", args: []string{"--unsafe", "--mode", "codegen"}}
	if funcs != "" {
		c26.args = append(c26.args, "--traceable-functions", funcs)
	}
	for _, c := range []realCompiler{c17, c24, c26} {
		v, err := exec.Command(c.bin, "--version").Output()
		if err != nil || !strings.Contains(string(v), "v"+c.name+".") {
			t.Run(c.name, func(t *testing.T) {
				analysistest.RequireReal(t, fmt.Sprintf("no bpftrace %s at %s (%v %s): run shared/tools/bpftrace/install", c.name, c.bin, err, strings.TrimSpace(string(v))))
			})
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		analysistest.RequireReal(t, "no real bpftrace compiler")
	}
	return out
}

// agreementScript is one corpus script.
type agreementScript struct {
	name string // "realworld/invalid/x.bt", "mutant/semicolon/examples/opens.bt"
	path string // the file on disk, "" for one that lives only in memory
	src  []byte
	args []string // positional parameters for bpftrace
}

// scriptArgs reads the positional parameters a .bt script names in an
// "// args: A B" line among its leading comments.
func scriptArgs(src []byte) []string {
	for _, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "//") {
			break
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l[2:]), "args:"); ok {
			return strings.Fields(rest)
		}
	}
	return nil
}

// compileResult is what one real compiler said about one script.
type compileResult struct {
	Exit   int
	Lines  []analysistest.LineRange // errors located in the script, in bpftrace's order
	Syntax bool                     // the first of them is a syntax error
	Output string                   // bpftrace's errors and warnings
}

// compileAll compiles every script with every compiler, one compile per CPU
// at a time; results[c][s].
//
// With cache set (BPFLS_AGREEMENT_CACHE, for working on one gap), results
// are kept there by compiler and script content and reused.
func compileAll(compilers []realCompiler, corpus []agreementScript, cache string) [][]compileResult {
	results := make([][]compileResult, len(compilers))
	for i := range results {
		results[i] = make([]compileResult, len(corpus))
	}
	tmp, err := os.MkdirTemp("", "bpfls-agreement")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for si, s := range corpus {
		file := s.path
		if file == "" {
			file = filepath.Join(tmp, fmt.Sprintf("s%d.bt", si))
			if err := os.WriteFile(file, s.src, 0o644); err != nil {
				panic(err)
			}
		} else if abs, err := filepath.Abs(file); err == nil {
			file = abs
		}
		for ci, c := range compilers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				results[ci][si] = compileCached(c, file, s.src, s.args, cache)
			}()
		}
	}
	wg.Wait()
	return results
}

// compileCached is compileOne through the cache directory, if any.
func compileCached(c realCompiler, file string, src []byte, args []string, cache string) compileResult {
	if cache == "" {
		return compileOne(c, file, args...)
	}
	key := c.name + "\x00" + filepath.Base(file) + "\x00"
	if len(args) > 0 {
		key += strings.Join(args, "\x00") + "\x00\x00"
	}
	sum := sha256.Sum256(append([]byte(key), src...))
	entry := filepath.Join(cache, hex.EncodeToString(sum[:16])+".json")
	var r compileResult
	if b, err := os.ReadFile(entry); err == nil && json.Unmarshal(b, &r) == nil {
		return r
	}
	r = compileOne(c, file, args...)
	if b, err := json.Marshal(r); err == nil {
		os.MkdirAll(cache, 0o755)
		os.WriteFile(entry, b, 0o644)
	}
	return r
}

func compileOne(c realCompiler, file string, args ...string) compileResult {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, append(append(append([]string{}, c.args...), file), args...)...)
	cmd.Dir = filepath.Dir(file)
	cmd.Env = append(os.Environ(), c.env...)
	out, err := cmd.CombinedOutput()
	r := compileResult{Output: agreementMessages(string(out))}
	if err != nil {
		r.Exit = -1
		if ee, ok := err.(*exec.ExitError); ok {
			r.Exit = ee.ExitCode()
		}
		if r.Output == "" {
			r.Output = strings.TrimSpace(string(out))
			if len(r.Output) > 2000 {
				r.Output = r.Output[:2000]
			}
		}
	}
	for _, l := range strings.Split(string(out), "\n") {
		rest, ok := strings.CutPrefix(l, file+":")
		if !ok {
			continue
		}
		if m := agreementErrorLine.FindStringSubmatch(rest); m != nil {
			lr := analysistest.LineRange{}
			lr.From, _ = strconv.Atoi(m[1])
			lr.To = lr.From
			if m[2] != "" {
				lr.To, _ = strconv.Atoi(m[2])
			}
			if len(r.Lines) == 0 {
				r.Syntax = strings.Contains(m[3], "syntax")
			}
			r.Lines = append(r.Lines, lr)
		}
	}
	return r
}

// agreementMessages keeps bpftrace's messages (and clang's, for headers),
// dropping the generated code and the RLIMIT_MEMLOCK notice of this kind
// of machine.
func agreementMessages(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "RLIMIT_MEMLOCK") {
			continue
		}
		if strings.Contains(l, "ERROR") || strings.Contains(l, "WARNING") || strings.Contains(l, "error:") || strings.Contains(l, "note:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// agreementErrorLine is the rest of a bpftrace error located in the
// script, after "FILE:": LINE[-LINE][:COL[-COL]]: ERROR: MESSAGE. Errors in
// bpftrace's own stdlib files name no line of the script.
var agreementErrorLine = regexp.MustCompile(`^(\d+)(?:-(\d+))?(?::\d+(?:-\d+)?)?: ERROR: (.*)`)

// verdict is how bpfls and bpftrace compare on one script.
type verdict int

const (
	bothAccept verdict = iota
	bothRejectLine
	bothRejectNoLine
	onlyBpftrace // bpfls misses an error
	onlyBpfls    // a false alarm
	lineOff      // both reject, first errors more than a line apart
)

func (v verdict) agrees() bool { return v <= bothRejectNoLine }

// tag names a disagreement in gaps.txt.
func (v verdict) tag() string {
	return map[verdict]string{onlyBpftrace: "missed", onlyBpfls: "false", lineOff: "line"}[v]
}

func (v verdict) describe() string {
	switch v {
	case onlyBpftrace:
		return "bpftrace rejects the script, bpfls reports no error"
	case onlyBpfls:
		return "bpftrace accepts the script, bpfls reports an error"
	case lineOff:
		return "both reject, but bpfls's first error is more than a line from bpftrace's first"
	}
	return "agree"
}

// judgeAgreement compares one compile with bpfls's diagnostics. bpftrace
// stops after the first pass that fails, so its first error is compared
// with bpfls's first error of the same stage: a syntax error with bpfls's
// first syntax error or its first error of any kind, any other error with bpfls's errors of its own
// passes (those run in a different order, so one of them must be within a
// line).
func judgeAgreement(r compileResult, s *Snapshot) verdict {
	var syntaxLines, otherLines []int
	for _, d := range s.Diagnostics {
		if d.Severity != SeverityError {
			continue
		}
		l, _ := s.File.Lines.Position(d.Span.Start)
		if strings.HasPrefix(d.Code, "syntax/") {
			syntaxLines = append(syntaxLines, l)
		} else {
			otherLines = append(otherLines, l)
		}
	}
	sort.Ints(syntaxLines)
	switch {
	case r.Exit == 0 && len(syntaxLines)+len(otherLines) == 0:
		return bothAccept
	case r.Exit == 0:
		return onlyBpfls
	case len(syntaxLines)+len(otherLines) == 0:
		return onlyBpftrace
	case len(r.Lines) == 0:
		return bothRejectNoLine
	}
	first := r.Lines[0]
	near := func(l int) bool { return l >= first.From-1 && l <= first.To+1 }
	all := append(otherLines, syntaxLines...)
	if r.Syntax {
		// bpfls may name the same mistake in a later pass (a version
		// rule, an attach point), so its first error of any kind counts.
		if len(syntaxLines) > 0 && near(syntaxLines[0]) || near(slices.Min(all)) {
			return bothRejectLine
		}
		return lineOff
	}
	for _, l := range all {
		if near(l) {
			return bothRejectLine
		}
	}
	return lineOff
}

// agreementRow counts the verdicts of one version.
type agreementRow struct {
	accept, rejectLine, rejectNoLine, missed, falseAlarm, lineOff, allowed, gaps int
}

func (r *agreementRow) count(v verdict) {
	switch v {
	case bothAccept:
		r.accept++
	case bothRejectLine:
		r.rejectLine++
	case bothRejectNoLine:
		r.rejectNoLine++
	case onlyBpftrace:
		r.missed++
	case onlyBpfls:
		r.falseAlarm++
	case lineOff:
		r.lineOff++
	}
}

// numbered returns src with line numbers, for failure messages.
func numbered(src []byte) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimRight(string(src), "\n"), "\n") {
		fmt.Fprintf(&b, "%3d  %s\n", i+1, l)
	}
	return b.String()
}

// allowEntry is one line of the allowlist.
type allowEntry struct {
	file     string // allowlist.txt or gaps.txt
	line     int
	version  string // "0.24"
	pattern  string // a script name, or a path.Match pattern
	tag      string
	evidence string // what bpftrace must say for the tag to apply, "" for bugs
	reason   string
}

type allowlist struct{ entries []*allowEntry }

// allowTags are the reasons a disagreement may be excused: facts about
// this machine, or a bpftrace bug that bpfls must not copy. Each machine
// reason names the words bpftrace must print for the entry to apply.
var allowTags = map[string]string{
	"fentry-refused":    "not available for your kernel version", // 0.24 probes fentry support on the live kernel
	"kfunc-refused":     "could not read traceable functions",    // 0.17 reads tracefs only, unreadable here
	"missing-header":    "file not found",                        // a header that is not installed
	"missing-binary":    "No such file or directory",             // a user-space binary that is not installed
	"missing-debuginfo": "No DWARF debug info",                   // a binary without debug information
	"missing-module":    "is not loaded",                         // a kernel module that is not loaded
	"bpftrace-bug":      "",
}

// gapTags are the mistakes of bpfls that gaps.txt may list until they are
// fixed: the verdict's tag.
var gapTags = map[string]string{"missed": "", "false": "", "line": ""}

// loadAllowlist reads allowlist.txt or gaps.txt: one entry a line,
//
//	VERSION SCRIPT TAG: REASON
//
// where SCRIPT is a corpus name or a path.Match pattern and TAG one of
// tags; '#' starts a comment line.
func loadAllowlist(t *testing.T, file string, tags map[string]string) *allowlist {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	al := &allowlist{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasSuffix(fields[2], ":") {
			t.Fatalf("%s:%d: want VERSION SCRIPT TAG: REASON", file, n)
		}
		tag := strings.TrimSuffix(fields[2], ":")
		evidence, ok := tags[tag]
		if !ok {
			t.Fatalf("%s:%d: tag %q is not one of %v", file, n, tag, slices.Sorted(maps.Keys(tags)))
		}
		if _, err := path.Match(fields[1], ""); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		al.entries = append(al.entries, &allowEntry{file: filepath.Base(file), line: n, version: fields[0], pattern: fields[1], tag: tag,
			evidence: evidence, reason: strings.Join(fields[3:], " ")})
	}
	return al
}

func (al *allowlist) match(version, script string) *allowEntry {
	for _, e := range al.entries {
		okV, _ := path.Match(e.version, version)
		if ok, _ := path.Match(e.pattern, script); okV && ok {
			return e
		}
	}
	return nil
}

// mutantsPerKind bounds the mutants of one kind, to keep the compiles
// within a few minutes of CI.
const mutantsPerKind = 8

// agreementCorpus reads every corpus script and adds the mutants of the
// clean ones.
func agreementCorpus(t *testing.T) []agreementScript {
	t.Helper()
	td := analysistest.RepoPath("testdata")
	var out []agreementScript
	for _, dir := range []string{"analysis", "semantics"} {
		files, _ := filepath.Glob(filepath.Join(td, dir, "*.txtar"))
		sort.Strings(files)
		for _, file := range files {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if src, ok := analysistest.Section(ar, "input.bt"); ok {
				args, _ := analysistest.Section(ar, "bpftrace args")
				out = append(out, agreementScript{name: dir + "/" + strings.TrimSuffix(filepath.Base(file), ".txtar"), src: src, args: strings.Fields(string(args))})
			}
		}
	}
	err := filepath.WalkDir(td, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".bt" {
			return err
		}
		rel, _ := filepath.Rel(td, p)
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		if top != "examples" && top != "realworld" && top != "agreement" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, agreementScript{name: rel, path: p, src: src, args: scriptArgs(src)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("only %d corpus scripts; is testdata missing?", len(out))
	}
	var mutants []agreementScript
	perKind := map[string]int{}
	for _, s := range out {
		if !mutantSource(s) {
			continue
		}
		for _, m := range mutate(s) {
			kind := strings.Split(m.name, "/")[1]
			if perKind[kind] < mutantsPerKind {
				perKind[kind]++
				m.args = s.args
				mutants = append(mutants, m)
			}
		}
	}
	return append(out, mutants...)
}
