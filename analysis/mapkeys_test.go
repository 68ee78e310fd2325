package analysis

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// Map key and value typing rules per version, each measured with the real
// 0.17, 0.24.2 and 0.26.1 compilers.

// errorLines returns "LINE:CODE" for each error bpfls reports on src at v,
// without a kernel.
func errorLines(src string, v syntax.Version) []string {
	var got []string
	for _, d := range checkSource([]byte(src), syntax.Dialect{Version: v}, nil) {
		if d.Severity == SeverityError {
			line := 1 + bytes.Count([]byte(src[:d.Span.Start]), []byte("\n"))
			got = append(got, fmt.Sprintf("%d:%s", line, d.Code))
		}
	}
	return got
}

// TestMapKeySign024: bpftrace 0.24 stores every integer key as 64 bits of
// its own sign and refuses the other sign ("Argument mismatch for @m:
// trying to access with arguments: 'uint64' when map expects arguments:
// 'int64'"), except for a lone integer literal that fits; tuple elements
// get no such exception. 0.17 (which also widens) and 0.22/0.23 (which make
// every key signed) accept, and 0.25 promotes.
func TestMapKeySign024(t *testing.T) {
	t.Parallel()
	const litThenPid = "BEGIN { @m[0] = 1; @m[pid] = 2; }"
	const printElem = "kprobe:vfs_read { @bytes[pid, tid] = count(); print(@bytes[1, 2]); }"
	runGapCases(t, []gapCase{
		{"literal then pid 0.24", syntax.V0_24, litThenPid, []string{CodeMapKeyType}},
		{"literal then pid 0.17", syntax.V0_17, litThenPid, nil},
		{"literal then pid 0.23", syntax.V0_23, litThenPid, nil},
		{"literal then pid 0.26", syntax.V0_26, litThenPid, nil},
		{"pid then literal 0.24", syntax.V0_24, "BEGIN { @m[pid] = 1; @m[(0)] = 2; }", nil},
		{"pid then negative 0.24", syntax.V0_24, "BEGIN { @m[pid] = 1; @m[-1] = 2; }", []string{CodeMapKeyType}},
		{"pid then variable 0.24", syntax.V0_24, "BEGIN { @m[pid] = 1; $x = 5; @m[$x] = 2; }", []string{CodeMapKeyType}},
		{"widths of one sign 0.24", syntax.V0_24, "BEGIN { @m[(int32)1] = 1; @m[(int8)2] = 2; }", nil},
		{"signed then uint8 0.24", syntax.V0_24, "BEGIN { @m[(int32)1] = 1; @m[(uint8)3] = 3; }", []string{CodeMapKeyType}},
		{"tuple element 0.24", syntax.V0_24, "BEGIN { @m[pid, 1] = 1; @m[pid, (uint64)2] = 2; }", []string{CodeMapKeyType}},
		{"tuple of literals 0.24", syntax.V0_24, printElem, []string{CodeMapKeyType}},
		{"tuple of literals 0.26", syntax.V0_26, printElem, nil},
		{"large literal, unsigned map 0.24", syntax.V0_24, "BEGIN { @m[pid] = 1; @m[0xffffffffffffffff] = 2; }", nil},
		{"large literal, signed map 0.24", syntax.V0_24, "BEGIN { @m[1] = 1; @m[0xffffffffffffffff] = 2; }", []string{CodeMapKeyType}},
	})
}

// TestMapArrays: every version wants the arrays one map holds (as values
// or keys) to have one length and one element type (0.17 and 0.24: "Array
// type mismatch: int32[2] != int32[4]"; 0.26: "Type mismatch for @arr");
// char arrays are strings and mix.
func TestMapArrays(t *testing.T) {
	t.Parallel()
	const decl = "struct s { char two[2]; char four[4]; int i2[2]; int i4[4]; unsigned int u2[2]; long l2[2]; }\n"
	value := func(a, b string) string {
		return decl + "kprobe:vfs_read { @a[0] = ((struct s *)arg1)->" + a + "; @a[1] = ((struct s *)arg1)->" + b + "; }"
	}
	const key = decl + "kprobe:vfs_read { @a[((struct s *)arg1)->i2] = 1; @a[((struct s *)arg1)->l2] = 2; }"
	var cases []gapCase
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
		cases = append(cases,
			gapCase{"lengths " + v.String(), v, value("i2", "i4"), []string{CodeMapValueType}},
			gapCase{"signs " + v.String(), v, value("i2", "u2"), []string{CodeMapValueType}},
			gapCase{"widths " + v.String(), v, value("i2", "l2"), []string{CodeMapValueType}},
			gapCase{"char arrays " + v.String(), v, value("two", "four"), nil},
			gapCase{"same arrays " + v.String(), v, value("i2", "i2"), nil},
			gapCase{"keys " + v.String(), v, key, []string{CodeMapKeyType}},
		)
	}
	runGapCases(t, cases)
}

// TestMapKeyReference026: from 0.25 a map's key type comes from the use
// whose key type the inference learns first, not from the first use
// written: a single builtin, literal or cast key is known before a tuple,
// an operation or a variable (measured with the real 0.26.1). bpfls reports
// the mismatch on the same use as bpftrace; 0.24 keeps source order.
func TestMapKeyReference026(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    syntax.Version
		src  string
		want []string
	}{
		{"builtin beats tuple", syntax.V0_26, "BEGIN { @m[1, 2] = 1;\n @m[tid] = 2; }", []string{"1:" + CodeMapKeyArity}},
		{"cast beats tuple", syntax.V0_26, "BEGIN { @m[tid, 2] = 1;\n @m[(uint32)tid] = 2; }", []string{"1:" + CodeMapKeyArity}},
		{"tuple beats variable", syntax.V0_26, "BEGIN { $x = 1; @m[1, 2] = 1;\n @m[$x] = 2; }", []string{"2:" + CodeMapKeyArity}},
		{"tuple before operation", syntax.V0_26, "BEGIN { @m[tid, 2] = 1;\n @m[tid + 1] = 2; }", []string{"2:" + CodeMapKeyArity}},
		{"tuples in order", syntax.V0_26, "BEGIN { @m[tid, 2] = 1;\n @m[tid, 3, 4] = 2; }", []string{"2:" + CodeMapKeyArity}},
		{"latency mutant", syntax.V0_26, "kprobe:vfs_read {\n @start[tid, 1] = nsecs; }\nkretprobe:vfs_read\n/@start[tid]/\n{ delete(@start[tid]); }",
			[]string{"2:" + CodeMapKeyArity}},
		{"source order 0.24", syntax.V0_24, "BEGIN { @m[1, 2] = 1;\n @m[tid] = 2; }", []string{"2:" + CodeMapKeyArity}},
	}
	for _, tc := range cases {
		if got := errorLines(tc.src, tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("%s (%v): got %v, want %v\n%s", tc.name, tc.v, got, tc.want, tc.src)
		}
	}
}

// TestTypeofKeyedMap: in 0.26 typeof(@m) of a map with keys is its key
// type, a tuple for several keys, and an integer does not cast to a tuple
// ("Cannot cast from "int8" to "(int8,int8)""); with one key it is that
// key's type.
func TestTypeofKeyedMap(t *testing.T) {
	t.Parallel()
	runGapCases(t, []gapCase{
		{"one key", syntax.V0_26, "kprobe:vfs_read { @s[(int8)2] = (uint32)10; let $small: int8; $small = (typeof(@s))2; }", nil},
		{"two keys", syntax.V0_26, "kprobe:vfs_read { @s[(int8)2, (int8)3] = (uint32)10; $t = (typeof(@s))2; }", []string{CodeCastInvalid}},
		{"string key", syntax.V0_26, `kprobe:vfs_read { @s["a"] = 1; $t = (typeof(@s))"b"; }`, nil},
	})
}

// TestMapPerAttachPoint: from 0.25 each attach point's program types the
// body on its own against the same maps, so a map keyed or assigned with
// retval or args must get one type from every attach point (measured with
// the real 0.26.1: "Argument mismatch for @: trying to access with
// arguments: 'struct sock *' when map expects arguments: 'int32'", "Type
// mismatch for @args: trying to assign value of type 'struct
// fentry:vmlinux:vfs_read_args' when map already has a type 'struct
// tracepoint:syscalls:sys_enter_read_args'"). 0.24 refuses such probes as a
// whole (mixed arguments) and gets no map error.
func TestMapPerAttachPoint(t *testing.T) {
	t.Parallel()
	k := realKernelForGaps(t)
	const mix = "fexit:tcp_sendmsg, fexit:inet_csk_accept { @[retval] = count(); @x = retval + 1; }"
	cases := []struct {
		src  string
		v    syntax.Version
		want []string
	}{
		{mix, syntax.V0_26, []string{CodeMapKeyType, CodeMapValueType}},
		{mix, syntax.V0_25, []string{CodeMapKeyType, CodeMapValueType}},
		{mix, syntax.V0_24, nil},
		{"fexit:tcp_close, fexit:tcp_sendmsg { @rets[retval] = count(); }", syntax.V0_26, []string{CodeMapKeyType}},
		{"fexit:tcp_sendmsg, fexit:tcp_recvmsg { @rets[retval] = count(); @r = retval; }", syntax.V0_26, nil},
		{"tracepoint:syscalls:sys_enter_read, fentry:vfs_read { @args = args; }", syntax.V0_26, []string{CodeMapValueType}},
		{"fentry:vfs_read, fentry:vfs_write { @a = args; }", syntax.V0_26, []string{CodeMapValueType}},
		{"fentry:vfs_read, fentry:vfs_write { @a[args] = 1; }", syntax.V0_26, []string{CodeMapKeyType}},
		{"fentry:vfs_read { @a = args; @b[args] = 1; }", syntax.V0_26, nil},
	}
	for _, tc := range cases {
		f := syntax.Parse("t.bt", []byte(tc.src), syntax.Dialect{Version: tc.v})
		s := Analyze(context.Background(), f, Config{Dialect: f.Dialect, Kernel: k})
		var got []string
		for _, d := range s.Diagnostics {
			if d.Severity == SeverityError && strings.HasPrefix(d.Code, "map/") {
				got = append(got, d.Code)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s (%v): got %v, want %v\n%s", tc.src, tc.v, got, tc.want, fmtDiags(f, s.Diagnostics))
		}
	}
}

// TestMapContextAcrossProbes: a probe with one tracepoint or BTF function
// types its args fields and retval in the file-wide map checks, so a map
// keyed from them in one probe and otherwise in another is compared as
// bpftrace compares it (0.24.2: "Argument mismatch for @start: trying to
// access with arguments: 'uint64' when map expects arguments: 'int64'" for
// args->next_pid, an int32, then tid; 0.26.1: "Argument mismatch for @:
// trying to access with arguments: 'struct sock *' when map expects
// arguments: 'int32'").
func TestMapContextAcrossProbes(t *testing.T) {
	t.Parallel()
	k := realKernelForGaps(t)
	const sign = "tracepoint:sched:sched_switch { @start[args->next_pid] = nsecs; }\nkprobe:vfs_read /@start[tid]/ { @reads = count(); }"
	const signed = "tracepoint:sched:sched_switch { @start[args->next_pid] = nsecs; }\ntracepoint:sched:sched_wakeup { @start[args->pid] = nsecs; }"
	const retvals = "fexit:tcp_sendmsg { @[retval] = count(); }\nfexit:inet_csk_accept { @[retval] = count(); }"
	cases := []struct {
		src  string
		v    syntax.Version
		want []string
	}{
		{sign, syntax.V0_24, []string{"2:" + CodeMapKeyType}},
		{sign, syntax.V0_26, nil},
		{signed, syntax.V0_24, nil},
		{retvals, syntax.V0_26, []string{"2:" + CodeMapKeyType}},
	}
	for _, tc := range cases {
		f := syntax.Parse("t.bt", []byte(tc.src), syntax.Dialect{Version: tc.v})
		s := Analyze(context.Background(), f, Config{Dialect: f.Dialect, Kernel: k})
		var got []string
		for _, d := range s.Diagnostics {
			if d.Severity == SeverityError {
				line, _ := f.Lines.Position(d.Span.Start)
				got = append(got, fmt.Sprintf("%d:%s", line, d.Code))
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s (%v): got %v, want %v\n%s", tc.src, tc.v, got, tc.want, fmtDiags(f, s.Diagnostics))
		}
	}
}

// TestMinMaxAvgAsInteger extends TestAggregateAsInteger to min(), max()
// and avg(), measured the same way: 0.17 refuses arithmetic and %d on them
// ("Type mismatch for '+': comparing 'min' with 'int64'"); 0.24 and 0.26
// add them to integers but printf still sees the aggregate ("unsupported
// format specifier for type 'umin_t': d").
func TestMinMaxAvgAsInteger(t *testing.T) {
	t.Parallel()
	var cases []gapCase
	for _, agg := range []string{"min", "max", "avg"} {
		decl := "kprobe:vfs_read { @m = " + agg + "(arg2); }\ninterval:s:1 { "
		printD := decl + `printf("%d\n", @m); }`
		plus := decl + "@y = @m + 1; }"
		cases = append(cases,
			gapCase{agg + " %d 0.17", syntax.V0_17, printD, []string{CodeFormatVerbType}},
			gapCase{agg + " %d 0.24", syntax.V0_24, printD, []string{CodeFormatVerbType}},
			gapCase{agg + " %d 0.26", syntax.V0_26, printD, []string{CodeFormatVerbType}},
			gapCase{agg + " plus 0.17", syntax.V0_17, plus, []string{CodeTypeMismatch}},
			gapCase{agg + " plus 0.24", syntax.V0_24, plus, nil},
			gapCase{agg + " plus 0.26", syntax.V0_26, plus, nil},
		)
	}
	runGapCases(t, cases)
}
