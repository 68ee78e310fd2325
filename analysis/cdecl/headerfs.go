package cdecl

// This file implements the file system the front end reads headers
// through: only regular files of bounded size, so that `#include
// "/dev/zero"` or a FIFO cannot make the analysis read for ever.

import (
	"errors"
	"io/fs"
	"os"
)

// maxHeaderSize bounds one header (the kernel's largest are under 1 MiB).
const maxHeaderSize = 16 << 20

// errNotHeader is the reason a path that is not a regular file, or is too
// large, cannot be included.
var errNotHeader = errors.New("not a regular file of at most 16 MiB")

// headerFS opens absolute paths of the host, regular files only.
type headerFS struct{}

func (headerFS) Open(name string) (fs.File, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > maxHeaderSize {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotHeader}
	}
	return os.Open(name)
}
