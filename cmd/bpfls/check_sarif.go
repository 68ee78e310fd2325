package main

// This file implements `bpfls check --format sarif`: SARIF 2.1.0, as GitHub
// code scanning and other tools read it.

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/analysis/verify"
)

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	Properties sarifProps    `json:"properties"`
}

// sarifProps is the run's property bag: the target version and why.
type sarifProps struct {
	Target jsonTarget `json:"bpftraceTarget"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string      `json:"name"`
	Version string      `json:"version"`
	Rules   []sarifRule `json:"rules"`
}

// sarifRule describes one diagnostic code; code scanning shows its
// descriptions and help beside every result.
type sarifRule struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	ShortDescription sarifMessage `json:"shortDescription"`
	FullDescription  sarifMessage `json:"fullDescription"`
	Help             sarifMessage `json:"help"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

// sarifFix is a quick fix: every replacement lies in the result's file.
type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifContent `json:"insertedContent,omitempty"`
}

type sarifContent struct {
	Text string `json:"text"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	ID               int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

var sarifLevels = map[analysis.Severity]string{
	analysis.SeverityError:   "error",
	analysis.SeverityWarning: "warning",
	analysis.SeverityInfo:    "note",
	analysis.SeverityHint:    "note",
}

func printSARIF(w io.Writer, t verify.Target, files []checkedFile) error {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "bpfls", Version: version, Rules: []sarifRule{}}},
		Results:    []sarifResult{},
		Properties: sarifProps{Target: newJSONTarget(t)},
	}
	rules := map[string]bool{}
	for _, f := range files {
		for _, d := range f.diags {
			rules[d.Code] = true
			res := sarifResult{RuleID: d.Code, Level: sarifLevels[d.Severity], Message: sarifMessage{Text: d.Message},
				Locations: []sarifLocation{sarifPlace(f, d.Span, "")}}
			for i, r := range d.Related {
				loc := sarifPlace(f, r.Span, r.Message)
				loc.ID = i + 1
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
			for _, fix := range d.Fixes {
				res.Fixes = append(res.Fixes, sarifFixOf(f, fix))
			}
			run.Results = append(run.Results, res)
		}
	}
	for id := range rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, newSARIFRule(id))
	}
	sort.Slice(run.Tool.Driver.Rules, func(i, j int) bool { return run.Tool.Driver.Rules[i].ID < run.Tool.Driver.Rules[j].ID })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}

// sarifPlace locates span in f.
func sarifPlace(f checkedFile, span syntax.Span, msg string) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: sarifURI(f.path)},
		Region:           sarifRegionOf(f, span),
	}}
	if msg != "" {
		loc.Message = &sarifMessage{Text: msg}
	}
	return loc
}

// sarifRegionOf is span in 1-based lines and UTF-16 columns, SARIF's default
// column unit.
func sarifRegionOf(f checkedFile, span syntax.Span) sarifRegion {
	l := locate(f.lines, span)
	return sarifRegion{
		StartLine: l.Line, StartColumn: f.utf16Column(l.Line, l.Column),
		EndLine: l.EndLine, EndColumn: f.utf16Column(l.EndLine, l.EndColumn),
	}
}

func sarifFixOf(f checkedFile, fix analysis.Fix) sarifFix {
	change := sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: sarifURI(f.path)}, Replacements: []sarifReplacement{}}
	for _, e := range fix.Edits {
		r := sarifReplacement{DeletedRegion: sarifRegionOf(f, e.Span)}
		if e.NewText != "" {
			r.InsertedContent = &sarifContent{Text: e.NewText}
		}
		change.Replacements = append(change.Replacements, r)
	}
	return sarifFix{Description: sarifMessage{Text: fix.Title}, ArtifactChanges: []sarifArtifactChange{change}}
}

// sarifURI turns a path into a URI reference: an absolute path becomes a
// file:// URI, a relative one stays relative (code scanning resolves it
// against the checkout); either way spaces, '%' and '#' are percent-encoded,
// so the URI names the file and not a fragment.
func sarifURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
