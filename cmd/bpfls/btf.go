package main

// This file implements `bpfls btf`: looking up functions, records, typedefs
// and tracepoints of a kernel, listing names, and exporting a snapshot.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/bpfls/bpfls/btfindex"
)

const btfUsage = `usage: bpfls btf [flags] COMMAND ARGS
commands:
  func NAME              a kernel function's prototype
  struct NAME            a struct or union layout ("union NAME" also works)
  typedef NAME           what a typedef resolves to
  tracepoint CAT:EVENT   a tracepoint's fields
  list KIND PATTERN      names matching a bpftrace wildcard; KIND is
                         func, struct, tracepoint, typedef, symbol (kernel
                         symbols: kallsyms, what kprobes attach to) or enum
                         (enum constants)
  stats                  what the index knows and where it came from
  export -o FILE         write a kernel snapshot for --kernel
flags (anywhere on the line):
`

// btfFlags are the flags of `bpfls btf`.
type btfFlags struct {
	btfPath, modules, kernel, cacheDir, tracefs, out, symbols string
	json                                                      bool
}

// runBTF implements `bpfls btf`: exit 0 on success, 1 when a name is
// unknown or the index cannot be opened, 2 on bad usage.
func runBTF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f btfFlags
	fl := flag.NewFlagSet("btf", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&f.btfPath, "btf", "", "BTF file (raw or ELF vmlinux) instead of /sys/kernel/btf/vmlinux")
	fl.StringVar(&f.modules, "modules", "", "directory of module split BTF files (default: /sys/kernel/btf without --btf)")
	fl.StringVar(&f.kernel, "kernel", "", "kernel snapshot (written by bpfls btf export) or BTF file of another kernel")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "directory of the on-disk index (default: user cache dir/bpfls; - disables)")
	fl.StringVar(&f.tracefs, "tracefs", "", "tracefs mount point (default: /sys/kernel/tracing or /sys/kernel/debug/tracing; - disables)")
	fl.StringVar(&f.symbols, "symbols", "", "kernel symbols in /proc/kallsyms or available_filter_functions format (default: the running kernel's; - none)")
	fl.StringVar(&f.out, "o", "", "output file for export")
	fl.BoolVar(&f.json, "json", false, "print JSON")
	fl.Usage = func() {
		fmt.Fprint(stderr, btfUsage)
		fl.PrintDefaults()
	}
	pos, err := parseInterspersed(fl, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) == 0 {
		fl.Usage()
		return exitUsage
	}
	cmd, ok := btfCommands[pos[0]]
	if !ok || len(pos)-1 != cmd.nargs {
		if !ok {
			fmt.Fprintf(stderr, "bpfls btf: unknown command %q\n", pos[0])
		} else {
			fmt.Fprintf(stderr, "bpfls btf %s: want %d argument(s), got %d\n", pos[0], cmd.nargs, len(pos)-1)
		}
		fl.Usage()
		return exitUsage
	}
	if pos[0] == "export" && f.out == "" {
		fmt.Fprintln(stderr, "bpfls btf export: -o FILE is required")
		return exitUsage
	}
	ix, err := openBTFIndex(ctx, f, cmd.cache)
	if err != nil {
		fmt.Fprintf(stderr, "bpfls btf: %v\n", err)
		return exitFail
	}
	defer ix.Close()
	if err := cmd.run(ctx, ix, pos[1:], f, stdout); err != nil {
		fmt.Fprintf(stderr, "bpfls btf %s: %v\n", pos[0], err)
		if errors.Is(err, errUsage) {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

// parseInterspersed parses flags before, between and after positional
// arguments, so "bpfls btf func --json vfs_read" works.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		args = fl.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openBTFIndex opens the --kernel snapshot or BTF file, the --btf file or
// the running kernel. Single lookups need no on-disk index, so only commands that list
// the whole kernel use (and build) it.
func openBTFIndex(ctx context.Context, f btfFlags, useCache bool) (*btfindex.Index, error) {
	opts := btfindex.Options{BTFPath: f.btfPath, ModulesDir: f.modules, CacheDir: f.cacheDir, TracefsDir: f.tracefs, SymbolsPath: f.symbols}
	if !useCache {
		opts.CacheDir = "-"
	}
	if f.kernel != "" {
		return btfindex.OpenKernel(ctx, f.kernel, opts)
	}
	return btfindex.Open(ctx, opts)
}

// errUsage marks a command error that is the user's invocation's fault.
var errUsage = errors.New("bad usage")

// btfCommand is one subcommand of `bpfls btf`.
type btfCommand struct {
	nargs int
	cache bool // lists the whole kernel, so load or build the on-disk index
	run   func(ctx context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error
}

var btfCommands = map[string]btfCommand{
	"func":       {1, false, btfFunc},
	"struct":     {1, false, btfStruct},
	"typedef":    {1, false, btfTypedef},
	"tracepoint": {1, false, btfTracepoint},
	"list":       {2, true, btfList},
	"stats":      {0, true, btfStats},
	"export":     {0, false, btfExport},
}

func btfFunc(_ context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error {
	fn, ok := ix.Func(args[0])
	if !ok {
		return fmt.Errorf("no function %q in kernel BTF", args[0])
	}
	if f.json {
		return writeJSON(w, fn)
	}
	line := btfindex.FormatFunc(fn)
	var notes []string
	if fn.Module != "" {
		notes = append(notes, "module "+fn.Module)
	}
	if fn.Traceable == btfindex.TraceNo {
		notes = append(notes, "not in available_filter_functions")
	}
	if len(notes) > 0 {
		line += " /* " + strings.Join(notes, ", ") + " */"
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

func btfStruct(_ context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error {
	rec, ok := ix.Record(args[0])
	if !ok {
		return fmt.Errorf("no struct or union %q in kernel BTF", args[0])
	}
	if f.json {
		return writeJSON(w, rec)
	}
	_, err := fmt.Fprintln(w, btfindex.FormatRecord(rec))
	return err
}

func btfTypedef(_ context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error {
	t, ok := ix.Typedef(args[0])
	if !ok {
		return fmt.Errorf("no typedef %q in kernel BTF", args[0])
	}
	if f.json {
		return writeJSON(w, struct {
			Name string        `json:"name"`
			Type btfindex.Type `json:"type"`
		}{args[0], t})
	}
	_, err := fmt.Fprintln(w, btfindex.FormatTypedef(args[0], t))
	return err
}

func btfTracepoint(_ context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error {
	name := strings.TrimPrefix(strings.TrimPrefix(args[0], "tracepoint:"), "t:")
	cat, ev, ok := strings.Cut(name, ":")
	if !ok || cat == "" || ev == "" {
		return fmt.Errorf("%w: want CATEGORY:EVENT, got %q", errUsage, args[0])
	}
	tp, found := ix.Tracepoint(cat, ev)
	if !found {
		return fmt.Errorf("no tracepoint %q (tracefs not mounted, or no such event)", name)
	}
	if f.json {
		return writeJSON(w, tp)
	}
	_, err := fmt.Fprintln(w, btfindex.FormatTracepoint(tp))
	return err
}

// listKinds maps list's KIND argument to a namespace.
var listKinds = map[string]btfindex.NameKind{
	"func": btfindex.NameFunc, "struct": btfindex.NameRecord,
	"tracepoint": btfindex.NameTracepoint, "typedef": btfindex.NameTypedef,
	"symbol": btfindex.NameSymbol, "enum": btfindex.NameEnumConst,
	"enumtag": btfindex.NameEnum,
}

func btfList(ctx context.Context, ix *btfindex.Index, args []string, f btfFlags, w io.Writer) error {
	kind, ok := listKinds[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown kind %q (want func, struct, tracepoint, typedef, symbol, enum or enumtag)", errUsage, args[0])
	}
	_ = ix.WaitReady(ctx) // listings work without the index; waiting saves it for next time
	names := ix.Match(kind, args[1])
	if len(names) == 0 {
		return fmt.Errorf("no %s matches %q", args[0], args[1])
	}
	if f.json {
		return writeJSON(w, names)
	}
	_, err := fmt.Fprintln(w, strings.Join(names, "\n"))
	return err
}

func btfExport(ctx context.Context, ix *btfindex.Index, _ []string, f btfFlags, w io.Writer) error {
	if err := ix.Export(ctx, f.out); err != nil {
		return err
	}
	snap, err := btfindex.OpenSnapshot(f.out)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", f.out, err)
	}
	st := snap.Stats()
	if f.json {
		return writeJSON(w, st)
	}
	_, err = fmt.Fprintf(w, "wrote %s: %d functions, %d structs/unions, %d typedefs, %d tracepoints, %d symbols; traceable: %s\n",
		f.out, st.Funcs, st.Records, st.Typedefs, st.Tracepoints, st.Symbols, traceableText(st.Traceable))
	return err
}

func btfStats(ctx context.Context, ix *btfindex.Index, _ []string, f btfFlags, w io.Writer) error {
	if err := ix.WaitReady(ctx); err != nil && ctx.Err() != nil {
		return err
	}
	st := ix.Stats()
	if f.json {
		return writeJSON(w, st)
	}
	cache := string(st.CacheState)
	if st.CachePath != "" {
		how := "loaded"
		if st.CacheBuilt {
			how = "built"
		}
		cache += fmt.Sprintf(" (%s, %s)", st.CachePath, how)
	}
	rows := [][2]string{
		{"functions", fmt.Sprint(st.Funcs)}, {"structs/unions", fmt.Sprint(st.Records)},
		{"typedefs", fmt.Sprint(st.Typedefs)}, {"tracepoints", fmt.Sprint(st.Tracepoints)},
		{"symbols", fmt.Sprint(st.Symbols)}, {"traceable", traceableText(st.Traceable)}, {"sources", strings.Join(st.Sources, ", ")},
		{"key", st.Key}, {"index", cache},
	}
	for _, warning := range st.Warnings {
		rows = append(rows, [2]string{"warning", warning})
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-15s %s\n", r[0]+":", r[1]); err != nil {
			return err
		}
	}
	return nil
}

func traceableText(n int) string {
	if n < 0 {
		return "unknown (available_filter_functions not readable)"
	}
	return fmt.Sprintf("%d in available_filter_functions", n)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
