// Package benchcpu measures the CPU time of benchmarks. The machines that
// run them are shared, so wall time is noise; the process's user and system
// time, GC included, is what the README's figures report as "cpu-ns/op".
package benchcpu

import (
	"syscall"
	"testing"
	"time"
)

// Now is the CPU time the process has used so far, or 0 where it cannot be
// read.
func Now() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Report adds the CPU time since start, per operation, to b's results as
// "cpu-ns/op".
func Report(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(Now()-start)/float64(b.N), "cpu-ns/op")
}
