package btfindex

// This file implements the text forms of Kind and Traceable, used by the
// CLI's JSON output and in messages.

import "fmt"

// kindNames spells each [Kind].
var kindNames = [...]string{
	KindUnknown: "unknown", KindVoid: "void", KindInt: "int", KindFloat: "float",
	KindEnum: "enum", KindPointer: "pointer", KindArray: "array", KindStruct: "struct",
	KindUnion: "union", KindFunc: "func",
}

// String returns the kind's name: "int", "pointer", "struct", ...
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText spells the kind by name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String returns "unknown", "yes" or "no".
func (t Traceable) String() string {
	switch t {
	case TraceYes:
		return "yes"
	case TraceNo:
		return "no"
	}
	return "unknown"
}

// MarshalText spells the state by name in JSON.
func (t Traceable) MarshalText() ([]byte, error) { return []byte(t.String()), nil }
