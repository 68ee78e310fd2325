package btfindex

import (
	"testing"

	"github.com/cilium/ebpf/btf"
)

func TestCSpelling(t *testing.T) {
	t.Parallel()
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	i32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	skb := &btf.Struct{Name: "sk_buff"}
	tests := []struct {
		name string
		typ  btf.Type
		decl string
		want string
	}{
		{"int", i32, "", "int"},
		{"pointer", &btf.Pointer{Target: skb}, "", "struct sk_buff *"},
		{"named pointer", &btf.Pointer{Target: skb}, "skb", "struct sk_buff *skb"},
		{"pointer to const", &btf.Pointer{Target: &btf.Const{Type: char}}, "s", "const char *s"},
		{"const pointer", &btf.Const{Type: &btf.Pointer{Target: char}}, "s", "char *const s"},
		{"const pointer abstract", &btf.Const{Type: &btf.Pointer{Target: char}}, "", "char *const"},
		{"pointer to pointer", &btf.Pointer{Target: &btf.Pointer{Target: char}}, "argv", "char **argv"},
		{"array", &btf.Array{Type: char, Nelems: 16}, "comm", "char comm[16]"},
		{"array abstract", &btf.Array{Type: char, Nelems: 16}, "", "char [16]"},
		{"2d array", &btf.Array{Type: &btf.Array{Type: i32, Nelems: 3}, Nelems: 2}, "m", "int m[2][3]"},
		{"pointer to array", &btf.Pointer{Target: &btf.Array{Type: i32, Nelems: 4}}, "p", "int (*p)[4]"},
		{"function pointer", &btf.Pointer{Target: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Type: &btf.Pointer{Target: skb}}}}}, "", "void (*)(struct sk_buff *)"},
		{"named function pointer", &btf.Pointer{Target: &btf.FuncProto{Return: i32, Params: nil}}, "fn", "int (*fn)(void)"},
		{"variadic function pointer", &btf.Pointer{Target: &btf.FuncProto{Return: i32, Params: []btf.FuncParam{{Type: i32}, {Type: &btf.Void{}}}}}, "", "int (*)(int, ...)"},
		{"function returning pointer", &btf.Pointer{Target: &btf.FuncProto{Return: &btf.Pointer{Target: char}}}, "", "char *(*)(void)"},
		{"anonymous struct", &btf.Struct{}, "x", "struct {...} x"},
		{"union", &btf.Union{Name: "bpf_attr"}, "", "union bpf_attr"},
		{"enum", &btf.Enum{Name: "bpf_cmd"}, "", "enum bpf_cmd"},
		{"fwd union", &btf.Fwd{Name: "u", Kind: btf.FwdUnion}, "", "union u"},
		{"typedef kept", &btf.Typedef{Name: "size_t", Type: i32}, "n", "size_t n"},
		{"type tag dropped", &btf.Pointer{Target: &btf.TypeTag{Value: "user", Type: char}}, "", "char *"},
		{"volatile", &btf.Volatile{Type: i32}, "v", "volatile int v"},
		{"void pointer", &btf.Pointer{Target: &btf.Void{}}, "", "void *"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := cSpelling(tc.typ, tc.decl); got != tc.want {
				t.Errorf("cSpelling = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDeclareMatchesCSpelling checks that Declare, working on spellings,
// agrees with declaring from BTF directly.
func TestDeclareMatchesCSpelling(t *testing.T) {
	t.Parallel()
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	types := []btf.Type{
		char,
		&btf.Pointer{Target: char},
		&btf.Array{Type: char, Nelems: 16},
		&btf.Pointer{Target: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Type: char}}}},
		&btf.Pointer{Target: &btf.Array{Type: char, Nelems: 4}},
		&btf.Const{Type: &btf.Pointer{Target: char}},
	}
	for _, typ := range types {
		if got, want := Declare(cSpelling(typ, ""), "x"), cSpelling(typ, "x"); got != want {
			t.Errorf("Declare(%q, x) = %q, want %q", cSpelling(typ, ""), got, want)
		}
	}
}

func TestConvertTypeKinds(t *testing.T) {
	t.Parallel()
	sock := &btf.Struct{Name: "sock", Size: 784}
	typ := convertType(&btf.Typedef{Name: "sockp", Type: &btf.Const{Type: &btf.Pointer{Target: sock}}})
	if typ.C != "sockp" || typ.Kind != KindPointer || typ.Size != 8 || typ.Elem == nil ||
		typ.Elem.Kind != KindStruct || typ.Elem.Record != "sock" || typ.Elem.Size != 784 {
		t.Errorf("convertType = %+v (elem %+v)", typ, typ.Elem)
	}
	arr := convertType(&btf.Array{Type: &btf.Int{Name: "u32", Size: 4}, Nelems: 3})
	if arr.Kind != KindArray || arr.Size != 12 || arr.Len != 3 || arr.Elem.Signed {
		t.Errorf("array = %+v", arr)
	}
	e := convertType(&btf.Enum{Name: "e", Size: 4, Signed: true})
	if e.Kind != KindEnum || !e.Signed || e.Size != 4 {
		t.Errorf("enum = %+v", e)
	}
}
