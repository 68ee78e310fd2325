// This file implements the unified diff printed by `bpfls fmt -d`.

package main

import (
	"fmt"
	"strings"

	"github.com/bpfls/bpfls/analysis/format"
)

// diffContext is how many unchanged lines surround a change, as in diff -u.
const diffContext = 3

// unifiedDiff returns a unified diff from a to b, or "" when they are equal.
func unifiedDiff(name string, a, b []byte) string {
	ops := format.DiffLines(format.SplitLines(string(a)), format.SplitLines(string(b)))
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s.orig\n+++ %s\n", name, name)
	// Group the edit script into hunks with context.
	n := len(ops)
	for i := 0; i < n; {
		if ops[i].Kind == ' ' {
			i++
			continue
		}
		start := i - diffContext
		if start < 0 {
			start = 0
		}
		end := i
		for end < n {
			if ops[end].Kind != ' ' {
				end++
				continue
			}
			run := end
			for run < n && ops[run].Kind == ' ' {
				run++
			}
			if run == n || run-end > 2*diffContext {
				end += min(diffContext, run-end)
				break
			}
			end = run
		}
		aStart, bStart, aLen, bLen := ops[start].A, ops[start].B, 0, 0
		var body strings.Builder
		for _, op := range ops[start:end] {
			body.WriteString(string(op.Kind) + op.Text)
			if !strings.HasSuffix(op.Text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
			if op.Kind != '+' {
				aLen++
			}
			if op.Kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		sb.WriteString(body.String())
		i = end
	}
	if sb.Len() == len(fmt.Sprintf("--- %s.orig\n+++ %s\n", name, name)) {
		return ""
	}
	return sb.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
