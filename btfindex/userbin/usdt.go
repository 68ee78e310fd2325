package userbin

// This file implements USDT probes from .note.stapsdt, the notes
// <sys/sdt.h> writes: per probe its address, base, semaphore, provider,
// name and an argument string such as "-4@%edi 8@%rax".

import (
	"debug/elf"
	"sort"
	"strconv"
	"strings"
)

// Probe is one USDT probe site. A probe name can have several sites (one
// per inlined copy); [Read] keeps one entry per provider and name.
type Probe struct {
	Provider, Name string
	Addr           uint64
	Semaphore      uint64
	Args           []ProbeArg
	Sites          int // how many notes describe this provider:name
}

// ProbeArg is one argument of a USDT probe.
type ProbeArg struct {
	Size   int    // bytes: 1, 2, 4 or 8
	Signed bool   // a negative size in the note
	Loc    string // the assembler operand, e.g. "%edi" or "-4(%rbp)"
}

// stapsdtType is the note type of a USDT probe (NT_STAPSDT).
const stapsdtType = 3

// readProbes parses .note.stapsdt.
func readProbes(ef *elf.File, lim Limits) ([]Probe, error) {
	data, err := sectionData(ef.Section(".note.stapsdt"), lim.NoteBytes)
	if err != nil || data == nil {
		return nil, err
	}
	word := 8
	if ef.Class == elf.ELFCLASS32 {
		word = 4
	}
	idx := map[[2]string]int{}
	var out []Probe
	for _, n := range parseNotes(data, ef.ByteOrder) {
		if n.name != "stapsdt" || n.typ != stapsdtType || len(n.desc) < 3*word {
			continue
		}
		rd := func(i int) uint64 {
			if word == 4 {
				return uint64(ef.ByteOrder.Uint32(n.desc[i*4:]))
			}
			return ef.ByteOrder.Uint64(n.desc[i*8:])
		}
		strs := strings.SplitN(string(n.desc[3*word:]), "\x00", 4)
		if len(strs) < 3 || strs[0] == "" || strs[1] == "" {
			continue
		}
		key := [2]string{strs[0], strs[1]}
		if i, ok := idx[key]; ok {
			out[i].Sites++
			continue
		}
		idx[key] = len(out)
		out = append(out, Probe{
			Provider: strs[0], Name: strs[1],
			Addr: rd(0), Semaphore: rd(2),
			Args: parseProbeArgs(strs[2]), Sites: 1,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Provider != out[j].Provider {
			return out[i].Provider < out[j].Provider
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// parseProbeArgs splits "-4@%edi 8@%rax" into arguments. An operand
// without a size prefix is taken as 8 bytes, as systemtap does.
func parseProbeArgs(s string) []ProbeArg {
	var out []ProbeArg
	for _, f := range strings.Fields(s) {
		a := ProbeArg{Size: 8, Loc: f}
		if at := strings.IndexByte(f, '@'); at > 0 {
			if n, err := strconv.Atoi(f[:at]); err == nil {
				a.Signed = n < 0
				if n < 0 {
					n = -n
				}
				a.Size, a.Loc = n, f[at+1:]
			}
		}
		out = append(out, a)
	}
	return out
}

// Probe returns the USDT probe provider:name; provider "" matches any
// provider when exactly one has the name.
func (b *Binary) Probe(provider, name string) (Probe, bool) {
	var found []Probe
	for _, p := range b.Probes {
		if p.Name == name && (provider == "" || p.Provider == provider) {
			found = append(found, p)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Probe{}, false
}
