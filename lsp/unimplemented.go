package lsp

import "go.lsp.dev/protocol"

// unimplemented answers every protocol method the server does not
// implement: requests with MethodNotFound, notifications by ignoring them.
// Server embeds it and overrides what it implements; initialize.go
// advertises exactly those.
type unimplemented struct {
	protocol.UnimplementedServer
}

var _ protocol.Server = (*Server)(nil)
