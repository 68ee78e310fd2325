package lsp_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/bpfls/bpfls/lsp/lsptest"
)

// diagMarker is `//@diag("code")`: a diagnostic with that code starts on
// the marker's line.
var diagMarker = regexp.MustCompile(`//@diag\("([^"]+)"\)`)

// TestDiagnosticMarkers opens each testdata/diagnostics/*.txtar script in a
// server and compares the published diagnostics, as (line, code) pairs,
// with the markers in the script.
func TestDiagnosticMarkers(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/diagnostics/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata/diagnostics/*.txtar files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var settings any
			if err := json.Unmarshal(section(t, ar, "settings.json"), &settings); err != nil {
				t.Fatalf("settings.json: %v", err)
			}
			src := string(section(t, ar, "input.bt"))
			var want []string
			for i, line := range strings.Split(src, "\n") {
				for _, m := range diagMarker.FindAllStringSubmatch(line, -1) {
					want = append(want, fmt.Sprintf("%d %s", i, m[1]))
				}
			}
			slices.Sort(want)

			e := lsptest.New(t, lsptest.Options{Settings: settings})
			u := uri.URI("file:///" + filepath.Base(file) + ".bt")
			e.Open(u, src)
			var got []string
			p := e.Client.Wait(u, func(p *protocol.PublishDiagnosticsParams) bool {
				got = got[:0]
				for _, d := range p.Diagnostics {
					code, _ := d.Code.(protocol.String)
					got = append(got, fmt.Sprintf("%d %s", d.Range.Start.Line, code))
				}
				slices.Sort(got)
				return slices.Equal(got, want)
			}, wait)
			if p == nil {
				t.Errorf("diagnostics (line code):\n got %q\nwant %q", got, want)
			}
		})
	}
}

func section(t *testing.T, ar *txtar.Archive, name string) []byte {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s section", name)
	return nil
}
