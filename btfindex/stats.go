package btfindex

// This file implements Stats: what the index knows and where it came from.

import (
	"encoding/hex"
	"slices"
)

// Stats describes an [Index]: how many names of each kind it knows, its
// sources, the state of its on-disk index and any degradation.
type Stats struct {
	Funcs       int `json:"funcs"`
	Records     int `json:"records"`
	Typedefs    int `json:"typedefs"`
	Tracepoints int `json:"tracepoints"`
	// Traceable counts available_filter_functions; -1 when it was not
	// readable (see Warnings).
	Traceable int `json:"traceable"`
	// Symbols counts kernel function symbols (see [NameSymbol]).
	Symbols    int        `json:"symbols"`
	Sources    []string   `json:"sources"`
	Key        string     `json:"key,omitempty"` // hex SHA-256 of the BTF
	CachePath  string     `json:"cache_path,omitempty"`
	CacheState CacheState `json:"cache_state"`
	// CacheBuilt is true when this run built the index file (it was
	// missing, stale, corrupt or of another schema) rather than loading it.
	CacheBuilt bool     `json:"cache_built"`
	Warnings   []string `json:"warnings,omitempty"`
}

// Stats reports on the index. Counts come from the on-disk index when it
// is ready and from a scan of the raw BTF before that.
func (ix *Index) Stats() Stats {
	var st Stats
	if ix.snap != nil {
		return ix.snap.stats()
	}
	st.Funcs = ix.list(NameFunc).Len()
	st.Records = ix.list(NameRecord).Len()
	st.Typedefs = ix.list(NameTypedef).Len()
	st.Tracepoints = ix.list(NameTracepoint).Len()
	st.Symbols = ix.list(NameSymbol).Len()
	st.Traceable = -1
	if names, err := ix.ff.load(); err == nil {
		st.Traceable = len(names)
	} else {
		ix.warnNoFilterFuncs(err)
	}
	src := ix.btfSources()
	st.Sources = append(st.Sources, "btf:"+src.vmlinux)
	for _, m := range src.modules {
		st.Sources = append(st.Sources, "module:"+m)
	}
	if ix.tfs != nil {
		st.Sources = append(st.Sources, "tracefs:"+ix.tfs.dir)
	}
	if _, err := ix.syms.load(); err == nil {
		st.Sources = append(st.Sources, "symbols:"+ix.syms.path)
	}
	c := ix.cache
	c.mu.Lock()
	st.CacheState, st.CachePath, st.CacheBuilt = c.state, c.path, c.built
	if c.keyed {
		st.Key = hex.EncodeToString(c.key[:])
	}
	if c.err != nil {
		st.Warnings = append(st.Warnings, "index: "+c.err.Error())
	}
	c.mu.Unlock()
	if err := ix.live.loadErrors(); err != nil {
		st.Warnings = append(st.Warnings, err.Error())
	}
	ix.mu.Lock()
	st.Warnings = append(st.Warnings, ix.warnings...)
	ix.mu.Unlock()
	return st
}

// stats reports on a snapshot.
func (t *table) stats() Stats {
	st := Stats{
		Funcs:       t.secs[secFuncs].n(),
		Records:     t.secs[secRecords].n(),
		Typedefs:    t.secs[secTypedefs].n(),
		Tracepoints: t.secs[secTracepoints].n(),
		Symbols:     t.secs[secSymbols].n(),
		Traceable:   -1,
		Sources:     t.sources(),
		Key:         hex.EncodeToString(t.key[:]),
		CacheState:  CacheSnapshot,
	}
	if t.traceableKnown() {
		st.Traceable = t.secs[secTraceable].n()
	} else {
		st.Warnings = append(st.Warnings, "the snapshot has no available_filter_functions: traceability comes from BTF only")
	}
	st.Sources = slices.Clip(st.Sources)
	return st
}
