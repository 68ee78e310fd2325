package lsp_test

import (
	"strconv"
	"testing"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// TestErrorCodes checks the JSON-RPC codes of requests that reach the
// server as valid JSON but name no method, or carry params of the wrong
// shape: those are not ParseErrors (-32700), which the framing layer
// reserves for text that is not JSON.
func TestErrorCodes(t *testing.T) {
	t.Parallel()
	e := lsptest.New(t, lsptest.Options{SkipInitialize: true})
	// Before initialize, a well-formed initialize without params. Its id is
	// one the test client never uses: the client's own initialize (id 1)
	// could otherwise take this late error answer as its own.
	e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":9001,"method":"initialize"}`))
	if !e.Wire.WaitFor(wait, `"id":9001,"error":{"code":-32602`) {
		t.Fatalf("initialize without params: no InvalidParams; wire:\n%s", e.Wire)
	}
	e.Initialize(lsptest.Options{}) // the server still accepts a proper one
	e.Open("file:///a.bt", "BEGIN { exit(); }\n")
	for id, tc := range []struct{ name, body, code string }{
		{"unknown method without params", `"method":"bpfls/noSuchMethod"`, "-32601"},
		{"unknown method with null params", `"method":"noSuch","params":null`, "-32601"},
		{"unknown method with params", `"method":"noSuch","params":{"a":1}`, "-32601"},
		{"hover without params", `"method":"textDocument/hover"`, "-32602"},
		{"negative line", `"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.bt"},"position":{"line":-1,"character":0}}`, "-32602"},
		{"negative character", `"method":"textDocument/definition","params":{"textDocument":{"uri":"file:///a.bt"},"position":{"line":0,"character":-5}}`, "-32602"},
		{"position a string", `"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///a.bt"},"position":"here"}`, "-32602"},
		{"params an array", `"method":"textDocument/documentSymbol","params":[1,2]`, "-32602"},
		{"uri a number", `"method":"textDocument/foldingRange","params":{"textDocument":{"uri":5}}`, "-32602"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idText := `"id":` + strconv.Itoa(100+id)
			e.WriteRaw(lsptest.Frame(`{"jsonrpc":"2.0",` + idText + `,` + tc.body + `}`))
			if !e.Wire.WaitFor(wait, idText+`,"error":{"code":`+tc.code) {
				t.Errorf("want code %s; wire:\n%s", tc.code, e.Wire)
			}
		})
	}
	stillServes(t, e)
}
