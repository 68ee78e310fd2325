package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParserYardstick measures accept/reject agreement with programs taken
// from a clone of bpftrace (tests/parser.cpp, the PROG lines of
// tests/runtime/*; extracted to a scratch directory, never copied into our
// repository): BPFLS_PARSER_YARDSTICK names a directory with ok/*.bt
// (programs bpftrace accepts) and fail/*.bt (programs it rejects), and
// BPFLS_PARSER_YARDSTICK_VERSION the dialect. It only logs the counts and
// the disagreements, since bpftrace rejects some programs in later passes;
// it skips when unset.
func TestParserYardstick(t *testing.T) {
	root := os.Getenv("BPFLS_PARSER_YARDSTICK")
	if root == "" {
		t.Skip("BPFLS_PARSER_YARDSTICK not set")
	}
	d := NewestDialect()
	if v := os.Getenv("BPFLS_PARSER_YARDSTICK_VERSION"); v != "" {
		var err error
		if d.Version, err = ParseVersion(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range []string{"ok", "fail"} {
		files, _ := filepath.Glob(filepath.Join(root, kind, "*.bt"))
		agree := 0
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(name, src, d)
			if (len(f.Errors) == 0) == (kind == "ok") {
				agree++
				continue
			}
			msg := "accepted"
			if len(f.Errors) > 0 {
				msg = f.Errors[0].Msg
			}
			t.Logf("%s: %s: %q", name, msg, src)
		}
		t.Logf("%s: %d of %d agree", kind, agree, len(files))
	}
}
