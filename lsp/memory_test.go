package lsp

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTightGC checks that runs that overlap lower the collector's target
// while any of them goes on, restore it after the last, and leave a
// user's lower target or a collector turned off alone. Not parallel: the
// target is the process's.
func TestTightGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	end1 := tightGC()
	end2 := tightGC()
	if got := gcPercent(); got != tightGCPercent {
		t.Fatalf("target %d during two runs, want %d", got, tightGCPercent)
	}
	end1()
	end1() // ending twice ends once
	if got := gcPercent(); got != tightGCPercent {
		t.Errorf("target %d while one run goes on, want %d", got, tightGCPercent)
	}
	end2()
	if got := gcPercent(); got != 100 {
		t.Errorf("target %d after the runs, want 100 again", got)
	}
	for _, user := range []int{-1, 20} {
		debug.SetGCPercent(user)
		end := tightGC()
		if got := gcPercent(); got != user {
			t.Errorf("target %d during a run, want the user's %d", got, user)
		}
		end()
		if got := gcPercent(); got != user {
			t.Errorf("target %d after a run, want the user's %d", got, user)
		}
	}
}
