package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// The realworld corpus (testdata/realworld) holds small scripts of our own,
// each reproducing a false positive or false negative of `bpfls check` found
// by running it over the tools bpftrace ships (v0.17.0 and v0.26.1) and over
// the cases of bpftrace's semantic-analyser tests. Valid scripts sit at the
// top level and must check clean; invalid ones sit in invalid/ and must get
// exactly one error, on the line and with the code their header names.
//
// A script's leading comment lines hold its header:
//
//	// target: 0.17, …     the targets to check under (0.17 … 0.26,
//	                        newest); without one: 0.17 and newest
//	// want: LINE: CODE    (invalid/ only) the one error bpfls must report;
//	                        a trailing "known-missing" marks a false
//	                        negative not fixed yet (bpfls reports nothing)
//	// allow: CODE, …      warnings a valid script may get (a deprecation)
//	// kernel: only        check only against the running kernel (the
//	                        script is about kernel facts)
//	// known: CODE, …      (valid scripts only) a false positive not fixed
//	                        yet: bpfls may report these codes
//
// A known mistake keeps the test passing only while bpfls still makes it:
// once it stops, the test fails until the marker is removed.
//
// Every script is checked without kernel facts and, where the running
// kernel's BTF is readable, against the running kernel too. Scripts that
// target 0.17 and use only kprobe, tracepoint, BEGIN/END, interval or
// profile probes are also compiled with the real bpftrace
// (`bpftrace --unsafe --test=codegen FILE`, which attaches nothing): valid
// ones must compile, invalid ones must fail on the wanted line. That proves
// each expectation against the real compiler, not just against bpfls.

// realworldScript is one corpus file with its header.
type realworldScript struct {
	path       string
	src        []byte
	targets    []string // "0.17", "newest"
	invalid    bool
	wantLn     int
	wantCd     string
	allow      map[string]bool
	known      map[string]bool // known false positives (valid scripts)
	missing    bool            // a known false negative (invalid scripts)
	kernelOnly bool
}

// realworldDiag is the part of `bpfls check --format json` the test reads.
type realworldDiag struct {
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

var realworldWant = regexp.MustCompile(`^(\d+):\s*(\S+)(\s+known-missing)?$`)

// loadRealworld reads and parses the header of one corpus script.
func loadRealworld(t *testing.T, path string, invalid bool) realworldScript {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := realworldScript{path: path, src: src, invalid: invalid, targets: []string{"0.17", "newest"},
		allow: map[string]bool{}, known: map[string]bool{}}
	sc := bufio.NewScanner(strings.NewReader(string(src)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "//") {
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "//")), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "target":
			s.targets = nil
			for _, v := range strings.Split(val, ",") {
				v = strings.TrimSpace(v)
				if _, err := syntax.ParseVersion(v); err != nil {
					t.Fatalf("%s: target %q: %v", path, v, err)
				}
				s.targets = append(s.targets, v)
			}
		case "want":
			m := realworldWant.FindStringSubmatch(val)
			if m == nil {
				t.Fatalf("%s: want %q, expected LINE: CODE", path, val)
			}
			s.wantLn, _ = strconv.Atoi(m[1])
			s.wantCd = m[2]
			s.missing = m[3] != ""
		case "kernel":
			s.kernelOnly = val == "only"
		case "allow", "known":
			for _, c := range strings.Split(val, ",") {
				if key == "allow" {
					s.allow[strings.TrimSpace(c)] = true
				} else {
					s.known[strings.TrimSpace(c)] = true
				}
			}
		}
	}
	if invalid != (s.wantLn > 0) || invalid && len(s.known) > 0 {
		t.Fatalf("%s: a script in invalid/ needs a want line and no known line, a valid one neither", path)
	}
	return s
}

func realworldScripts(t *testing.T) []realworldScript {
	t.Helper()
	var out []realworldScript
	for _, dir := range []string{"", "invalid"} {
		paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "realworld", dir, "*.bt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			out = append(out, loadRealworld(t, p, dir == "invalid"))
		}
	}
	if len(out) < 10 {
		t.Fatalf("found %d realworld scripts; is testdata/realworld missing?", len(out))
	}
	return out
}

// checkRealworld runs `bpfls check` on one script and returns its errors
// and warnings.
func checkRealworld(t *testing.T, s realworldScript, target string, kernel bool) []realworldDiag {
	t.Helper()
	args := []string{"check", "--format", "json", "--target-version", target}
	if !kernel {
		args = append(args, "--no-kernel")
	}
	code, out, errOut := runBpfls(t, append(args, s.path)...)
	if code != exitOK && code != exitFail {
		t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
	}
	var diags []realworldDiag
	if err := json.Unmarshal([]byte(out), &diags); err != nil {
		t.Fatalf("%v: output is not JSON: %v\n%s", args, err, out)
	}
	var kept []realworldDiag
	for _, d := range diags {
		if d.Severity == "error" || d.Severity == "warning" {
			kept = append(kept, d)
		}
	}
	return kept
}

func kernelBTFReadable() bool {
	f, err := os.Open("/sys/kernel/btf/vmlinux")
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func TestRealworldCorpus(t *testing.T) {
	withKernel := kernelBTFReadable()
	for _, s := range realworldScripts(t) {
		t.Run(filepath.Base(filepath.Dir(s.path))+"/"+filepath.Base(s.path), func(t *testing.T) {
			if s.kernelOnly {
				requireRealBTF(t)
			}
			var all []realworldDiag
			for _, target := range s.targets {
				for _, kernel := range []bool{false, true} {
					if kernel && !withKernel || !kernel && s.kernelOnly {
						continue
					}
					diags := checkRealworld(t, s, target, kernel)
					all = append(all, diags...)
					judgeRealworld(t, s, target, kernel, diags)
				}
			}
			if (len(s.known) > 0 || s.missing) && withKernel && !sawKnown(s, all) {
				t.Errorf("bpfls no longer makes the known mistake: remove the known marker from the header")
			}
		})
	}
}

// judgeRealworld checks one run's diagnostics against the script's header.
func judgeRealworld(t *testing.T, s realworldScript, target string, kernel bool, diags []realworldDiag) {
	t.Helper()
	run := "target " + target + map[bool]string{true: " with the running kernel", false: " without kernel"}[kernel]
	var errs []realworldDiag
	for _, d := range diags {
		switch {
		case !s.invalid && s.known[d.Code]:
		case d.Severity == "error":
			errs = append(errs, d)
		case !s.allow[d.Code]:
			t.Errorf("%s: unexpected warning on line %d: %s [%s]", run, d.Line, d.Message, d.Code)
		}
	}
	switch {
	case !s.invalid:
		for _, d := range errs {
			t.Errorf("%s: false positive on line %d: %s [%s]", run, d.Line, d.Message, d.Code)
		}
	case s.missing: // a known false negative: no error yet
		for _, d := range errs {
			t.Errorf("%s: bpfls now reports line %d: %s [%s]; if that is the wanted error, drop known-missing",
				run, d.Line, d.Message, d.Code)
		}
	case len(errs) != 1 || errs[0].Line != s.wantLn || errs[0].Code != s.wantCd:
		t.Errorf("%s: want exactly one error on line %d [%s], got %+v", run, s.wantLn, s.wantCd, errs)
	}
}

// sawKnown reports whether some run still made the known mistake: a known
// false positive is still reported, a known false negative still missed.
func sawKnown(s realworldScript, all []realworldDiag) bool {
	for _, d := range all {
		if s.invalid && d.Severity == "error" {
			return false
		}
		// A code both known and allowed is a known error that should
		// become a warning.
		if !s.invalid && s.known[d.Code] && (d.Severity == "error" || !s.allow[d.Code]) {
			return true
		}
	}
	return s.invalid
}

// realCompileProviders are the probe types the real bpftrace 0.17 compiles
// on this kind of host (kfunc needs available_filter_functions, uprobe and
// usdt need their binaries).
var realCompileProviders = map[string]bool{
	"kprobe": true, "k": true, "kretprobe": true, "kr": true, "tracepoint": true, "t": true,
	"BEGIN": true, "END": true, "interval": true, "i": true, "profile": true, "p": true,
}

// realCompilable reports whether the real bpftrace 0.17 can judge s.
func realCompilable(s realworldScript) bool {
	if !slicesContain(s.targets, "0.17") {
		return false
	}
	f := syntax.Parse(s.path, s.src, syntax.Dialect{Version: syntax.V0_17})
	probes := 0
	for _, it := range f.Items() {
		p, ok := it.(*syntax.Probe)
		if !ok {
			continue
		}
		probes++
		for _, ap := range p.AttachPoints {
			if !realCompileProviders[ap.Provider] {
				return false
			}
		}
	}
	return probes > 0
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// realBpftrace017 returns the bpftrace 0.17 to compile with: a missing one
// skips the test, or fails it under BPFLS_REQUIRE_REAL=1.
func realBpftrace017(t *testing.T) string {
	t.Helper()
	why := ""
	path, err := exec.LookPath("bpftrace")
	if err == nil {
		out, verr := exec.Command(path, "--version").Output()
		if verr != nil || !strings.Contains(string(out), "v0.17.") {
			why = "bpftrace in PATH is not 0.17: " + strings.TrimSpace(string(out))
		}
	} else {
		why = "no bpftrace in PATH"
	}
	if why == "" {
		return path
	}
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatal("BPFLS_REQUIRE_REAL=1 but " + why)
	}
	t.Skip(why)
	return ""
}

// bpftraceError matches a located bpftrace error: FILE:LINE[-LINE][:COL[-COL]]: ERROR:.
var bpftraceError = regexp.MustCompile(`(?m)^[^:\n]+:(\d+)(?:-(\d+))?(?::\d+(?:-\d+)?)?: ERROR: `)

func TestRealworldRealCompiler(t *testing.T) {
	var scripts []realworldScript
	for _, s := range realworldScripts(t) {
		if realCompilable(s) {
			scripts = append(scripts, s)
		}
	}
	if len(scripts) == 0 {
		t.Fatal("no realworld script can be compiled by bpftrace 0.17")
	}
	bin := realBpftrace017(t)
	for _, s := range scripts {
		t.Run(filepath.Base(filepath.Dir(s.path))+"/"+filepath.Base(s.path), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			abs, err := filepath.Abs(s.path)
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.CommandContext(ctx, bin, "--unsafe", "--test=codegen", abs).CombinedOutput()
			if !s.invalid {
				if err != nil || bpftraceError.Match(out) {
					t.Errorf("bpftrace 0.17 rejects a script the corpus calls valid (%v):\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("bpftrace 0.17 compiles a script the corpus calls invalid:\n%s", out)
			}
			for _, m := range bpftraceError.FindAllSubmatch(out, -1) {
				from, _ := strconv.Atoi(string(m[1]))
				to := from
				if len(m[2]) > 0 {
					to, _ = strconv.Atoi(string(m[2]))
				}
				if from <= s.wantLn && s.wantLn <= to {
					return
				}
			}
			t.Errorf("bpftrace 0.17 reports no error on line %d:\n%s", s.wantLn, out)
		})
	}
}
