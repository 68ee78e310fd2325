package btfindex

// This file implements reading the on-disk index. The layout, all integers
// little-endian:
//
//	header     64 bytes: magic "BPFLSIX\x00", schema u32, flags u32,
//	           key [32]byte (SHA-256 of the BTF), section count u32, reserved
//	directory  per section: offsets start u32, offset count u32,
//	           data start u32, data length u32
//	sections   per section: u32 offsets (one per entry, then the end),
//	           then the entries, each a run of uvarints
//	trailer    CRC-32C of everything before it
//
// Strings are interned in one section and referred to by id; types are
// interned too, an element always before the type that refers to it.
// Entries are decoded only when asked for, so opening costs one read, one
// checksum and one pass over the offsets.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sort"
	"unsafe"
)

const (
	tableMagic    = "BPFLSIX\x00"
	schemaVersion = 4
	headerSize    = 64
	dirSize       = numSections * 16

	flagTraceableKnown = 1 << 0
	flagSnapshot       = 1 << 1
)

// Sections of the on-disk index, in file order.
const (
	secStrings = iota
	secTypes
	secFuncs
	secRecords
	secTypedefs
	secTracepoints
	secTraceable
	secMeta
	secSymbols  // schema 2: kernel symbols (kallsyms or available_filter_functions)
	secEnums    // schema 3: enum constants
	secEnumTags // schema 4: enum type names, each once
	numSections
)

// Errors that make an index file unusable; the cache rebuilds on any.
var (
	ErrCorrupt        = errors.New("btfindex: index file is corrupt or truncated")
	ErrSchemaMismatch = errors.New("btfindex: index file has another schema version")
	ErrStale          = errors.New("btfindex: index file was built from other BTF")
)

// table is a decoded index file. It is immutable and safe for concurrent use.
type table struct {
	flags uint32
	key   [32]byte
	strs  string // the strings section as one string, so names are substrings
	secs  [numSections]tableSection
	raw   []byte // the whole file, for re-export
}

type tableSection struct {
	off  []byte // little-endian u32s: one per entry, then the end
	data []byte
}

func (s *tableSection) n() int { return len(s.off)/4 - 1 }

func (s *tableSection) entry(i int) []byte {
	if i < 0 || i >= s.n() {
		return nil
	}
	return s.data[binary.LittleEndian.Uint32(s.off[4*i:]):binary.LittleEndian.Uint32(s.off[4*i+4:])]
}

// readTable reads and verifies an index file; a non-nil key must match.
func readTable(path string, key *[32]byte) (*table, error) {
	data, st, mapped, err := mapRegular(path, MaxIndexSize)
	if err != nil {
		return nil, err
	}
	stamp := fileStamp(st)
	verify := !checkedBefore(path, stamp) // checked.go
	t, err := decodeTableChecked(data, verify)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w", path, err)
	}
	if verify {
		markChecked(path, stamp)
		// Checking the checksum brought every page in; lookups need few
		// of them, so let the rest go (a mapped file's pages stay in the
		// page cache and come back on use).
		if mapped {
			releasePages(data)
		}
	}
	if key != nil && t.key != *key {
		return nil, fmt.Errorf("reading index %s: %w", path, ErrStale)
	}
	return t, nil
}

// decodeTable checks magic, schema, checksum and every section bound, so
// that later accesses cannot go out of range.
func decodeTable(data []byte) (*table, error) { return decodeTableChecked(data, true) }

// decodeTableChecked is decodeTable, verifying the checksum only with
// checksum set.
func decodeTableChecked(data []byte, checksum bool) (*table, error) {
	if len(data) < headerSize+dirSize+4 || string(data[:8]) != tableMagic {
		return nil, ErrCorrupt
	}
	le := binary.LittleEndian
	if v := le.Uint32(data[8:]); v != schemaVersion {
		return nil, fmt.Errorf("%w: file has %d, want %d", ErrSchemaMismatch, v, schemaVersion)
	}
	body := data[:len(data)-4]
	if checksum {
		checksums.Add(1)
		if crc32.Checksum(body, castagnoli) != le.Uint32(data[len(data)-4:]) {
			return nil, ErrCorrupt
		}
	}
	if le.Uint32(data[48:]) != numSections {
		return nil, ErrCorrupt
	}
	t := &table{flags: le.Uint32(data[12:]), raw: data}
	copy(t.key[:], data[16:48])
	for i := range t.secs {
		ent := data[headerSize+16*i:]
		offStart, offCount := uint64(le.Uint32(ent)), uint64(le.Uint32(ent[4:]))
		dataStart, dataLen := uint64(le.Uint32(ent[8:])), uint64(le.Uint32(ent[12:]))
		if offCount == 0 || offStart+4*offCount > uint64(len(body)) || dataStart+dataLen > uint64(len(body)) {
			return nil, ErrCorrupt
		}
		s := tableSection{off: body[offStart : offStart+4*offCount], data: body[dataStart : dataStart+dataLen]}
		if !monotonic(s.off, uint32(dataLen)) {
			return nil, ErrCorrupt
		}
		t.secs[i] = s
	}
	// The strings alias data instead of copying it (2.5 MB for a kernel):
	// data comes from os.ReadFile or the encoder and is never written again.
	if s := t.secs[secStrings].data; len(s) > 0 {
		t.strs = unsafe.String(&s[0], len(s))
	}
	return t, nil
}

// monotonic checks that offsets never decrease and end at end.
func monotonic(off []byte, end uint32) bool {
	prev := uint32(0)
	for i := 0; i+4 <= len(off); i += 4 {
		o := binary.LittleEndian.Uint32(off[i:])
		if o < prev {
			return false
		}
		prev = o
	}
	return prev == end
}

// str returns string id, or "" for an id out of range.
func (t *table) str(id uint64) string {
	s := &t.secs[secStrings]
	if id >= uint64(s.n()) {
		return ""
	}
	le := binary.LittleEndian
	return t.strs[le.Uint32(s.off[4*id:]):le.Uint32(s.off[4*id+4:])]
}

// entryName is the name an entry starts with (every entry but a type's).
func (t *table) entryName(sec, i int) string {
	r := reader{b: t.secs[sec].entry(i)}
	return t.str(r.u())
}

// find returns the index of the first entry of sec named name.
func (t *table) find(sec int, name string) (int, bool) {
	n := t.secs[sec].n()
	i := sort.Search(n, func(i int) bool { return t.entryName(sec, i) >= name })
	return i, i < n && t.entryName(sec, i) == name
}

// tableNames lists one section's entry names.
type tableNames struct {
	t   *table
	sec int
}

func (l tableNames) Len() int        { return l.t.secs[l.sec].n() }
func (l tableNames) At(i int) string { return l.t.entryName(l.sec, i) }

func (t *table) names(kind NameKind) nameList {
	switch kind {
	case NameFunc:
		return tableNames{t, secFuncs}
	case NameRecord:
		return tableNames{t, secRecords}
	case NameTypedef:
		return tableNames{t, secTypedefs}
	case NameTracepoint:
		return tableNames{t, secTracepoints}
	case NameSymbol:
		return tableNames{t, secSymbols}
	case NameEnumConst:
		return tableNames{t, secEnums}
	case NameEnum:
		return tableNames{t, secEnumTags}
	}
	return sliceNames(nil)
}

// reader decodes uvarints; on malformed input it yields zeros and sets bad.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) u() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) u32() uint32 { return uint32(r.u()) }

// count reads a length and rejects one the remaining bytes cannot hold.
func (r *reader) count() int {
	n := r.u()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(n)
}
