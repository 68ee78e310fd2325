package btfindex

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test when f does not return within 10s: opening a FIFO
// used to block for ever.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after 10s", what)
		return nil
	}
}

// TestUserFilesMustBeRegular names devices, FIFOs and directories (and
// symlinks to them) where a BTF, snapshot or index file is expected: each
// is refused at once, without reading from it.
func TestUserFilesMustBeRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zeroLink := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zeroLink); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dev/zero", zeroLink, fifo, dir} {
		opens := map[string]func() error{
			"Open BTFPath": func() error {
				_, err := Open(context.Background(), Options{BTFPath: path, ModulesDir: "-", TracefsDir: "-", CacheDir: t.TempDir()})
				return err
			},
			"Open Snapshot": func() error { _, err := Open(context.Background(), Options{Snapshot: path}); return err },
			"OpenKernel": func() error {
				_, err := OpenKernel(context.Background(), path, Options{CacheDir: t.TempDir()})
				return err
			},
			"OpenSnapshot": func() error { _, err := OpenSnapshot(path); return err },
			"readRawBTF":   func() error { _, err := readRawBTF(path); return err },
			"symbols": func() error {
				_, err := newSymbolSource(Options{SymbolsPath: path}, nil).load()
				if err != nil && strings.Contains(err.Error(), ErrNotRegular.Error()) {
					return ErrNotRegular // load keeps only the message of each path's error
				}
				return err
			},
		}
		for name, open := range opens {
			if err := within(t, name+" "+path, open); !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s %s: %v, want ErrNotRegular", name, path, err)
			}
		}
	}
}

// TestCacheIndexLinkedToDevZero replaces the cached index with a symlink to
// /dev/zero: the next open must rebuild it rather than read without end.
func TestCacheIndexLinkedToDevZero(t *testing.T) {
	t.Parallel()
	btfDir, cacheDir := fixtureDir(t), t.TempDir()
	_, st := readyFixture(t, btfDir, cacheDir)
	if err := os.Remove(st.CachePath); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", st.CachePath); err != nil {
		t.Fatal(err)
	}
	if _, again := readyFixture(t, btfDir, cacheDir); !again.CacheBuilt {
		t.Error("index linked to /dev/zero was not rebuilt")
	}
}

// TestBTFFileLimits checks the size limit and a raw header that claims
// more than the file holds.
func TestBTFFileLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxBTFSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := OpenKernel(context.Background(), huge, Options{CacheDir: t.TempDir(), ModulesDir: "-", TracefsDir: "-"}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file over the limit: %v, want ErrTooLarge", err)
	}
	vmlinux, _ := buildFixtures(t)
	lying := append([]byte(nil), vmlinux...)
	binary.LittleEndian.PutUint32(lying[12:], 0x7fffff00) // type_len
	path := filepath.Join(dir, "lying")
	writeFile(t, path, lying)
	if _, err := loadBTFFile(path, nil); !errors.Is(err, errBadBTF) {
		t.Errorf("header claiming 2 GiB of types: %v, want errBadBTF", err)
	}
}
