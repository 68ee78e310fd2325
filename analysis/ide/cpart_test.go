package ide

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis"
	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestScriptStructs: the script's own structs complete their fields and
// hover with their types, as kernel structs do.
func TestScriptStructs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const def = "struct foo { int a; long bee; union { char c; short d; }; }\n"
	s, pos := featureSnapshot(t, def+"kprobe:f { $x = (struct foo *)arg0; @ = $x->‸ }", syntax.V0_26, nil)
	got := labels(Completion(ctx, s, pos).Items)
	for _, want := range []string{"a", "bee", "c", "d"} {
		if !slices.Contains(got, want) {
			t.Errorf("fields = %q, want %s", got, want)
		}
	}
	s, pos = featureSnapshot(t, def+"kprobe:f { $x = (struct foo *)arg0; @ = $x->b‸ee; }", syntax.V0_26, nil)
	h, ok := Hover(ctx, s, pos)
	if !ok || !strings.Contains(h.Markdown, "long") {
		t.Errorf("hover = %q, %v", h.Markdown, ok)
	}
}

// cSnapshot analyses src (with a cursor mark) as dir/s.bt against the
// running kernel, so "quoted" headers resolve in dir.
func cSnapshot(t *testing.T, dir, src string, v syntax.Version) (*analysis.Snapshot, syntax.Pos) {
	t.Helper()
	at := strings.Index(src, cursor)
	if at < 0 {
		t.Fatalf("no cursor in %q", src)
	}
	src = src[:at] + src[at+len(cursor):]
	d := syntax.Dialect{Version: v}
	f := syntax.Parse(filepath.Join(dir, "s.bt"), []byte(src), d)
	return analysis.Analyze(context.Background(), f, analysis.Config{Dialect: d, Kernel: analysistest.RealKernel(t)}), syntax.Pos(at)
}

// TestRealCTypes: after "struct ", "union " and "enum " completion offers
// the script's and a test-written header's types first, then the running
// kernel's; hover shows their definition and where it is; enum constants
// and #defines of both complete and hover with value, place and the type
// bpftrace gives them (uint64 in 0.17, the enum from 0.24).
func TestRealCTypes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hdr := filepath.Join(dir, "hdr.h")
	if err := os.WriteFile(hdr, []byte("#define HDR_MAX 64\nenum hdr_state { HDR_IDLE, HDR_BUSY = 4 };\nstruct hdr_req { long id; };\nunion hdr_val { int i; long l; };\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const pre = "#include \"hdr.h\"\nstruct my_pair { int a; int b; };\nenum my_color { MY_RED = 1, MY_BLUE = 3 };\n"
	for _, tc := range []struct {
		name, src string
		want      []string // in this order, among the first items
		not       []string
	}{
		{"struct", pre + "kprobe:vfs_read { $p = (struct ‸", []string{"hdr_req", "my_pair"}, []string{"hdr_val", "my_color"}},
		{"struct prefix", pre + "kprobe:vfs_read { $p = (struct so‸", []string{"sock"}, []string{"my_pair"}},
		{"union", pre + "kprobe:vfs_read { @s = sizeof(union hdr‸", []string{"hdr_val"}, []string{"hdr_req"}},
		{"enum", pre + "kprobe:vfs_read { $c = (enum ‸", []string{"hdr_state", "my_color"}, []string{"my_pair"}},
		{"kernel enum", pre + "kprobe:vfs_read { @s = sizeof(enum pid_t‸", []string{"pid_type"}, []string{"my_color", "pid_t"}},
		{"constants", pre + "kprobe:vfs_read { @a = HDR_‸", []string{"HDR_BUSY", "HDR_IDLE", "HDR_MAX"}, nil},
		{"offsetof script struct", pre + "kprobe:vfs_read { @o = offsetof(struct my_pair, ‸", []string{"a", "b"}, []string{"hdr_req", "pid"}},
		{"offsetof kernel subfield", pre + "kprobe:vfs_read { @o = offsetof(struct file, f_path.‸", []string{"mnt", "dentry"}, []string{"f_flags"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, pos := cSnapshot(t, dir, tc.src, syntax.V0_26)
			got := labels(Completion(ctx, s, pos).Items)
			i := 0
			for _, w := range tc.want {
				j := slices.Index(got, w)
				if j < i {
					t.Errorf("items %q: want %s after position %d", got[:min(len(got), 10)], w, i)
				}
				i = j
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("items offer %s: %q", n, got[:min(len(got), 10)])
				}
			}
		})
	}
	s, pos := cSnapshot(t, dir, pre+"kprobe:vfs_read { @a = HDR_B‸", syntax.V0_26)
	// A kernel enum says where bpftrace takes it; 0.17 has no enum types.
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
		s, pos := cSnapshot(t, dir, pre+"kprobe:vfs_read { @s = sizeof(enum bpf_cm‸", v)
		it, ok := findItem(Completion(ctx, s, pos).Items, "bpf_cmd")
		if v == syntax.V0_17 {
			if ok {
				t.Errorf("0.17 offers kernel enum %+v", it)
			}
			continue
		}
		if !ok || it.Detail != "enum bpf_cmd (kernel BTF)" || !strings.Contains(it.Doc, "bpftrace "+v.String()+" casts values only") {
			t.Errorf("%s: kernel enum item %+v, %v", v, it, ok)
		}
	}
	if it, ok := findItem(Completion(ctx, s, pos).Items, "HDR_BUSY"); !ok || it.Detail != "enum hdr_state HDR_BUSY = 4" || !strings.Contains(it.Doc, hdr+":2") {
		t.Errorf("HDR_BUSY item = %+v, %v", it, ok)
	}
	for _, tc := range []struct {
		name, src string
		v         syntax.Version
		want      []string
	}{
		{"header struct", pre + "kprobe:vfs_read { $p = (struct hdr_r‸eq *)arg0; }", syntax.V0_26, []string{"long id; // offset 0, size 8", "defined in `" + hdr + "`"}},
		{"script struct", pre + "kprobe:vfs_read { $p = (struct my_p‸air *)arg0; }", syntax.V0_26, []string{"int b; // offset 4, size 4", "defined in the script"}},
		{"kernel struct", pre + "kprobe:vfs_read { $p = (struct fi‸le *)arg0; }", syntax.V0_26, []string{"struct file {"}},
		{"script enum", pre + "kprobe:vfs_read { $c = (enum my_co‸lor)arg0; }", syntax.V0_26, []string{"enum my_color {\n\tMY_RED = 1,\n\tMY_BLUE = 3,\n}", "defined in the script"}},
		{"header constant 0.26", pre + "kprobe:vfs_read { @a = HDR_B‸USY; }", syntax.V0_26, []string{"enum hdr_state HDR_BUSY = 4", "type `enum hdr_state` in bpftrace 0.26"}},
		{"script constant 0.17", pre + "kprobe:vfs_read { @a = MY_B‸LUE; }", syntax.V0_17, []string{"enum my_color MY_BLUE = 3", "line 3", "type `uint64` in bpftrace 0.17"}},
		{"header define", pre + "kprobe:vfs_read { @a = HDR_M‸AX; }", syntax.V0_26, []string{"#define HDR_MAX 64", hdr}},
		{"kernel constant", pre + "kprobe:vfs_read { @a = TCP_ESTAB‸LISHED; }", syntax.V0_24, []string{"TCP_ESTABLISHED = 1", "type `enum (unnamed)` in bpftrace 0.24"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, pos := cSnapshot(t, dir, tc.src, tc.v)
			h, ok := Hover(ctx, s, pos)
			for _, w := range tc.want {
				if !ok || !strings.Contains(h.Markdown, w) {
					t.Errorf("hover = %q, %v; want %q", h.Markdown, ok, w)
				}
			}
		})
	}
}
