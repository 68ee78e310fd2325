// This file keeps a large document's resident memory close to what it
// holds: the collector runs more often while such a document is parsed
// or analysed from scratch.

package lsp

import (
	"runtime/debug"
	"sync"
)

// tightGCPercent is the collector's target (GOGC) while a large document
// is parsed or analysed from scratch. The records a document keeps are
// allocated among many times their size of garbage; collected twice as
// often, that garbage leaves fewer of their memory pages half used. A 1
// MB script then stays resident at 7.7-7.9 times its size instead of
// 8.2-10.1, for 15-25% more CPU time in its first analysis.
const tightGCPercent = 50

// gcTight counts the runs that asked for tightGC; the first one sets the
// target, the last one restores what was there before.
var gcTight struct {
	sync.Mutex
	runs int
	prev int
}

// tightGC lowers the collector's target to tightGCPercent, unless the
// user's (GOGC) is lower or off, until the returned function is called.
// Runs may overlap.
func tightGC() (restore func()) {
	gcTight.Lock()
	defer gcTight.Unlock()
	if gcTight.runs == 0 {
		gcTight.prev = debug.SetGCPercent(tightGCPercent)
		if gcTight.prev < tightGCPercent {
			debug.SetGCPercent(gcTight.prev) // off (negative) or lower: the user's choice stands
		}
	}
	gcTight.runs++
	return sync.OnceFunc(func() {
		gcTight.Lock()
		defer gcTight.Unlock()
		if gcTight.runs--; gcTight.runs == 0 {
			debug.SetGCPercent(gcTight.prev)
		}
	})
}

// largeRun lowers the collector's target while a run over all of d's
// text goes on, when d is large enough for its garbage to matter: its
// first parse, its first analysis, a whole-file request that may parse
// its items again. It returns the function that ends the run.
func (d *Document) largeRun() (end func()) {
	if d.Text.Len() < releaseSize {
		return func() {}
	}
	return tightGC()
}
