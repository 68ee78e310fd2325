package lsp_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// noDelay makes analysis run as soon as an edit arrives.
var noDelay = map[string]any{"bpfls": map[string]any{"diagnosticsDelay": 0}}

// errorAt accepts a publication for version v with exactly n diagnostics,
// the first a syntax error starting at line:char.
func errorAt(v int32, n int, line, char uint32) func(*protocol.PublishDiagnosticsParams) bool {
	return func(p *protocol.PublishDiagnosticsParams) bool {
		if !lsptest.AtVersion(v)(p) || len(p.Diagnostics) != n || !lsptest.HasCode("syntax")(p) {
			return false
		}
		start := p.Diagnostics[0].Range.Start
		return start.Line == line && start.Character == char
	}
}

func describe(ps []*protocol.PublishDiagnosticsParams) string {
	var b strings.Builder
	for _, p := range ps {
		v, _ := p.Version.Get()
		fmt.Fprintf(&b, "v%d:", v)
		for _, d := range p.Diagnostics {
			fmt.Fprintf(&b, " %d:%d %v %q;", d.Range.Start.Line, d.Range.Start.Character, d.Code, d.Message)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestDiagnosticsFollowEdits(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///edit.bt")
	e.Open(u, "BEGIN { @x = 1; }\n")
	e.WaitDiagnostics(u, lsptest.AtVersion(1), wait)

	v := e.Change(u, lsptest.Edit(0, 14, 0, 14, " +")) // BEGIN { @x = 1 +; }
	p := e.WaitDiagnostics(u, lsptest.AtVersion(v), wait)
	if len(p.Diagnostics) != 1 {
		t.Fatalf("v%d: %d diagnostics, want 1:\n%s", v, len(p.Diagnostics), describe(e.Client.Published(u)))
	}
	d := p.Diagnostics[0]
	if d.Range.Start != (protocol.Position{Line: 0, Character: 16}) || d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("diagnostic at %v severity %d, want 0:16 error", d.Range.Start, d.Severity)
	}
	if src, _ := d.Source.Get(); src != "bpfls" || !lsptest.HasCode("syntax/")(p) {
		t.Errorf("source %q code %v, want bpfls and a syntax/ code", src, d.Code)
	}

	v = e.Change(u, lsptest.Edit(0, 14, 0, 16, "")) // back to valid
	e.WaitDiagnostics(u, func(p *protocol.PublishDiagnosticsParams) bool {
		return lsptest.AtVersion(v)(p) && lsptest.Empty(p)
	}, wait)
}

// TestDiagnosticsPositionEncodings edits a line holding an emoji and a CRLF
// in each encoding and checks where the server then reports the error.
func TestDiagnosticsPositionEncodings(t *testing.T) {
	t.Parallel()
	const text = "BEGIN { printf(\"😀\"); }\r\nEND { @x = 😀; }\r\n"
	for _, tc := range []struct {
		enc        string
		emojiWidth uint32
	}{{"utf-16", 2}, {"utf-8", 4}} {
		t.Run(tc.enc, func(t *testing.T) {
			t.Parallel()
			e := lsptest.New(t, lsptest.Options{Settings: noDelay, PositionEncodings: []string{tc.enc}})
			const u = uri.URI("file:///enc.bt")
			e.Open(u, text)
			// The emoji on line 1 is not an expression: reported at 1:11.
			e.WaitDiagnostics(u, errorAt(1, 1, 1, 11), wait)
			// Replace the emoji on line 0 by "ab", and the one on line 1 by "1 +": the
			// error is now at the ';', after "END { @x = 1 +".
			v := e.Change(u,
				lsptest.Edit(0, 16, 0, 16+tc.emojiWidth, "ab"),
				lsptest.Edit(1, 11, 1, 11+tc.emojiWidth, "1 +"))
			if e.Client.Wait(u, errorAt(v, 1, 1, 14), wait) == nil {
				t.Fatalf("want one error at 1:14 for v%d:\n%s", v, describe(e.Client.Published(u)))
			}
			// Insert a comment holding an emoji before the error: the error
			// moves by the comment's width in the encoding.
			v = e.Change(u, lsptest.Edit(1, 6, 1, 6, "/*😀*/"))
			if e.Client.Wait(u, errorAt(v, 1, 1, 18+tc.emojiWidth), wait) == nil {
				t.Fatalf("want the error at 1:%d for v%d:\n%s", 18+tc.emojiWidth, v, describe(e.Client.Published(u)))
			}
		})
	}
}

func TestStaleVersionsAreIgnored(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///stale.bt")
	e.Open(u, "BEGIN { @x = ; }\n")
	e.WaitDiagnostics(u, errorAt(1, 1, 0, 13), wait)
	e.ChangeAt(u, 1, lsptest.Whole("BEGIN { @x = 1; }\n")) // same version: ignored
	e.ChangeAt(u, 0, lsptest.Whole("BEGIN { @x = 1; }\n")) // older: ignored
	v := e.Change(u, lsptest.Edit(0, 0, 0, 0, "END { @y = ; }\n"))
	// Had a stale change been applied, there would be one error, not two.
	if e.Client.Wait(u, errorAt(v, 2, 0, 11), wait) == nil {
		t.Fatalf("want two errors for v%d:\n%s", v, describe(e.Client.Published(u)))
	}
	for _, p := range e.Client.Published(u) {
		if got, _ := p.Version.Get(); got != 1 && got != v {
			t.Errorf("published for version %d, which was never current", got)
		}
	}
}

func TestDiagnosticsAreDebounced(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: map[string]any{"diagnosticsDelay": 1000}})
	const u = uri.URI("file:///debounce.bt")
	e.Open(u, "BEGIN { @x = ; }\n")
	var last int32
	for range 5 {
		last = e.Change(u, lsptest.Edit(0, 8, 0, 8, " "))
	}
	e.WaitDiagnostics(u, errorAt(last, 1, 0, 18), wait)
	if n := len(e.Client.Published(u)); n != 1 {
		t.Errorf("%d publications, want 1 for edits inside one delay:\n%s", n, describe(e.Client.Published(u)))
	}
}

func TestOutOfRangeEditIsClamped(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///clamp.bt")
	e.Open(u, "BEGIN { }\n")
	v := e.Change(u, lsptest.Edit(5000, 3, 6000, 0, "END { @q = ; }"))
	if e.Client.Wait(u, errorAt(v, 1, 1, 11), wait) == nil {
		t.Fatalf("the edit past the end should land at the end:\n%s", describe(e.Client.Published(u)))
	}
	e.Change(u, lsptest.Edit(1, 0, 0, 0, "inverted")) // rejected, logged
	stillServes(t, e)
}

// TestEditBurst sends 1,000 edits without waiting, then checks the server's
// text through where it reports errors. The edits insert and delete
// whitespace and comments holding a surrogate pair, at random places in a
// run of such atoms before the error.
func TestEditBurst(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///burst.bt")
	const head, tail = "BEGIN { ", "@x = ; }" // the error is at the ';'
	e.Open(u, head+tail+"\nkprobe:vfs_read { @reads = count(); }\n")
	atoms := []string{" ", "\t", "/*😀*/"}
	var pad []string
	offset := func(i int) uint32 { return utf16Len([]rune(head + strings.Join(pad[:i], ""))) }
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		i := rng.IntN(len(pad) + 1)
		if i < len(pad) && rng.IntN(3) == 0 {
			e.Change(u, lsptest.Edit(0, offset(i), 0, offset(i+1), ""))
			pad = append(pad[:i:i], pad[i+1:]...)
			continue
		}
		a := atoms[rng.IntN(len(atoms))]
		e.Change(u, lsptest.Edit(0, offset(i), 0, offset(i), a))
		pad = append(pad[:i:i], append([]string{a}, pad[i:]...)...)
	}
	v := e.Change(u, lsptest.Edit(2, 0, 2, 0, "END { @y = ; }\n"))
	want := offset(len(pad)) + uint32(len("@x = "))
	if e.Client.Wait(u, errorAt(v, 2, 0, want), wait) == nil {
		t.Fatalf("after the burst, want errors at 0:%d and on line 2 for v%d; last publications:\n%s", want, v, describe(lastN(e.Client.Published(u), 3)))
	}
	stillServes(t, e)
}

func TestLargeDocument(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 49_999 {
		fmt.Fprintf(&b, "kprobe:f%d { @c[%d] = count(); }\n", i, i)
	}
	b.WriteString("END { @x = ; }") // line 49,999: the 50,000th line
	e := lsptest.New(t, lsptest.Options{Settings: noDelay})
	const u = uri.URI("file:///large.bt")
	start := time.Now()
	e.Open(u, b.String())
	// Generous: under -race, on a loaded 2-core machine, the first
	// analysis took over 30 s once; its speed is BenchmarkFirstAnalysisPeak's.
	e.WaitDiagnostics(u, errorAt(1, 1, 49_999, 11), 90*time.Second)
	t.Logf("50,000 lines: first diagnostics after %v", time.Since(start))
	v := e.Change(u, lsptest.Edit(0, 0, 0, 0, "BEGIN { }\n"))
	if e.Client.Wait(u, errorAt(v, 1, 50_000, 11), 30*time.Second) == nil {
		t.Fatalf("error did not move down a line:\n%s", describe(lastN(e.Client.Published(u), 2)))
	}
	stillServes(t, e)
}

func utf16Len(rs []rune) uint32 { return uint32(len(utf16.Encode(rs))) }

func lastN[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }
