package main

import (
	"context"
	"fmt"
	"io"
)

// runCheck implements `bpfls check`. TODO: wired once the parser lands.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bpfls: check is not built yet")
	return exitFail
}
