package userbin

// This file implements reading /etc/ld.so.cache, glibc's index of shared
// libraries, in its current ("glibc-ld.so.cache1.1") format, optionally
// behind the old "ld.so-1.7.0" header.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrBadLdCache reports an ld.so.cache that is not in a known format.
var ErrBadLdCache = errors.New("userbin: unrecognised ld.so.cache")

const (
	oldCacheMagic = "ld.so-1.7.0"
	newCacheMagic = "glibc-ld.so.cache1.1"
	newHeaderSize = 48 // magic+version 20, nlibs 4, len_strings 4, flags 1, pad 3, extension 4, unused 12
	newEntrySize  = 24 // flags 4, key 4, value 4, osversion 4, hwcap 8
	oldEntrySize  = 12 // flags 4, key 4, value 4
	// ldFlagX8664 marks a 64-bit x86 libc6 library (FLAG_X8664_LIB64|FLAG_ELF_LIBC6).
	ldFlagX8664 = 0x0303
)

// LibEntry is one ld.so.cache entry: a library's soname and its path.
type LibEntry struct {
	Name, Path string
	Flags      int32
}

// parseLdCache returns the entries of an ld.so.cache image in file order
// (glibc sorts them, preferred entries first).
func parseLdCache(data []byte) ([]LibEntry, error) {
	base := 0
	if bytes.HasPrefix(data, []byte(oldCacheMagic)) {
		if len(data) < 16 {
			return nil, ErrBadLdCache
		}
		n := int(binary.LittleEndian.Uint32(data[12:]))
		if n < 0 || n > len(data)/oldEntrySize {
			return nil, ErrBadLdCache
		}
		base = 16 + n*oldEntrySize
		base = (base + 7) &^ 7
		if i := bytes.Index(data[16+n*oldEntrySize:], []byte(newCacheMagic)); i >= 0 {
			base = 16 + n*oldEntrySize + i
		}
	}
	if len(data) < base+newHeaderSize || !bytes.HasPrefix(data[base:], []byte(newCacheMagic)) {
		return nil, ErrBadLdCache
	}
	hdr := data[base:]
	n := int(binary.LittleEndian.Uint32(hdr[20:]))
	if n < 0 || n > (len(hdr)-newHeaderSize)/newEntrySize {
		return nil, fmt.Errorf("%w: %d entries do not fit", ErrBadLdCache, n)
	}
	str := func(off uint32) string {
		o := int(off)
		if o < 0 || o >= len(hdr) {
			return ""
		}
		end := bytes.IndexByte(hdr[o:], 0)
		if end < 0 {
			return ""
		}
		return string(hdr[o : o+end])
	}
	out := make([]LibEntry, 0, n)
	for i := 0; i < n; i++ {
		e := hdr[newHeaderSize+i*newEntrySize:]
		le := LibEntry{
			Flags: int32(binary.LittleEndian.Uint32(e[0:])),
			Name:  str(binary.LittleEndian.Uint32(e[4:])),
			Path:  str(binary.LittleEndian.Uint32(e[8:])),
		}
		if le.Name != "" && le.Path != "" {
			out = append(out, le)
		}
	}
	return out, nil
}
