package syntax

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusDialects maps each testdata/syntax subdirectory to its dialect.
var corpusDialects = map[string]Dialect{
	"newest": NewestDialect(),
	"0.17":   {Version: V0_17},
}

// errorMarker matches /* ERROR "regexp" */ comments.
var errorMarker = regexp.MustCompile(`^/\* ERROR "((?:[^"\\]|\\.)*)" \*/$`)

// TestSyntaxCorpus parses every script in the top-level testdata/syntax
// and checks its diagnostics against its ERROR markers.
func TestSyntaxCorpus(t *testing.T) {
	t.Parallel()
	n := 0
	for dir, d := range corpusDialects {
		files, _ := filepath.Glob(filepath.Join("../../testdata/syntax", dir, "*.bt"))
		for _, name := range files {
			n++
			t.Run(dir+"/"+filepath.Base(name), func(t *testing.T) {
				t.Parallel()
				src, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				checkErrorMarkers(t, Parse(name, src, d))
			})
		}
	}
	if n == 0 {
		t.Fatal("no scripts in testdata/syntax")
	}
}

// checkErrorMarkers matches f's errors against the ERROR comments in f: an
// error matches a marker on the same line, starting before the marker,
// whose regexp matches "code: message".
func checkErrorMarkers(t *testing.T, f *File) {
	t.Helper()
	type marker struct {
		line int
		pos  Pos
		rx   *regexp.Regexp
		used bool
	}
	var markers []*marker
	for _, c := range f.Comments() {
		m := errorMarker.FindStringSubmatch(c.Text)
		if m == nil {
			continue
		}
		rx, err := regexp.Compile(strings.ReplaceAll(m[1], `\"`, `"`))
		if err != nil {
			t.Fatalf("bad marker %s: %v", c.Text, err)
		}
		line, _ := f.Position(c.Span.Start)
		markers = append(markers, &marker{line: line, pos: c.Span.Start, rx: rx})
	}
	for _, e := range f.Errors {
		line, col := f.Position(e.Span.Start)
		text := fmt.Sprintf("%s: %s", e.Code, e.Msg)
		found := false
		for _, m := range markers {
			if !m.used && m.line == line && e.Span.Start <= m.pos && m.rx.MatchString(text) {
				m.used, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%d:%d: unexpected error %s", line, col, text)
		}
	}
	for _, m := range markers {
		if !m.used {
			t.Errorf("%d: no error matching %q", m.line, m.rx)
		}
	}
}
