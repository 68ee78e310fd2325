package main

// This file implements `bpfls check --format sarif`: SARIF 2.1.0, as GitHub
// code scanning and other tools read it.

import (
	"encoding/json"
	"io"
	"path/filepath"
	"sort"

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

type sarifRule struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
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
			run.Results = append(run.Results, res)
		}
	}
	for id := range rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id})
	}
	sort.Slice(run.Tool.Driver.Rules, func(i, j int) bool { return run.Tool.Driver.Rules[i].ID < run.Tool.Driver.Rules[j].ID })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}

// sarifPlace locates span in f, with columns in UTF-16 code units.
func sarifPlace(f checkedFile, span syntax.Span, msg string) sarifLocation {
	l := locate(f.lines, span)
	loc := sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(f.path)},
		Region: sarifRegion{
			StartLine: l.Line, StartColumn: utf16Column(lineText(f, l.Line), l.Column),
			EndLine: l.EndLine, EndColumn: utf16Column(lineText(f, l.EndLine), l.EndColumn),
		},
	}}
	if msg != "" {
		loc.Message = &sarifMessage{Text: msg}
	}
	return loc
}
