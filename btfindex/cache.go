package btfindex

// This file implements the on-disk cache: in the background, load
// <CacheDir>/<sha256 of BTF>.idx, or build it by walking the BTF and write
// it atomically. A file that is truncated, corrupt, of another schema or
// built from other BTF is never trusted: it is rebuilt and replaced.

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// CacheState says where the on-disk index stands.
type CacheState string

// States of the on-disk index.
const (
	CacheDisabled CacheState = "disabled" // no cache directory; listings come from a names scan
	CacheLoading  CacheState = "loading"  // hashing BTF and reading the file
	CacheBuilding CacheState = "building" // walking BTF to write a new file
	CacheReady    CacheState = "ready"    // loaded or built; listings come from it
	CacheFailed   CacheState = "failed"   // could not build; listings come from a names scan
	CacheSnapshot CacheState = "snapshot" // the index is a kernel snapshot
)

// cacheLoader runs the background load or build and publishes its result.
type cacheLoader struct {
	done     chan struct{}
	loaded   chan struct{} // closed once reading the file is over, found or not
	loadOnce sync.Once

	mu    sync.Mutex
	state CacheState
	path  string
	key   [32]byte
	keyed bool
	tab   *table
	built bool // written this run (absent, stale or corrupt before)
	err   error
}

// startCache starts loading or building the index for ix's BTF.
func startCache(ctx context.Context, ix *Index) *cacheLoader {
	c := &cacheLoader{done: make(chan struct{}), loaded: make(chan struct{}), state: CacheDisabled}
	dir := ix.opts.CacheDir
	if dir == "-" {
		close(c.done)
		c.endLoad()
		return c
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			ix.warn("no user cache directory: whole-kernel listings are rebuilt in memory each run", zap.Error(err))
			close(c.done)
			c.endLoad()
			return c
		}
		dir = filepath.Join(base, "bpfls")
	}
	c.state = CacheLoading
	src := ix.btfSources()
	// Once the index is served, lookups come from it: the BTF spec is
	// loaded only if something still needs it, so it is not warmed here.
	ix.bg.Go(func() { c.run(ctx, dir, src, ix.log) })
	return c
}

func (c *cacheLoader) run(ctx context.Context, dir string, src btfSources, log *zap.Logger) {
	defer close(c.done)
	defer c.endLoad()
	key, err := contentKey(dir, src)
	if err != nil {
		c.finish(nil, err)
		return
	}
	path := filepath.Join(dir, hex.EncodeToString(key[:])+".idx")
	c.mu.Lock()
	c.path, c.key, c.keyed = path, key, true
	c.mu.Unlock()

	tab, err := readTable(path, &key)
	if err == nil {
		// In use: keep it from pruneIndexes. Once a day is enough, and
		// the change moves the file's identity, which costs the next load
		// a checksum (checked.go).
		if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) > markUsedAge {
			now := time.Now()
			os.Chtimes(path, now, now)
			os.Chtimes(path+checkedSuffix, now, now)
		}
		log.Debug("loaded index", zap.String("path", path))
		c.finish(tab, nil)
		return
	}
	if !errors.Is(err, fs.ErrNotExist) {
		log.Info("rebuilding index", zap.String("path", path), zap.Error(err))
	}
	c.mu.Lock()
	c.state, c.built = CacheBuilding, true
	c.mu.Unlock()
	c.endLoad()
	// The build allocates many short-lived values; at the default GC pace
	// the heap would grow to twice what is live before each collection,
	// which is most of the first run's peak. A pace already at or below
	// ours is the user's, or another build's, which restores it.
	if old := debug.SetGCPercent(buildGCPercent); old >= 0 && old <= buildGCPercent {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	tab, err = buildCache(ctx, src, key, path, log)
	c.finish(tab, err)
	// The scavenger would return the build's freed heap over minutes, and
	// a language server idles for long.
	debug.FreeOSMemory()
}

// markUsedAge is how old an index file's time may be before a load marks
// it used again.
const markUsedAge = 24 * time.Hour

// buildGCPercent is the GC pace while the index is built (see run).
const buildGCPercent = 10

// buildCache walks the BTF and streams the encoded index to the file,
// which is then mapped rather than kept on the heap. When the file cannot
// be written the index is laid out in memory and still used.
func buildCache(ctx context.Context, src btfSources, key [32]byte, path string, log *zap.Logger) (*table, error) {
	b := newTableBuilder()
	if err := collectBTF(ctx, src, collector{b: b}); err != nil {
		return nil, fmt.Errorf("building index: %w", err)
	}
	collectSymbols(src, b)
	b.key = key
	removeStaleTemps(filepath.Dir(path))
	pruneIndexes(filepath.Dir(path))
	err := writeAtomic(path, b.writeTo)
	if err == nil {
		// Return the builder's memory before reading the file back, so
		// the two never count against the peak together.
		b = nil
		debug.FreeOSMemory()
		tab, err := readTable(path, &key)
		if err == nil {
			log.Info("wrote index", zap.String("path", path), zap.Int("bytes", len(tab.raw)))
			return tab, nil
		}
		return nil, fmt.Errorf("building index: %w", err) // a bug or a disk fault: we just wrote it
	}
	log.Warn("index not saved; it is rebuilt next run", zap.Error(err))
	tab, err := decodeTable(b.bytes())
	if err != nil {
		return nil, fmt.Errorf("building index: %w", err) // a bug: we just wrote it
	}
	return tab, nil
}

func (c *cacheLoader) finish(tab *table, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tab, c.err = tab, err
	c.state = CacheReady
	if err != nil {
		c.state = CacheFailed
	}
}

// endLoad says that reading the file is over: the index is ready, or is
// being built, or there is none.
func (c *cacheLoader) endLoad() { c.loadOnce.Do(func() { close(c.loaded) }) }

// table returns the index if it is ready, without waiting.
func (c *cacheLoader) table() *table {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tab
}

// wait blocks until the background work ends or ctx is done.
func (c *cacheLoader) wait(ctx context.Context) error {
	select {
	case <-c.done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// staleTempAge is how old a temporary file must be before another process
// may assume its writer died and remove it.
const staleTempAge = 10 * time.Minute

// unusedIndexAge is how long an index file may go unused (other kernels,
// older builds) before it is deleted; loading one marks it used.
const unusedIndexAge = 30 * 24 * time.Hour

// pruneIndexes deletes index files unused for unusedIndexAge, so that kernel
// upgrades do not pile up 5 MB files for ever.
func pruneIndexes(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".idx") && !strings.HasSuffix(e.Name(), ".key") && !strings.HasSuffix(e.Name(), checkedSuffix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > unusedIndexAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// removeStaleTemps removes temporary files left by a process that died
// while writing the index.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTempAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// writeFileAtomic writes data to path as [writeAtomic] does.
func writeFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic writes a temporary file in path's directory through write and
// renames it into place, so readers see the old file or the new one, never
// a part.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating cache directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
