package btfindex

// This file implements mapping the index file instead of reading it: a
// check that looks up a few names touches a few pages, and the process
// neither allocates nor copies the whole file.

import (
	"fmt"
	"syscall"
)

// mapRegular maps a regular file of at most limit bytes read-only. The
// mapping is never released: it backs the index for the life of the
// process. Index files are only ever replaced by rename, never rewritten in
// place, so the mapped pages cannot change or vanish under it. It falls back
// to reading the file where mapping fails.
func mapRegular(path string, limit int64) ([]byte, error) {
	f, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := st.Size()
	if size > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes; the limit is %d MiB)", path, ErrTooLarge, size, limit>>20)
	}
	if size > 0 {
		if data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE); err == nil {
			return data, nil
		}
	}
	return readLimited(f, path, size, limit)
}
