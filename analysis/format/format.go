package format

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// ErrSyntax is returned for a file with syntax errors: it is not formatted.
var ErrSyntax = errors.New("format: file has syntax errors")

// maxWidth is bpftrace's line budget.
const maxWidth width = 90

// Source formats f and returns the whole new text.
func Source(f *syntax.File) ([]byte, error) {
	if len(f.Errors) > 0 {
		e := f.Errors[0]
		line, col := f.Position(e.Span.Start)
		return nil, fmt.Errorf("%w: %d:%d: %s", ErrSyntax, line, col, e.Msg)
	}
	p := newPrinter(f)
	p.keepComments = true
	return p.program().bytes(), nil
}

// printer holds what every node's printing needs.
type printer struct {
	f     *syntax.File
	src   []byte
	text  string     // src[base:] as a string: slicing it does not allocate
	base  syntax.Pos // where text starts in src
	arrow bool       // keep '->': the dialect predates '.' on pointers (0.25)
	// parens: conditions need parentheses (before 0.24)
	parens bool
	// elvis: keep "a ?: b" as written (before 0.25)
	elvis bool
	// stmtTernary is the ternary being printed as a statement: 0.26 reads
	// no '?' in a statement that starts with a $variable or an @map, so
	// such a condition keeps parentheses.
	stmtTernary *syntax.TernaryExpr
	idx         *index
	mem         *arena
	// keepComments prints an item whose comments bpftrace's layout would
	// drop (comments inside expressions) as written instead.
	keepComments bool
	// dropped collects, with keepComments, the comment lines expressions
	// claimed and did not print, for their statement to lead with.
	dropped []meta
	// body is the probe body being printed and where bpftrace begins it.
	body struct {
		of    *syntax.Block
		start syntax.Pos
	}
}

func newPrinter(f *syntax.File) *printer { return newPrinterIn(f, 0, f.Len()) }

// newPrinterIn makes a printer for the items in [from, to) of f.
func newPrinterIn(f *syntax.File, from, to int) *printer {
	return &printer{
		f:      f,
		src:    f.Src(),
		text:   string(f.Src()[from:to]),
		base:   syntax.Pos(from),
		arrow:  !f.Dialect.Version.AtLeast(syntax.V0_25),
		parens: !f.Dialect.Version.AtLeast(syntax.V0_24),
		elvis:  !f.Dialect.Version.AtLeast(syntax.V0_25),
		idx:    buildIndex(f, from, to),
		mem:    newArena(to - from),
	}
}

// program prints the items in source order, each after the comments and
// blank lines before it.
func (p *printer) program() *buffer {
	m := p.idx
	return p.items(m, 0, p.f.NumItems()).metadata(m, 0)
}

// items prints items [from, to) with the layout between them.
func (p *printer) items(m *index, from, to int) *buffer {
	b := p.buf()
	for i := from; i < to; i++ {
		it := p.f.Item(i)
		if sh, ok := it.(*syntax.Shebang); ok {
			b.text(strings.TrimRight(sh.Text, "\n")).lineBreak()
			continue
		}
		if pre, ok := it.(*syntax.Preamble); ok {
			for _, d := range pre.Decls {
				pm := m.before(d.Span.Start)
				b.metadata(pm, 0).append(p.buf().text(p.cText(d)).lineBreak())
			}
			continue
		}
		pm := m.before(it.Pos())
		want := countComments(m, it.End())
		local := p.item(it, m)
		// A config block claims no comment: bpftrace prints those inside
		// it after the block, as the next item's leading lines.
		_, config := it.(*syntax.ConfigBlock)
		if p.keepComments && !config && (local.comments() < want || local.blockUnsafe()) {
			local = p.buf().text(string(p.src[it.Pos():it.End()]))
		}
		b.metadata(pm, 0).append(local.lineBreak())
	}
	return b
}

// cText is a C declaration as bpftrace keeps it: trimmed, and a definition
// ended by ';', unless it ends with a line comment, which would hold it.
func (p *printer) cText(d *syntax.CDecl) string {
	s := strings.TrimRight(d.Text, " \t\r\n\v\f")
	if d.Kind != syntax.CPreproc && s != "" && !strings.HasSuffix(s, ";") && !p.endsInLineComment(d.Span.Start+syntax.Pos(len(s))) {
		s += ";"
	}
	return s
}

// endsInLineComment reports whether end lies in a line comment, or at its
// end.
func (p *printer) endsInLineComment(end syntax.Pos) bool {
	cs := p.f.Comments()
	i := sort.Search(len(cs), func(i int) bool { return cs[i].Span.End >= end })
	return i < len(cs) && cs[i].Span.Start < end && strings.HasPrefix(cs[i].Text, "//")
}

// metadata adds the comments and blank lines of x: on lines of their own
// after at least minV new lines, or with minV < 0 as comments on the open
// line (blank lines dropped).
func (b *buffer) metadata(x *index, minV int) *buffer {
	if minV < 0 {
		for _, e := range x.entries() {
			if !e.vspace {
				b.comment(e.text)
			}
		}
		return b
	}
	for i := 0; i < minV; i++ {
		b.lineBreak()
	}
	total := 0
	for _, e := range x.entries() {
		if e.vspace {
			if total >= minV {
				b.lineBreak()
			}
			total++
			continue
		}
		b.comment(e.text)
		b.lineBreak()
	}
	return b
}

const inline = -1

// countComments counts the comment lines in x before end.
func countComments(x *index, end syntax.Pos) int {
	n := 0
	for _, e := range x.entries() {
		if e.start >= end {
			break
		}
		if !e.vspace {
			n++
		}
	}
	return n
}

// at returns the source text of [from, to) without copying it.
func (p *printer) at(from, to syntax.Pos) string { return p.text[from-p.base : to-p.base] }

func (p *printer) buf() *buffer { return p.mem.buf() }
