package lsp

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// fuzzConn is a connection whose input is fixed and whose output is kept.
type fuzzConn struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (c *fuzzConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *fuzzConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *fuzzConn) Close() error                { return nil }

// readAll reads messages from data until the input ends, and returns them
// with what the stream wrote back (ParseError answers).
func readAll(t *testing.T, data []byte) ([]jsonrpc2.Message, []byte) {
	c := &fuzzConn{in: bytes.NewReader(data)}
	s := NewStream(c, zap.NewNop())
	var msgs []jsonrpc2.Message
	for {
		msg, n, err := s.Read(context.Background())
		if err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				t.Fatalf("read error %v", err)
			}
			return msgs, c.out.Bytes()
		}
		if n <= 0 || n > int64(len(data)) {
			t.Fatalf("message of %d bytes from %d bytes of input", n, len(data))
		}
		msgs = append(msgs, msg)
	}
}

// FuzzFraming feeds any bytes to the LSP framing: it never panics, never
// reads past its input or stops early, answers only with well-framed
// responses, and every message it decodes survives being written and read
// again.
func FuzzFraming(f *testing.F) {
	frame := func(body string) string { return "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body }
	f.Add([]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)))
	f.Add([]byte(frame(`{"jsonrpc":"2.0","method":"exit"}`) + "Content-Length: nope\r\n\r\n" + frame(`[1,2]`)))
	f.Add([]byte("Content-Type: x\r\ncontent-length:  5 \r\n\r\nhello" + frame(`{"jsonrpc":"2.0","id":"a","result":null}`)))
	f.Add([]byte("Content-Length: 99999999999\r\n\r\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, answers := readAll(t, data)
		replies, rest := readAll(t, answers)
		if len(rest) != 0 {
			t.Fatalf("answering the answers: %q", rest)
		}
		for _, r := range replies {
			if _, ok := r.(*jsonrpc2.Response); !ok {
				t.Fatalf("the stream answered with a %T", r)
			}
		}
		var out fuzzConn
		w := NewStream(&out, zap.NewNop())
		for _, m := range msgs {
			if _, err := w.Write(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		}
		again, _ := readAll(t, out.out.Bytes())
		if len(again) != len(msgs) {
			t.Fatalf("%d messages read, %d after writing them again", len(msgs), len(again))
		}
		for i := range msgs {
			a, b := jsonrpc2.AppendMessage(nil, msgs[i]), jsonrpc2.AppendMessage(nil, again[i])
			if !bytes.Equal(a, b) {
				t.Fatalf("message %d changed on a round trip:\n%s\n%s", i, a, b)
			}
		}
	})
}
