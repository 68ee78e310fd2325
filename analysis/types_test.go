package analysis

import (
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

func TestTypeString(t *testing.T) {
	t.Parallel()
	i8 := ty{Kind: tyInt, Size: 1, Signed: true}
	tests := []struct {
		t    ty
		want string
	}{
		{int64Ty, "int64"},
		{uint32Ty, "uint32"},
		{stringTy, "string"},
		{ty{Kind: tyString, Name: "ksym_t"}, "ksym_t"},
		{ptrTo(recordTy("sock", false)), "struct sock *"},
		{recordTy("u", true), "union u"},
		{ty{Kind: tyArray, Elem: &i8, Len: 16}, "int8[16]"},
		{ty{Kind: tyTuple, Elems: []ty{int64Ty, stringTy}}, "(int64, string)"},
		{ty{Kind: tyRecord, Fields: []tyField{{Name: "a", Type: int64Ty}}}, "(a = int64)"},
		{ty{Kind: tyAgg, Name: "count_t"}, "count_t"},
		{unknownTy, "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := tc.t.String(); got != tc.want {
				t.Fatalf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompatible(t *testing.T) {
	t.Parallel()
	char := ty{Kind: tyInt, Size: 1, Signed: true}
	comm := ty{Kind: tyArray, Elem: &char, Len: 16}
	tests := []struct {
		name string
		a, b ty
		want bool
	}{
		{"ints widen", uint32Ty, int64Ty, true},
		{"bool is an int", boolTy, int64Ty, true},
		{"string and char array", stringTy, comm, true},
		{"string and int", stringTy, int64Ty, false},
		{"pointers cast freely", ptrTo(int64Ty), ptrTo(recordTy("sock", false)), true},
		{"unknown matches", unknownTy, stringTy, true},
		{"tuples by element", ty{Kind: tyTuple, Elems: []ty{int64Ty, stringTy}}, ty{Kind: tyTuple, Elems: []ty{uint32Ty, stringTy}}, true},
		{"tuples of other shape", ty{Kind: tyTuple, Elems: []ty{int64Ty}}, ty{Kind: tyTuple, Elems: []ty{int64Ty, int64Ty}}, false},
		{"tuple element kinds", ty{Kind: tyTuple, Elems: []ty{int64Ty}}, ty{Kind: tyTuple, Elems: []ty{stringTy}}, false},
		{"structs by name", recordTy("a", false), recordTy("b", false), false},
		{"aggregates by name", ty{Kind: tyAgg, Name: "count_t"}, ty{Kind: tyAgg, Name: "sum_t"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := compatible(tc.a, tc.b); got != tc.want {
				t.Fatalf("compatible(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestFromBTF(t *testing.T) {
	t.Parallel()
	char := btfindex.Type{C: "char", Kind: btfindex.KindInt, Size: 1, Signed: true}
	sock := btfindex.Type{C: "struct sock", Kind: btfindex.KindStruct, Record: "sock"}
	tests := []struct {
		bt   *btfindex.Type
		want string
	}{
		{nil, "unknown"},
		{&btfindex.Type{C: "u32", Kind: btfindex.KindInt, Size: 4}, "uint32"},
		{&btfindex.Type{C: "enum x", Kind: btfindex.KindEnum, Size: 4, Signed: true}, "int32"},
		{&btfindex.Type{C: "struct sock *", Kind: btfindex.KindPointer, Size: 8, Elem: &sock}, "struct sock *"},
		{&btfindex.Type{C: "void *", Kind: btfindex.KindPointer, Size: 8}, "void *"},
		{&btfindex.Type{C: "char[16]", Kind: btfindex.KindArray, Size: 16, Len: 16, Elem: &char}, "int8[16]"},
		{&btfindex.Type{C: "union u", Kind: btfindex.KindUnion, Record: "u"}, "union u"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := fromBTF(tc.bt).String(); got != tc.want {
				t.Fatalf("fromBTF = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFitsInt(t *testing.T) {
	t.Parallel()
	i8 := ty{Kind: tyInt, Size: 1, Signed: true}
	u8 := ty{Kind: tyInt, Size: 1}
	u16 := ty{Kind: tyInt, Size: 2}
	tests := []struct {
		name string
		v    int64
		lit  *syntax.IntLit
		t    ty
		want bool
	}{
		{"int8 max", 127, nil, i8, true},
		{"int8 over", 128, nil, i8, false},
		{"int8 min", -128, nil, i8, true},
		{"int8 under", -129, nil, i8, false},
		{"uint8 max", 255, nil, u8, true},
		{"uint8 over", 256, nil, u8, false},
		{"uint16 negative", -1, nil, u16, false},
		{"int64 any", -1 << 63, nil, int64Ty, true},
		{"above int64 in uint64", -1, &syntax.IntLit{Value: 1<<64 - 1}, uint64Ty, true},
		{"above int64 in int64", -1, &syntax.IntLit{Value: 1<<64 - 1}, int64Ty, false},
		{"not an int type", 5, nil, stringTy, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := fitsInt(tc.v, tc.lit, tc.t); got != tc.want {
				t.Fatalf("fitsInt(%d, %s) = %v, want %v", tc.v, tc.t, got, tc.want)
			}
		})
	}
}

func TestBuiltinResult(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    syntax.Version
		want string
	}{
		{"pid", syntax.V0_17, "uint64"},
		{"pid", syntax.V0_22, "uint32"},
		{"comm", syntax.V0_26, "string"},
		{"nsecs", syntax.V0_26, "uint64"},
		{"count", syntax.V0_26, "count_t"},
		{"curtask", syntax.V0_26, "struct task_struct *"},
		{"strcontains", syntax.V0_17, "int64"},
		{"strcontains", syntax.V0_24, "bool"},
		{"arg3", syntax.V0_26, "uint64"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"@"+tc.v.String(), func(t *testing.T) {
			t.Parallel()
			b, _ := lookupBuiltin(tc.name)
			if got := builtinResult(b, tc.v).String(); got != tc.want {
				t.Fatalf("builtinResult = %q, want %q", got, tc.want)
			}
		})
	}
}
