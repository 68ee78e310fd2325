package btfindex

import (
	"sync"
	"testing"
)

// TestConcurrentQueriesWhileBuilding runs lookups and listings from many
// goroutines while the index builds in the background (run with -race).
func TestConcurrentQueriesWhileBuilding(t *testing.T) {
	t.Parallel()
	ix := openFixture(t, t.TempDir())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if _, ok := ix.Func("vfs_read"); !ok {
					t.Error("vfs_read missing")
				}
				if _, ok := ix.Record("sock"); !ok {
					t.Error("sock missing")
				}
				if got := ix.Match(NameFunc, "vfs_*"); len(got) != 2 {
					t.Errorf("Match(vfs_*) = %q", got)
				}
				if got := ix.Complete(NameRecord, "s", 0); len(got) != 3 {
					t.Errorf("Complete(s) = %q", got)
				}
				if (g+i)%10 == 0 {
					ix.Stats()
					ix.Traceable("tcp_sendmsg")
					ix.Tracepoint("sched", "sched_switch")
				}
			}
		}()
	}
	wg.Wait()
}
