package benchtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// LargeScript is at most size bytes of the top-level
// testdata/bench/probes.bt: its header, then its body repeated with the
// macros renamed in each copy, so the script is realistic and valid. The
// analysis heap benchmark and the server's memory test open the same
// documents through it.
func LargeScript(tb testing.TB, size int) []byte {
	tb.Helper()
	src, err := os.ReadFile(Testdata(tb, "bench", "probes.bt"))
	if err != nil {
		tb.Fatal(err)
	}
	head, body, ok := strings.Cut(string(src), "// body:")
	if !ok {
		tb.Fatal("probes.bt has no body marker")
	}
	var b strings.Builder
	b.WriteString(head)
	for n := 0; ; n++ {
		copy := strings.NewReplacer("elapsed_since", fmt.Sprintf("elapsed_since%d", n), "bump", fmt.Sprintf("bump%d", n)).Replace("// body:" + body)
		if b.Len()+len(copy) > size {
			return []byte(b.String())
		}
		b.WriteString(copy)
	}
}

// TypingScript is about n lines of five-line probes, each with its own
// map key and variable, with a line in the middle that has a syntax error
// after an empty printf string: at is the offset inside that string, where
// the keystroke benchmarks type.
func TypingScript(n int) (src string, at int) {
	fns := []string{"vfs_read", "vfs_write", "tcp_sendmsg", "do_sys_openat2"}
	var b strings.Builder
	at = -1
	for i, lines := 0, 0; lines < n; i++ {
		if at < 0 && lines >= n/2 {
			b.WriteString(`BEGIN { printf("`)
			at = b.Len()
			b.WriteString(`"); $broken = ; }` + "\n")
			lines++
		}
		fmt.Fprintf(&b, "kprobe:%s /pid > %d/ {\n\t@calls[comm, %d] = count();\n\t$n = %d;\n\tprintf(\"%%s %%d\\n\", comm, $n);\n}\n", fns[i%len(fns)], i, i, i)
		lines += 5
	}
	return b.String(), at
}

// Testdata is the path of a file under the module's top-level testdata
// directory. Tests run in their package's directory, at any depth, so it
// looks for go.mod from there upwards.
func Testdata(tb testing.TB, elem ...string) string {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(append([]string{root, "testdata"}, elem...)...)
}

// moduleRoot is the nearest directory above the working directory that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("benchtest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Script is a script of the shared corpora: its path and text.
type Script struct {
	Path string
	Src  []byte
}

// CorpusScripts returns every script one folder below the top-level
// testdata (goldens, examples, real-world, agreement, format and other
// corpora), in path order; it fails tb when there is none.
func CorpusScripts(tb testing.TB) []Script {
	tb.Helper()
	paths, err := filepath.Glob(Testdata(tb, "*", "*.bt"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no scripts one folder below testdata (%v)", err)
	}
	out := make([]Script, len(paths))
	for i, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = Script{Path: p, Src: src}
	}
	return out
}

// GoldenInputs are the input.bt sections of the golden txtar files (the
// analysis package's and the top-level testdata's), by path.
func GoldenInputs(tb testing.TB) map[string][]byte {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]byte{}
	for _, dir := range []string{"analysis/testdata/semantics", "testdata/analysis", "testdata/semantics"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.txtar"))
		if err != nil || len(files) == 0 {
			tb.Fatalf("no golden files in %s (%v)", dir, err)
		}
		for _, file := range files {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				tb.Fatal(err)
			}
			for _, f := range ar.Files { // not analysistest.Section: syntax's tests import this package
				if f.Name == "input.bt" {
					out[file] = f.Data
				}
			}
		}
	}
	return out
}

// EditedScripts are the scripts the incremental tests edit: the golden
// inputs, the examples and the real-world corpus, by path.
func EditedScripts(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := GoldenInputs(tb)
	for _, dir := range []string{"examples", "realworld"} {
		files, err := filepath.Glob(Testdata(tb, dir, "*.bt"))
		if err != nil || len(files) == 0 {
			tb.Fatalf("no scripts in testdata/%s (%v)", dir, err)
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				tb.Fatal(err)
			}
			out[file] = src
		}
	}
	return out
}
