package format

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// upstreamScripts matches the scripts bpftrace keeps in its official
// style at v0.26.1.
var upstreamScripts = regexp.MustCompile(`^(tools/[^/]*|src/stdlib/[^/]*|tests/runtime/scripts/[^/]*)\.bt$`)

// TestUpstream measures the formatter on bpftrace's own scripts, read from
// the bpftrace git directory BPFLS_BPFTRACE_GIT (they are not ours to copy
// into testdata, so CI has none and the test skips): every script at
// v0.26.1 should be a fixed point, and commit 93b324743, which applied
// `bpftrace --fmt` to the whole repository, gives before/after pairs. It
// fails where bpfls's layout differs from bpftrace 0.26.1's own output on
// the same input, and logs every script where bpfls misses the expected
// text.
func TestUpstream(t *testing.T) {
	gitDir := os.Getenv("BPFLS_BPFTRACE_GIT")
	if gitDir == "" {
		t.Skip("BPFLS_BPFTRACE_GIT names no bpftrace git directory")
	}
	bin := realFmt(t)
	git := func(args ...string) []byte {
		out, err := exec.Command("git", append([]string{"--git-dir", gitDir}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return out
	}
	type script struct{ name, in, want []byte }
	var fixed, pairs []script
	for _, name := range strings.Fields(string(git("ls-tree", "-r", "--name-only", "v0.26.1"))) {
		if upstreamScripts.MatchString(name) {
			src := git("show", "v0.26.1:"+name)
			fixed = append(fixed, script{[]byte(name), src, src})
		}
	}
	for _, name := range strings.Fields(string(git("diff-tree", "--no-commit-id", "-r", "--name-only", "93b324743"))) {
		if strings.HasSuffix(name, ".bt") {
			pairs = append(pairs, script{[]byte(name), git("show", "93b324743^:"+name), git("show", "93b324743:"+name)})
		}
	}
	for _, set := range []struct {
		name    string
		scripts []script
	}{{"v0.26.1 fixed points", fixed}, {"93b324743 before/after", pairs}} {
		same, sameReal, realOK := 0, 0, 0
		var why, vsReal []string
		for _, s := range set.scripts {
			name := string(s.name)
			path := filepath.Join(t.TempDir(), filepath.Base(name))
			if err := os.WriteFile(path, s.in, 0o644); err != nil {
				t.Fatal(err)
			}
			real, realErr := exec.Command(bin, "--fmt", path).Output()
			f := syntax.Parse(name, s.in, syntax.NewestDialect())
			got, err := Source(f)
			if err != nil {
				if realErr == nil {
					t.Errorf("%s: bpftrace formats it, bpfls: %v", name, err)
				}
				continue
			}
			if realErr != nil {
				t.Errorf("%s: bpftrace 0.26.1 does not format it", name)
				continue
			}
			if bytes.Equal(real, s.want) {
				realOK++
			}
			if bytes.Equal(got, s.want) {
				same++
			}
			if bytes.Equal(got, real) {
				sameReal++
			}
			var reasons []string
			if kept, ok := upstreamKept[name]; ok {
				reasons = append(reasons, kept)
			} else if faithful(f) != string(real) {
				t.Errorf("%s: layout differs from bpftrace --fmt:\n%s", name, lineDiff(string(real), faithful(f)))
				continue
			}
			if !bytes.Equal(got, real) && faithful(f) == string(real) {
				reasons = append(reasons, "keeps comments bpftrace drops")
			}
			if !bytes.Equal(got, real) {
				vsReal = append(vsReal, name+": "+strings.Join(reasons, "; "))
			}
			if !bytes.Equal(real, s.want) {
				reasons = append(reasons, "bpftrace 0.26.1 misses the expected text too")
			}
			if len(reasons) > 0 && !bytes.Equal(got, s.want) {
				why = append(why, name+": "+strings.Join(reasons, "; "))
			}
		}
		t.Logf("%s: bpfls gives bpftrace 0.26.1's own output for %d/%d; the others:\n%s",
			set.name, sameReal, len(set.scripts), strings.Join(vsReal, "\n"))
		t.Logf("%s: bpfls gives the expected text for %d/%d, bpftrace 0.26.1 itself for %d/%d; the others:\n%s",
			set.name, same, len(set.scripts), realOK, len(set.scripts), strings.Join(why, "\n"))
	}
}

// upstreamKept names the upstream scripts where bpfls keeps what bpftrace
// 0.26.1 changes, and why.
var upstreamKept = map[string]string{
	"src/stdlib/strings.bt": "sizeof(exp[0]) and typeinfo(exp[0]) keep the index; bpftrace prints exp[], the array type, which changes the meaning",
}
