package main

import (
	"strings"
	"testing"
)

func TestVersionAndHelpFlags(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runBpfls(t, args...)
		if code != exitOK || !strings.HasPrefix(out, "bpfls "+version) {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, _ := runBpfls(t, args...)
		if code != exitOK || !strings.Contains(out, "bpfls check") {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
}
