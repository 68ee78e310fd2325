package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/ide"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// semanticTokensLegend is advertised at initialize; token types and
// modifiers are indexes into it.
func semanticTokensLegend() protocol.SemanticTokensLegend {
	return protocol.SemanticTokensLegend{TokenTypes: ide.SemTokenTypeNames, TokenModifiers: ide.SemTokenModNames}
}

// SemanticTokensFull answers textDocument/semanticTokens/full. The
// document's FileCache reads only the items changed since it last
// answered.
func (s *Server) SemanticTokensFull(ctx context.Context, params *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	end := doc.largeRun() // may parse every item again
	toks := doc.whole.SemanticTokens(ctx, doc.syntaxSnapshot())
	end()
	defer s.afterWholeFile(doc)
	return &protocol.SemanticTokens{Data: encodeSemanticTokens(doc.Mapper, toks)}, nil
}

// encodeSemanticTokens writes tokens in the protocol's relative form, five
// numbers per token: line delta, start delta, length, type, modifiers. A
// token that spans lines is split at line ends, since few clients accept
// multi-line tokens.
func encodeSemanticTokens(m *Mapper, toks []ide.SemToken) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	var prev protocol.Position
	c := newCursor(m) // tokens are sorted: convert in one pass
	for _, t := range toks {
		for start := t.Span.Start; start < t.Span.End; {
			p, err := c.position(start)
			if err != nil {
				break
			}
			if end := min(t.Span.End, syntax.Pos(c.end)); end > start { // c.end: the end of p's line
				q, _ := c.position(end) // on the same line: end is at most the line's end
				if n := q.Character - p.Character; n > 0 {
					dl, dc := p.Line-prev.Line, p.Character
					if dl == 0 {
						dc -= prev.Character
					}
					data = append(data, dl, dc, n, uint32(t.Type), uint32(t.Mods))
					prev = p
				}
			}
			if t.Span.End <= syntax.Pos(c.end) || int(p.Line)+1 >= m.lineCount() {
				break // the token ends on this line, or there is no next line
			}
			start = syntax.Pos(m.lineStart(int(p.Line) + 1))
		}
	}
	return data
}
