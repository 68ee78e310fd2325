// Package cdecl reads the C part of a bpftrace script: its struct, union,
// enum and typedef definitions, its #defines and the headers it
// #includes, through a real C preprocessor and front end
// (modernc.org/cc/v4), as bpftrace hands them to clang. The result is in
// btfindex's types, so the analysis treats script and header types like
// the kernel's.
//
// Headers are searched as bpftrace's clang searches them: for a "quoted"
// name the script's directory first, then the -I directories (and the
// verify.includeDirs setting), the kernel headers directories and the
// system include directories. BPFTRACE_HAVE_BTF is defined when the kernel has BTF, so
// an `#ifndef BPFTRACE_HAVE_BTF` block is never read.
package cdecl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/cc/v4"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// Options says where headers are and what is predefined.
type Options struct {
	// Path is the script's file name; its directory is searched for
	// headers. "" searches the working directory.
	Path string
	// IncludeDirs are searched first, in order (bpftrace's -I).
	IncludeDirs []string
	// SysDirs replaces the system include directories; nil means
	// [DefaultSysDirs] and the running kernel's headers.
	SysDirs []string
	// Kernel is a kernel headers tree to search; with none (and SysDirs
	// nil) the running kernel's is found as bpftrace finds it.
	Kernel KernelHeaders
	// HaveBTF defines BPFTRACE_HAVE_BTF, as bpftrace does when the kernel
	// has BTF.
	HaveBTF bool
}

// Const is an enum constant the script or a header defines.
type Const struct {
	Name  string
	Enum  string // the enum's tag, "" when anonymous
	Value int64
	File  string // where it is defined ("" for the script itself)
	Line  int
}

// Include is one #include line of the script.
type Include struct {
	Span syntax.Span // the whole line
	Name string      // as written, without <> or ""
	Path string      // the file it resolved to, "" when none
}

// Problem is something the C front end reported, placed in the script:
// on the #include line it came through, for a problem inside a header.
type Problem struct {
	Span    syntax.Span
	Message string
	// Missing is set for a header that cannot be found.
	Missing bool
}

// Decls is what the C part of a script defines.
type Decls struct {
	Records  map[string]*btfindex.Record // by tag; structs and unions share C's tag namespace
	Typedefs map[string]btfindex.Type
	Consts   map[string]Const
	Macros   map[string]string // #define name → replacement text ("" for an empty one)
	// Files says which header defines a record (by tag), an enum (by
	// "enum TAG") or a macro (by name); the script's own are absent.
	Files    map[string]string
	Includes []Include
	Problems []Problem
	// Complete is set when the front end read everything: names it does
	// not define are not defined anywhere in the C part. Headers of a
	// kernel headers tree are never read, so a script including one is
	// not complete.
	Complete bool
	// Headers lists the header files the front end opened.
	Headers []string
	// KernelHeaders is set when a kernel headers tree was searched.
	KernelHeaders bool
}

// expansionLimit bounds macro expansion work per script, so a hostile
// header cannot take hours (see cc.Config.ExpansionLimit).
const expansionLimit = 1 << 24

// Read reads the C part of a script: src is the whole script and spans
// those of its C preamble (preprocessor lines and definitions).
func Read(ctx context.Context, src []byte, spans []syntax.Span, opts Options) *Decls {
	return ReadParts(ctx, PartsOf(src, spans), opts)
}

// ReadParts reads the C part of a script from its parts alone. The front
// end sees them where they are relative to each other, with everything
// else blank, so positions it reports are the script's own.
func ReadParts(ctx context.Context, parts []Part, opts Options) *Decls {
	l := layOut(parts)
	return l.place(readLaid(ctx, l, opts))
}

// readLaid reads the laid-out C part; positions in the result are
// relative to the layout (see layout.place).
func readLaid(ctx context.Context, l *layout, opts Options) *Decls {
	d := &Decls{Records: map[string]*btfindex.Record{}, Typedefs: map[string]btfindex.Type{},
		Consts: map[string]Const{}, Macros: map[string]string{}, Files: map[string]string{}}
	c := slices.Clone(l.c)
	lines := syntax.NewLineTable(c)
	d.Includes = findIncludes(c, opts)
	defer func() {
		for i := range d.Includes {
			d.Includes[i].Span = l.relSpan(d.Includes[i].Span)
		}
		for i := range d.Problems {
			d.Problems[i].Span = l.relSpan(d.Problems[i].Span)
		}
	}()
	kernel := kernelTree(opts)
	d.KernelHeaders = kernel.Src != ""
	skipped := false
	for _, in := range d.Includes {
		if kernel.contains(in.Path) {
			blank(c, in.Span) // not read: see KernelHeaders.contains
			skipped = true
		}
	}
	name := scriptName(opts.Path)
	fsys := &headerFS{}
	defer func() { d.Headers = fsys.opened() }()
	ends := l.braceEnds()
	for attempt := 0; attempt < 2 && ctx.Err() == nil; attempt++ {
		ast, err := translate(name, withSemicolons(c, ends), opts, fsys)
		if err == nil {
			d.Complete = attempt == 0 && !skipped
			collect(ast, name, d)
			return d
		}
		probs, missing := problems(err, name, lines, syntax.Pos(len(c)), d.Includes)
		if len(missing) == 0 || attempt == 1 {
			d.Problems = append(d.Problems, probs...)
			return d
		}
		// Report the headers that are missing, and read the rest without
		// them so that the script's own definitions still count.
		d.Problems = append(d.Problems, missingOnly(probs)...)
		for _, sp := range missing {
			blank(c, sp)
		}
	}
	return d
}

// withSemicolons ends each definition written without its ';' ("struct a
// { int x; }"), as bpftrace does before clang sees it: ends are the
// offsets right after such definitions. The ';' goes right after the '}',
// so line numbers stay those of the script.
func withSemicolons(c []byte, ends []int) []byte {
	if len(ends) == 0 {
		return append(slices.Clip(c), eofGuard...)
	}
	slices.Sort(ends)
	out := make([]byte, 0, len(c)+len(ends)+1)
	prev := 0
	for _, e := range ends {
		out = append(append(out, c[prev:e]...), ';')
		prev = e
	}
	return append(append(out, c[prev:]...), eofGuard...)
}

// eofGuard ends every translation unit: cc/v4 v4.35.0's parser loops for
// ever when the input ends right after "enum" (a header can), and never
// sees the end of input right after anything else while this follows.
const eofGuard = "\n;"

// endsWithBrace reports whether a part's text ends in '}' (spaces aside).
func endsWithBrace(text []byte) bool {
	return bytes.HasSuffix(bytes.TrimRight(text, " \t\r\n"), []byte("}"))
}

func blank(c []byte, sp syntax.Span) {
	for i := sp.Start; i < sp.End && int(i) < len(c); i++ {
		if c[i] != '\n' {
			c[i] = ' '
		}
	}
}

// scriptName is the name the script's C part goes by: the script's own
// path, so that "quoted" headers resolve next to it.
func scriptName(path string) string {
	if path == "" {
		path = "script.bt"
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// DefaultSysDirs are the system include directories bpftrace's clang
// searches last (-isystem).
func DefaultSysDirs() []string {
	return []string{"/usr/local/include", "/usr/include/x86_64-linux-gnu", "/usr/include"}
}

// kernelTree is the kernel headers tree opts name, or with default
// directories the running kernel's, as bpftrace finds it.
func kernelTree(opts Options) KernelHeaders {
	if opts.Kernel.Src != "" || opts.SysDirs != nil {
		return opts.Kernel
	}
	k, _ := runningKernelHeaders()
	return k
}

// searchDirs are the directories after the script's own, in bpftrace's
// order: the kernel tree's (its -I flags come first, when withKernel), the
// -I directories, then the system's.
func searchDirs(opts Options, withKernel bool) []string {
	var dirs []string
	if withKernel {
		dirs = kernelTree(opts).Dirs()
	}
	dirs = append(dirs, opts.IncludeDirs...)
	sys := opts.SysDirs
	if sys == nil {
		sys = DefaultSysDirs()
	}
	return append(dirs, sys...)
}

// predefined are the macros clang predefines for x86-64 Linux that headers
// test, and bpftrace's own.
const predefined = `#define __x86_64__ 1
#define __x86_64 1
#define __linux__ 1
#define __linux 1
#define __unix__ 1
#define __STDC__ 1
#define __STDC_VERSION__ 201112L
#define __GNUC__ 4
#define __GNUC_MINOR__ 2
#define __clang__ 1
#define __CHAR_BIT__ 8
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 8
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_SHORT__ 2
#define __LP64__ 1
#define _LP64 1
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_BIG_ENDIAN__ 4321
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __SIZE_TYPE__ unsigned long
#define __PTRDIFF_TYPE__ long
#define __WCHAR_TYPE__ int
#define __INT8_TYPE__ signed char
#define __INT16_TYPE__ short
#define __INT32_TYPE__ int
#define __INT64_TYPE__ long
#define __UINT8_TYPE__ unsigned char
#define __UINT16_TYPE__ unsigned short
#define __UINT32_TYPE__ unsigned int
#define __UINT64_TYPE__ unsigned long
#define __INTPTR_TYPE__ long
#define __UINTPTR_TYPE__ unsigned long
#define __INTMAX_TYPE__ long
#define __UINTMAX_TYPE__ unsigned long
#define __BPFTRACE__ 1
`

func translate(name string, c []byte, opts Options, fsys *headerFS) (ast *cc.AST, err error) {
	defer func() {
		// The front end is not ours: a panic on some input must cost the
		// C part's types, not the analysis.
		if r := recover(); r != nil {
			ast, err = nil, fmt.Errorf("C front end failed: %v", r)
		}
	}()
	abi, err := cc.NewABI(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		abi, err = cc.NewABI("linux", "amd64")
		if err != nil {
			return nil, err
		}
	}
	dirs := searchDirs(opts, false) // the tree's headers are not read: see Read
	cfg := &cc.Config{ABI: abi, IncludePaths: append([]string{""}, dirs...), SysIncludePaths: dirs,
		Header: true, IgnoreStaticAssert: true, ExpansionLimit: expansionLimit, FS: fsys, FSOnly: true}
	pre := predefined
	if opts.HaveBTF {
		pre += "#define BPFTRACE_HAVE_BTF 1\n"
	}
	srcs := []cc.Source{{Name: "<predefined>", Value: pre}, {Name: "<builtin>", Value: cc.Builtin}, {Name: name, Value: c}}
	// cc/v4 v4.35.0's parser can loop for ever on input that ends inside
	// a declaration; the preprocessor cannot. Parse only token streams
	// whose brackets balance, which then end after a whole declaration.
	var shape bracketCheck
	if err := cc.Preprocess(cfg, srcs, &shape); err != nil {
		return nil, err
	}
	if !shape.balanced() {
		return nil, fmt.Errorf("%s:1:1: the C definitions do not parse (unbalanced brackets, stray characters or an unfinished declaration)", name)
	}
	return translateWithin(cfg, srcs, translateTimeout)
}

// translateTimeout bounds one translation, which only input that makes
// the parser loop should reach: a kernel header tree takes about 50 ms,
// ten times that under the race detector, and several times more on a
// loaded machine. At 3 s, a loaded test run once saw linux/sched.h's
// tree ignored.
const translateTimeout = 10 * time.Second

// translateWithin runs the front end with a deadline. Input the checks
// above let through may still make cc/v4's parser loop: the analysis then
// goes on without the C part, and the stuck goroutine is left behind (Go
// cannot stop it), once per distinct C part, as the cache remembers the
// failure.
func translateWithin(cfg *cc.Config, srcs []cc.Source, d time.Duration) (*cc.AST, error) {
	type result struct {
		ast *cc.AST
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- result{nil, fmt.Errorf("C front end failed: %v", r)}
			}
		}()
		ast, err := cc.Translate(cfg, srcs)
		ch <- result{ast, err}
	}()
	select {
	case r := <-ch:
		return r.ast, r.err
	case <-time.After(d):
		return nil, errors.New("the C front end did not finish: C definitions ignored")
	}
}

// bracketCheck receives the preprocessed tokens, one Write each, and
// checks that (), [] and {} nest.
type bracketCheck struct {
	depth [3]int
	bad   bool
	line  int    // lines seen, for the report
	prev  string // the last token that is not white space
}

func (b *bracketCheck) Write(p []byte) (int, error) {
	b.line += bytes.Count(p, []byte{'\n'})
	if len(p) > 0 && p[0] != '"' && p[0] != '\'' && strings.ContainsFunc(string(p), notCToken) {
		b.bad = true // a stray byte no C token has: the parser may not recover
	}
	tok := strings.TrimSpace(string(p))
	if tok == "" {
		return len(p), nil
	}
	if (tok == ";" || tok == "}") && !endsDeclarator(b.prev) {
		b.bad = true // "char * }": cc/v4's parser does not recover from it
	}
	b.prev = tok
	if len(p) == 1 {
		switch p[0] {
		case '(', '[', '{':
			b.depth[strings.IndexByte("([{", p[0])]++
		case ')', ']', '}':
			k := strings.IndexByte(")]}", p[0])
			if b.depth[k]--; b.depth[k] < 0 {
				b.bad = true
			}
		}
	}
	return len(p), nil
}

// endsDeclarator reports whether tok may come right before ';' or '}'.
func endsDeclarator(tok string) bool {
	switch tok {
	case "", ";", "{", "}", ")", "]", ",":
		return true
	case "struct", "union", "enum", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
		"void", "const", "volatile", "restrict", "typedef", "static", "extern", "inline", "_Bool":
		return false
	}
	c := tok[0]
	return c == '_' || c == '"' || c == '\'' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// notCToken reports a character outside C's tokens (literals aside).
func notCToken(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune("_ \t\r\n\f\v.+-*/%&|^!~<>=?:;,(){}[]#", r)
}

func (b *bracketCheck) balanced() bool {
	return !b.bad && b.depth == [3]int{}
}

// errPos matches the "file:line:col: message" the front end reports.
var errPos = regexp.MustCompile(`^(.*?):(\d+):(\d+): (.*)$`)

// problems places the front end's errors in the script. An error in a
// header is placed on the #include line; a missing header's line is
// returned in missing.
func problems(err error, name string, lines *syntax.LineTable, srcEnd syntax.Pos, incs []Include) (out []Problem, missing []syntax.Span) {
	for _, msg := range strings.Split(err.Error(), "\n") {
		msg = strings.TrimSpace(msg)
		if msg == "" {
			continue
		}
		m := errPos.FindStringSubmatch(msg)
		if m == nil {
			out = append(out, Problem{Span: firstInclude(incs), Message: msg})
			continue
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		text := m[4]
		if m[1] != name {
			if len(out) > 0 && !out[len(out)-1].Missing {
				continue // one problem from inside the headers is enough
			}
			out = append(out, Problem{Span: firstInclude(incs), Message: fmt.Sprintf("%s:%d: %s", m[1], line, text)})
			continue
		}
		p, ok := lines.Offset(line, col)
		if !ok || p < 0 {
			p = srcEnd // the guard after the script's last line
		}
		sp := syntax.Span{Start: p, End: p}
		miss := strings.HasPrefix(text, "include file not found: ")
		if miss || strings.HasPrefix(text, "#") {
			for _, in := range incs {
				if in.Span.Start <= p && p <= in.Span.End {
					sp = in.Span
				}
			}
		}
		if miss {
			missing = append(missing, sp)
			text = "cannot find header " + strings.TrimPrefix(text, "include file not found: ")
		}
		out = append(out, Problem{Span: sp, Message: text, Missing: miss})
	}
	return out, missing
}

func missingOnly(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if p.Missing {
			out = append(out, p)
		}
	}
	return out
}

func firstInclude(incs []Include) syntax.Span {
	if len(incs) > 0 {
		return incs[0].Span
	}
	return syntax.Span{}
}
