package benchtest

import (
	"runtime"
	"runtime/metrics"
	"sync"
)

// PeakLive records the largest live heap the collector measures, GC by
// GC, while it runs: the heap a process needs at its worst is about twice
// that (GOGC=100). Between collections nothing is measured, so a finer
// figure needs more frequent collections (debug.SetGCPercent).
type PeakLive struct {
	mu      sync.Mutex
	max     uint64
	samples int
	stopped bool
}

// StartPeakLive starts recording after each collection, from the next one
// on.
func StartPeakLive() *PeakLive {
	p := &PeakLive{}
	p.arm()
	return p
}

// arm sets a finalizer on an object nothing holds, so that it runs after
// the next collection, samples the live heap and arms itself again.
func (p *PeakLive) arm() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.stopped {
			return
		}
		p.sample()
		p.arm()
	})
}

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func (p *PeakLive) sample() {
	s := []metrics.Sample{liveSample[0]}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		p.max = max(p.max, s[0].Value.Uint64())
		p.samples++
	}
}

// Stop ends the recording with one last collection, and returns the
// largest live heap seen and how many collections were measured.
func (p *PeakLive) Stop() (peak int64, samples int) {
	runtime.GC()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	p.sample() // that collection, whether or not its finalizer ran yet
	return int64(p.max), p.samples
}

// Max returns the largest live heap seen so far, without a collection of
// its own, so that it does not disturb what is measured (a collection
// drops what is held only weakly).
func (p *PeakLive) Max() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return int64(p.max)
}
