package btfindex

// This file implements parsing tracefs format files and deriving field
// types from the C declarations they contain.

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// errNoFormat means a format file had no "format:" section.
var errNoFormat = errors.New("no format section")

// parseFormat parses the text of events/cat/event/format. Fields named
// common_* are left out. resolve (may be nil) resolves typedef names so
// that, say, "umode_t" gets its real size and signedness.
func parseFormat(cat, event string, data []byte, resolve func(string) (Type, bool)) (*Tracepoint, error) {
	tp := &Tracepoint{Category: cat, Event: event}
	inFormat := false
	for line := range bytes.Lines(data) {
		text := strings.TrimSpace(string(line))
		switch {
		case text == "format:":
			inFormat = true
		case strings.HasPrefix(text, "print fmt:"):
			inFormat = false
		case inFormat && strings.HasPrefix(text, "field:"):
			f, err := parseField(text, resolve)
			if err != nil {
				return nil, fmt.Errorf("parsing format of %s:%s: %w", cat, event, err)
			}
			if !strings.HasPrefix(f.Name, "common_") {
				tp.Fields = append(tp.Fields, f)
			}
		}
	}
	if !bytes.Contains(data, []byte("format:")) {
		return nil, fmt.Errorf("parsing format of %s:%s: %w", cat, event, errNoFormat)
	}
	return tp, nil
}

// parseField parses one "field:DECL;\toffset:N;\tsize:N;\tsigned:N;" line.
func parseField(line string, resolve func(string) (Type, bool)) (TracepointField, error) {
	var f TracepointField
	var decl string
	for part := range strings.SplitSeq(line, ";") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			continue
		}
		var err error
		switch key {
		case "field":
			decl = val
		case "offset":
			f.Offset, err = parseUint32(val)
		case "size":
			f.Size, err = parseUint32(val)
		case "signed":
			f.Signed = strings.TrimSpace(val) == "1"
		}
		if err != nil {
			return f, fmt.Errorf("field %q: %s: %w", decl, key, err)
		}
	}
	name, typ, err := splitDecl(decl)
	if err != nil {
		return f, err
	}
	f.Name = name
	f.Type = fieldType(typ, f.Size, f.Signed, resolve)
	return f, nil
}

func parseUint32(s string) (uint32, error) {
	v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	return uint32(v), err
}

// splitDecl splits "const char * filename" into the name and the type,
// moving an array suffix onto the type: "char comm[16]" → "comm", "char [16]".
func splitDecl(decl string) (name, typ string, err error) {
	s := strings.TrimSpace(decl)
	var suffix string
	if strings.HasSuffix(s, "]") {
		if i := strings.LastIndexByte(s, '['); i > 0 {
			s, suffix = strings.TrimSpace(s[:i]), s[i:]
		}
	}
	end := len(s)
	start := end
	for start > 0 && isIdentByte(s[start-1]) {
		start--
	}
	if start == end || start == 0 {
		return "", "", fmt.Errorf("field declaration %q has no name", decl)
	}
	typ = strings.TrimSpace(s[:start])
	if suffix != "" {
		typ += " " + suffix
	}
	return s[start:end], typ, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// fieldType derives a [Type] from a field's C type, its size and signedness.
// Scalars take their size from the format file, which is authoritative.
func fieldType(c string, size uint32, signed bool, resolve func(string) (Type, bool)) Type {
	if base, n, ok := cutArray(c); ok {
		elem := fieldType(base, 0, signed, resolve)
		if elem.Size == 0 && n > 0 {
			elem.Size = size / n
		}
		return Type{C: c, Kind: KindArray, Size: size, Len: n, Elem: &elem}
	}
	if base, ok := strings.CutSuffix(c, "*"); ok {
		elem := fieldType(strings.TrimSpace(base), 0, signed, resolve)
		return Type{C: c, Kind: KindPointer, Size: 8, Elem: &elem}
	}
	t := baseType(stripQualifiers(c), resolve)
	t.C = c
	if size != 0 && t.Kind != KindStruct && t.Kind != KindUnion {
		t.Size, t.Signed = size, signed
	}
	return t
}

// cutArray splits "char [16]" into "char" and 16, and "__data_loc char[]"
// into "__data_loc char" and 0.
func cutArray(c string) (string, uint32, bool) {
	if !strings.HasSuffix(c, "]") {
		return "", 0, false
	}
	i := strings.LastIndexByte(c, '[')
	if i < 0 {
		return "", 0, false
	}
	n, _ := strconv.ParseUint(strings.TrimSpace(c[i+1:len(c)-1]), 0, 32)
	return strings.TrimSpace(c[:i]), uint32(n), true
}

func stripQualifiers(c string) string {
	for _, q := range []string{"const ", "volatile ", "__data_loc "} {
		c = strings.ReplaceAll(c, q, "")
	}
	return strings.TrimSpace(strings.TrimSuffix(c, " const"))
}

// cInts gives the size and signedness of C's own integer spellings.
var cInts = map[string]struct {
	size   uint32
	signed bool
}{
	"char": {1, true}, "signed char": {1, true}, "unsigned char": {1, false},
	"short": {2, true}, "unsigned short": {2, false}, "short int": {2, true},
	"int": {4, true}, "signed": {4, true}, "unsigned": {4, false}, "unsigned int": {4, false},
	"long": {8, true}, "unsigned long": {8, false}, "long int": {8, true},
	"long long": {8, true}, "unsigned long long": {8, false},
	"bool": {1, false}, "_Bool": {1, false},
}

// baseType types a C base spelling without pointer or array parts.
func baseType(c string, resolve func(string) (Type, bool)) Type {
	if name, ok := strings.CutPrefix(c, "struct "); ok {
		return Type{Kind: KindStruct, Record: strings.TrimSpace(name)}
	}
	if name, ok := strings.CutPrefix(c, "union "); ok {
		return Type{Kind: KindUnion, Record: strings.TrimSpace(name)}
	}
	if strings.HasPrefix(c, "enum ") {
		return Type{Kind: KindEnum, Size: 4}
	}
	if c == "void" {
		return Type{Kind: KindVoid}
	}
	if in, ok := cInts[c]; ok {
		return Type{Kind: KindInt, Size: in.size, Signed: in.signed}
	}
	if resolve != nil {
		if t, ok := resolve(c); ok {
			return t
		}
	}
	return Type{Kind: KindInt} // an unknown typedef: the format's size decides
}
