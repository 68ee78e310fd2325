package btfindex

// This file implements reading available_filter_functions, the kernel's
// list of functions that kprobes and fentry can attach to.

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// filterFuncs loads available_filter_functions once, on first use. Reading
// it needs privileges on most systems; when it is unreadable, err says why
// and names is nil.
type filterFuncs struct {
	path string

	once  sync.Once
	names []string // sorted, deduplicated, without the " [module]" suffix
	err   error
}

func newFilterFuncs(tfs *tracefs) *filterFuncs {
	if tfs == nil {
		return &filterFuncs{}
	}
	return &filterFuncs{path: filepath.Join(tfs.dir, filterFuncFile)}
}

// load returns the sorted list, or the reason it is unavailable.
func (f *filterFuncs) load() ([]string, error) {
	f.once.Do(func() {
		if f.path == "" {
			f.err = fmt.Errorf("reading %s: tracefs is not available", filterFuncFile)
			return
		}
		data, err := readRegular(f.path, MaxListSize)
		if err != nil {
			f.err = fmt.Errorf("reading %s: %w", f.path, err)
			return
		}
		f.names = parseFilterFuncs(data)
	})
	return f.names, f.err
}

// parseFilterFuncs reads lines like "vfs_read" and "nf_hook [nf_tables]",
// and returns the sorted, deduplicated function names.
func parseFilterFuncs(data []byte) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, _, _ := strings.Cut(line, " "); name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return compactSorted(names)
}

// compactSorted removes adjacent duplicates from a sorted slice.
func compactSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// contains reports whether sorted has name.
func containsSorted(sorted []string, name string) bool {
	i := sort.SearchStrings(sorted, name)
	return i < len(sorted) && sorted[i] == name
}
