package btfindex

// This file lets an index file's checksum be verified once rather than on
// every load: the checksum reads every page of a 5-7 MB file, a sixth of
// a one-shot `bpfls check`, which otherwise touches few of them. After a
// verification, a marker next to the file records the file's identity
// (device, inode, size, modification and change times); a load whose file
// has that identity is of the same bytes, as every write moves the change
// time, which no one can set back. Every section bound is still checked
// on each load, so a file damaged behind the marker's back cannot make a
// lookup read out of range.

import (
	"os"
	"sync/atomic"
)

// checkedSuffix names the marker of an index file.
const checkedSuffix = ".checked"

// checksums counts the checksums decodeTableChecked verified, for tests.
var checksums atomic.Int64

// checkedBefore reports whether the marker of the index file at path
// records stamp.
func checkedBefore(path, stamp string) bool {
	if stamp == "" {
		return false
	}
	b, err := os.ReadFile(path + checkedSuffix)
	return err == nil && string(b) == stamp
}

// markChecked records stamp as that of the index file at path, once its
// checksum was verified; best effort, as a missing marker only costs the
// next load a verification.
func markChecked(path, stamp string) {
	if stamp != "" {
		_ = os.WriteFile(path+checkedSuffix, []byte(stamp), 0o644)
	}
}
