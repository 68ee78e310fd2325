package lsp

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// CodeAction answers textDocument/codeAction with the quick fixes of the
// diagnostics that touch the requested range, and the whole-file migration
// to the target version (source.fixAll). The fixes come from analysis; this
// only converts their edits.
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	doc, err := s.store.get(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	span, err := doc.Mapper.RangeSpan(params.Range)
	if err != nil {
		return nil, fmt.Errorf("code actions in %s: %w: %w", doc.URI, err, errInvalidParams)
	}
	snap := doc.Snapshot()
	var actions []protocol.CommandOrCodeAction
	for _, d := range snap.Diagnostics {
		if !touches(d.Span, span) {
			continue
		}
		for _, fix := range d.Fixes {
			if !kindWanted(fix.Kind, params.Context.Only) {
				continue
			}
			actions = append(actions, s.codeAction(doc, d, fix))
		}
	}
	if fix, ok := analysis.MigrationFix(snap); ok && kindWanted(fix.Kind, params.Context.Only) {
		actions = append(actions, s.fileAction(doc, fix))
	}
	return actions, nil
}

// codeActionKinds are the kinds CodeAction returns, advertised at
// initialize so that clients ask for each of them.
var codeActionKinds = []protocol.CodeActionKind{
	protocol.CodeActionKindQuickFix,
	protocol.CodeActionKindRefactorExtract,
	protocol.CodeActionKindRefactorRewrite,
	protocol.CodeActionKindSourceFixAll,
}

// fileAction turns a whole-file fix (the migration to the target version)
// into a code action that resolves no single diagnostic.
func (s *Server) fileAction(doc *Document, fix analysis.Fix) *protocol.CodeAction {
	kind := protocol.CodeActionKind(fix.Kind)
	edits := make([]protocol.TextEdit, 0, len(fix.Edits))
	for _, e := range fix.Edits {
		edits = append(edits, protocol.TextEdit{Range: s.spanRange(doc, e.Span), NewText: e.NewText})
	}
	return &protocol.CodeAction{Title: fix.Title, Kind: &kind,
		Edit: &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{doc.URI: edits}}}
}

func (s *Server) codeAction(doc *Document, d analysis.Diagnostic, fix analysis.Fix) *protocol.CodeAction {
	kind := protocol.CodeActionKind(fix.Kind)
	if kind == "" {
		kind = protocol.CodeActionKindQuickFix
	}
	edits := make([]protocol.TextEdit, 0, len(fix.Edits))
	for _, e := range fix.Edits {
		edits = append(edits, protocol.TextEdit{Range: s.spanRange(doc, e.Span), NewText: e.NewText})
	}
	preferred := len(d.Fixes) == 1
	return &protocol.CodeAction{
		Title:       fix.Title,
		Kind:        &kind,
		Diagnostics: s.toProtocolDiagnostics(doc, []analysis.Diagnostic{d}),
		IsPreferred: &preferred,
		Edit:        &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{doc.URI: edits}},
	}
}

// touches reports whether a diagnostic's span and the requested one overlap
// or meet, so that a cursor at either end of a diagnostic finds its fixes.
func touches(d, r syntax.Span) bool { return d.Start <= r.End && r.Start <= d.End }

// kindWanted applies the client's "only" filter: a kind matches a wanted
// kind that equals it or is its dot-separated prefix.
func kindWanted(kind string, only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	if kind == "" {
		kind = string(protocol.CodeActionKindQuickFix)
	}
	for _, w := range only {
		if kind == string(w) || strings.HasPrefix(kind, string(w)+".") {
			return true
		}
	}
	return false
}
