package analysis

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestBodyMapsStringEnds checks that bodyMaps skips strings as the scanner
// reads them: to the closing quote, or to a raw newline when the string is
// unterminated, so a map on the next line still counts.
func TestBodyMapsStringEnds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{`{ printf("@a %d\n", 1); @b = 1; }`, []string{"@b"}},
		{`{ $s = "x\"@a"; @b = 1; }`, []string{"@b"}},
		{"{ $s = \" open\n $t = @x; }", []string{"@x"}},
		{"{ $s = \"back\\\n@y = 1; }", []string{"@y"}},
		{"{ $s = \"\n@z = 1; }", []string{"@z"}},
	} {
		got, _ := bodyMaps([]byte(tc.src), syntax.Span{End: syntax.Pos(len(tc.src))})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("bodyMaps(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestReanalyzeAfterUnterminatedString types the first write of a map
// that an earlier probe reads after an unterminated string: that probe must
// be checked again against the map's new type, as a full analysis does.
func TestReanalyzeAfterUnterminatedString(t *testing.T) {
	t.Parallel()
	src := "kprobe:vfs_read { $s = \" open\n $t = @x; print($t); }\n" +
		"kprobe:vfs_write { $v = 1; }\n" +
		"kprobe:tcp_sendmsg { @x[1] = hist(1); }\n"
	cfg := Config{Dialect: syntax.Dialect{Version: syntax.V0_26}}
	ctx := context.Background()
	prev := Reanalyze(ctx, nil, syntax.Parse("s.bt", []byte(src), cfg.Dialect))
	at := strings.Index(src, "$v = 1;")
	f := syntax.Reparse(prev.File, syntax.Edit{Span: syntax.Span{Start: syntax.Pos(at), End: syntax.Pos(at)}, NewText: []byte("@x[2] = count(); ")})
	got := Reanalyze(ctx, prev, f)
	want := Analyze(ctx, syntax.Parse("s.bt", f.Src(), cfg.Dialect), cfg)
	sameDiagnostics(t, got, want)
}
