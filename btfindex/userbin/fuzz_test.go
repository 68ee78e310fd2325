package userbin_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bpfls/bpfls/btfindex/userbin"
)

// FuzzRead feeds arbitrary files to Read and LoadDebug: an error is fine,
// a panic, hang or unbounded allocation is not.
func FuzzRead(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Add([]byte("#!/bin/sh\n"))
	if data, err := os.ReadFile("/bin/true"); err == nil { // a small real ELF file
		f.Add(data)
	}
	lim := userbin.Limits{SymtabBytes: 1 << 20, NoteBytes: 1 << 16, DebugBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := userbin.Parse(bytes.NewReader(data), int64(len(data)), "fuzz", lim)
		if err != nil {
			return
		}
		b.Match("*", 0)
		b.MatchCpp("*", 0)
		for _, p := range b.Probes {
			b.Probe(p.Provider, p.Name)
		}
	})
}

// FuzzReadDebug writes each input to a file and also reads its DWARF,
// which needs a path; slower, so it runs only on demand.
func FuzzReadDebug(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	lim := userbin.Limits{SymtabBytes: 1 << 20, NoteBytes: 1 << 16, DebugBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "bin")
		if err := os.WriteFile(path, data, 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := userbin.Read(path, lim)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.LoadDebug(ctx, lim, []string{t.TempDir()})
		for _, fn := range b.Funcs {
			b.Prototype(fn.Name)
		}
	})
}

// FuzzLdCache feeds arbitrary ld.so.cache images to the resolver.
func FuzzLdCache(f *testing.F) {
	if data, err := os.ReadFile("/etc/ld.so.cache"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("glibc-ld.so.cache1.1"))
	f.Add([]byte("ld.so-1.7.0\x00\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "ld.so.cache")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := userbin.Resolver{PATH: "/nonexistent", LdCache: path, LibDirs: []string{}}
		r.Resolve("libc")
		r.Libraries()
	})
}
