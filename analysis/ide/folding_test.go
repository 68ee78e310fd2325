package ide_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/ide"
)

func TestFolds(t *testing.T) {
	t.Parallel()
	src := `#include <linux/sched.h>
#include <linux/fs.h>
// first line of a comment run
// second line
kprobe:vfs_read {
	if (arg2 > 0) {
		@big = count();
	}
	@n = count(); }
/* a block
   comment */
BEGIN { printf("one line\n"); }
config = {
	max_map_keys = 10
}
`
	var got []string
	for _, f := range ide.Folds(context.Background(), parsed(src)) {
		text := src[f.Span.Start:f.Span.End]
		got = append(got, fmt.Sprintf("%d:%q", f.Kind, firstLast(text)))
	}
	want := []string{
		`2:"#include <linux/sched.h> … #include <linux/fs.h>"`,
		`1:"// first line of a comment run … // second line"`,
		`0:"{ … @n = count(); }"`, // the probe body
		`0:"{ … }"`,               // the if
		`1:"/* a block … comment */"`,
		`0:"{ … }"`, // config
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("folds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// firstLast abbreviates a multi-line text to its first and last lines.
func firstLast(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.TrimSpace(lines[0]) + " … " + strings.TrimSpace(lines[len(lines)-1])
}
