package lsptest_test

import (
	"testing"
	"time"

	"go.lsp.dev/uri"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

func TestWireRecordsByDefault(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{})
	if e.Wire == nil {
		t.Fatal("Wire is nil without DiscardWire")
	}
	if !e.Wire.WaitFor(5*time.Second, `"serverInfo"`, `"bpfls"`) {
		t.Errorf("the initialize answer was not recorded; wire holds %q", e.Wire.String())
	}
}

func TestDiscardWire(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{DiscardWire: true})
	if e.Wire != nil {
		t.Fatal("Wire is set with DiscardWire")
	}
	if e.Init == nil || e.Init.ServerInfo.Name != "bpfls" {
		t.Fatalf("initialize answer = %+v, want bpfls's", e.Init)
	}
	const u = uri.URI("file:///discard.bt")
	e.Open(u, "BEGIN { @x = ; }\n")
	e.WaitDiagnostics(u, lsptest.HasCode("syntax"), 5*time.Second) // the client still hears the server
}
