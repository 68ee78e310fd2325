package btfindex

// This file implements listings on the Index: which source answers them
// before and after the on-disk index is ready.

import (
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"
)

// Match returns the names of kind matching a bpftrace wildcard pattern
// ("vfs_*", "tcp_[rs]*msg", "syscalls:sys_enter_open*"), sorted. For
// tracepoints the category and event parts are matched separately.
func (ix *Index) Match(kind NameKind, pattern string) []string {
	if kind == NameTracepoint {
		return matchList(ix.list(kind), pattern, matchTracepoint)
	}
	return matchList(ix.list(kind), pattern, WildcardMatch)
}

// Complete returns up to limit names of kind starting with prefix, sorted;
// limit <= 0 means all.
func (ix *Index) Complete(kind NameKind, prefix string, limit int) []string {
	return completeList(ix.list(kind), prefix, limit)
}

// list picks the best available sorted list of names.
func (ix *Index) list(kind NameKind) nameList {
	if ix == nil {
		return sliceNames(nil)
	}
	if ix.snap != nil {
		return ix.snap.names(kind)
	}
	if kind == NameTracepoint {
		return ix.tracepointNames()
	}
	if kind == NameSymbol {
		return ix.symbolList()
	}
	if kind == NameEnumConst || kind == NameEnum {
		if t := ix.symbolTable(); t != nil {
			return t.names(kind)
		}
		if kind == NameEnum {
			ix.enums()
			return ix.enumTags
		}
		return enumNames(ix.enums())
	}
	if t := ix.cache.table(); t != nil {
		ix.mu.Lock()
		ix.scanned = nil // the index serves from now on; free the scan
		ix.mu.Unlock()
		return t.names(kind)
	}
	return ix.scannedNames().list(kind)
}

// scannedNames scans the raw BTF for names once; it serves listings until
// the on-disk index is ready.
func (ix *Index) scannedNames() *nameSet {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.scanned != nil {
		return ix.scanned
	}
	ns := &nameSet{}
	if err := scanSources(ix.btfSources(), ns); err != nil {
		ix.log.Warn("scanning BTF names", zap.Error(err))
	}
	ns.sortNames()
	ix.scanned = ns
	return ns
}

// scanSources scans vmlinux and each module.
func scanSources(src btfSources, ns *nameSet) error {
	data, release, err := mapRawBTF(src.vmlinux)
	if err != nil {
		return fmt.Errorf("scanning %s: %w", src.vmlinux, err)
	}
	defer release() // scanNames copies the names it keeps
	base, err := parseRawBTF(data)
	if err == nil {
		err = scanNames(base, nil, ns)
	}
	if err != nil {
		return fmt.Errorf("scanning %s: %w", src.vmlinux, err)
	}
	var errs []error
	for _, m := range src.modules {
		data, err := readRegular(m, MaxBTFSize)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		raw, err := parseRawBTF(data)
		if err == nil {
			err = scanNames(raw, base, ns)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("scanning module %s: %w", m, err))
		}
	}
	return errors.Join(errs...)
}

// tracepointNames lists tracefs once.
func (ix *Index) tracepointNames() nameList {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.tpNames == nil {
		ix.tpNames = sliceNames{}
		if ix.tfs != nil {
			names, err := ix.tfs.list(context.Background())
			if err != nil {
				ix.log.Warn("listing tracepoints", zap.Error(err))
			}
			ix.tpNames = names
		}
	}
	return ix.tpNames
}
