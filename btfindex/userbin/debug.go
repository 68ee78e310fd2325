package userbin

// This file implements finding and indexing a binary's DWARF: in the file
// itself, under /usr/lib/debug/.build-id, or where .gnu_debuglink points.

import (
	"context"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ErrNoDebugInfo reports a binary for which no DWARF was found.
var ErrNoDebugInfo = errors.New("userbin: no debug info")

// DebugDirs returns the directories searched for separate debug files.
func DebugDirs() []string { return []string{"/usr/lib/debug"} }

// debugState is the lazily loaded DWARF of a [Binary].
type debugState struct {
	once   sync.Once
	mu     sync.Mutex // guards protos and structs memos
	done   chan struct{}
	source string // the file the DWARF came from
	err    error
	data   *dwarf.Data
	funcs  map[string]funcRef      // subprogram name or linkage name
	types  map[string]dwarf.Offset // struct, union and typedef names
	byPC   map[uint64]funcRef      // subprograms by start address, for aliases
	extra  []Func                  // functions only in the debug file's .symtab
	protos map[string]*Prototype
}

// DebugSource names the file the DWARF came from once [Binary.LoadDebug]
// has found it, else "".
func (b *Binary) DebugSource() string {
	if !b.DebugLoaded() {
		return ""
	}
	return b.debug.source
}

// DebugLoaded reports whether [Binary.LoadDebug] has finished.
func (b *Binary) DebugLoaded() bool {
	select {
	case <-b.debugDone():
		return true
	default:
		return false
	}
}

func (b *Binary) debugDone() chan struct{} {
	b.debug.mu.Lock()
	defer b.debug.mu.Unlock()
	if b.debug.done == nil {
		b.debug.done = make(chan struct{})
	}
	return b.debug.done
}

// DebugErr is the outcome of [Binary.LoadDebug]: nil with DWARF,
// [ErrNoDebugInfo] without, or the error reading it. It is nil before the
// load finishes.
func (b *Binary) DebugErr() error {
	if !b.DebugLoaded() {
		return nil
	}
	return b.debug.err
}

// LoadDebug finds and indexes the binary's DWARF once; later calls wait for
// the first. debugDirs nil means [DebugDirs].
func (b *Binary) LoadDebug(ctx context.Context, lim Limits, debugDirs []string) error {
	done := b.debugDone()
	b.debug.once.Do(func() {
		defer close(done)
		if debugDirs == nil {
			debugDirs = DebugDirs()
		}
		b.debug.err = ErrNoDebugInfo
		for _, cand := range b.debugCandidates(debugDirs) {
			if ctx.Err() != nil {
				b.debug.err = ctx.Err()
				return
			}
			err := b.loadDebugFrom(ctx, cand, lim)
			if err == nil {
				b.debug.source, b.debug.err = cand, nil
				return
			}
			if !errors.Is(err, ErrNoDebugInfo) && !errors.Is(err, os.ErrNotExist) {
				b.debug.err = fmt.Errorf("reading debug info from %s: %w", cand, err)
			}
		}
	})
	<-done
	return b.debug.err
}

// debugCandidates lists, in gdb's order, the files that may hold the DWARF.
func (b *Binary) debugCandidates(dirs []string) []string {
	var out []string
	if b.HasDWARF {
		out = append(out, b.Path)
	}
	if len(b.BuildID) > 2 {
		for _, d := range dirs {
			out = append(out, filepath.Join(d, ".build-id", b.BuildID[:2], b.BuildID[2:]+".debug"))
		}
	}
	if b.DebugLink != "" && !strings.Contains(b.DebugLink, "/") {
		dir := filepath.Dir(b.Path)
		out = append(out, filepath.Join(dir, b.DebugLink), filepath.Join(dir, ".debug", b.DebugLink))
		for _, d := range dirs {
			out = append(out, filepath.Join(d, dir, b.DebugLink))
		}
	}
	return out
}

// loadDebugFrom reads and indexes the DWARF in path.
func (b *Binary) loadDebugFrom(ctx context.Context, path string, lim Limits) error {
	f, _, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	ef, err := elf.NewFile(f)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotELF, err)
	}
	defer ef.Close()
	if path != b.Path && b.BuildID != "" {
		if id := buildID(ef, lim); id != "" && id != b.BuildID {
			return fmt.Errorf("%w: build-id %s does not match %s", ErrNoDebugInfo, id, b.BuildID)
		}
	}
	var total uint64
	for _, s := range ef.Sections {
		if strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_") {
			if s.Type == elf.SHT_NOBITS {
				continue
			}
			total += s.Size
		}
	}
	if info := ef.Section(".debug_info"); info == nil || info.Type == elf.SHT_NOBITS {
		return ErrNoDebugInfo
	}
	if total > uint64(lim.DebugBytes) {
		return fmt.Errorf("%w: %d bytes of DWARF", ErrTooLarge, total)
	}
	d, err := ef.DWARF()
	if err != nil {
		return err
	}
	ix, err := indexDWARF(ctx, d)
	if err != nil {
		return err
	}
	b.debug.data, b.debug.funcs, b.debug.types, b.debug.byPC = d, ix.funcs, ix.types, ix.byPC
	if path != b.Path {
		if extra, err := readFuncs(ef, lim); err == nil {
			b.debug.extra = missingFuncs(b.Funcs, extra)
		}
	}
	return nil
}

// missingFuncs returns the functions of extra that all lacks (both sorted).
func missingFuncs(all, extra []Func) []Func {
	var out []Func
	for _, f := range extra {
		i := sort.Search(len(all), func(i int) bool { return all[i].Name >= f.Name })
		if i == len(all) || all[i].Name != f.Name {
			out = append(out, f)
		}
	}
	return out
}

// indexDWARF records where each named function and type is, without
// decoding any of them.
func indexDWARF(ctx context.Context, d *dwarf.Data) (*dwarfIndex, error) {
	funcs := map[string]funcRef{}
	byPC := map[uint64]funcRef{}
	cu := ""
	types := map[string]dwarf.Offset{}
	r := d.Reader()
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		switch e.Tag {
		case dwarf.TagCompileUnit, dwarf.TagPartialUnit:
			cu, _ = e.Val(dwarf.AttrName).(string)
			continue // their children are what we index
		case dwarf.TagNamespace:
			continue // their children are what we index
		case dwarf.TagSubprogram:
			if decl, _ := e.Val(dwarf.AttrDeclaration).(bool); !decl {
				ref := funcRef{off: e.Offset, file: cu}
				for _, name := range subprogramNames(d, e) {
					if _, seen := funcs[name]; !seen {
						funcs[name] = ref
					}
				}
				if pc, ok := e.Val(dwarf.AttrLowpc).(uint64); ok && pc != 0 {
					byPC[pc] = ref
				}
			}
		case dwarf.TagStructType, dwarf.TagUnionType, dwarf.TagTypedef, dwarf.TagEnumerationType:
			decl, _ := e.Val(dwarf.AttrDeclaration).(bool)
			if name, _ := e.Val(dwarf.AttrName).(string); name != "" && !decl {
				key := typeKey(e.Tag, name)
				if _, seen := types[key]; !seen {
					types[key] = e.Offset
				}
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	return &dwarfIndex{funcs: funcs, types: types, byPC: byPC}, nil
}

// dwarfIndex is what indexDWARF found.
type dwarfIndex struct {
	funcs map[string]funcRef
	types map[string]dwarf.Offset
	byPC  map[uint64]funcRef
}

// subprogramNames returns a subprogram's name and linkage name, taken from
// the declaration it completes (a C++ method defined outside its class) or
// the abstract instance it is a copy of when it has none itself.
func subprogramNames(d *dwarf.Data, e *dwarf.Entry) []string {
	var out []string
	for hop := 0; hop < 3 && e != nil; hop++ {
		for _, a := range []dwarf.Attr{dwarf.AttrName, dwarf.AttrLinkageName} {
			if name, _ := e.Val(a).(string); name != "" {
				out = append(out, name)
			}
		}
		if len(out) > 0 {
			return out
		}
		e = origin(d, e)
	}
	return out
}

// origin returns the entry e's DW_AT_specification or DW_AT_abstract_origin
// refers to, or nil.
func origin(d *dwarf.Data, e *dwarf.Entry) *dwarf.Entry {
	for _, a := range []dwarf.Attr{dwarf.AttrSpecification, dwarf.AttrAbstractOrigin} {
		if off, ok := e.Val(a).(dwarf.Offset); ok {
			r := d.Reader()
			r.Seek(off)
			if o, err := r.Next(); err == nil && o != nil {
				return o
			}
		}
	}
	return nil
}

// funcRef is where a subprogram is and the source file of its unit.
type funcRef struct {
	off  dwarf.Offset
	file string
}

// typeKey is how a named type is looked up: "struct foo", "union u",
// "enum e" or a typedef's bare name.
func typeKey(tag dwarf.Tag, name string) string {
	switch tag {
	case dwarf.TagStructType:
		return "struct " + name
	case dwarf.TagUnionType:
		return "union " + name
	case dwarf.TagEnumerationType:
		return "enum " + name
	}
	return name
}

// DebugFuncs returns the functions found only in a separate debug file's
// symbol table (glibc's __GI_ aliases, static functions), which bpftrace
// also attaches to. It is nil before [Binary.LoadDebug] finishes.
func (b *Binary) DebugFuncs() []Func {
	if !b.DebugLoaded() {
		return nil
	}
	return b.debug.extra
}
