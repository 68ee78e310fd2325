package main

import (
	"context"
	"fmt"
	"io"
)

// runServe starts the language server. TODO: wired by the language-server work.
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bpfls: serve is not built yet")
	return exitFail
}
