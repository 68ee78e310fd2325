package btfindex

import (
	"errors"
	"os"
	"reflect"
	"testing"
)

func TestParseFormatFiles(t *testing.T) {
	t.Parallel()
	u8 := Type{C: "unsigned char", Kind: KindInt, Size: 1}
	resolve := func(name string) (Type, bool) {
		switch name {
		case "__u8":
			return u8, true
		case "pid_t":
			return Type{C: "__kernel_pid_t", Kind: KindInt, Size: 4, Signed: true}, true
		}
		return Type{}, false
	}
	tests := []struct {
		file  string
		field string
		want  TracepointField
	}{
		{"syscalls/sys_enter_openat", "filename", TracepointField{Name: "filename", Offset: 24, Size: 8,
			Type: Type{C: "const char *", Kind: KindPointer, Size: 8, Elem: &Type{C: "const char", Kind: KindInt, Size: 1, Signed: true}}}},
		{"syscalls/sys_enter_openat", "mode", TracepointField{Name: "mode", Offset: 40, Size: 8,
			Type: Type{C: "umode_t", Kind: KindInt, Size: 8}}},
		{"sched/sched_switch", "prev_comm", TracepointField{Name: "prev_comm", Offset: 8, Size: 16,
			Type: Type{C: "char [16]", Kind: KindArray, Size: 16, Len: 16, Elem: &Type{C: "char", Kind: KindInt, Size: 1, Signed: true}}}},
		{"sched/sched_switch", "prev_pid", TracepointField{Name: "prev_pid", Offset: 24, Size: 4, Signed: true,
			Type: Type{C: "pid_t", Kind: KindInt, Size: 4, Signed: true}}},
		{"net/netif_receive_skb", "name", TracepointField{Name: "name", Offset: 20, Size: 4,
			Type: Type{C: "__data_loc char[]", Kind: KindArray, Size: 4, Elem: &Type{C: "__data_loc char", Kind: KindInt, Size: 1, Signed: true}}}},
		{"net/netif_receive_skb", "skbaddr", TracepointField{Name: "skbaddr", Offset: 8, Size: 8,
			Type: Type{C: "void *", Kind: KindPointer, Size: 8, Elem: &Type{C: "void", Kind: KindVoid}}}},
		{"sock/inet_sock_set_state", "saddr", TracepointField{Name: "saddr", Offset: 32, Size: 4,
			Type: Type{C: "__u8 [4]", Kind: KindArray, Size: 4, Len: 4, Elem: &Type{C: "__u8", Kind: KindInt, Size: 1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.field, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile("testdata/tracefs/events/" + tc.file + "/format")
			if err != nil {
				t.Fatal(err)
			}
			tp, err := parseFormat("c", "e", data, resolve)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tp.Fields {
				if len(f.Name) > 7 && f.Name[:7] == "common_" {
					t.Errorf("common field %q kept", f.Name)
				}
				if f.Name == tc.field {
					if !reflect.DeepEqual(f, tc.want) {
						t.Errorf("field:\n got %+v (elem %+v)\nwant %+v (elem %+v)", f, f.Type.Elem, tc.want, tc.want.Type.Elem)
					}
					return
				}
			}
			t.Errorf("no field %q in %+v", tc.field, tp.Fields)
		})
	}
}

func TestParseFormatErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
	}{
		{"no format section", "name: x\nID: 1\n"},
		{"field without name", "format:\n\tfield:int;\toffset:8;\tsize:4;\tsigned:1;\n"},
		{"bad offset", "format:\n\tfield:int x;\toffset:eight;\tsize:4;\tsigned:1;\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := parseFormat("c", "e", []byte(tc.text), nil); err == nil {
				t.Error("no error")
			}
		})
	}
	_, err := parseFormat("c", "e", []byte("ID: 1\n"), nil)
	if !errors.Is(err, errNoFormat) {
		t.Errorf("err = %v, want errNoFormat", err)
	}
}

func TestSplitDecl(t *testing.T) {
	t.Parallel()
	tests := []struct{ decl, name, typ string }{
		{"const char * filename", "filename", "const char *"},
		{"char comm[16]", "comm", "char [16]"},
		{"__data_loc char[] name", "name", "__data_loc char[]"},
		{"unsigned long args[6]", "args", "unsigned long [6]"},
		{"struct sock *sk", "sk", "struct sock *"},
		{"int x", "x", "int"},
	}
	for _, tc := range tests {
		name, typ, err := splitDecl(tc.decl)
		if err != nil || name != tc.name || typ != tc.typ {
			t.Errorf("splitDecl(%q) = %q, %q, %v; want %q, %q", tc.decl, name, typ, err, tc.name, tc.typ)
		}
	}
}
