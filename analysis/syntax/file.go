package syntax

// Node is any syntax tree node. End is one past the node's last byte.
type Node interface {
	Pos() Pos
	End() Pos
}

// Error is a syntax error. Code always starts with "syntax".
type Error struct {
	Span Span
	Code string
	Msg  string
}

// File is a parsed script. Parse never returns nil and always fills Items, so
// later passes see every probe even when parts of the file are broken.
type File struct {
	Name    string
	Src     []byte
	Lines   *LineTable
	Dialect Dialect
	Items   []Node // top-level items in source order
	Errors  []Error
}

// Parse parses src under dialect d.
// TODO: placeholder until the parser lands; it only indexes lines.
func Parse(name string, src []byte, d Dialect) *File {
	return &File{Name: name, Src: src, Lines: NewLineTable(src), Dialect: d}
}
