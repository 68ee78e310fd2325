package lsp

import (
	"reflect"
	"testing"

	"go.lsp.dev/protocol"
)

// didChangeSeeds are didChange params: the shapes editors send, which the
// fast path must take, and odd ones, which it may leave to the protocol.
var didChangeSeeds = []struct {
	params string
	fast   bool
}{
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"BEGIN {\n\tprintf(\"\\u00e9 \\ud83d\\ude00\\n\");\n}\n"}]}`, true},
	{`{"textDocument":{"uri":"file:///a.bt","version":3},"contentChanges":[{"range":{"start":{"line":1,"character":2},"end":{"line":1,"character":4}},"text":"x"}]}`, true},
	{`{"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"rangeLength":1,"text":""},{"text":"a"}],"textDocument":{"version":4,"uri":"file:///a.bt"}}`, true},
	{` { "textDocument" : { "uri" : "untitled:Untitled-1" , "version" : 2147483647 } , "contentChanges" : [ { "text" : "" } ] } `, true},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"range":null,"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":null}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"rangeLength":1,"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"x","text":"y"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"Text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"\xff"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"\ud800"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2.5},"contentChanges":[{"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"range":{"start":{"line":0},"end":{"line":0,"character":0}},"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"x"}],"extra":1}`, false},
	{`{"textDocument":null,"contentChanges":[{"text":"x"}]}`, false},
	{`{"textDocument":{"uri":"file:///a.bt","version":2},"contentChanges":[{"text":"x"}]`, false},
}

// checkDecodeDidChange requires the fast path's result, when it gives one,
// to equal protocol.Unmarshal's.
func checkDecodeDidChange(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := decodeDidChange(data)
	if !ok {
		return false
	}
	var want protocol.DidChangeTextDocumentParams
	if err := protocol.Unmarshal(data, &want); err != nil {
		t.Fatalf("decodeDidChange took %s, which protocol.Unmarshal refuses: %v", data, err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("decodeDidChange(%s) = %#v, protocol.Unmarshal gives %#v", data, *got, want)
	}
	return true
}

func TestDecodeDidChangeMatchesProtocol(t *testing.T) {
	t.Parallel()
	for _, tc := range didChangeSeeds {
		if fast := checkDecodeDidChange(t, []byte(tc.params)); fast != tc.fast {
			t.Errorf("fast path %v, want %v, for %s", fast, tc.fast, tc.params)
		}
	}
}

// FuzzDecodeDidChange checks that whatever the fast path decodes, the
// protocol decodes alike.
func FuzzDecodeDidChange(f *testing.F) {
	for _, tc := range didChangeSeeds {
		f.Add([]byte(tc.params))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeDidChange(t, data) })
}
