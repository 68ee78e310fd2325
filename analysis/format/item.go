// This file implements the printing of top-level items.

package format

import (
	"strconv"

	"github.com/bpfls/bpfls/analysis/syntax"
)

func (p *printer) item(it syntax.Item, m *index) *buffer {
	switch it := it.(type) {
	case *syntax.Probe:
		return p.probe(it, m)
	case *syntax.FuncDecl:
		return p.funcDecl(it, m)
	case *syntax.MacroDecl:
		return p.macroDecl(it, m)
	case *syntax.ConfigBlock:
		return p.config(it, m)
	case *syntax.ImportDecl:
		return p.buf().text("import " + p.strLit(it.Path) + ";")
	case *syntax.MapDecl:
		return p.mapDecl(it)
	}
	return p.buf().text(string(p.src[it.Pos():it.End()]))
}

func (p *printer) probe(pr *syntax.Probe, m *index) *buffer {
	b := p.buf()
	var aps []*buffer
	for i, ap := range pr.AttachPoints {
		a := p.buf().text(p.at(ap.Span.Start, ap.Span.End))
		if i < len(pr.AttachPoints)-1 {
			a.text(",")
		}
		aps = append(aps, a)
	}
	var predMeta *index
	var pred *buffer
	var inner []string // dropped inside the predicate, they go before it
	if pr.Pred != nil {
		predMeta = m.before(syntax.Unparen(pr.Pred.Cond).Pos())
		mark, pending := len(p.dropped), m.entries()
		pred = p.expr(pr.Pred.Cond, m, maxWidth, true)
		inner = p.takeDropped(mark, pending)
		if pred.startsWith('*') {
			// "/*" would open a comment that swallows the probe's body;
			// bpftrace 0.26 prints it so, and cannot read its output.
			pred = p.buf().text("(").append(pred).text(")")
		}
	}
	// After a predicate bpftrace's block begins right after the second
	// '/': a line break there is a blank line at the top of the block.
	begin := pr.Body.Lbrace
	if pr.Pred != nil && pr.Pred.Close.IsValid() {
		begin = pr.Pred.Close + 1
	}
	blockMeta := m.before(begin)
	p.body.of, p.body.start = pr.Body, begin
	body := p.block(pr.Body, m, maxWidth-2, stmtBlock)
	for _, a := range aps {
		b.append(a).lineBreak()
	}
	if pred != nil {
		b.metadata(predMeta, inline)
		for _, c := range inner {
			b.comment(c)
		}
		b.text("/").append(pred).text("/").lineBreak()
	}
	return b.metadata(blockMeta, inline).text("{").appendAt(body, indentWidth).text("}")
}

func (p *printer) funcDecl(fd *syntax.FuncDecl, m *index) *buffer {
	name := fd.Name.Name
	blockMeta := m.before(fd.Body.Lbrace)
	ret := p.buf()
	if fd.Result != nil {
		ret = p.typ(fd.Result, m, maxWidth-width(len(name)+7))
	}
	items := make([]listItem, len(fd.Params))
	for i, prm := range fd.Params {
		prm := prm
		items[i] = listItem{fmt: func(m *index, w width, _ bool) *buffer {
			b := p.buf().text("$" + prm.Var.Name)
			if prm.Type != nil {
				b.text(" : ").append(p.typ(prm.Type, m, w-width(len(prm.Var.Name)+4)))
			}
			return b
		}}
	}
	args := p.list(items, ", ", m, maxWidth-width(len(name)+5), false)
	body := p.block(fd.Body, m, maxWidth-indentWidth, stmtBlock)
	d := p.buf().text("fn " + name + "(")
	if args.numLines() > 1 || args.width()+ret.width()+12 > maxWidth {
		d.appendAt(args, indentWidth)
	} else {
		d.append(args)
	}
	d.text(")")
	if fd.Result != nil {
		d.text(" : ").append(ret)
	}
	return d.metadata(blockMeta, inline).lineBreak().text("{").appendAt(body, indentWidth).text("}")
}

func (p *printer) macroDecl(md *syntax.MacroDecl, m *index) *buffer {
	items := make([]listItem, len(md.Params))
	for i, prm := range md.Params {
		prm := prm
		items[i] = listItem{fmt: func(m *index, w width, bare bool) *buffer {
			m.before(prm.Span.End)
			return p.buf().text(prm.Name)
		}}
	}
	args := p.list(items, ", ", m, maxWidth-10, true)
	blockMeta := m.before(md.Body.Lbrace)
	body := p.block(md.Body, m, maxWidth-indentWidth, valueBlock)
	return p.buf().text("macro "+md.Name.Name+"(").append(args).text(")").
		metadata(blockMeta, 1).text("{").appendAt(body, indentWidth).text("}")
}

func (p *printer) config(c *syntax.ConfigBlock, m *index) *buffer {
	if len(c.Items) == 0 {
		return p.buf().text("config = {}")
	}
	blk := p.buf()
	for _, it := range c.Items {
		if blk.numLines() > 0 {
			blk.lineBreak()
		}
		blk.append(p.buf().text(it.Name.Name + " = " + p.configValue(it.Value) + ";"))
	}
	return p.buf().text("config = {").appendAt(blk, indentWidth).text("}")
}

// configValue prints a config value as bpftrace stores it: integers in
// decimal, strings bare when they need no escape.
func (p *printer) configValue(v syntax.Expr) string {
	switch v := v.(type) {
	case *syntax.IntLit:
		if v.Unit != "" {
			return v.Text // a duration keeps its unit
		}
		return strconv.FormatUint(v.Value, 10)
	case *syntax.BoolLit:
		return strconv.FormatBool(v.Value)
	case *syntax.StrLit:
		// bpftrace writes any string that needs no escape bare; one that
		// is not an identifier would then not read back, so it stays quoted.
		if !isIdent(v.Value) {
			return `"` + escape(v.Value) + `"`
		}
		return v.Value
	case *syntax.Ident:
		return v.Name
	}
	return string(p.src[v.Pos():v.End()])
}

func (p *printer) mapDecl(d *syntax.MapDecl) *buffer {
	size := ""
	switch s := d.Size.(type) {
	case *syntax.IntLit:
		size = strconv.FormatUint(s.Value, 10)
		if s.Unit != "" {
			size = s.Text // a duration keeps its unit
		}
	default:
		if s != nil {
			size = string(p.src[s.Pos():s.End()])
		}
	}
	kind := ""
	if d.Kind != nil {
		kind = d.Kind.Name
	}
	return p.buf().text("let @" + d.Map.Name + " = " + kind + "(" + size + ");")
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
