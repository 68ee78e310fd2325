package btfindex

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestIndexChecksumVerifiedOnce loads an index file again and again: its
// checksum is verified when the file is new to the marker (checked.go)
// and not after, and a write in place, even one that keeps its size, is
// verified (and found corrupt) on the next load. Not parallel: it counts
// the package's checksums.
func TestIndexChecksumVerifiedOnce(t *testing.T) {
	cacheDir := t.TempDir()
	_, st := readyFixture(t, fixtureDir(t), cacheDir)
	path := st.CachePath
	if filepath.Dir(path) != cacheDir {
		t.Fatalf("index at %s, not in %s", path, cacheDir)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fileStamp(fi) == "" {
		t.Skip("this system gives no file identity: every load verifies the checksum")
	}
	load := func(wantVerified bool, wantErr bool) {
		t.Helper()
		before := checksums.Load()
		_, err := readTable(path, nil)
		if verified := checksums.Load() > before; verified != wantVerified {
			t.Errorf("checksum verified: %v, want %v", verified, wantVerified)
		}
		if (err != nil) != wantErr {
			t.Errorf("readTable: %v, want an error: %v", err, wantErr)
		}
	}
	load(false, false) // the build verified it
	load(false, false)
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0x10
	if err := os.WriteFile(path, bad, 0o644); err != nil { // in place: same inode, same size
		t.Fatal(err)
	}
	load(true, true)
	load(true, true) // a corrupt file is never marked
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	load(true, false)
	load(false, false)
	if err := os.Remove(path + checkedSuffix); err != nil {
		t.Fatal(err)
	}
	load(true, false)
}

// TestIndexMarkedUsedDaily opens an index whose time is two days old: the
// load marks it used (its time moves, which costs the next load one
// checksum), and a load of a file used today leaves its time alone, so
// that the marker stays valid. Not parallel: it counts the package's
// checksums.
func TestIndexMarkedUsedDaily(t *testing.T) {
	btfDir, cacheDir := fixtureDir(t), t.TempDir()
	_, st := readyFixture(t, btfDir, cacheDir)
	path := st.CachePath
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	readyFixture(t, btfDir, cacheDir)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(fi.ModTime()) > time.Hour {
		t.Fatalf("a load left the two-day-old index's time at %v", fi.ModTime())
	}
	readyFixture(t, btfDir, cacheDir) // verifies the file its last load touched
	used := fi.ModTime()
	before := checksums.Load()
	readyFixture(t, btfDir, cacheDir)
	if fi, err := os.Stat(path); err != nil || !fi.ModTime().Equal(used) {
		t.Errorf("a load of an index used today moved its time: %v, was %v (%v)", fi.ModTime(), used, err)
	}
	if n := checksums.Load() - before; n != 0 && fileStamp(fi) != "" {
		t.Errorf("a load of an unchanged, checked index verified its checksum %d times", n)
	}
}
