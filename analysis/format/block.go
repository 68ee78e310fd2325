// This file implements the printing of blocks, and what bpftrace makes of
// a block's final expression: its value, or a statement.

package format

import "github.com/bpfls/bpfls/analysis/syntax"

// blockMode says what bpftrace makes of a block's final expression.
type blockMode uint8

const (
	// valueBlock: an if's arms, a block expression, a macro's body; a
	// final expression without ';' is the block's value.
	valueBlock blockMode = iota
	// stmtBlock: a probe's, fn's or loop's body, which has no value.
	// bpftrace turns a final block or if into statements (see normStmt).
	stmtBlock
	// normBlock: a block bpftrace turned into statements: its value is a
	// statement, and so are the values of the blocks and ifs among its
	// statements.
	normBlock
)

// trailing reports whether s, the last statement of a block, is a value
// bpftrace reads as the block's trailing expression: no ';' follows it.
func (p *printer) trailing(s syntax.Stmt) bool {
	switch s := s.(type) {
	case *syntax.ExprStmt:
		return !s.Semi.IsValid()
	case *syntax.IfStmt, *syntax.BlockStmt:
		return !p.semiAfter(s.End())
	}
	return false
}

// semiAfter reports whether a ';' is the next token at pos: the parser
// drops it after a block or if statement.
func (p *printer) semiAfter(pos syntax.Pos) bool {
	n := p.nextToken(pos)
	return int(n) < len(p.src) && p.src[n] == ';'
}

// normalized is the block or if that a block or if statement is, or nil:
// the statements bpftrace reads as blocks whose values it may turn into
// statements.
func normalized(s syntax.Stmt) syntax.Expr {
	var x syntax.Expr
	switch s := s.(type) {
	case *syntax.IfStmt, *syntax.BlockStmt:
		x = stmtExpr(s)
	case *syntax.ExprStmt:
		x = syntax.Unparen(s.X)
	}
	switch x.(type) {
	case *syntax.BlockExpr, *syntax.IfExpr:
		return x
	}
	return nil
}

// block prints the statements of b without its braces. In a valueBlock, a
// trailing expression is the block's value; otherwise it is a statement
// that begins where the block does.
func (p *printer) block(b *syntax.Block, m *index, w width, mode blockMode) *buffer {
	out := p.buf()
	stmts := b.Stmts
	var val syntax.Stmt
	if n := len(stmts); n > 0 && mode == valueBlock && p.trailing(stmts[n-1]) {
		val, stmts = stmts[n-1], stmts[:n-1]
	}
	for i, s := range stmts {
		begin := s.Pos()
		last := i == len(b.Stmts)-1
		// bpftrace makes the final block or if of a body statements-only;
		// with a ';' after it too, as it prints that ';' away and reads
		// its output so.
		var norm syntax.Expr
		if mode == normBlock || mode == stmtBlock && last {
			norm = normalized(s)
		}
		flow := false
		if last && p.endsBody(s, norm, mode) {
			// bpftrace's trailing statement begins with the block, so the
			// comments before it go to what claims them first inside it;
			// with keepComments those it drops lead it.
			begin = p.blockStart(b)
			// What lies before this block's own '{' reads back inside it,
			// so into a final block it flows on at once.
			flow = p.keepComments && norm != nil
		}
		var comments *index
		if !flow {
			comments = m.before(begin)
		}
		mark, pending := len(p.dropped), m.entries()
		var sb *buffer
		if norm != nil {
			sb = p.normStmt(norm, m, w)
		} else {
			sb = p.stmt(s, m, w)
		}
		if i+1 < len(b.Stmts) && p.joins(s, norm != nil) && startsWithOperator(b.Stmts[i+1]) {
			// "{ 1 }" then "-1;" would read back as "{ 1 } - 1": the ';'
			// after the block stays (bpftrace prints it away).
			sb.text(";")
		}
		var lead []string
		var trail []meta
		ok := true
		if len(p.dropped) > mark {
			end := s.End()
			if is, isIf := s.(*syntax.IfStmt); isIf {
				end = p.ifEnd(is)
			}
			first := p.dropped[mark].start
			lead, trail, ok = p.splitDropped(mark, pending, end)
			if ok && len(lead) > 0 && begin != s.Pos() && blockBefore(s, first) {
				// Before a statement that begins bpftrace's trailing one
				// they would read back inside the block that comes first.
				ok = false
			}
			if ok && m != nil && len(trail) > 0 && i+2 == len(b.Stmts) && p.flowsInto(b.Stmts[i+1], mode) {
				// Anywhere between this statement and a final block or if
				// they read back as its first comments: they go there now,
				// ahead of the comments that flow into it.
				m.items = append(trail[:len(trail):len(trail)], m.items...)
				trail = nil
			}
		}
		if !ok || len(lead)+len(trail) == 0 {
			if comments != nil {
				sb = p.buf().metadata(comments, 0).append(sb)
			}
		} else {
			// bpftrace drops comments inside an expression; they lead
			// the statement instead, each on a line of its own, or,
			// after one it prints, follow it where they read back.
			hb := p.buf().metadata(comments, 0)
			for _, c := range lead {
				hb.comment(c).lineBreak()
			}
			sb = hb.append(sb)
			for _, c := range trail {
				if !last {
					sb.lineBreak()
				}
				sb.comment(c.text)
			}
		}
		if sb.width() > 0 && i > 0 {
			out.lineBreak()
		}
		out.append(sb)
	}
	extra := m.before(b.End())
	if val == nil {
		return out.metadata(extra, inline)
	}
	ve := stmtExpr(val)
	em := extra.before(ve.Pos())
	mark, pending := len(p.dropped), extra.entries()
	x := p.expr(ve, extra, w, true)
	inner := p.takeDropped(mark, pending)
	minV := 0
	if out.numLines() > 0 {
		minV = 1
	}
	out.metadata(em, minV)
	if len(inner) > 0 {
		// Dropped inside the value, they lead it.
		for _, c := range inner {
			out.comment(c).lineBreak()
		}
	}
	out.append(x)
	return out.metadata(extra, inline)
}

// normStmt prints x, a block or if statement, as bpftrace does once it
// has made it statements-only: every value inside becomes a statement,
// "{ 1 }" prints as "{ 1; }".
func (p *printer) normStmt(x syntax.Expr, m *index, w width) *buffer {
	local := m.before(p.exprEnd(x))
	if p.keepComments {
		defer p.drop(local)
	}
	if ie, ok := x.(*syntax.IfExpr); ok {
		return p.ifStmt(ie.If, local, w, normBlock)
	}
	return p.blockExpr(p.buf(), x.(*syntax.BlockExpr), local, w, w, normBlock)
}

// blockStart is where bpftrace's node for b begins: after a probe's
// predicate, right after its second '/'.
func (p *printer) blockStart(b *syntax.Block) syntax.Pos {
	if b == p.body.of {
		return p.body.start
	}
	return b.Lbrace
}

// stmtExpr is the expression of a statement that can be a block's value.
func stmtExpr(s syntax.Stmt) syntax.Expr {
	switch s := s.(type) {
	case *syntax.ExprStmt:
		return syntax.Unparen(s.X)
	case *syntax.IfStmt:
		return &syntax.IfExpr{If: s}
	case *syntax.BlockStmt:
		return &syntax.BlockExpr{Block: s.Block}
	}
	return nil
}

// joins reports whether s, printed as a block or if without ';', is what
// the parser takes as the first operand of an operator that follows: a
// block or if from 0.26, before that a block that ends in a value.
func (p *printer) joins(s syntax.Stmt, normPrinted bool) bool {
	v26 := p.f.Dialect.Version.AtLeast(syntax.V0_26)
	var blk *syntax.Block
	switch s := s.(type) {
	case *syntax.IfStmt:
		return v26
	case *syntax.BlockStmt:
		blk = s.Block
	case *syntax.ExprStmt:
		switch x := syntax.Unparen(s.X).(type) {
		case *syntax.IfExpr:
			return v26
		case *syntax.BlockExpr:
			blk = x.Block
		}
	}
	if blk == nil {
		return false
	}
	if v26 {
		return true
	}
	n := len(blk.Stmts)
	if normPrinted || n == 0 {
		return false
	}
	last, ok := blk.Stmts[n-1].(*syntax.ExprStmt)
	return ok && !last.Semi.IsValid()
}

// startsWithOperator reports whether s may print beginning with a prefix
// operator that is also a binary one ("-1;", "*$p;", "++$x;").
func startsWithOperator(s syntax.Stmt) bool {
	var x syntax.Expr
	switch s := s.(type) {
	case *syntax.IncDecStmt:
		return s.Prefix
	case *syntax.ExprStmt:
		x = s.X
	default:
		return false
	}
	for {
		switch e := syntax.Unparen(x).(type) {
		case *syntax.UnaryExpr:
			return !e.Postfix
		case *syntax.BinaryExpr:
			x = e.X
		case *syntax.TernaryExpr:
			x = e.Cond
		default:
			return false
		}
	}
}

// endsBody reports whether s, the last statement of a block printed in
// mode, is the trailing statement bpftrace begins with the block: a value,
// or a body's final block or if (norm).
func (p *printer) endsBody(s syntax.Stmt, norm syntax.Expr, mode blockMode) bool {
	return p.trailing(s) || norm != nil && mode == stmtBlock
}

// flowsInto reports whether the comments before s, the last statement of a
// block printed in mode, are printed inside it: it is a block or if that
// begins bpftrace's trailing statement.
func (p *printer) flowsInto(s syntax.Stmt, mode blockMode) bool {
	var norm syntax.Expr
	if mode != valueBlock {
		norm = normalized(s)
	}
	return p.keepComments && norm != nil && p.endsBody(s, norm, mode)
}

// blockBefore reports whether a block ('{') of s begins before pos.
func blockBefore(s syntax.Stmt, pos syntax.Pos) bool {
	found := false
	syntax.Inspect(s, func(n syntax.Node) bool {
		if b, ok := n.(*syntax.Block); ok && b.Lbrace < pos {
			found = true
		}
		return !found
	})
	return found
}
