package cdecl

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestKernelHeadersWritten: a kernel headers tree written by the test,
// named as BPFTRACE_KERNEL_SOURCE and BPFTRACE_KERNEL_BUILD name it, is
// searched in bpftrace's order before the -I and system directories; its
// headers resolve (document links) but are not read, which leaves the C
// part incomplete, while a system header is read as before.
func TestKernelHeadersWritten(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	src, obj := filepath.Join(root, "src"), filepath.Join(root, "obj")
	write := func(p, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(src, "include/linux/kmine.h"), "struct kmine { int k; };\n")
	write(filepath.Join(src, "include/uapi/linux/umine.h"), "#include <linux/ugen.h>\nstruct umine { int u; };\n")
	write(filepath.Join(obj, "include/generated/uapi/linux/ugen.h"), "#define UGEN 5\n")
	sys := filepath.Join(root, "sys")
	write(filepath.Join(sys, "linux/umine.h"), "struct sysmine { int s; };\n")

	env := map[string]string{"BPFTRACE_KERNEL_SOURCE": src, "BPFTRACE_KERNEL_BUILD": obj}
	k, ok := FindKernelHeaders("no-such-release", func(n string) string { return env[n] })
	if !ok || k != (KernelHeaders{Src: src, Obj: obj}) {
		t.Fatalf("FindKernelHeaders = %+v, %v", k, ok)
	}
	want := []string{src + "/arch/x86/include", obj + "/arch/x86/include/generated", src + "/include", obj + "/include",
		src + "/arch/x86/include/uapi", obj + "/arch/x86/include/generated/uapi", src + "/include/uapi", obj + "/include/generated/uapi"}
	if got := k.Dirs(); !slices.Equal(got, want) {
		t.Errorf("Dirs = %q\nwant %q", got, want)
	}
	delete(env, "BPFTRACE_KERNEL_BUILD")
	if k, _ := FindKernelHeaders("x", func(n string) string { return env[n] }); k.Obj != src {
		t.Errorf("without BPFTRACE_KERNEL_BUILD the build directory is %q, want the source's", k.Obj)
	}
	if _, ok := FindKernelHeaders("no-such-release", func(string) string { return "" }); ok {
		t.Error("found headers for a release /lib/modules lacks")
	}

	opts := Options{Kernel: k, SysDirs: []string{sys}}
	d := read(t, t.TempDir(), "#include <linux/umine.h>\nkprobe:f {}\n", opts)
	if d.Complete || len(d.Records) != 0 || d.Includes[0].Path != filepath.Join(src, "include/uapi/linux/umine.h") || len(d.Problems) != 0 {
		t.Errorf("uapi header: complete %v, records %v, includes %v, problems %v", d.Complete, d.Records, d.Includes, d.Problems)
	}
	d = read(t, t.TempDir(), "#include <linux/umine.h>\nkprobe:f {}\n", Options{SysDirs: []string{sys}})
	if !d.Complete || d.Records["sysmine"] == nil || d.KernelHeaders {
		t.Errorf("without the tree: complete %v, records %v, problems %v", d.Complete, d.Records, d.Problems)
	}
	d = read(t, t.TempDir(), "#include <linux/kmine.h>\nstruct s { int a; };\nkprobe:f {}\n", opts)
	if d.Complete || d.Records["kmine"] != nil || d.Records["s"] == nil || len(d.Problems) != 0 {
		t.Errorf("internal header: complete %v, records %v, problems %v", d.Complete, d.Records, d.Problems)
	}
	if d.Includes[0].Path != filepath.Join(src, "include/linux/kmine.h") || !d.KernelHeaders {
		t.Errorf("includes %+v, kernel headers %v", d.Includes, d.KernelHeaders)
	}
}

// TestKernelHeadersDebian: Debian 12's linux-headers-6.1.0-N-amd64
// (installed by .ci/run setup) is found under /lib/modules/RELEASE as
// bpftrace finds it (source -> -common, build -> -amd64);
// <linux/tcp.h> resolves to the kernel's own header rather than
// linux-libc-dev's, and is not read (in milliseconds, where the front end
// took 7 s to refuse it), while the script's own definitions are.
func TestKernelHeadersDebian(t *testing.T) {
	rels, _ := filepath.Glob("/lib/modules/6.1.0-*-amd64/build")
	if len(rels) == 0 {
		analysistest.RequireReal(t, "no Debian linux-headers-6.1.0-*-amd64 under /lib/modules (.ci/run setup installs it)")
	}
	rel := filepath.Base(filepath.Dir(rels[len(rels)-1]))
	k, ok := FindKernelHeaders(rel, func(string) string { return "" })
	if !ok || k.Src != "/lib/modules/"+rel+"/source" || k.Obj != "/lib/modules/"+rel+"/build" {
		t.Fatalf("FindKernelHeaders(%s) = %+v, %v", rel, k, ok)
	}
	opts := Options{Kernel: k, SysDirs: DefaultSysDirs(), HaveBTF: true}
	d := read(t, t.TempDir(), "#include <linux/tcp.h>\nkprobe:f {}\n", opts)
	if d.Includes[0].Path != k.Src+"/include/linux/tcp.h" || d.Complete || len(d.Problems) != 0 {
		t.Errorf("linux/tcp.h: includes %+v, complete %v, problems %v", d.Includes, d.Complete, d.Problems)
	}
	d = read(t, t.TempDir(), "#include <uapi/linux/tcp.h>\n#include <linux/in.h>\nstruct mine { int m; };\nkprobe:f {}\n", opts)
	if d.Includes[0].Path != k.Src+"/include/uapi/linux/tcp.h" || d.Includes[1].Path != k.Src+"/include/linux/in.h" ||
		d.Records["mine"] == nil || len(d.Problems) != 0 || len(d.Headers) != 0 {
		t.Errorf("includes %+v, records %v, problems %v, headers %q", d.Includes, d.Records, d.Problems, d.Headers)
	}
}

func BenchmarkReadKernelHeaders(b *testing.B) {
	rels, _ := filepath.Glob("/lib/modules/6.1.0-*-amd64/build")
	if len(rels) == 0 {
		b.Skip("no Debian linux-headers-6.1.0-*-amd64")
	}
	k, _ := FindKernelHeaders(filepath.Base(filepath.Dir(rels[0])), func(string) string { return "" })
	src := []byte("#include <linux/tcp.h>\n#include <uapi/linux/tcp.h>\nkprobe:f {}\n")
	parts := []syntax.Span{{Start: 0, End: 48}}
	b.ReportAllocs()
	for b.Loop() {
		Read(context.Background(), src, parts, Options{Path: "/tmp/x.bt", Kernel: k, SysDirs: DefaultSysDirs(), HaveBTF: true})
	}
}
