package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/btfindex/userbin/usertest"
)

// TestCheckUserBinaries: bpfls check waits for the binaries a script
// names, with or without kernel facts, and reports what they lack.
func TestCheckUserBinaries(t *testing.T) {
	bins := usertest.Build(t, "")
	p := writeFile(t, t.TempDir(), "user.bt",
		"uprobe:"+bins.Debug+":add_pointz { printf(\"x\\n\"); }\n"+
			"usdt:"+bins.USDT+":myapp:request { printf(\"%d\\n\", arg2); }\n"+
			"uprobe:"+bins.NoDebug+":add_points { printf(\"%d\\n\", args.a->x); }\n")
	code, out, errOut := runBpfls(t, "check", "--no-kernel", "--target-version", "0.26", p)
	if code != exitFail {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFail, out, errOut)
	}
	for _, want := range []string{
		`user.bt:1:` + strconv.Itoa(len("uprobe:"+bins.Debug+":")+1) + `: error: ` + bins.Debug + ` has no function "add_pointz", did you mean "add_points"? [probe/unknown-function]`,
		`user.bt:2:` + strconv.Itoa(len("usdt:"+bins.USDT+":myapp:request { printf(\"%d\\n\", ")+1) + `: warning: USDT probe "myapp:request" has 2 arguments: arg2 reads nothing [probe/usdt-argument]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "user.bt:3:") {
		t.Errorf("args through the separate debug file were refused:\n%s", out)
	}
}
