package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// scanAll returns "kind:text" for every token of src, and the comments.
func scanAll(src string) (toks []string, comments []string) {
	sc := scanner{src: []byte(src), unterminated: NoPos}
	var cs []Comment
	for {
		t := sc.scan(&cs)
		if t.kind == EOF {
			break
		}
		toks = append(toks, fmt.Sprintf("%s:%s", t.kind, src[t.pos:t.end]))
	}
	for _, c := range cs {
		comments = append(comments, c.Text)
	}
	return toks, comments
}

func TestScanner(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want, comments string
	}{
		{"identifiers and keywords", "foo _bar x1 if else while unroll for break continue return let import",
			"identifier:foo identifier:_bar identifier:x1 'if':if 'else':else 'while':while 'unroll':unroll 'for':for 'break':break 'continue':continue 'return':return 'let':let 'import':import", ""},
		{"contextual words stay identifiers", "config macro fn begin BEGIN",
			"identifier:config identifier:macro identifier:fn identifier:begin identifier:BEGIN", ""},
		{"type keywords", "sizeof offsetof typeof typeinfo comptime true false struct union enum",
			"'sizeof':sizeof 'offsetof':offsetof 'typeof':typeof 'typeinfo':typeinfo 'comptime':comptime 'true':true 'false':false 'struct':struct 'union':union 'enum':enum", ""},
		{"variables maps params", "$x $_t @m @ @m_1 $1 $12 $#",
			"variable:$x variable:$_t map:@m map:@ map:@m_1 positional parameter:$1 positional parameter:$12 '$#':$#", ""},
		{"bare dollar", "$ x", "invalid character:$ identifier:x", ""},
		{"integers", "0 42 0x1F 0XdeadBEEF 1_000 1e6 10ms 5us 100ul 0755",
			"integer:0 integer:42 integer:0x1F integer:0XdeadBEEF integer:1_000 integer:1e6 integer:10ms integer:5us integer:100ul integer:0755", ""},
		{"tuple index is not a float", "$t.0.1", "variable:$t '.':. integer:0 '.':. integer:1", ""},
		{"range", "0..10", "integer:0 '..':.. integer:10", ""},
		{"strings", `"a" "b\"c" "d\\"`, `string:"a" string:"b\"c" string:"d\\"`, ""},
		{"unterminated string stops at newline", "\"abc\nx", "string:\"abc identifier:x", ""},
		{"punctuation", "{ } ( ) [ ] ; , : ? . -> ..",
			"'{':{ '}':} '(':( ')':) '[':[ ']':] ';':; ',':, ':':: '?':? '.':. '->':-> '..':..", ""},
		{"arithmetic and bitwise", "+ - * / % & | ^ ~ << >>",
			"'+':+ '-':- '*':* '/':/ '%':% '&':& '|':| '^':^ '~':~ '<<':<< '>>':>>", ""},
		{"logic and comparison", "&& || ! == != < <= > >=",
			"'&&':&& '||':|| '!':! '==':== '!=':!= '<':< '<=':<= '>':> '>=':>=", ""},
		{"assignment", "= += -= *= /= %= &= |= ^= <<= >>= ++ --",
			"'=':= '+=':+= '-=':-= '*=':*= '/=':/= '%=':%= '&=':&= '|=':|= '^=':^= '<<=':<<= '>>=':>>= '++':++ '--':--", ""},
		{"longest match", "a<<=b>>c---d", "identifier:a '<<=':<<= identifier:b '>>':>> identifier:c '--':-- '-':- identifier:d", ""},
		{"comments", "a // line\nb /* block\n */ c", "identifier:a identifier:b identifier:c", "// line|/* block\n */"},
		{"unterminated block comment", "a /* open", "identifier:a", "/* open"},
		{"preprocessor line", "#include <linux/sched.h>\n  #define X 1 \nfoo",
			"preprocessor line:#include <linux/sched.h> preprocessor line:#define X 1 identifier:foo", ""},
		{"shebang", "#!/usr/bin/env bpftrace\nBEGIN", "shebang line:#!/usr/bin/env bpftrace identifier:BEGIN", ""},
		{"hash mid-line is invalid", "a # b", "identifier:a invalid character:# identifier:b", ""},
		{"invalid utf-8 and unicode", "a é \x80 `", "identifier:a invalid character:é invalid character:\x80 invalid character:`", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			toks, cs := scanAll(tc.src)
			if got := strings.Join(toks, " "); got != tc.want {
				t.Errorf("tokens:\n got %s\nwant %s", got, tc.want)
			}
			if got := strings.Join(cs, "|"); got != tc.comments {
				t.Errorf("comments: got %q, want %q", got, tc.comments)
			}
		})
	}
}

func TestDecodeInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text  string
		value uint64
		unit  string
		err   string
	}{
		{"0", 0, "", ""}, {"42", 42, "", ""}, {"0x10", 16, "", ""}, {"0xdead_beef", 0xdeadbeef, "", ""},
		{"0755", 0o755, "", ""}, {"1_000_000", 1000000, "", ""}, {"1e6", 1000000, "", ""},
		{"5E9", 5000000000, "", ""}, {"1e1_0", 10000000000, "", ""}, {"10ul", 10, "", ""},
		{"10LL", 10, "", ""}, {"10ull", 10, "", ""}, {"100ns", 100, "ns", ""}, {"3us", 3000, "us", ""},
		{"10ms", 10000000, "ms", ""}, {"1s", 1000000000, "s", ""}, {"2m", 120000000000, "m", ""},
		{"1h", 3600000000000, "h", ""}, {"1d", 86400000000000, "d", ""},
		{"18446744073709551615", 1<<64 - 1, "", ""},
		{"18446744073709551616", 0, "", "too large"}, {"1e20", 0, "", "too large"},
		{"1_", 0, "", "trailing underscore"}, {"1e1_", 0, "", "trailing underscore"},
		{"12e4", 0, "", "coefficient part"}, {"0e5", 0, "", "coefficient part"},
		{"12abc", 0, "", `invalid integer suffix "abc"`}, {"1lul", 0, "", "invalid integer suffix"},
		{"10000000000000d", 0, "", "too large"}, {"08", 0, "", "invalid integer suffix"},
		{"0x", 0, "", "invalid integer literal"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			v, unit, msg := decodeInt(tc.text)
			if tc.err != "" {
				if !strings.Contains(msg, tc.err) {
					t.Errorf("decodeInt(%q) error = %q, want %q", tc.text, msg, tc.err)
				}
				return
			}
			if msg != "" || v != tc.value || unit != tc.unit {
				t.Errorf("decodeInt(%q) = %d %q %q, want %d %q", tc.text, v, unit, msg, tc.value, tc.unit)
			}
		})
	}
}

func TestStringLiterals(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, value, err string }{
		{`"plain"`, "plain", ""},
		{`"a\nb\tc\rd"`, "a\nb\tc\rd", ""},
		{`"q\"q\\"`, `q"q\`, ""},
		{`"\101\0\7\77\377"`, "A\x00\x07\x3f\xff", ""},
		{`"\x41\X42\xa"`, "AB\n", ""},
		{`"\777"`, "", "octal escape sequence out of range"},
		{`"\q"`, "", `invalid escape character '\q'`},
		{`"\x"`, "", `invalid escape character '\x'`},
		{`"open`, "open", "unterminated string"},
		{`"ends with backslash\"`, "", "unterminated string"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			f := Parse("s.bt", []byte("BEGIN { $s = "+tc.src+"\n}"), NewestDialect())
			var lit *StrLit
			Inspect(f.Item(0), func(n Node) bool {
				if s, ok := n.(*StrLit); ok {
					lit = s
				}
				return true
			})
			if lit == nil {
				t.Fatal("no string literal parsed")
			}
			if tc.err == "" {
				if len(f.Errors) != 0 || lit.Value != tc.value {
					t.Errorf("value %q errors %v, want %q", lit.Value, f.Errors, tc.value)
				}
				return
			}
			if len(f.Errors) == 0 || !strings.Contains(f.Errors[0].Msg, tc.err) {
				t.Fatalf("errors %v, want %q", f.Errors, tc.err)
			}
			if tc.value != "" && lit.Value != tc.value {
				t.Errorf("value %q, want %q", lit.Value, tc.value)
			}
		})
	}
}
