// Package usertest builds the real ELF binaries that tests of user-space
// probes run against: C programs with and without debug info, a separate
// debug file, a stripped copy, a C++ program and one with USDT probes.
package usertest

import (
	"embed"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

//go:embed src
var sources embed.FS

// Binaries are the paths of the built programs.
type Binaries struct {
	Dir       string
	Debug     string // shapes built with gcc -g
	NoDebug   string // the same without its DWARF, with .gnu_debuglink to DebugFile
	DebugFile string // the separate debug file (objcopy --only-keep-debug)
	Stripped  string // the same with every symbol table stripped
	NoG       string // shapes built without -g: symbols but no debug info anywhere
	Script    string // an executable shell script: not ELF
	Cpp       string // widgets.cc built with g++ -g
	USDT      string // probes.c: USDT probes through <sys/sdt.h>
}

// RequireReal skips tb because a real part is missing, or fails it under
// BPFLS_REQUIRE_REAL=1 (CI), where the part must be there.
func RequireReal(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		tb.Fatalf("BPFLS_REQUIRE_REAL=1 but %s", why)
	}
	tb.Skip(why)
}

// Build compiles the programs into dir, or into a fresh directory removed
// after tb when dir is "". Without gcc, g++, objcopy or <sys/sdt.h> it
// skips (fails in CI).
func Build(tb testing.TB, dir string) Binaries {
	tb.Helper()
	for _, tool := range []string{"gcc", "g++", "objcopy", "strip"} {
		if _, err := exec.LookPath(tool); err != nil {
			RequireReal(tb, tool+" is not installed")
		}
	}
	if !haveSDT() {
		RequireReal(tb, "<sys/sdt.h> is missing (Debian: systemtap-sdt-dev)")
	}
	if dir == "" {
		dir = tb.TempDir()
	}
	entries, err := sources.ReadDir("src")
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		data, err := sources.ReadFile("src/" + e.Name())
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	b := Binaries{
		Dir:       dir,
		Debug:     filepath.Join(dir, "shapes"),
		NoDebug:   filepath.Join(dir, "shapes-nodebug"),
		DebugFile: filepath.Join(dir, "shapes.debug"),
		Stripped:  filepath.Join(dir, "shapes-stripped"),
		NoG:       filepath.Join(dir, "shapes-nog"),
		Script:    filepath.Join(dir, "script.sh"),
		Cpp:       filepath.Join(dir, "widgets"),
		USDT:      filepath.Join(dir, "probes"),
	}
	run(tb, dir, "gcc", "-g", "-O1", "-o", b.Debug, "shapes.c")
	run(tb, dir, "objcopy", "--only-keep-debug", b.Debug, b.DebugFile)
	run(tb, dir, "objcopy", "--strip-debug", "--add-gnu-debuglink="+b.DebugFile, b.Debug, b.NoDebug)
	run(tb, dir, "strip", "--strip-all", "-o", b.Stripped, b.Debug)
	run(tb, dir, "gcc", "-O1", "-o", b.NoG, "shapes.c")
	if err := os.WriteFile(b.Script, []byte("#!/bin/sh\necho shapes\n"), 0o755); err != nil {
		tb.Fatal(err)
	}
	run(tb, dir, "g++", "-g", "-O1", "-o", b.Cpp, "widgets.cc")
	run(tb, dir, "gcc", "-g", "-O1", "-o", b.USDT, "probes.c")
	return b
}

// haveSDT reports whether <sys/sdt.h> is where gcc looks (Debian puts it
// in the multiarch include directory).
func haveSDT() bool {
	for _, p := range []string{"/usr/include/sys/sdt.h", "/usr/include/x86_64-linux-gnu/sys/sdt.h",
		"/usr/include/aarch64-linux-gnu/sys/sdt.h", "/usr/local/include/sys/sdt.h"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

func run(tb testing.TB, dir, name string, args ...string) {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}
