package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/bpfls/bpfls/analysis/ide"
)

// Completion answers textDocument/completion. It completes against the
// parsed document and the current configuration without waiting for the
// document's full analysis, which typing would otherwise redo per keystroke.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	pos, err := doc.Mapper.PositionOffset(params.Position)
	if err != nil {
		return nil, fmt.Errorf("completion in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	snap := doc.syntaxSnapshot()
	list := ide.Completion(ctx, snap, pos)
	rng := s.spanRange(doc, list.Span)
	items := make([]protocol.CompletionItem, len(list.Items))
	snippets := s.snippets.Load()
	for i, it := range list.Items {
		items[i] = completionItem(it, rng, snippets)
	}
	s.log.Debug("completion", zap.String("uri", string(doc.URI)), zap.Int("items", len(items)), zap.Bool("incomplete", list.Incomplete))
	return &protocol.CompletionList{IsIncomplete: list.Incomplete, Items: items}, nil
}

// CompletionResolve fills in what was left out of a listed item: the
// prototype of a kernel function, named in the item's data.
func (s *Server) CompletionResolve(ctx context.Context, item *protocol.CompletionItem) (*protocol.CompletionItem, error) {
	var name string
	if len(item.Data) == 0 || json.Unmarshal(item.Data, &name) != nil || name == "" {
		return item, nil
	}
	it := ide.CompletionItem{Resolve: name}
	ide.ResolveCompletion(ctx, s.store.config().Kernel, &it)
	if it.Detail != "" {
		item.Detail = protocol.NewOptional(it.Detail)
	}
	if it.Doc != "" {
		item.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Doc}
	}
	return item, nil
}

// completionKinds maps analysis kinds to protocol kinds.
var completionKinds = map[ide.CompletionKind]protocol.CompletionItemKind{
	ide.CompleteKeyword:     protocol.CompletionItemKindKeyword,
	ide.CompleteProvider:    protocol.CompletionItemKindModule,
	ide.CompleteKernelFunc:  protocol.CompletionItemKindFunction,
	ide.CompleteTracepoint:  protocol.CompletionItemKindEvent,
	ide.CompleteField:       protocol.CompletionItemKindField,
	ide.CompleteBuiltinVar:  protocol.CompletionItemKindVariable,
	ide.CompleteBuiltinFunc: protocol.CompletionItemKindFunction,
	ide.CompleteMap:         protocol.CompletionItemKindVariable,
	ide.CompleteVariable:    protocol.CompletionItemKindVariable,
	ide.CompleteMacro:       protocol.CompletionItemKindSnippet,
	ide.CompleteType:        protocol.CompletionItemKindStruct,
	ide.CompleteValue:       protocol.CompletionItemKindValue,
}

// completionItem converts it, replacing rng. Without snippet support in
// the client, snippet text becomes plain text (see [plainInsert]).
func completionItem(it ide.CompletionItem, rng protocol.Range, snippets bool) protocol.CompletionItem {
	out := protocol.CompletionItem{
		Label:    it.Label,
		Kind:     completionKinds[it.Kind],
		TextEdit: &protocol.TextEdit{Range: rng, NewText: it.Insert},
	}
	switch {
	case it.Snippet && snippets:
		out.InsertTextFormat = protocol.InsertTextFormatSnippet
	case it.Snippet:
		out.TextEdit = &protocol.TextEdit{Range: rng, NewText: plainInsert(it.Insert)}
		out.InsertTextFormat = protocol.InsertTextFormatPlainText
	}
	if it.Detail != "" {
		out.Detail = protocol.NewOptional(it.Detail)
	}
	if it.Doc != "" {
		out.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Doc}
	}
	if it.Sort != "" {
		out.SortText = protocol.NewOptional(it.Sort + it.Label)
	}
	if it.Resolve != "" {
		data, _ := json.Marshal(it.Resolve) // a string always marshals
		out.Data = protocol.LSPAny(data)
	}
	return out
}

// plainInsert turns snippet text into the plain text a client without
// snippets should insert: the text before the first tabstop or
// placeholder, unescaped. A plain insertion leaves the cursor at its end,
// so "printf(${1:fmt})" becomes "printf(", ready for the first argument,
// and "exit()$0" becomes "exit()".
func plainInsert(snippet string) string {
	var b strings.Builder
	for i := 0; i < len(snippet); i++ {
		c := snippet[i]
		switch {
		case c == '\\' && i+1 < len(snippet) && strings.IndexByte(`\$}`, snippet[i+1]) >= 0:
			i++
			b.WriteByte(snippet[i]) // an escaped '\\', '$' or '}'
		case c == '$':
			return b.String() // an unescaped '$' starts a tabstop, placeholder or variable
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
