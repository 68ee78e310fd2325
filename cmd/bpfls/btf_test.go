package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/btfindex"
)

// fixtureArgs point `bpfls btf` at the fixture kernel (testdata/btf/kernel
// is laid out like /sys/kernel/btf) and the fixture tracefs.
var fixtureArgs = []string{
	"--btf", "../../testdata/btf/kernel/vmlinux",
	"--modules", "../../testdata/btf/kernel",
	"--tracefs", "../../btfindex/testdata/tracefs",
}

// runBTFTest runs `bpfls btf ARGS` and returns exit code, stdout, stderr.
func runBTFTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"btf"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func fixture(t *testing.T, args ...string) []string {
	t.Helper()
	return append(append([]string{"--cache-dir", t.TempDir()}, fixtureArgs...), args...)
}

func TestBTFCommandOutput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"func", []string{"func", "vfs_read"}, "ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos);\n"},
		{"flags after args", []string{"func", "_printk"}, "int _printk(const char *fmt, ...);\n"},
		{"module func", []string{"func", "testmod_handle"}, "int testmod_handle(struct testmod_state *st, struct sock *sk); /* module testmod */\n"},
		{"not traceable", []string{"func", "vfs_write"}, "ssize_t vfs_write(struct file *file, const char *buf, size_t count, loff_t *pos); /* not in available_filter_functions */\n"},
		{"struct", []string{"struct", "sock"}, `struct sock {
	struct sock_common __sk_common;        /*     0    16 */
	unsigned int sk_padding:1;             /*    16:0    1 */
	unsigned int sk_kern_sock:1;           /*    16:1    1 */
	unsigned int sk_protocol:8;            /*    17:0    8 */
	void (*sk_destruct)(struct sk_buff *); /*    24     8 */
	char sk_prot_name[16];                 /*    32    16 */
	struct sock *sk_next;                  /*    48     8 */
}; /* size: 56 */
`},
		{"union", []string{"struct", "union bpf_attr"}, `union bpf_attr {
	unsigned int map_type;  /*     0     4 */
	unsigned int prog_type; /*     0     4 */
}; /* size: 8 */
`},
		{"typedef", []string{"typedef", "size_t"}, "typedef __kernel_size_t size_t; /* unsigned int, 8 bytes */\n"},
		{"tracepoint", []string{"tracepoint", "sched:sched_switch"}, `tracepoint:sched:sched_switch {
	char prev_comm[16]; /*     8    16 */
	pid_t prev_pid;     /*    24     4 */
	int prev_prio;      /*    28     4 */
	long prev_state;    /*    32     8 */
	char next_comm[16]; /*    40    16 */
	pid_t next_pid;     /*    56     4 */
	int next_prio;      /*    60     4 */
};
`},
		{"list func", []string{"list", "func", "vfs_*"}, "vfs_read\nvfs_write\n"},
		{"list struct", []string{"list", "struct", "s[n-p]*"}, "sock\nsock_common\n"},
		{"list tracepoint", []string{"list", "tracepoint", "sys*:sys_e*"}, "syscalls:sys_enter_openat\nsyscalls:sys_exit_openat\n"},
		{"list typedef", []string{"list", "typedef", "*size_t"}, "__kernel_size_t\n__kernel_ssize_t\nsize_t\nssize_t\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runBTFTest(t, fixture(t, tc.args...)...)
			if code != exitOK || out != tc.want {
				t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, tc.want)
			}
		})
	}
}

func TestBTFCommandErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"unknown func", []string{"func", "no_such"}, exitFail, `no function "no_such"`},
		{"unknown struct", []string{"struct", "no_such"}, exitFail, `no struct or union "no_such"`},
		{"unknown typedef", []string{"typedef", "int"}, exitFail, `no typedef "int"`},
		{"unknown tracepoint", []string{"tracepoint", "sched:nope"}, exitFail, `no tracepoint "sched:nope"`},
		{"no match", []string{"list", "func", "zz*"}, exitFail, `no func matches "zz*"`},
		{"no command", nil, exitUsage, "usage: bpfls btf"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"missing argument", []string{"func"}, exitUsage, "want 1 argument(s), got 0"},
		{"extra argument", []string{"stats", "x"}, exitUsage, "want 0 argument(s), got 1"},
		{"bad list kind", []string{"list", "enumz", "*"}, exitUsage, `unknown kind "enumz"`},
		{"bad tracepoint", []string{"tracepoint", "sched_switch"}, exitUsage, "want CATEGORY:EVENT"},
		{"export without -o", []string{"export"}, exitUsage, "-o FILE is required"},
		{"unknown flag", []string{"--frob", "stats"}, exitUsage, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runBTFTest(t, fixture(t, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("exit %d (want %d), stderr %q (want it to contain %q)", code, tc.code, errOut, tc.inStderr)
			}
		})
	}
	code, _, errOut := runBTFTest(t, "--btf", filepath.Join(t.TempDir(), "missing"), "func", "x")
	if code != exitFail || !strings.Contains(errOut, "no BTF found") {
		t.Errorf("missing BTF file: exit %d, stderr %q", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.snap")
	if err := os.WriteFile(bad, []byte("BPFLSIX\x00 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runBTFTest(t, "--kernel", bad, "func", "x")
	if code != exitFail || !strings.Contains(errOut, "corrupt") {
		t.Errorf("corrupt snapshot: exit %d, stderr %q", code, errOut)
	}
}

func TestBTFJSON(t *testing.T) {
	t.Parallel()
	code, out, errOut := runBTFTest(t, fixture(t, "func", "--json", "tcp_sendmsg")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var fn struct {
		Name   string `json:"name"`
		Params []struct {
			Name string `json:"name"`
			Type struct {
				C    string `json:"c"`
				Kind string `json:"kind"`
				Elem *struct {
					Record string `json:"record"`
				} `json:"elem"`
			} `json:"type"`
		} `json:"params"`
		Traceable string `json:"traceable"`
	}
	if err := json.Unmarshal([]byte(out), &fn); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if fn.Name != "tcp_sendmsg" || len(fn.Params) != 3 || fn.Params[0].Type.C != "struct sock *" ||
		fn.Params[0].Type.Kind != "pointer" || fn.Params[0].Type.Elem == nil || fn.Params[0].Type.Elem.Record != "sock" || fn.Traceable != "yes" {
		t.Errorf("decoded %+v from %s", fn, out)
	}
	code, out, _ = runBTFTest(t, fixture(t, "--json", "list", "func", "*")...)
	var names []string
	if err := json.Unmarshal([]byte(out), &names); code != exitOK || err != nil || len(names) != 6 {
		t.Errorf("list --json: exit %d, %v, %q", code, err, names)
	}
}

func TestBTFStatsAndExportRoundTrip(t *testing.T) {
	t.Parallel()
	cacheDir := t.TempDir()
	args := append(append([]string{"--cache-dir", cacheDir}, fixtureArgs...), "stats")
	code, out, errOut := runBTFTest(t, args...)
	if code != exitOK {
		t.Fatalf("stats: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"functions:      6\n", "tracepoints:    6\n", "traceable:      4 in available_filter_functions\n", ".idx, built)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats output lacks %q:\n%s", want, out)
		}
	}
	if _, out, _ := runBTFTest(t, args...); !strings.Contains(out, ".idx, loaded)\n") {
		t.Errorf("second stats did not load the index:\n%s", out)
	}

	snap := filepath.Join(t.TempDir(), "kernel.snap")
	code, out, errOut = runBTFTest(t, fixture(t, "export", "-o", snap)...)
	if code != exitOK || !strings.Contains(out, "6 functions") {
		t.Fatalf("export: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, cmd := range [][]string{{"func", "testmod_handle"}, {"struct", "sock"}, {"tracepoint", "sched:sched_switch"}, {"list", "func", "*"}} {
		_, live, _ := runBTFTest(t, fixture(t, cmd...)...)
		code, fromSnap, errOut := runBTFTest(t, append([]string{"--kernel", snap}, cmd...)...)
		if code != exitOK || fromSnap != live {
			t.Errorf("%q from snapshot: exit %d, stderr %q\n%s\nlive:\n%s", cmd, code, errOut, fromSnap, live)
		}
	}
	_, out, _ = runBTFTest(t, "--kernel", snap, "stats")
	if !strings.Contains(out, "index:          snapshot") {
		t.Errorf("snapshot stats:\n%s", out)
	}
	// --kernel also takes another kernel's BTF file.
	code, out, errOut = runBTFTest(t, "--cache-dir", "-", "--kernel", "../../testdata/btf/kernel/vmlinux", "func", "vfs_read")
	if code != exitOK || !strings.HasPrefix(out, "ssize_t vfs_read(") {
		t.Errorf("--kernel BTF file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// requireRealBTF skips without kernel BTF, or fails under
// BPFLS_REQUIRE_REAL=1 (as in CI).
func requireRealBTF(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err == nil {
		return
	}
	if os.Getenv("BPFLS_REQUIRE_REAL") == "1" {
		t.Fatal("BPFLS_REQUIRE_REAL=1 but /sys/kernel/btf/vmlinux is missing")
	}
	t.Skip("no kernel BTF at /sys/kernel/btf/vmlinux")
}

func TestBTFRealKernel(t *testing.T) {
	t.Parallel()
	requireRealBTF(t)
	code, out, errOut := runBTFTest(t, "--cache-dir", "-", "func", "tcp_sendmsg")
	if code != exitOK || out != "int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);\n" {
		t.Errorf("func tcp_sendmsg: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runBTFTest(t, "--cache-dir", "-", "struct", "sock_common")
	if code != exitOK || !strings.Contains(out, "skc_family;") || !strings.Contains(out, "__be32 skc_daddr;") {
		t.Errorf("struct sock_common: exit %d\n%s", code, out)
	}
	code, out, _ = runBTFTest(t, "--cache-dir", "-", "list", "func", "vfs_rea?")
	if code != exitOK || !strings.Contains(out, "vfs_read\n") {
		t.Errorf("list func vfs_rea?: exit %d\n%s", code, out)
	}
	if _, err := btfindex.OpenSnapshot("/nonexistent"); err == nil {
		t.Error("OpenSnapshot of a missing file succeeded")
	}
}
