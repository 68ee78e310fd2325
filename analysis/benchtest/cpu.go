package benchtest

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// CPUTime is the CPU time, user and system, GC included, the process has
// used so far, or 0 where it cannot be read. The machines that run the
// benchmarks are shared, so wall time is noise; this is what the README's
// figures report as "cpu-ns/op".
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU adds the CPU time since start, per operation, to b's results
// as "cpu-ns/op".
func ReportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(CPUTime()-start)/float64(b.N), "cpu-ns/op")
}

// LiveHeap is the heap in use after a full collection.
func LiveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
