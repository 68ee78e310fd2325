package analysis

import "strings"

// cDeclare spells a declaration of name with C type c: "struct sock *sk",
// "char comm[16]", "int (*fn)(void *)".
func cDeclare(c, name string) string {
	if name == "" {
		return c
	}
	switch {
	case strings.Contains(c, "(*)"):
		return strings.Replace(c, "(*)", "(*"+name+")", 1)
	case strings.HasSuffix(c, "*"):
		return c + name
	}
	if i := strings.IndexByte(c, '['); i > 0 {
		return strings.TrimRight(c[:i], " ") + " " + name + c[i:]
	}
	return c + " " + name
}
