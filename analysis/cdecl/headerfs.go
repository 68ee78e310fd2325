package cdecl

// This file implements the file system the front end reads headers
// through: only regular files of bounded size, so that `#include
// "/dev/zero"` or a FIFO cannot make the analysis read for ever.

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"sync"
)

// maxHeaders bounds the list of opened headers.
const maxHeaders = 4096

// maxHeaderSize bounds one header (the kernel's largest are under 1 MiB).
const maxHeaderSize = 16 << 20

// errNotHeader is the reason a path that is not a regular file, or is too
// large, cannot be included.
var errNotHeader = errors.New("not a regular file of at most 16 MiB")

// headerFS opens absolute paths of the host, regular files only, and
// remembers which it opened.
type headerFS struct {
	mu    sync.Mutex
	names []string
}

func (h *headerFS) opened() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Compact(slices.Sorted(slices.Values(h.names)))
}

func (h *headerFS) Open(name string) (fs.File, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > maxHeaderSize {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotHeader}
	}
	f, err := os.Open(name)
	if err == nil {
		h.mu.Lock()
		if len(h.names) < maxHeaders {
			h.names = append(h.names, name)
		}
		h.mu.Unlock()
	}
	return f, err
}
