package analysis

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// bodyMaps lists the maps (with '@') a block touches, skipping strings and
// comments, and whether it uses the anonymous map.
func bodyMaps(src []byte, span syntax.Span) (maps []string, anon bool) {
	seen := map[string]bool{}
	s := src[span.Start:span.End]
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"': // ends as the scanner ends it: at the closing quote or before a raw newline
			for i++; i < len(s) && s[i] != '"' && s[i] != '\n'; i++ {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] != '\n' {
					i++
				}
			}
			if i < len(s) && s[i] == '\n' {
				i-- // the newline is layout, read again by the loop
			}
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(string(s[i+2:]), "*/")
			if end < 0 {
				return maps, anon
			}
			i += end + 3
		case s[i] == '@':
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			if j == i+1 {
				anon = true
			} else if name := string(s[i:j]); !seen[name] {
				seen[name] = true
				maps = append(maps, name)
			}
			i = j - 1
		}
	}
	return maps, anon
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
