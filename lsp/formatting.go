package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/bpfls/bpfls/analysis/format"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Formatting answers textDocument/formatting: bpftrace's official style,
// as minimal line edits. A file with syntax errors gets no edits, as gopls
// does: formatting never writes broken text.
func (s *Server) Formatting(ctx context.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	out, err := format.Source(doc.File())
	if err != nil {
		return nil, nil
	}
	out = format.FixEnd(doc.Text.Bytes(), out, endOptions(params.Options))
	return s.textEdits(doc, format.Edits(doc.Text.Bytes(), out), 0), nil
}

// endOptions reads the client's end-of-file preferences.
func endOptions(o protocol.FormattingOptions) format.EndOptions {
	return format.EndOptions{
		KeepNoFinalNewline: o.InsertFinalNewline != nil && !*o.InsertFinalNewline,
		TrimFinalNewlines:  o.TrimFinalNewlines != nil && *o.TrimFinalNewlines,
	}
}

// textEdits converts edits whose spans are relative to base.
func (s *Server) textEdits(doc *Document, edits []format.Edit, base syntax.Pos) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		sp := e.Span
		sp.Start += base
		sp.End += base
		out = append(out, protocol.TextEdit{Range: s.spanRange(doc, sp), NewText: e.New})
	}
	return out
}
