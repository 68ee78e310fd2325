package btfindex

// This file implements kernel symbols: the names kprobes attach to, which
// include functions BTF does not describe (static functions, compiler
// clones such as "kzalloc_noprof.constprop.0" or "foo.isra.0", module
// functions of modules without BTF). They come from
// available_filter_functions where it is readable and from the text
// symbols of /proc/kallsyms otherwise; kallsyms is readable without root
// (the addresses then read as zero, the names are all there).

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// kallsymsPath is where the running kernel lists its symbols.
const kallsymsPath = "/proc/kallsyms"

// Symbol is a kernel function symbol: its name and the module it is in
// ("" for vmlinux). A name may be listed once per module that has it.
type Symbol struct {
	Name   string `json:"name"`
	Module string `json:"module,omitempty"`
}

// symbolSource loads the symbols once, on first use.
type symbolSource struct {
	paths []string // tried in order; the first readable one is used

	once sync.Once
	syms []Symbol // sorted by name, then module; deduplicated
	path string   // the file they came from
	err  error
}

// newSymbolSource picks the files for opts: the named file, or for the
// running kernel available_filter_functions (when tracefs is mounted) and
// then /proc/kallsyms. Another kernel's BTF brings no symbols: this
// machine's kallsyms describes the running kernel only.
func newSymbolSource(opts Options, tfs *tracefs) *symbolSource {
	switch {
	case opts.SymbolsPath == "-":
		return &symbolSource{}
	case opts.SymbolsPath != "":
		return &symbolSource{paths: []string{opts.SymbolsPath}}
	case opts.BTFPath != "":
		return &symbolSource{}
	}
	s := &symbolSource{}
	if tfs != nil {
		s.paths = append(s.paths, tfs.dir+"/"+filterFuncFile)
	}
	s.paths = append(s.paths, kallsymsPath)
	return s
}

// load returns the sorted symbols, or why there are none.
func (s *symbolSource) load() ([]Symbol, error) {
	if s == nil {
		return nil, fmt.Errorf("no kernel symbols: not the running kernel")
	}
	s.once.Do(func() {
		if len(s.paths) == 0 {
			s.err = fmt.Errorf("no kernel symbols: not the running kernel")
			return
		}
		var errs []string
		for _, p := range s.paths {
			data, err := readRegular(p, MaxListSize)
			if err == nil {
				s.syms, s.path = parseSymbols(data), p
				return
			}
			errs = append(errs, err.Error())
		}
		s.err = fmt.Errorf("reading kernel symbols: %s", strings.Join(errs, "; "))
	})
	return s.syms, s.err
}

// parseSymbols reads either format, line by line:
//
//	available_filter_functions: "vfs_read" or "nf_hook_slow [nf_tables]"
//	/proc/kallsyms:             "ffffffff81234560 t vfs_read" or
//	                            "0000000000000000 t foo\t[mod]"
//
// Of kallsyms only text symbols (t, T, w, W) are functions. The __pfx_ and
// __cfi_ symbols are padding in front of a function, not functions, and
// available_filter_functions never lists them.
func parseSymbols(data []byte) []Symbol {
	var out []Symbol
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 3 && len(f[1]) == 1 && isHex(f[0]) {
			if !strings.Contains("tTwW", f[1]) {
				continue
			}
			f = f[2:] // name [module]
		}
		if len(f) == 0 || strings.HasPrefix(f[0], "__pfx_") || strings.HasPrefix(f[0], "__cfi_") {
			continue
		}
		sym := Symbol{Name: f[0]}
		if len(f) > 1 && strings.HasPrefix(f[1], "[") && strings.HasSuffix(f[1], "]") {
			sym.Module = f[1][1 : len(f[1])-1]
		}
		out = append(out, sym)
	}
	slices.SortFunc(out, compareSymbols)
	return slices.Compact(out)
}

func compareSymbols(a, b Symbol) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Module, b.Module)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// symbolNames is a sorted symbol list as a nameList.
type symbolNames []Symbol

func (s symbolNames) Len() int        { return len(s) }
func (s symbolNames) At(i int) string { return s[i].Name }

// Symbols returns the kernel symbols named name, one per module that has
// it (vmlinux first), or nil. They come from the on-disk index or snapshot
// when it has them, else from kallsyms or available_filter_functions.
func (ix *Index) Symbols(name string) []Symbol {
	if ix == nil {
		return nil
	}
	if t := ix.symbolTable(); t != nil {
		return t.symbols(name)
	}
	syms, _ := ix.syms.load()
	i, _ := slices.BinarySearchFunc(syms, name, func(s Symbol, n string) int { return cmp.Compare(s.Name, n) })
	var out []Symbol
	for ; i < len(syms) && syms[i].Name == name; i++ {
		out = append(out, syms[i])
	}
	return out
}

// symbolTable is the snapshot, or the on-disk index once it is ready.
func (ix *Index) symbolTable() *table {
	if ix.snap != nil {
		return ix.snap
	}
	if ix.cache != nil {
		return ix.cache.table()
	}
	return nil
}

// symbolList serves listings of [NameSymbol].
func (ix *Index) symbolList() nameList {
	if t := ix.symbolTable(); t != nil {
		return t.names(NameSymbol)
	}
	syms, _ := ix.syms.load()
	return symbolNames(syms)
}

// ModuleLoaded reports whether module mod is loaded, as bpftrace 0.26
// decides before it attaches a kprobe:mod:function: /proc/modules lists it
// (a kernel built without modules has no /proc/modules and none loaded);
// "vmlinux" always is. With a symbols file (Options.SymbolsPath) the
// modules the file names count as loaded. known is false when the index
// cannot tell: another kernel's BTF, or a snapshot.
func (ix *Index) ModuleLoaded(mod string) (loaded, known bool) {
	if ix == nil || ix.snap != nil || ix.syms == nil || len(ix.syms.paths) == 0 {
		return false, false
	}
	if mod == "vmlinux" {
		return true, true
	}
	if ix.opts.SymbolsPath != "" {
		return ix.ModuleHasSymbols(mod), true
	}
	data, err := readRegular(procModules, MaxListSize)
	if err != nil {
		return false, true
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if name, _, _ := strings.Cut(line, " "); name == mod {
			return true, true
		}
	}
	return false, true
}

// ModuleHasSymbols reports whether any kernel symbol is in module mod
// (bpftrace 0.24 checks a kprobe:mod:function's name only against a
// module it has functions of).
func (ix *Index) ModuleHasSymbols(mod string) bool {
	if ix == nil {
		return false
	}
	if t := ix.symbolTable(); t != nil {
		sec := t.secs[secSymbols]
		for i := range sec.n() {
			r := reader{b: sec.entry(i)}
			r.u() // the name
			if m := t.str(r.u()); m == mod && !r.bad {
				return true
			}
		}
		return false
	}
	syms, _ := ix.syms.load()
	return slices.ContainsFunc(syms, func(s Symbol) bool { return s.Module == mod })
}
