package btfindex

// This file implements mapping the index file instead of reading it: a
// check that looks up a few names touches a few pages, and the process
// neither allocates nor copies the whole file.

import (
	"fmt"
	"golang.org/x/sys/unix"
	"os"
	"path/filepath"
)

// mapRegular maps a regular file of at most limit bytes read-only, and
// returns what its stat says. The
// mapping is never released: it backs the index for the life of the
// process. Index files are only ever replaced by rename, never rewritten in
// place, so the mapped pages cannot change or vanish under it. It falls back
// to reading the file where mapping fails.
func mapRegular(path string, limit int64) (data []byte, st os.FileInfo, mapped bool, err error) {
	f, st, err := openRegular(path)
	if err != nil {
		return nil, nil, false, err
	}
	defer f.Close()
	size := st.Size()
	if size > limit {
		return nil, nil, false, fmt.Errorf("%s: %w (%d bytes; the limit is %d MiB)", path, ErrTooLarge, size, limit>>20)
	}
	if size > 0 {
		if data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE); err == nil {
			return data, st, true, nil
		}
	}
	data, err = readLimited(f, path, size, limit)
	return data, st, false, err
}

// mapRawBTF is [readRawBTF] for a pass that lets go of the BTF when it is
// done. The kernel's own BTF under /sys/kernel/btf is mapped, which costs
// no resident memory at all (the kernel maps its BTF pages directly), and
// release unmaps it; nothing that aliases the data may outlive release.
// Other files are read: a mapped file cut short by another process would
// crash the server, and their pages would count as resident anyway.
func mapRawBTF(path string) (data []byte, release func(), err error) {
	if filepath.Dir(path) == kernelBTFDir {
		f, st, err := openRegular(path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		if size := st.Size(); size > 0 && size <= MaxBTFSize {
			if data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE); err == nil {
				return data, func() { unix.Munmap(data) }, nil
			}
		}
	}
	data, err = readRawBTF(path)
	return data, func() {}, err
}

// releasePages drops the pages of a read-only file mapping from the
// resident set; the page cache keeps them and they come back on use. Never
// call it on heap memory, which it would zero.
func releasePages(mapping []byte) {
	unix.Madvise(mapping, unix.MADV_DONTNEED) // best effort
}
