package analysis

// This file implements what uprobe, uretprobe and usdt checks share: the
// user-binary facts the analysis is given, and looking a binary up.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
	"github.com/bpfls/bpfls/btfindex/userbin"
)

// UserBinaries is what the analysis asks about user-space binaries;
// *userbin.Cache implements it. Lookup must not block on reading a file:
// a binary not read yet comes back in state userbin.Reading, and its
// checks are skipped until the caller re-analyses.
type UserBinaries interface {
	Lookup(name string) userbin.Entry
	// Generation changes whenever a lookup could answer differently (a
	// binary was read), so cached per-probe results are not reused.
	Generation() uint64
	// Libraries lists the library names a uprobe may give instead of a
	// path ("libc" for libc.so.6), sorted.
	Libraries() []string
	// Programs lists the executables on PATH starting with prefix, sorted.
	Programs(prefix string) []string
}

// userBinary looks the binary part of a uprobe or usdt attach point up.
// ok is false when nothing more can be checked: no user facts, a
// wildcard or positional parameter in the binary, a binary still being
// read, or one that failed (reported here).
func (c *apCheck) userBinary(p apPart) (*userbin.Binary, userbin.State, bool) {
	u := c.cfg.User
	if u == nil || p.Text == "" || p.hasParam() || p.hasWildcard() {
		return nil, userbin.Reading, false
	}
	e := u.Lookup(p.Text)
	switch e.State {
	case userbin.Failed:
		c.reportBadBinary(p, e.Err)
		return nil, e.State, false
	case userbin.Reading:
		return nil, e.State, false
	}
	return e.Binary, e.State, true
}

// reportBadBinary words a binary bpftrace cannot use. bpftrace 0.17-0.26
// refuse a missing file alike ("uprobe target file 'X' does not exist or
// is not executable"); a file that is not ELF is refused by all of them
// too, by 0.26 as "No matches for uprobe".
func (c *apCheck) reportBadBinary(p apPart, err error) {
	kind := c.prov.name
	switch {
	case errors.Is(err, userbin.ErrNotFound):
		c.r.Errorf(p.Span, CodeUnknownBinary, "%s target file %q does not exist or is not executable", kind, p.Text)
	case errors.Is(err, userbin.ErrNotELF), errors.Is(err, userbin.ErrNotRegular):
		c.r.Errorf(p.Span, CodeUnknownBinary, "%s target %q is not an ELF binary", kind, p.Text)
	case err != nil:
		c.r.Warnf(p.Span, CodeUnknownBinary, "%s target %q cannot be read: %v", kind, p.Text, err)
	}
}

// binaryLabel names a binary in messages: the path it resolved to.
func binaryLabel(b *userbin.Binary) string { return b.Path }

// userType converts a DWARF parameter to the analysis's type model.
func userType(p userbin.Param) btfindex.Type { return p.Typed }

// funcNames lists a binary's function names for did-you-mean.
func funcNames(b *userbin.Binary, prefix string) []string {
	var out []string
	for _, f := range b.Complete(prefix, 0) {
		out = append(out, f.Name)
	}
	return out
}

// debugHint says how to get debug info for a binary without any.
func debugHint(b *userbin.Binary) string {
	if b.DebugLink != "" || b.BuildID != "" {
		return fmt.Sprintf("no debug info found for %s (install its debug package, e.g. Debian's -dbg or -dbgsym)", b.Path)
	}
	return fmt.Sprintf("no debug info found for %s (build it with -g)", b.Path)
}

// literalSpan is a part's span without surrounding quotes.
func literalSpan(p apPart) syntax.Span {
	if p.Quoted && p.Span.End-p.Span.Start >= 2 {
		return syntax.Span{Start: p.Span.Start + 1, End: p.Span.End - 1}
	}
	return p.Span
}

// trimLang splits uprobe:BIN:LANG:NAME into the language ("c", "cpp") and
// the function part index.
func trimLang(parts []apPart) (lang string, fn int) {
	if len(parts) == 3 {
		return strings.ToLower(parts[1].Text), 2
	}
	return "", len(parts) - 1
}
