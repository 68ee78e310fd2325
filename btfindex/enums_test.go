package btfindex

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestRealEnumConsts looks enum constants up in the live kernel's BTF
// before the on-disk index is ready, from the index, and from a snapshot.
func TestRealEnumConsts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ix := openReal(t, dir)
	check := func(what string, ix *Index) {
		t.Helper()
		c, ok := ix.EnumConst("TCP_ESTABLISHED")
		if !ok || c.Value != 1 || c.Size != 4 {
			t.Errorf("%s: TCP_ESTABLISHED = %+v, %v; want value 1, size 4", what, c, ok)
		}
		// BPF_F_CURRENT_CPU is 0xffffffff in an unsigned enum: not -1.
		if c, ok := ix.EnumConst("BPF_F_CURRENT_CPU"); !ok || c.Value != 0xffffffff {
			t.Errorf("%s: BPF_F_CURRENT_CPU = %+v, %v", what, c, ok)
		}
		if _, ok := ix.EnumConst("TCP_ESTABLISHD"); ok {
			t.Errorf("%s: a misspelt constant was found", what)
		}
		if got := ix.Complete(NameEnumConst, "TCP_ESTAB", 0); len(got) != 1 || got[0] != "TCP_ESTABLISHED" {
			t.Errorf("%s: Complete(TCP_ESTAB) = %q", what, got)
		}
		// TCP_ESTABLISHED's enum is anonymous: there is no enum tcp_state.
		if !ix.EnumTag("pid_type") || !ix.EnumTag("bpf_cmd") || ix.EnumTag("tcp_state") || ix.EnumTag("") {
			t.Errorf("%s: EnumTag(pid_type, bpf_cmd, tcp_state, \"\") = %v %v %v %v", what,
				ix.EnumTag("pid_type"), ix.EnumTag("bpf_cmd"), ix.EnumTag("tcp_state"), ix.EnumTag(""))
		}
		if got := ix.Complete(NameEnum, "pid_t", 0); !slices.Contains(got, "pid_type") {
			t.Errorf("%s: Complete(NameEnum, pid_t) = %q", what, got)
		}
	}
	check("live BTF", ix)
	if err := ix.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("index", ix)
	// The scan that answers before the index and the index agree on every
	// constant.
	pre := ix.enums()
	if n := ix.cache.table().secs[secEnums].n(); n != len(pre) || n < 1000 {
		t.Errorf("%d constants scanned before the index, %d in it", len(pre), n)
	}
	// Every tag is listed, also of an enum whose constants another enum
	// named first.
	if n := ix.cache.table().secs[secEnumTags].n(); n != len(ix.enumTags) || n < 500 {
		t.Errorf("%d enum tags scanned before the index, %d in it", len(ix.enumTags), n)
	}
	for _, c := range pre {
		if got, ok := ix.EnumConst(c.Name); !ok || got != c {
			t.Fatalf("%s: %+v before the index, %+v in it", c.Name, c, got)
		}
	}
	snap := filepath.Join(dir, "k.snap")
	if err := ix.Export(context.Background(), snap); err != nil {
		t.Fatal(err)
	}
	six, err := OpenSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	check("snapshot", six)
}
