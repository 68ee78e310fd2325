package ide

// This file implements completion: it finds out what is being typed at a
// position (an attach point, a field after '.' or '->', a map, a variable,
// an identifier) and hands over to the matching completer.

import (
	"bytes"
	"context"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// CompletionKind says what a completion item stands for.
type CompletionKind uint8

// Kinds of [CompletionItem].
const (
	CompleteKeyword CompletionKind = iota + 1
	CompleteProvider
	CompleteKernelFunc
	CompleteTracepoint
	CompleteField
	CompleteBuiltinVar
	CompleteBuiltinFunc
	CompleteMap
	CompleteVariable
	CompleteMacro
	CompleteType
	CompleteValue // config values, interval units, event names
)

// CompletionItem is one proposal. Insert replaces [CompletionList.Span];
// when Snippet is set it holds LSP snippet syntax ("printf(${1:fmt})").
type CompletionItem struct {
	Label   string
	Kind    CompletionKind
	Detail  string // one line: a type, a prototype, "only in tcp_sendmsg"
	Doc     string // markdown
	Insert  string
	Snippet bool
	// Sort orders items before the client filters them; items with equal
	// Sort keep the order they were produced in.
	Sort string
	// Resolve names a kernel function whose prototype is filled in by
	// [ResolveCompletion] when the item is shown; "" when complete.
	Resolve string
}

// CompletionList is the answer to a completion request.
type CompletionList struct {
	Items []CompletionItem
	// Span is the text the items replace: the word being typed.
	Span syntax.Span
	// Incomplete means the list was capped; the client must ask again as
	// the user types more.
	Incomplete bool
}

// maxCompletionItems caps the kernel listings: a client shows a few dozen
// items at best, and 56,000 kernel functions would cost tens of
// milliseconds to send and filter.
const maxCompletionItems = 200

// Completion proposes what may be typed at pos.
func Completion(ctx context.Context, s *analysis.Snapshot, pos syntax.Pos) CompletionList {
	f := s.File
	if pos < 0 || int(pos) > f.Len() || nearPos(f, pos).inCommentOrString(pos) {
		return CompletionList{}
	}
	item := itemAt(f, pos)
	if item == nil {
		item = openItemBefore(f, pos)
	}
	switch it := item.(type) {
	case *syntax.Probe:
		if inBody(it, pos) || openBodyTail(it.Body, f, pos) {
			return completeBody(ctx, s, it, pos)
		}
		return completeAttachPoint(ctx, s, pos)
	case *syntax.MacroDecl:
		if it.Body != nil && blockContains(it.Body, pos) {
			return completeBody(ctx, s, it, pos)
		}
		return CompletionList{}
	case *syntax.FuncDecl:
		if it.Body != nil && blockContains(it.Body, pos) {
			return completeBody(ctx, s, it, pos)
		}
		return CompletionList{}
	case *syntax.ConfigBlock:
		return completeConfig(s, pos)
	case *syntax.Preamble, *syntax.Shebang, *syntax.ImportDecl, *syntax.MapDecl:
		return CompletionList{}
	}
	return completeAttachPoint(ctx, s, pos)
}

// itemAt returns the top-level item whose text holds pos, or nil. An item
// ending exactly at pos still holds it: that is where typing happens.
func itemAt(f *syntax.File, pos syntax.Pos) syntax.Node {
	for i := range f.NumItems() {
		if sp := f.ItemSpan(i); sp.Start <= pos && pos <= sp.End {
			it := f.Item(i) // only the items around pos, so a fresh re-parse stays cheap
			if b, ok := it.(*syntax.Probe); ok && b.Body != nil && b.Body.Rbrace.IsValid() && pos > b.Body.Rbrace {
				continue // after the closing brace: a new attach point
			}
			return it
		}
	}
	return nil
}

// openItemBefore returns the last item when it is a probe whose body is
// still open and only blanks follow it up to pos ("{ $p = (struct ", at
// the end of the file), else nil.
func openItemBefore(f *syntax.File, pos syntax.Pos) syntax.Node {
	n := f.NumItems()
	if n == 0 || f.ItemSpan(n-1).End > pos {
		return nil
	}
	if p, ok := f.Item(n - 1).(*syntax.Probe); ok && openBodyTail(p.Body, f, pos) {
		return p
	}
	return nil
}

// openBodyTail reports whether pos follows the end of a body whose '}' is
// missing, with only blanks between: typing goes on inside it.
func openBodyTail(b *syntax.Block, f *syntax.File, pos syntax.Pos) bool {
	return b != nil && b.Lbrace.IsValid() && !b.Rbrace.IsValid() && b.Close < pos &&
		int(pos) <= f.Len() && strings.TrimSpace(string(f.Slice(b.Close, pos))) == ""
}

// inBody reports whether pos is inside the probe's predicate or body.
func inBody(p *syntax.Probe, pos syntax.Pos) bool {
	if p.Pred != nil && p.Pred.Open < pos && (!p.Pred.Close.IsValid() || pos <= p.Pred.Close) {
		return true
	}
	return p.Body != nil && blockContains(p.Body, pos)
}

// blockContains reports whether pos is between the braces of b; a block
// whose '}' is missing extends to its end.
func blockContains(b *syntax.Block, pos syntax.Pos) bool {
	if !b.Lbrace.IsValid() || pos <= b.Lbrace {
		return false
	}
	if b.Rbrace.IsValid() {
		return pos <= b.Rbrace
	}
	return pos <= b.Close
}

// wordStart returns the start of the identifier ending at pos, including a
// leading '$' or '@'.
func wordStart(src []byte, pos syntax.Pos) syntax.Pos {
	i := int(pos)
	for i > 0 && isWordByte(src[i-1]) {
		i--
	}
	if i > 0 && (src[i-1] == '$' || src[i-1] == '@') {
		i--
	}
	return syntax.Pos(i)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// inCommentOrString reports whether pos lies inside a comment or a string
// literal, by scanning src from the start, which must be outside both (see
// nearPos): independent of how well the broken text around pos parsed.
func inCommentOrString(src []byte, pos syntax.Pos) bool {
	end := int(pos)
	for i := 0; i < end; i++ {
		switch {
		case src[i] == '"':
			j := skipString(src, i)
			closed := j-1 > i && src[j-1] == '"'
			if j > end || j == end && !closed {
				return true
			}
			i = j - 1
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			nl := bytes.IndexByte(src[i:], '\n')
			if nl < 0 || i+nl >= end {
				return true
			}
			i += nl
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 || i+2+j+2 > end {
				return true
			}
			i += 2 + j + 1
		}
	}
	return false
}

// skipString returns the offset after the string literal starting at i (or
// the end of its line when it is not closed).
func skipString(src []byte, i int) int {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		case '\n':
			return i
		}
	}
	return len(src)
}

// filterPrefix keeps the items whose label starts with prefix (ASCII case
// folded), sorts them, and caps the list.
func filterPrefix(items []CompletionItem, prefix string) ([]CompletionItem, bool) {
	out := items[:0]
	lp := strings.ToLower(prefix)
	for _, it := range items {
		if strings.HasPrefix(strings.ToLower(it.Label), lp) {
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sort < out[j].Sort })
	if len(out) > maxCompletionItems {
		return out[:maxCompletionItems], true
	}
	return out, false
}

// completeConfig proposes config keys at the start of a config entry.
func completeConfig(s *analysis.Snapshot, pos syntax.Pos) CompletionList {
	n := nearPos(s.File, pos)
	src, at := n.src, n.rel(pos)
	start := wordStart(src, at)
	i := int(start)
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n' || src[i-1] == '\r') {
		i--
	}
	if i == 0 || (src[i-1] != '{' && src[i-1] != ';') {
		return CompletionList{}
	}
	return completeWords(analysis.ConfigKeys(), string(src[start:at]), syntax.Span{Start: n.base + start, End: pos})
}
