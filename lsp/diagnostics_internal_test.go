package lsp

import (
	"context"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/rope"
	"github.com/bpfls/bpfls/analysis/syntax"
)

func TestToProtocolDiagnostics(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	d := s.store.open("file:///conv.bt", 3, rope.FromString("kprobe:a, kprobe:b {\r\n  $😀 = args.x;\r\n}\r\n"))
	in := []analysis.Diagnostic{
		{
			Span: syntax.Span{Start: 37, End: 38}, Severity: analysis.SeverityWarning, Code: "args/mixed",
			Message: "field \"x\" is missing", Source: "bpfls",
			Related: []analysis.Related{{Span: syntax.Span{Start: 10, End: 18}, Message: "kprobe:b has no field \"x\""}},
		},
		{Span: syntax.Span{Start: 40, End: 900}, Severity: analysis.SeverityHint, Message: "past the end"}, // an analysis bug: clamped
	}
	got := s.toProtocolDiagnostics(d, in)
	if len(got) != 2 {
		t.Fatalf("%d diagnostics, want 2", len(got))
	}
	a := got[0]
	if a.Range != (protocol.Range{Start: pos(1, 13), End: pos(1, 14)}) || a.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("range %v severity %d, want 1:13-1:14 (after a surrogate pair) and a warning", a.Range, a.Severity)
	}
	if c, _ := a.Code.(protocol.String); c != "args/mixed" {
		t.Errorf("code = %v", a.Code)
	}
	if src, _ := a.Source.Get(); src != "bpfls" || a.Message != protocol.String("field \"x\" is missing") {
		t.Errorf("source %q message %v", src, a.Message)
	}
	if len(a.RelatedInformation) != 1 || a.RelatedInformation[0].Location.URI != d.URI ||
		a.RelatedInformation[0].Location.Range != (protocol.Range{Start: pos(0, 10), End: pos(0, 18)}) {
		t.Errorf("related = %+v, want kprobe:b at 0:10-0:18 in the same document", a.RelatedInformation)
	}
	b := got[1]
	if b.Code != nil || !b.Source.IsZero() || b.Range.End != pos(3, 0) || b.Severity != protocol.DiagnosticSeverityHint {
		t.Errorf("second diagnostic = %+v, want no code or source and a range clamped to the end", b)
	}
}

// TestScheduleKeepsCurrentDocument schedules a document that a
// reconfiguration remade, then, late, the document it replaced, as a
// didOpen handler racing with a kernel being installed does: the pending
// analysis must stay the current document's, or nothing is published.
func TestScheduleKeepsCurrentDocument(t *testing.T) {
	t.Parallel()
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t)})
	s.diags.setDelay(time.Hour) // the timers must not fire during the test
	defer s.diags.stop()
	old := s.store.open("file:///race.bt", 0, rope.FromString("BEGIN { $x = 1 + ; }\n"))
	remade := s.store.refresh()
	if len(remade) != 1 || remade[0] == old {
		t.Fatalf("refresh made %d documents", len(remade))
	}
	s.diags.schedule(remade[0])
	s.diags.schedule(old) // the opening handler's schedule, after the remake's
	s.diags.mu.Lock()
	pending := s.diags.files[old.URI].pending
	s.diags.mu.Unlock()
	if pending != remade[0] {
		t.Fatalf("the pending analysis is of %p, want the current document %p (the replaced one is %p)", pending, remade[0], old)
	}
}

func TestLogLevelSetting(t *testing.T) {
	t.Parallel()
	level := zap.NewAtomicLevelAt(zapcore.InfoLevel)
	s := newServer(context.Background(), Config{Logger: zaptest.NewLogger(t), LogLevel: &level})
	settings, problems := ParseSettings([]byte(`{"bpfls": {"logLevel": "error", "targetVersion": "newest"}}`))
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	s.applySettings(settings)
	if level.Level() != zapcore.ErrorLevel {
		t.Errorf("level = %v, want error", level.Level())
	}
}
