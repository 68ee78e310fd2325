// This file implements opening the files a user names (BTF, ELF, index
// and snapshot files): only regular files, and within size limits, so that
// a path to a device, a FIFO or a huge file neither blocks nor exhausts
// memory.

package btfindex

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/cilium/ebpf/btf"
)

// Size limits for the files bpfls reads. A kernel's BTF is about 6 MB and
// an index about 7 MB; an ELF vmlinux with debug information is far larger,
// but only its .BTF section is read.
const (
	MaxBTFSize   = 256 << 20 // a raw BTF file or an ELF's .BTF section
	MaxELFSize   = 4 << 30   // an ELF file holding BTF
	MaxIndexSize = 512 << 20 // an index or snapshot file
	MaxListSize  = 256 << 20 // kernel symbols, available_filter_functions, a tracepoint format
)

var (
	// ErrNotRegular is returned for a path that is not a regular file.
	ErrNotRegular = errors.New("btfindex: not a regular file")
	// ErrTooLarge is returned for a file over its size limit.
	ErrTooLarge = errors.New("btfindex: file too large")
)

// openRegular opens path for reading. O_NONBLOCK keeps the open of a FIFO
// from waiting for a writer; anything but a regular file is then refused.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, st.Mode().Type())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// readRegular reads a regular file of at most limit bytes. The limit is
// enforced on what is read, since files in sysfs report no true size.
func readRegular(path string, limit int64) ([]byte, error) {
	f, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, path, st.Size(), limit)
}

func readLimited(r io.Reader, path string, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes; the limit is %d MiB)", path, ErrTooLarge, size, limit>>20)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+512))
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%s: %w (more than %d MiB)", path, ErrTooLarge, limit>>20)
	}
	return buf.Bytes(), nil
}

// copyRegular copies a regular file of at most limit bytes to w.
func copyRegular(w io.Writer, path string, limit int64) error {
	f, st, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if st.Size() > limit {
		return fmt.Errorf("%s: %w (%d bytes)", path, ErrTooLarge, st.Size())
	}
	n, err := io.Copy(w, io.LimitReader(f, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	return err
}

// loadBTFFile decodes a user's BTF file, raw or ELF, within the limits.
// A raw blob's section bounds are checked before cilium/ebpf sees it, so a
// header cannot make it allocate more than the file holds.
func loadBTFFile(path string, base *btf.Spec) (*btf.Spec, error) {
	f, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := f.ReadAt(magic[:], 0); err == nil && string(magic[:]) == elf.ELFMAG {
		if st.Size() > MaxELFSize {
			return nil, fmt.Errorf("%s: %w (%d bytes)", path, ErrTooLarge, st.Size())
		}
		ef, err := elf.NewFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading ELF %s: %w", path, err)
		}
		if sec := ef.Section(".BTF"); sec != nil && sec.Size > MaxBTFSize {
			return nil, fmt.Errorf("%s: %w (.BTF section of %d bytes)", path, ErrTooLarge, sec.Size)
		}
		return loadSpecFrom(f, base)
	}
	data, err := readLimited(f, path, st.Size(), MaxBTFSize)
	if err != nil {
		return nil, err
	}
	if _, err := parseRawBTF(data); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return loadSpecFrom(bytes.NewReader(data), base)
}

func loadSpecFrom(r io.ReaderAt, base *btf.Spec) (*btf.Spec, error) {
	if base == nil {
		return btf.LoadSpecFromReader(r)
	}
	return btf.LoadSplitSpecFromReader(r, base)
}
