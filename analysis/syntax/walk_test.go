package syntax

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestInspectOrderAndPruning(t *testing.T) {
	t.Parallel()
	f := Parse("w.bt", []byte("k:f /pid/ { @m[1] = foo($x, 2); }"), NewestDialect())
	var got []string
	Inspect(f.Item(0), func(n Node) bool {
		if n == nil {
			return false
		}
		got = append(got, strings.TrimPrefix(fmt.Sprintf("%T", n), "*syntax."))
		_, isCall := n.(*CallExpr)
		return !isCall // do not enter calls
	})
	want := "Probe AttachPoint APart APart Predicate Ident Block AssignStmt MapExpr IntLit CallExpr"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

func TestNodeAt(t *testing.T) {
	t.Parallel()
	src := "BEGIN { }\nkprobe:vfs_read /pid == 1/ { @bytes[comm] = sum(args.count); }\n"
	f := Parse("n.bt", []byte(src), NewestDialect())
	tests := []struct {
		at   string // the cursor is placed at the start of this text
		want string // innermost node type and its text
	}{
		{"vfs_read", "APart vfs_read"},
		{"pid ==", "Ident pid"},
		{"bytes", "MapExpr @bytes[comm]"},
		{"comm]", "Ident comm"},
		{"sum(", "Ident sum"},
		{"count)", "Ident count"},
		{"args.", "Ident args"},
		{"= sum", "AssignStmt @bytes[comm] = sum(args.count);"},
	}
	for _, tc := range tests {
		t.Run(tc.at, func(t *testing.T) {
			t.Parallel()
			path := f.NodeAt(Pos(strings.Index(src, tc.at)))
			if len(path) == 0 {
				t.Fatal("no path")
			}
			if _, ok := path[0].(*Probe); !ok {
				t.Errorf("path starts with %T, want the item", path[0])
			}
			n := path[len(path)-1]
			got := strings.TrimPrefix(fmt.Sprintf("%T", n), "*syntax.") + " " + src[n.Pos():n.End()]
			if got != tc.want {
				t.Errorf("innermost = %q, want %q", got, tc.want)
			}
		})
	}
	if path := f.NodeAt(Pos(len(src))); path != nil {
		t.Errorf("past the last item: %v", path)
	}
}

func TestPosition(t *testing.T) {
	t.Parallel()
	f := Parse("p.bt", []byte("a\n\tbé\r\nc"), NewestDialect())
	for _, tc := range []struct {
		pos       Pos
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {2, 2, 1}, {3, 2, 2}, {4, 2, 3}, {8, 3, 1}, {100, 3, 2}} {
		if l, c := f.Position(tc.pos); l != tc.line || c != tc.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tc.pos, l, c, tc.line, tc.col)
		}
	}
}

// TestInspectVisitsAllChildren compares, for every node of our corpus, the
// children Inspect visits with the Node-valued fields found by reflection,
// so a field added to a node cannot be forgotten by the walker.
func TestInspectVisitsAllChildren(t *testing.T) {
	t.Parallel()
	for name, src := range reparseCorpus(t) {
		f := Parse(name, src, NewestDialect())
		for _, it := range f.Items() {
			Inspect(it, func(n Node) bool {
				if n == nil {
					return false
				}
				var walked []Node
				eachChild(n, func(c Node) { walked = append(walked, c) })
				if got, want := nodeList(walked), nodeList(reflectChildren(n)); got != want {
					t.Errorf("%s: %T: walker visits %s, fields hold %s", name, n, got, want)
				}
				return true
			})
		}
	}
}

func nodeList(ns []Node) string {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, "%T@%d ", n, n.Pos())
	}
	return b.String()
}

// reflectChildren returns the non-nil Node values in n's fields, in field
// order (Cond fields contribute their X).
func reflectChildren(n Node) []Node {
	var out []Node
	v := reflect.ValueOf(n).Elem()
	var add func(f reflect.Value)
	add = func(f reflect.Value) {
		switch f.Kind() {
		case reflect.Slice:
			for i := 0; i < f.Len(); i++ {
				add(f.Index(i))
			}
		case reflect.Interface, reflect.Pointer:
			if f.IsNil() {
				return
			}
			if c, ok := f.Interface().(Node); ok {
				out = append(out, c)
			}
		case reflect.Struct:
			if c, ok := f.Interface().(Cond); ok && c.X != nil {
				out = append(out, c.X)
			}
		}
	}
	for i := 0; i < v.NumField(); i++ {
		add(v.Field(i))
	}
	return out
}
