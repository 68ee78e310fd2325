package userbin

// This file implements the bounded read of one ELF file: symbols, build-id,
// .gnu_debuglink and USDT notes.

import (
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/ianlancetaylor/demangle"
)

// ErrNotELF reports a file that is not an ELF object.
var ErrNotELF = errors.New("userbin: not an ELF file")

// ErrNotRegular reports a path that is not a regular file (a directory,
// FIFO or device), which bpfls never reads.
var ErrNotRegular = errors.New("userbin: not a regular file")

// ErrTooLarge reports a section over the limits of [Limits].
var ErrTooLarge = errors.New("userbin: section too large")

// Limits bound what one read may allocate.
type Limits struct {
	SymtabBytes int64 // one symbol or string table section
	NoteBytes   int64 // one note section
	DebugBytes  int64 // all DWARF sections together, uncompressed
}

// DefaultLimits fit the largest common binaries (a browser's symbol table
// is about 100 MB) while keeping a hostile file from exhausting memory.
func DefaultLimits() Limits {
	return Limits{SymtabBytes: 256 << 20, NoteBytes: 16 << 20, DebugBytes: 1 << 30}
}

// Func is a function symbol.
type Func struct {
	Name      string // the symbol as in the file, without a version suffix
	Version   string // GNU symbol version ("GLIBC_2.2.5"), dynamic symbols only
	Default   bool   // the default version (name@@VERSION rather than name@VERSION)
	Demangled string // the C++ name when Name is mangled, else ""
	Addr      uint64
	Size      uint64
}

// Versioned is the name with its version as tools print it: malloc@@GLIBC_2.2.5.
func (f Func) Versioned() string {
	switch {
	case f.Version == "":
		return f.Name
	case f.Default:
		return f.Name + "@@" + f.Version
	}
	return f.Name + "@" + f.Version
}

// File identifies one version of a file on disk.
type File struct {
	Path    string
	Size    int64
	ModTime time.Time
	BuildID string // hex, "" when the file has no NT_GNU_BUILD_ID note
}

// Binary is what [Read] learnt about one ELF file. It is immutable except
// for the debug information, which [Binary.LoadDebug] adds once.
type Binary struct {
	File
	Class     elf.Class
	Machine   elf.Machine
	Type      elf.Type
	Funcs     []Func  // sorted by Name, one per name
	Probes    []Probe // USDT probes, sorted by provider and name
	DebugLink string  // the .gnu_debuglink file name, if any
	HasDWARF  bool    // the file itself has .debug_info

	debug debugState
}

// openRegular opens path for reading only if it is a regular file. The
// non-blocking open keeps a FIFO put in its place from hanging the read.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%w: %s", ErrNotRegular, path)
	}
	return f, fi, nil
}

// Read reads path's symbols, build-id, debug link and USDT probes. It does
// not read DWARF; see [Binary.LoadDebug].
func Read(path string, lim Limits) (*Binary, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := Parse(f, fi.Size(), path, lim)
	if err != nil {
		return nil, err
	}
	b.ModTime = fi.ModTime()
	return b, nil
}

// Parse is [Read] on an ELF image of size bytes that path names (for
// messages and for finding its debug info).
func Parse(r io.ReaderAt, size int64, path string, lim Limits) (*Binary, error) {
	ef, err := elf.NewFile(r)
	if err != nil {
		var fe *elf.FormatError
		if errors.As(err, &fe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: %s", ErrNotELF, path)
		}
		return nil, fmt.Errorf("reading ELF header of %s: %w", path, err)
	}
	defer ef.Close()
	b := &Binary{
		File:    File{Path: path, Size: size},
		Class:   ef.Class,
		Machine: ef.Machine,
		Type:    ef.Type,
	}
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_NOBITS && (s.Offset > uint64(size) || s.FileSize > uint64(size)-s.Offset) {
			return nil, fmt.Errorf("%w: section %s of %s runs past the end of the file", ErrNotELF, s.Name, path)
		}
	}
	b.BuildID = buildID(ef, lim)
	b.DebugLink = debugLink(ef)
	b.HasDWARF = ef.Section(".debug_info") != nil && ef.Section(".debug_info").Type != elf.SHT_NOBITS
	funcs, err := readFuncs(ef, lim)
	if err != nil {
		return nil, fmt.Errorf("reading symbols of %s: %w", path, err)
	}
	b.Funcs = funcs
	if b.Probes, err = readProbes(ef, lim); err != nil {
		return nil, fmt.Errorf("reading USDT notes of %s: %w", path, err)
	}
	return b, nil
}

// sectionData reads a section only when it is within max bytes.
func sectionData(s *elf.Section, max int64) ([]byte, error) {
	if s == nil || s.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	if s.Size > uint64(max) || s.FileSize > uint64(max) {
		return nil, fmt.Errorf("%w: %s is %d bytes", ErrTooLarge, s.Name, s.Size)
	}
	return s.Data()
}

// buildID returns the hex NT_GNU_BUILD_ID of the file, or "".
func buildID(ef *elf.File, lim Limits) string {
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		data, err := sectionData(s, lim.NoteBytes)
		if err != nil {
			continue
		}
		for _, n := range parseNotes(data, ef.ByteOrder) {
			if n.name == "GNU" && n.typ == 3 && len(n.desc) > 0 {
				return hex.EncodeToString(n.desc)
			}
		}
	}
	return ""
}

// debugLink returns the file name .gnu_debuglink names.
func debugLink(ef *elf.File) string {
	data, err := sectionData(ef.Section(".gnu_debuglink"), 4096)
	if err != nil || len(data) == 0 {
		return ""
	}
	if i := strings.IndexByte(string(data), 0); i > 0 {
		return string(data[:i])
	}
	return ""
}

// readFuncs collects defined function symbols of .symtab and .dynsym.
func readFuncs(ef *elf.File, lim Limits) ([]Func, error) {
	for _, name := range []string{".symtab", ".strtab", ".dynsym", ".dynstr"} {
		if s := ef.Section(name); s != nil && (s.Size > uint64(lim.SymtabBytes)) {
			return nil, fmt.Errorf("%w: %s is %d bytes", ErrTooLarge, name, s.Size)
		}
	}
	byName := map[string]Func{}
	add := func(syms []elf.Symbol) {
		for _, s := range syms {
			t := elf.ST_TYPE(s.Info)
			if (t != elf.STT_FUNC && t != elf.STT_GNU_IFUNC) || s.Section == elf.SHN_UNDEF || s.Name == "" {
				continue
			}
			f := Func{Name: s.Name, Addr: s.Value, Size: s.Size}
			if s.HasVersion && s.Version != "" {
				f.Version = s.Version
				f.Default = !s.VersionIndex.IsHidden()
			}
			if old, ok := byName[f.Name]; ok && (old.Version == "" || old.Default || !f.Default) {
				continue // keep the first; prefer a default version
			}
			if strings.HasPrefix(f.Name, "_Z") {
				if d, err := demangle.ToString(f.Name, demangle.NoClones); err == nil {
					f.Demangled = d
				}
			}
			byName[f.Name] = f
		}
	}
	if syms, err := ef.Symbols(); err == nil {
		add(syms)
	} else if !errors.Is(err, elf.ErrNoSymbols) {
		return nil, err
	}
	if syms, err := ef.DynamicSymbols(); err == nil {
		add(syms)
	} else if !errors.Is(err, elf.ErrNoSymbols) {
		return nil, err
	}
	out := make([]Func, 0, len(byName))
	for _, f := range byName {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// note is one ELF note.
type note struct {
	name string
	typ  uint32
	desc []byte
}

// parseNotes splits a note section; a malformed tail ends the list.
func parseNotes(data []byte, bo binary.ByteOrder) []note {
	var out []note
	for len(data) >= 12 {
		nsz, dsz, typ := bo.Uint32(data), bo.Uint32(data[4:]), bo.Uint32(data[8:])
		data = data[12:]
		na, da := align4(uint64(nsz)), align4(uint64(dsz))
		if na > uint64(len(data)) || na+da > uint64(len(data)) {
			break
		}
		name := strings.TrimRight(string(data[:nsz]), "\x00")
		out = append(out, note{name: name, typ: typ, desc: data[na : na+uint64(dsz)]})
		data = data[na+da:]
	}
	return out
}

func align4(n uint64) uint64 { return (n + 3) &^ 3 }
