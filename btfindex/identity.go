package btfindex

// This file implements finding the index without hashing the BTF: the
// content key of the BTF files is remembered under their identity, which
// costs a few stat calls to compute instead of reading megabytes.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// procBootID changes at every boot; the kernel's own BTF under
// /sys/kernel/btf cannot change without one.
const procBootID = "/proc/sys/kernel/random/boot_id"

// identity names the BTF files by what the system says of them rather than
// by their content: the boot, and each file's path, device, inode, size and
// modification time (a user's BTF file rewritten in place changes its
// mtime), plus what the content key covers besides the files (the loaded
// modules, for kernel symbols).
func (s btfSources) identity() ([32]byte, error) {
	h := sha256.New()
	boot, _ := os.ReadFile(procBootID)
	fmt.Fprintf(h, "identity 1\x00boot %s\x00", strings.TrimSpace(string(boot)))
	for _, p := range append([]string{s.vmlinux}, s.modules...) {
		st, err := os.Stat(p)
		if err != nil {
			return [32]byte{}, fmt.Errorf("reading BTF %s: %w", p, err)
		}
		var dev, ino uint64
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			dev, ino = uint64(sys.Dev), sys.Ino
		}
		fmt.Fprintf(h, "%s\x00%d %d %d %d\x00", p, dev, ino, st.Size(), st.ModTime().UnixNano())
	}
	if s.syms != nil && len(s.syms.paths) > 0 {
		mods, _ := os.ReadFile(procModules)
		fmt.Fprintf(h, "symbols %s\x00", strings.Join(s.syms.paths, "\x00"))
		for line := range strings.Lines(string(mods)) {
			name, _, _ := strings.Cut(line, " ")
			fmt.Fprintf(h, "%s\x00", name)
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

// contentKey returns the content key of src's BTF (see [btfSources.key]).
// It reads it from the file dir/<identity>.key when an earlier run wrote
// one, and otherwise hashes the BTF and writes that file; a missing or
// unreadable file only costs the hashing.
func contentKey(dir string, src btfSources) ([32]byte, error) {
	id, err := src.identity()
	if err != nil {
		return src.key()
	}
	path := filepath.Join(dir, hex.EncodeToString(id[:])+".key")
	if data, err := readRegular(path, 2*sha256.Size); err == nil {
		var key [32]byte
		if n, err := hex.Decode(key[:], data); err == nil && n == len(key) {
			now := time.Now()
			os.Chtimes(path, now, now) // in use: keep it from pruneIndexes
			return key, nil
		}
	}
	key, err := src.key()
	if err != nil {
		return key, err
	}
	writeFileAtomic(path, []byte(hex.EncodeToString(key[:]))) // best effort: hashing again next run is the cost
	return key, nil
}
