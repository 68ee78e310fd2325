package lsp

import "testing"

func TestPlainInsert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, snippet, want string
	}{
		{"placeholder", "printf(${1:fmt})", "printf("},
		{"two placeholders", "lhist(${1:n}, ${2:min}, ${3:max}, ${4:step})", "lhist("},
		{"final tabstop only", "exit()$0", "exit()"},
		{"bare tabstop", "f($1)", "f("},
		{"no snippet syntax", "comm", "comm"},
		{"escapes before the first placeholder", `a\$b\}c\\d(${1:x})`, `a$b}c\d(`},
		{"backslash that escapes nothing", `a\nb($1)`, `a\nb(`},
		{"trailing backslash", `a\`, `a\`},
		{"escaped placeholder text is dropped", `add(${1:\$a}, ${2:b})`, "add("},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := plainInsert(tc.snippet); got != tc.want {
				t.Errorf("plainInsert(%q) = %q, want %q", tc.snippet, got, tc.want)
			}
		})
	}
}
