// This file implements lists (arguments, operands, tuple elements): on one
// line when they fit, else split where bpftrace splits them.

package format

import "github.com/bpfls/bpfls/analysis/syntax"

// listItem prints one element within a budget; cmp marks a comparison,
// which is printed bare among its siblings.
type listItem struct {
	e   syntax.Expr // printed by expr, unless fmt is set
	fmt func(m *index, w width, bare bool) *buffer
	cmp bool
}

func (p *printer) exprItems(es []syntax.Expr) []listItem {
	items := p.mem.items.take(len(es))
	for i, e := range es {
		items[i] = listItem{e: e, cmp: comparison(e)}
	}
	return items
}

// list joins the items with sep. When they do not fit in w, it breaks the
// line before some items: the first arrangement, counting breaks as bits
// (a break before item i is bit i-1), whose lines all fit.
func (p *printer) list(items []listItem, sep string, m *index, w width, bare bool) *buffer {
	n := len(items)
	args := p.mem.parts.take(n)
	var total width
	for i, it := range items {
		iw := w
		if i < n-1 {
			iw = w - 1
		}
		var a *buffer
		if it.fmt != nil {
			a = it.fmt(m, iw, bare || it.cmp)
		} else {
			a = p.expr(it.e, m, iw, bare || it.cmp)
		}
		if i < n-1 {
			a.text(sep)
		}
		total += a.width()
		args[i] = a
	}
	out := p.buf()
	if total < w {
		for _, a := range args {
			out.append(a)
		}
		p.mem.parts.release(args)
		p.mem.items.release(items)
		return out
	}
	widths := p.mem.widths.take(n)
	for i, a := range args {
		widths[i] = a.width()
	}
	brk := breaks(widths, w)
	for i, a := range args {
		if i > 0 && brk[i] {
			out.lineBreak()
		}
		out.append(a)
	}
	p.mem.widths.release(widths)
	p.mem.parts.release(args)
	p.mem.items.release(items)
	return out
}

// breaks finds the smallest break mask, read as a number whose highest bit
// is the break before the last item, under which no line is wider than w;
// without one, no breaks. Deciding bits from the highest down, a bit stays
// clear when breaking at every undecided place still fits.
func breaks(widths []width, w width) []bool {
	n := len(widths)
	brk := make([]bool, n)
	fits := func(upto int) bool { // breaks before items 1..upto are free (set)
		cur := widths[0]
		for i := 1; i < n; i++ {
			if i <= upto || brk[i] {
				if cur > w {
					return false
				}
				cur = widths[i]
			} else {
				cur += widths[i]
			}
		}
		return cur <= w
	}
	if n < 2 || !fits(n-1) {
		return make([]bool, n)
	}
	for i := n - 1; i >= 1; i-- {
		if !fits(i - 1) {
			brk[i] = true
		}
	}
	return brk
}
