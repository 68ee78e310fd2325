package lsp

import (
	"context"

	"go.uber.org/zap"
)

// Shutdown answers shutdown: background work stops, and from now on only
// exit is accepted.
func (s *Server) Shutdown(ctx context.Context) error {
	s.state.Store(stateShutdown)
	s.cancel()
	s.diags.stop()
	s.log.Info("shutdown requested")
	return nil
}

// Exit handles the exit notification: exit code 0 after shutdown, 1 without
// it, as the specification says. Config.Exit ends the process; without it
// (in tests) the connection is closed instead.
func (s *Server) Exit(ctx context.Context) error {
	code := 1
	if s.state.Load() == stateShutdown {
		code = 0
	}
	s.log.Info("exit", zap.Int("code", code))
	s.cancel()
	s.diags.stop()
	if s.cfg.Exit != nil {
		s.cfg.Exit(code)
	}
	// Close waits for in-flight handlers, this one included, so it cannot
	// run on the read loop.
	go s.conn.Close()
	return nil
}
