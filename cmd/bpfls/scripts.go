// This file implements finding and reading the scripts that check and fmt
// are given: the *.bt files below a directory, never through a symbolic
// link that leaves it, and only regular files within the size limit.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/bpfls/bpfls/analysis"
)

var (
	errNotRegular = errors.New("not a regular file")
	errTooLarge   = fmt.Errorf("larger than %d MiB", analysis.MaxSourceSize>>20)
)

// walkScripts lists the *.bt files below dir in a stable order. A symbolic
// link whose target lies outside dir is skipped with a note naming only the
// link, as linters do, so a checkout cannot make bpfls read and print
// /etc/passwd. Problems reading the tree are reported through warn.
func walkScripts(dir string, warn func(error)) ([]string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var found []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			warn(err)
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".bt") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !linkStaysIn(p, root) {
			warn(fmt.Errorf("skipping %s: a symbolic link that leaves %s", p, dir))
			return nil
		}
		found = append(found, p)
		return nil
	})
	sort.Strings(found)
	return found, err
}

// linkStaysIn reports whether the link p resolves to a path below root.
func linkStaysIn(p, root string) bool {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	if target, err = filepath.Abs(target); err != nil {
		return false
	}
	rel, err := filepath.Rel(root, target)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// readScript reads a script of at most analysis.MaxSourceSize bytes. It
// opens without blocking on a FIFO and refuses anything but a regular file
// (a device such as /dev/zero, a FIFO, a socket).
func readScript(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, errNotRegular)
	}
	return readLimited(f, path, st.Size())
}

// readLimited reads r (holding about size bytes) up to the size limit.
func readLimited(r io.Reader, path string, size int64) ([]byte, error) {
	if size > analysis.MaxSourceSize {
		return nil, fmt.Errorf("%s: %w (%d bytes)", path, errTooLarge, size)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+512))
	if _, err := buf.ReadFrom(io.LimitReader(r, analysis.MaxSourceSize+1)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if buf.Len() > analysis.MaxSourceSize {
		return nil, fmt.Errorf("%s: %w", path, errTooLarge)
	}
	return buf.Bytes(), nil
}
