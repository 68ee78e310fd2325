package userbin

// This file implements finding the file an attach point names, as bpftrace
// does: a path as given, a program on PATH, or a library through
// ld.so.cache and the standard library directories.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNotFound reports a binary name that resolves to no file.
var ErrNotFound = errors.New("userbin: binary not found")

// DefaultLibDirs returns the library directories searched after ld.so.cache.
func DefaultLibDirs() []string {
	return []string{
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
		"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
	}
}

// Resolver turns the binary part of an attach point into a path. The zero
// value uses the process's PATH, /etc/ld.so.cache and [DefaultLibDirs].
type Resolver struct {
	PATH    string   // search path for programs; empty means $PATH
	LdCache string   // empty means /etc/ld.so.cache
	LibDirs []string // nil means DefaultLibDirs

	mu      sync.Mutex
	ldMod   time.Time
	ldSize  int64
	ldLibs  []LibEntry
	ldError error
}

// Resolution is where a name led.
type Resolution struct {
	Path string // absolute path of the file bpftrace would attach to
	Via  string // "path", "PATH" or "ld.so.cache" or "libdir"
	// Matches counts the PATH entries that hold the program (bpftrace warns
	// "matched 2 binaries" when /bin and /usr/bin both do).
	Matches int
}

// Resolve finds name as bpftrace does. A name with a slash must be an
// existing file; a bare name is looked up as a program on PATH and then as
// a library NAME.so* (so "libc" finds libc.so.6, while "c" and "libc.so.6"
// find nothing, as in bpftrace 0.17-0.26).
func (r *Resolver) Resolve(name string) (Resolution, error) {
	if name == "" {
		return Resolution{}, fmt.Errorf("%w: empty name", ErrNotFound)
	}
	if strings.Contains(name, "/") {
		abs, err := filepath.Abs(name)
		if err != nil {
			return Resolution{}, fmt.Errorf("resolving %q: %w", name, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return Resolution{}, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return Resolution{Path: abs, Via: "path", Matches: 1}, nil
	}
	if res, ok := r.program(name); ok {
		return res, nil
	}
	if p, ok := r.library(name); ok {
		return Resolution{Path: p, Via: "ld.so.cache", Matches: 1}, nil
	}
	for _, dir := range r.libDirs() {
		if p, ok := libInDir(dir, name); ok {
			return Resolution{Path: p, Via: "libdir", Matches: 1}, nil
		}
	}
	return Resolution{}, fmt.Errorf("%w: %s", ErrNotFound, name)
}

// program looks name up on PATH: the first regular, executable file wins.
func (r *Resolver) program(name string) (Resolution, bool) {
	path := r.PATH
	if path == "" {
		path = os.Getenv("PATH")
	}
	var res Resolution
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if !isExecutable(p) {
			continue
		}
		if res.Matches == 0 {
			res.Path, res.Via = p, "PATH"
			if !filepath.IsAbs(p) {
				if abs, err := filepath.Abs(p); err == nil {
					res.Path = abs
				}
			}
		}
		res.Matches++
	}
	return res, res.Matches > 0
}

// Programs lists the executables on PATH whose names start with prefix,
// sorted and unique: one directory read per PATH entry, no file opened.
func (r *Resolver) Programs(prefix string) []string {
	path := r.PATH
	if path == "" {
		path = os.Getenv("PATH")
	}
	seen := map[string]bool{}
	var out []string
	for _, dir := range filepath.SplitList(path) {
		entries, err := os.ReadDir(dir)
		if dir == "" || err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if seen[name] || !strings.HasPrefix(name, prefix) || e.IsDir() {
				continue
			}
			if info, err := e.Info(); err == nil && info.Mode().Perm()&0o111 != 0 {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// isExecutable reports a regular file with an execute bit.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// library returns the first ld.so.cache entry for this architecture whose
// name starts with NAME.so.
func (r *Resolver) library(name string) (string, bool) {
	libs := r.ldEntries()
	prefix := name + ".so"
	for _, e := range libs {
		if runtime.GOARCH == "amd64" && e.Flags != ldFlagX8664 {
			continue
		}
		if strings.HasPrefix(e.Name, prefix) {
			return e.Path, true
		}
	}
	return "", false
}

// Libraries lists the libraries ld.so.cache knows, for completion.
func (r *Resolver) Libraries() []LibEntry {
	var out []LibEntry
	for _, e := range r.ldEntries() {
		if runtime.GOARCH == "amd64" && e.Flags != ldFlagX8664 {
			continue
		}
		out = append(out, e)
	}
	return out
}

// ldEntries parses ld.so.cache once per change of its size or mtime.
func (r *Resolver) ldEntries() []LibEntry {
	path := r.LdCache
	if path == "" {
		path = "/etc/ld.so.cache"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fi, err := os.Stat(path)
	if err != nil {
		r.ldLibs, r.ldError = nil, err
		return nil
	}
	if fi.ModTime().Equal(r.ldMod) && fi.Size() == r.ldSize && (r.ldLibs != nil || r.ldError != nil) {
		return r.ldLibs
	}
	r.ldMod, r.ldSize = fi.ModTime(), fi.Size()
	if !fi.Mode().IsRegular() || fi.Size() > maxLdCache {
		r.ldLibs, r.ldError = nil, ErrBadLdCache
		return nil
	}
	data, err := os.ReadFile(path)
	if err == nil {
		r.ldLibs, err = parseLdCache(data)
	}
	r.ldError = err
	return r.ldLibs
}

// maxLdCache bounds the ld.so.cache bpfls reads (a real one is tens of KB).
const maxLdCache = 64 << 20

// libInDir finds DIR/NAME.so or the first DIR/NAME.so.* in name order.
func libInDir(dir, name string) (string, bool) {
	p := filepath.Join(dir, name+".so")
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p, true
	}
	matches, _ := filepath.Glob(filepath.Join(dir, globQuote(name)+".so.*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			return m, true
		}
	}
	return "", false
}

// globQuote escapes the glob metacharacters of a literal name.
func globQuote(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *Resolver) libDirs() []string {
	if r.LibDirs != nil {
		return r.LibDirs
	}
	return DefaultLibDirs()
}
