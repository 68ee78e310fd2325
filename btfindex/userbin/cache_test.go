package userbin_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/btfindex/userbin"
)

func TestCacheReadsInBackgroundOnce(t *testing.T) {
	bins := binaries(t)
	// A copy we may touch without disturbing the other tests.
	data, err := os.ReadFile(bins.Debug)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/shapes"
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var updates atomic.Int32
	c := userbin.NewCache(ctx, zaptest.NewLogger(t), userbin.Options{
		OnUpdate: func(string) { updates.Add(1) },
		Recheck:  time.Nanosecond, // look at the file's size and mtime on every lookup
	})
	defer c.Close()

	first := c.Lookup(path)
	if first.State != userbin.Reading || first.Binary != nil {
		t.Fatalf("first lookup = %+v, want Reading without a binary", first)
	}
	e := c.Wait(ctx, path)
	if e.State != userbin.Complete || e.Binary == nil {
		t.Fatalf("after waiting: %+v", e)
	}
	if _, ok := e.Binary.Prototype("add_points"); !ok {
		t.Errorf("no prototype after the background read")
	}
	if n := updates.Load(); n != 2 {
		t.Errorf("OnUpdate called %d times, want 2 (symbols, then debug info)", n)
	}
	for i := 0; i < 100; i++ {
		if again := c.Lookup(path); again.Binary != e.Binary {
			t.Fatalf("lookup %d returned a different binary", i)
		}
	}
	if n := c.Reads(); n != 1 {
		t.Errorf("%d reads for an unchanged file, want 1", n)
	}

	// A new mtime with the same content: read again, same build-id, so the
	// debug info already loaded is kept.
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	if st := c.Lookup(path).State; st != userbin.Reading {
		t.Errorf("after touching the file: state %v, want Reading", st)
	}
	again := c.Wait(ctx, path)
	if c.Reads() != 2 || again.Binary != e.Binary {
		t.Errorf("a touched file with the same build-id: %d reads, same binary %v", c.Reads(), again.Binary == e.Binary)
	}

	// Replaced by a script: the entry fails as not ELF.
	os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755)
	if bad := c.Wait(ctx, path); bad.State != userbin.Failed || bad.Err == nil {
		t.Errorf("a file replaced by a script: %+v", bad)
	}
	if missing := c.Lookup(path + "-gone"); missing.State != userbin.Failed {
		t.Errorf("a missing file: %+v", missing)
	}
}
