// This file implements the transport under the JSON-RPC connection: LSP
// header framing that survives bad input, and the codec for protocol types.
//
// jsonrpc2 v1.0.1's own framer ends the connection on the first malformed
// header or body. An editor bug or a stray write must not kill the server,
// so this stream answers an unparsable message with a ParseError response
// (id null, as JSON-RPC prescribes), skips a malformed header block, and
// keeps reading.

package lsp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// maxMessage bounds the body a single message may declare (64 MiB), so a
// hostile Content-Length cannot make the server allocate without limit.
const maxMessage = 64 << 20

// Codec is the jsonrpc2.Codec for LSP payloads: it encodes with the
// union-aware protocol.Marshal and protocol.Unmarshal. Both ends of a
// connection (the server, and lsptest's client) use it.
type Codec struct{}

var _ jsonrpc2.Codec = Codec{}

// Marshal implements jsonrpc2.Codec.
func (Codec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

// Unmarshal implements jsonrpc2.Codec.
func (Codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = bytes.Clone(data)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// stream is a jsonrpc2.Stream with LSP header framing that skips bad input.
type stream struct {
	rwc io.ReadWriteCloser
	in  *bufio.Reader
	log *zap.Logger

	wmu  sync.Mutex // one frame per Write, never interleaved
	wbuf []byte
}

// NewStream returns a jsonrpc2.Stream over rwc using the LSP base protocol
// framing. Malformed messages are answered with a ParseError and skipped.
func NewStream(rwc io.ReadWriteCloser, log *zap.Logger) jsonrpc2.Stream {
	return &stream{rwc: rwc, in: bufio.NewReader(rwc), log: log}
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, hdr, err := s.readHeader()
		if errors.Is(err, errBadHeader) {
			s.log.Warn("skipping a message with a malformed header", zap.Error(err))
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		body, err := s.readBody(length)
		if err != nil {
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err != nil {
			s.log.Warn("answering an undecodable message", zap.Error(err), zap.ByteString("body", head(body)))
			s.replyError(ctx, err)
			continue
		}
		return msg, int64(hdr + length), nil
	}
}

// presize is the largest body read into a buffer of its declared size; a
// whole-document change of the largest document analysed fits.
const presize = 4 << 20

// readBody reads a body of length bytes. It is owned: decoded requests
// borrow it. A body over presize grows as it arrives, so a Content-Length
// that promises more than is sent costs at most presize more than what
// was sent; a smaller one is read in place, not copied each time its
// buffer doubles.
func (s *stream) readBody(length int) ([]byte, error) {
	var err error
	var body []byte
	if length <= presize {
		body = make([]byte, length)
		_, err = io.ReadFull(s.in, body)
	} else {
		buf := bytes.NewBuffer(make([]byte, 0, presize))
		_, err = io.CopyN(buf, s.in, int64(length))
		body = buf.Bytes()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return body, err
}

// replyError answers a message that could not be decoded. Its id is unknown,
// so the response carries a null id.
func (s *stream) replyError(ctx context.Context, err error) {
	var werr *jsonrpc2.Error
	if !errors.As(err, &werr) {
		werr = jsonrpc2.NewError(jsonrpc2.ParseError, err.Error())
	}
	if _, err := s.Write(ctx, jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, werr)); err != nil {
		s.log.Warn("writing an error response", zap.Error(err))
	}
}

var errBadHeader = errors.New("malformed message header")

// readHeader reads one header block and returns the declared Content-Length
// and the header's size. A block without a usable Content-Length is consumed
// whole and reported as errBadHeader, so the next block can be tried.
func (s *stream) readHeader() (length, size int, err error) {
	length = -1
	for {
		line, err := s.in.ReadSlice('\n')
		if err != nil {
			if err == io.EOF && size > 0 {
				err = io.ErrUnexpectedEOF
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				return 0, 0, fmt.Errorf("header line longer than %d bytes: %w", s.in.Size(), errBadHeader)
			}
			return 0, 0, err
		}
		size += len(line)
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			continue // Content-Type and unknown fields are ignored
		}
		n, err := strconv.Atoi(string(bytes.TrimSpace(value)))
		if err != nil || n <= 0 || n > maxMessage {
			length = -2
			continue
		}
		length = n
	}
	if length < 0 {
		return 0, 0, fmt.Errorf("no valid Content-Length in %d header bytes: %w", size, errBadHeader)
	}
	return length, size, nil
}

// maxKeptBuffer bounds the write buffer kept between messages.
const maxKeptBuffer = 64 << 10

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	body := jsonrpc2.AppendMessage(s.wbuf[:0], msg)
	frame := make([]byte, 0, len(body)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(body)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, body...)
	if cap(body) <= maxKeptBuffer {
		s.wbuf = body // reused; a rare large message's buffer is not kept
	}
	n, err := s.rwc.Write(frame)
	return int64(n), err
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.rwc.Close() }

// head returns at most the first 200 bytes of b, for logging.
func head(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// didChangeWire mirrors protocol.DidChangeTextDocumentParams for
// decodeDidChange. Pointers and raw values tell a missing or null member
// from a zero one.
type didChangeWire struct {
	TextDocument   jsontext.Value `json:"textDocument"` // small: the protocol decodes it, URI rules and all
	ContentChanges []struct {
		Range       jsontext.Value `json:"range"`
		RangeLength jsontext.Value `json:"rangeLength"`
		Text        *string        `json:"text"`
	} `json:"contentChanges"`
}

type rangeWire struct {
	Start *positionWire `json:"start"`
	End   *positionWire `json:"end"`
}

type positionWire struct {
	Line      *uint32 `json:"line"`
	Character *uint32 `json:"character"`
}

// decodeDidChange decodes didChange params, the one message whose size
// grows with the document, when they have the plain shape editors send:
// protocol.Unmarshal unescapes a whole-document text into a buffer grown
// from nothing, about ten times the text in garbage, and scans it twice to
// pick the change's kind. Anything else (a null, a duplicate, unknown or
// missing member, invalid UTF-8) reports false and takes the protocol's
// path, so both decode every message they share alike
// (TestDecodeDidChangeMatchesProtocol).
func decodeDidChange(data []byte) (*protocol.DidChangeTextDocumentParams, bool) {
	strict := json.RejectUnknownMembers(true)
	var w didChangeWire
	if json.Unmarshal(data, &w, strict) != nil || w.TextDocument.Kind() != '{' || len(w.ContentChanges) == 0 {
		return nil, false
	}
	p := &protocol.DidChangeTextDocumentParams{ContentChanges: make([]protocol.TextDocumentContentChangeEvent, 0, len(w.ContentChanges))}
	if protocol.Unmarshal(w.TextDocument, &p.TextDocument) != nil {
		return nil, false
	}
	for _, c := range w.ContentChanges {
		if c.Text == nil {
			return nil, false
		}
		if c.Range == nil {
			if c.RangeLength != nil {
				return nil, false
			}
			p.ContentChanges = append(p.ContentChanges, &protocol.TextDocumentContentChangeWholeDocument{Text: *c.Text})
			continue
		}
		var r rangeWire
		if c.Range.Kind() != '{' || json.Unmarshal(c.Range, &r, strict) != nil || r.Start == nil || r.End == nil ||
			r.Start.Line == nil || r.Start.Character == nil || r.End.Line == nil || r.End.Character == nil {
			return nil, false
		}
		change := &protocol.TextDocumentContentChangePartial{Text: *c.Text, Range: protocol.Range{
			Start: protocol.Position{Line: *r.Start.Line, Character: *r.Start.Character},
			End:   protocol.Position{Line: *r.End.Line, Character: *r.End.Character},
		}}
		if c.RangeLength != nil {
			var n uint32
			if c.RangeLength.Kind() != '0' || json.Unmarshal(c.RangeLength, &n) != nil {
				return nil, false
			}
			change.RangeLength = protocol.NewOptional(n)
		}
		p.ContentChanges = append(p.ContentChanges, change)
	}
	return p, true
}
