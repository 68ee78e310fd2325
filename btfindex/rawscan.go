package btfindex

// This file implements a names-only scan of raw BTF. Listing names through
// cilium/ebpf would inflate every type (about 200 ms and 38 MiB for a
// kernel); reading only type headers and the string table takes a few
// milliseconds and allocates little beyond the names themselves.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

const btfMagic = 0xeB9F

// BTF kinds, as numbered in the kernel's include/uapi/linux/btf.h.
const (
	rawInt       = 1
	rawArray     = 3
	rawStruct    = 4
	rawUnion     = 5
	rawEnum      = 6
	rawTypedef   = 8
	rawFunc      = 12
	rawFuncProto = 13
	rawVar       = 14
	rawDatasec   = 15
	rawDeclTag   = 17
	rawEnum64    = 19
)

var errBadBTF = errors.New("malformed BTF")

// rawBTF is the type and string sections of one BTF blob.
type rawBTF struct {
	order   binary.ByteOrder
	types   []byte
	strings []byte
}

// readRawBTF reads a raw BTF file or the .BTF section of an ELF file.
func readRawBTF(path string) ([]byte, error) {
	fh, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var magic [4]byte
	if _, err := fh.ReadAt(magic[:], 0); err != nil || string(magic[:]) != elf.ELFMAG {
		return readLimited(fh, path, st.Size(), MaxBTFSize)
	}
	f, err := elf.NewFile(fh)
	if err != nil {
		return nil, fmt.Errorf("reading ELF %s: %w", path, err)
	}
	sec := f.Section(".BTF")
	if sec == nil {
		return nil, fmt.Errorf("reading ELF %s: no .BTF section", path)
	}
	if sec.Size > MaxBTFSize {
		return nil, fmt.Errorf("%s: %w (.BTF section of %d bytes)", path, ErrTooLarge, sec.Size)
	}
	return sec.Data()
}

// parseRawBTF splits a blob into its sections, checking every bound.
func parseRawBTF(data []byte) (*rawBTF, error) {
	if len(data) < 24 {
		return nil, errBadBTF
	}
	var order binary.ByteOrder = binary.LittleEndian
	if order.Uint16(data) != btfMagic {
		order = binary.BigEndian
		if order.Uint16(data) != btfMagic {
			return nil, errBadBTF
		}
	}
	hdrLen := uint64(order.Uint32(data[4:]))
	typeOff, typeLen := uint64(order.Uint32(data[8:])), uint64(order.Uint32(data[12:]))
	strOff, strLen := uint64(order.Uint32(data[16:])), uint64(order.Uint32(data[20:]))
	body := uint64(len(data)) - min(hdrLen, uint64(len(data)))
	if hdrLen < 24 || typeOff+typeLen > body || strOff+strLen > body {
		return nil, errBadBTF
	}
	b := data[hdrLen:]
	return &rawBTF{order: order, types: b[typeOff : typeOff+typeLen], strings: b[strOff : strOff+strLen]}, nil
}

// scanNames adds the names of functions, structs/unions and typedefs in raw
// to ns. base is the vmlinux blob a split (module) blob refers to, or nil.
func scanNames(raw, base *rawBTF, ns *nameSet) error {
	baseLen := 0
	if base != nil {
		baseLen = len(base.strings)
	}
	name := func(off uint32) string {
		if base != nil && int(off) < baseLen {
			return cString(base.strings, off)
		}
		return cString(raw.strings, off-uint32(baseLen))
	}
	t := raw.types
	for len(t) > 0 {
		if len(t) < 12 {
			return errBadBTF
		}
		nameOff, info := raw.order.Uint32(t), raw.order.Uint32(t[4:])
		kind, vlen := (info>>24)&0x1f, int(info&0xffff)
		size := 12 + extraSize(kind, vlen)
		if size > len(t) {
			return errBadBTF
		}
		if nameOff != 0 {
			switch kind {
			case rawFunc:
				ns.funcs = append(ns.funcs, name(nameOff))
			case rawStruct, rawUnion:
				ns.records = append(ns.records, name(nameOff))
			case rawTypedef:
				ns.typedefs = append(ns.typedefs, name(nameOff))
			}
		}
		t = t[size:]
	}
	return nil
}

// extraSize is the size of the data following a type's 12-byte header.
func extraSize(kind uint32, vlen int) int {
	switch kind {
	case rawInt, rawVar, rawDeclTag:
		return 4
	case rawArray:
		return 12
	case rawStruct, rawUnion, rawDatasec, rawEnum64:
		return 12 * vlen
	case rawEnum, rawFuncProto:
		return 8 * vlen
	}
	return 0
}

// cString returns the NUL-terminated string at off, or "" when off is out
// of range.
func cString(tab []byte, off uint32) string {
	if int(off) >= len(tab) {
		return ""
	}
	s := tab[off:]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s)
}

// sortNames sorts and deduplicates every list of ns.
func (ns *nameSet) sortNames() {
	for _, l := range []*sliceNames{&ns.funcs, &ns.records, &ns.typedefs} {
		sort.Strings(*l)
		*l = compactSorted(*l)
	}
}
