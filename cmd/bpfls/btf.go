package main

import (
	"context"
	"fmt"
	"io"
)

// runBTF implements `bpfls btf`. TODO: wired once btfindex lands.
func runBTF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "bpfls: btf is not built yet")
	return exitFail
}
