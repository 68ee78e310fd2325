package btfindex

// This file implements reading tracepoints from tracefs: listing
// events/<category>/<event> directories and reading their format files.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// tracefs reads one tracefs mount. Formats are read on first use and kept.
type tracefs struct {
	dir     string
	resolve func(string) (Type, bool) // typedef resolver for field types; may be nil

	mu      sync.Mutex
	formats map[string]*Tracepoint // "cat:event" → format, nil when absent
}

// findTracefs returns the first directory of candidates that has events/.
func findTracefs(candidates []string) string {
	for _, dir := range candidates {
		if st, err := os.Stat(filepath.Join(dir, "events")); err == nil && st.IsDir() {
			return dir
		}
	}
	return ""
}

// openTracefs sets ix.tfs from the options, or records why there is none.
func (ix *Index) openTracefs() {
	dir := ix.opts.TracefsDir
	switch dir {
	case "-":
		return
	case "":
		dir = findTracefs(tracefsMounts)
		if dir == "" {
			ix.warn("tracefs is not mounted (tried /sys/kernel/tracing and /sys/kernel/debug/tracing): tracepoints are unknown")
			return
		}
	default:
		if findTracefs([]string{dir}) == "" {
			ix.warn(fmt.Sprintf("tracefs directory %s has no events/: tracepoints are unknown", dir))
			return
		}
	}
	ix.tfs = &tracefs{dir: dir, resolve: ix.Typedef, formats: map[string]*Tracepoint{}}
}

// Tracepoint reads and parses events/cat/event/format.
func (t *tracefs) Tracepoint(cat, event string) (*Tracepoint, bool) {
	if !validName(cat) || !validName(event) {
		return nil, false
	}
	key := cat + ":" + event
	t.mu.Lock()
	tp, ok := t.formats[key]
	t.mu.Unlock()
	if ok {
		return tp, tp != nil
	}
	tp, _ = t.read(cat, event)
	t.mu.Lock()
	if len(t.formats) >= memoLimit {
		clear(t.formats)
	}
	t.formats[key] = tp
	t.mu.Unlock()
	return tp, tp != nil
}

// read reads and parses one format file, without the memo.
func (t *tracefs) read(cat, event string) (*Tracepoint, bool) {
	if !validName(cat) || !validName(event) {
		return nil, false
	}
	data, err := readRegular(filepath.Join(t.dir, "events", cat, event, "format"), MaxListSize)
	if err != nil {
		return nil, false
	}
	tp, err := parseFormat(cat, event, data, t.resolve)
	return tp, err == nil
}

// validName rejects names that would escape the events directory.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && filepath.Base(s) == s
}

// list returns every "category:event" under events/, sorted. An event is a
// directory holding a format file; the check is by name only (stat-ing
// thousands of files would cost more than it saves).
func (t *tracefs) list(ctx context.Context) ([]string, error) {
	cats, err := os.ReadDir(filepath.Join(t.dir, "events"))
	if err != nil {
		return nil, fmt.Errorf("listing tracepoint categories: %w", err)
	}
	var out []string
	for _, c := range cats {
		if !c.IsDir() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		events, err := os.ReadDir(filepath.Join(t.dir, "events", c.Name()))
		if err != nil {
			continue // a category we may not read is simply absent
		}
		for _, e := range events {
			if e.IsDir() {
				out = append(out, c.Name()+":"+e.Name())
			}
		}
	}
	sort.Strings(out)
	return out, nil
}
