package analysis

import (
	"context"
	"slices"
	"testing"

	"github.com/bpfls/bpfls/analysis/internal/analysistest"
	"github.com/bpfls/bpfls/analysis/syntax"
)

// Tests for the gaps TestAgreement measured against the real compilers,
// one case per behaviour with the versions it was measured on.

// errorCodes returns the codes of the errors bpfls reports on src at v,
// without a kernel.
func errorCodes(src string, v syntax.Version) []string {
	var got []string
	for _, d := range checkSource([]byte(src), syntax.Dialect{Version: v}, nil) {
		if d.Severity == SeverityError {
			got = append(got, d.Code)
		}
	}
	return got
}

type gapCase struct {
	name string
	v    syntax.Version
	src  string
	want []string // error codes, in order
}

func runGapCases(t *testing.T, cases []gapCase) {
	t.Helper()
	for _, tc := range cases {
		if got := errorCodes(tc.src, tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("%s (%v): got %v, want %v\n%s", tc.name, tc.v, got, tc.want, tc.src)
		}
	}
}

// TestPointerCondition: before 0.23 a pointer is no condition of an if or
// a ternary (0.17: "Invalid condition in if(): pointer", "Invalid
// condition in ternary: pointer"); a predicate may test one in 0.17 and
// 0.24 alike, and 0.24 accepts both.
func TestPointerCondition(t *testing.T) {
	t.Parallel()
	const ifSrc = "BEGIN { $f = (struct task_struct *)0; if ($f) { @x = 1; } }"
	const ternSrc = "BEGIN { $f = (struct task_struct *)0; @x = $f ? 1 : 0; }"
	const predSrc = "BEGIN /(struct task_struct *)0/ { @x = 1; }"
	runGapCases(t, []gapCase{
		{"if 0.17", syntax.V0_17, ifSrc, []string{CodeCondNotInt}},
		{"ternary 0.17", syntax.V0_17, ternSrc, []string{CodeCondNotInt}},
		{"if 0.22", syntax.V0_22, ifSrc, []string{CodeCondNotInt}},
		{"if 0.23", syntax.V0_23, ifSrc, nil},
		{"ternary 0.24", syntax.V0_24, ternSrc, nil},
		{"predicate 0.17", syntax.V0_17, predSrc, nil},
		{"compared 0.17", syntax.V0_17, "BEGIN { $f = (struct task_struct *)0; if ($f != 0) { @x = 1; } }", nil},
	})
}

// TestAggregateAsInteger: bpftrace 0.17 reads a count()/sum() map as the
// aggregate (no arithmetic, comparison or %d: "Type mismatch for '+':
// comparing 'count' with 'int64'"); 0.24 and 0.26 read it as an integer,
// but printf still sees the aggregate ("unsupported format specifier for
// type 'count_t': d") unless it is cast or stored first; %s prints it.
func TestAggregateAsInteger(t *testing.T) {
	t.Parallel()
	const decl = "kprobe:vfs_read { @c = count(); @s = sum(arg2); }\ninterval:s:1 { "
	runGapCases(t, []gapCase{
		{"%d 0.17", syntax.V0_17, decl + `printf("%d\n", @c); }`, []string{CodeFormatVerbType}},
		{"%d 0.24", syntax.V0_24, decl + `printf("%d\n", @c); }`, []string{CodeFormatVerbType}},
		{"%llu sum 0.26", syntax.V0_26, decl + `printf("%llu\n", @s); }`, []string{CodeFormatVerbType}},
		{"%s 0.26", syntax.V0_26, decl + `printf("%s\n", @c); }`, nil},
		{"%d of a cast 0.24", syntax.V0_24, decl + `printf("%d\n", (int64)@c); }`, nil},
		{"%d of a variable 0.24", syntax.V0_24, decl + `$x = @c; printf("%d\n", $x); }`, nil},
		{"plus 0.17", syntax.V0_17, decl + `@y = @c + 1; }`, []string{CodeTypeMismatch}},
		{"compare 0.17", syntax.V0_17, decl + `if (@c > 5) { @z = 1; } }`, []string{CodeTypeMismatch}},
		{"plus 0.24", syntax.V0_24, decl + `@y = @c + @s; }`, nil},
		{"compare 0.26", syntax.V0_26, decl + `if (@c > 5) { @z = 1; } }`, nil},
	})
}

// TestStrOfString: str() of a string or a char array is refused by the real
// 0.17 and 0.24.2 ("str() expects an integer or a pointer type as first
// argument (string provided)") and accepted by 0.26.
func TestStrOfString(t *testing.T) {
	t.Parallel()
	const ofComm = "BEGIN { @s = str(comm); }"
	const ofArray = "BEGIN { $a = (int8[4])0; @s = str($a); }"
	runGapCases(t, []gapCase{
		{"comm 0.17", syntax.V0_17, ofComm, []string{CodeCallArgType}},
		{"comm 0.24", syntax.V0_24, ofComm, []string{CodeCallArgType}},
		{"comm 0.25", syntax.V0_25, ofComm, nil},
		{"comm 0.26", syntax.V0_26, ofComm, nil},
		{"literal 0.24", syntax.V0_24, `BEGIN { @s = str("hello"); }`, nil},
		{"pointer 0.24", syntax.V0_24, "kprobe:vfs_read { @s = str(arg1); }", nil},
	})
}

// TestProbeDropsMissingTracepoint: from 0.24 a probe with several attach
// points whose body uses probe gets one program per attach point, and the
// real 0.24.2 and 0.26.1 silently skip a tracepoint the kernel lacks; bpfls
// warns there. Without probe (a wildcard beside it too) they refuse it.
func TestProbeDropsMissingTracepoint(t *testing.T) {
	t.Parallel()
	k := realKernelForGaps(t)
	cases := []struct {
		src  string
		v    syntax.Version
		want Severity
	}{
		{"tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_raed { @[probe] = count(); }", syntax.V0_24, SeverityWarning},
		{"tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_raed { @[probe] = count(); }", syntax.V0_26, SeverityWarning},
		{"tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_raed { @x = count(); }", syntax.V0_26, SeverityError},
		{"tracepoint:syscalls:sys_enter_rea*, tracepoint:syscalls:sys_enter_raed { @x = count(); }", syntax.V0_24, SeverityError},
		{"tracepoint:syscalls:sys_enter_raed { @[probe] = count(); }", syntax.V0_26, SeverityError},
	}
	for _, tc := range cases {
		f := syntax.Parse("t.bt", []byte(tc.src), syntax.Dialect{Version: tc.v})
		s := Analyze(context.Background(), f, Config{Dialect: f.Dialect, Kernel: k})
		var got Severity
		for _, d := range s.Diagnostics {
			if d.Code == CodeUnknownTracepoint {
				got = d.Severity
			}
		}
		if got != tc.want {
			t.Errorf("%s (%v): unknown-tracepoint severity %v, want %v", tc.src, tc.v, got, tc.want)
		}
	}
}

func realKernelForGaps(t *testing.T) Kernel { return analysistest.RealKernel(t) }

// TestIntegerChange024: the real 0.24.2 refuses an assignment that widens
// an integer variable ("Integer size mismatch. Assignment type 'uint64' is
// larger than the variable type 'uint32'") or changes its sign ($x = 0;
// $x = pid); a literal that fits is fine, and 0.17 and 0.26 widen.
func TestIntegerChange024(t *testing.T) {
	t.Parallel()
	const widen = "kprobe:vfs_read { $n = (uint32)arg2; $n = arg2; @n = $n; }"
	const pidCgroup = "BEGIN { $x = pid; $x = cgroup; @x = $x; }"
	const sign = "BEGIN { $x = 0; $x = pid; @x = $x; }"
	runGapCases(t, []gapCase{
		{"widen 0.24", syntax.V0_24, widen, []string{CodeVarTypeChange}},
		{"widen 0.17", syntax.V0_17, widen, nil},
		{"widen 0.26", syntax.V0_26, widen, nil},
		{"pid then cgroup 0.24", syntax.V0_24, pidCgroup, []string{CodeVarTypeChange}},
		{"sign 0.24", syntax.V0_24, sign, []string{CodeVarTypeChange}},
		{"sign 0.26", syntax.V0_26, sign, nil},
		{"literal 0.24", syntax.V0_24, "BEGIN { $x = (uint32)1; $x = 5; @x = $x; }", nil},
	})
}

// TestJoinKeyedMap: join(@m) reads @m's value, so a map keyed elsewhere is
// used without its key there (0.17: "Argument mismatch for @argv"; 0.24 and
// 0.26: "used as a map without an explicit key (scalar map), previously
// used with an explicit key"); join(@m[k]) is fine.
func TestJoinKeyedMap(t *testing.T) {
	t.Parallel()
	const keyed = "kprobe:vfs_read { @argv[tid] = arg1; join(@argv); }"
	const withKey = "kprobe:vfs_read { @argv[tid] = arg1; join(@argv[tid]); }"
	runGapCases(t, []gapCase{
		{"keyed 0.17", syntax.V0_17, keyed, []string{CodeMapKeyedScalar}},
		{"keyed 0.26", syntax.V0_26, keyed, []string{CodeMapKeyedScalar}},
		{"with key 0.26", syntax.V0_26, withKey, nil},
	})
}

// TestConditionTypes: an if, a ternary or a predicate takes an integer, a
// bool or a pointer in every version, measured with the real 0.17, 0.24 and
// 0.26 ("Invalid condition: string", "Invalid condition: count_t"); 0.26
// folds a string literal and accepts it; no version checks the type of a
// while loop's condition.
func TestConditionTypes(t *testing.T) {
	t.Parallel()
	const count = "kprobe:vfs_read { @c = count(); }\ninterval:s:1 { "
	var cases []gapCase
	for _, v := range []syntax.Version{syntax.V0_17, syntax.V0_24, syntax.V0_26} {
		cases = append(cases,
			gapCase{"string if", v, `kprobe:vfs_read { if (comm) { @x = 1; } }`, []string{CodeCondNotInt}},
			gapCase{"tuple ternary", v, `kprobe:vfs_read { $t = (1, 2); @x = $t ? 1 : 2; }`, []string{CodeCondNotInt}},
			gapCase{"string predicate", v, `kprobe:vfs_read /comm/ { @x = 1; }`, []string{CodeCondNotInt}},
			gapCase{"count if", v, count + `if (@c) { @x = 1; } }`, []string{CodeCondNotInt}},
			gapCase{"string while", v, `kprobe:vfs_read { $i = 0; while (comm) { $i++; if ($i > 3) { break; } } }`, nil},
		)
	}
	cases = append(cases,
		gapCase{"string literal 0.24", syntax.V0_24, `kprobe:vfs_read { if ("s") { @x = 1; } }`, []string{CodeCondNotInt}},
		gapCase{"string literal 0.26", syntax.V0_26, `kprobe:vfs_read { if ("s") { @x = 1; } }`, nil},
	)
	runGapCases(t, cases)
}
