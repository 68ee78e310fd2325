package analysis

import (
	"testing"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// TestCompoundAssign024: to bpftrace 0.24 "$x += e" is "$x = $x + e", whose
// integer type is the larger size, signed only when both sides are, and the
// assignment then refuses a wider or other-signed value, a literal e
// included (measured with the real 0.24.2: "$x = 0; $x += arg2" is "Type
// mismatch for $x: trying to assign value of type 'uint64' when variable
// already contains a value of type 'int64'"; "$x = pid; $x += 1" is
// "Integer size mismatch"). 0.17 and 0.26 accept all of these.
func TestCompoundAssign024(t *testing.T) {
	t.Parallel()
	const signChange = "kprobe:vfs_read { $x = 0; $x += arg2; @x = $x; }"
	const widen = "kprobe:vfs_read { $x = pid; $x += 1; @x = $x; }"
	const spelled = "kprobe:vfs_read { $x = 0; $x = $x + arg2; @x = $x; }"
	runGapCases(t, []gapCase{
		{"sign change 0.24", syntax.V0_24, signChange, []string{CodeVarTypeChange}},
		{"sign change 0.17", syntax.V0_17, signChange, nil},
		{"sign change 0.26", syntax.V0_26, signChange, nil},
		{"widen by a literal 0.24", syntax.V0_24, widen, []string{CodeVarTypeChange}},
		{"widen by a literal 0.26", syntax.V0_26, widen, nil},
		{"spelled out 0.24", syntax.V0_24, spelled, []string{CodeVarTypeChange}},
		{"int64 plus literal 0.24", syntax.V0_24, "kprobe:vfs_read { $y = 0; $y += 1; @y = $y; }", nil},
		{"uint64 plus literal 0.24", syntax.V0_24, "kprobe:vfs_read { $z = arg2; $z += 1; @z = $z; }", nil},
		{"int32 shifted 0.24", syntax.V0_24, "kprobe:vfs_read { $w = (int32)1; $w <<= 1; @w = $w; }", []string{CodeVarTypeChange}},
	})
}

// TestPidThenCgroup: pid and tid are uint32 from 0.22, so "$x = pid; $x =
// cgroup" widens $x, which only 0.24 refuses ("Integer size mismatch.
// Assignment type 'uint64' is larger than the variable type 'uint32'");
// 0.17 (pid a uint64) and 0.26 (which widens) accept it. cpu, rand and
// numaid are uint64 in every version (the docs say uint32), so 0.24 also
// refuses "$x = tid; $x = cpu".
func TestPidThenCgroup(t *testing.T) {
	t.Parallel()
	const pidCgroup = "BEGIN { $x = pid; $x = cgroup; @x = $x; }"
	const tidPid = "BEGIN { $x = tid; $x = pid; @x = $x; }"
	const tidCPU = "BEGIN { $x = tid; $x = cpu; @x = $x; }"
	runGapCases(t, []gapCase{
		{"pid then cgroup 0.17", syntax.V0_17, pidCgroup, nil},
		{"pid then cgroup 0.24", syntax.V0_24, pidCgroup, []string{CodeVarTypeChange}},
		{"pid then cgroup 0.26", syntax.V0_26, pidCgroup, nil},
		{"tid then pid 0.24", syntax.V0_24, tidPid, nil},
		{"tid then cpu 0.24", syntax.V0_24, tidCPU, []string{CodeVarTypeChange}},
		{"tid then cpu 0.26", syntax.V0_26, tidCPU, nil},
		{"rand then pid 0.24", syntax.V0_24, "BEGIN { $x = rand; $x = pid; @x = $x; }", nil},
	})
}
