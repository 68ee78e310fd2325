package analysis

// This file implements the config block check: known keys (with the
// aliases and BPFTRACE_ spellings bpftrace accepts) and the values of the
// keys that take a fixed set of words.

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// configAliases are old key names bpftrace still accepts.
var configAliases = map[string]string{
	"strlen": "max_strlen", "no_cpp_demangle": "cpp_demangle",
	"cat_bytes_max": "max_cat_bytes", "map_keys_max": "max_map_keys",
}

// configWords lists the values of keys that take one of a few words.
var configWords = map[string][]string{
	"missing_probes":            {"error", "warn", "ignore"},
	"stack_mode":                {"bpftrace", "perf", "raw", "build_id"},
	"unstable_macro":            {"error", "warn", "enable"},
	"unstable_map_decl":         {"error", "warn", "enable"},
	"unstable_tseries":          {"error", "warn", "enable"},
	"unstable_typeinfo":         {"error", "warn", "enable"},
	"unstable_dw_ustack":        {"error", "warn", "enable"},
	"unstable_import_statement": {"error", "warn", "enable"},
}

// canonicalConfigKey maps "BPFTRACE_MAX_STRLEN", "MAX_STRLEN" and "strlen"
// to "max_strlen".
func canonicalConfigKey(key string) string {
	k := strings.ToLower(strings.TrimPrefix(key, "BPFTRACE_"))
	if a, ok := configAliases[k]; ok {
		return a
	}
	return k
}

// checkConfig checks the entries of a config block and records their
// values for later checks (unstable_macro).
func (e *fileEnv) checkConfig(r *Reporter, b *syntax.ConfigBlock) {
	seen := map[string]bool{}
	for _, it := range b.Items {
		if it == nil || it.Name == nil {
			continue
		}
		key := canonicalConfigKey(it.Name.Name)
		if !containsName(configKeys, key) {
			d := r.Errorf(span(it.Name), CodeConfigUnknownKey, "unknown config key %q", it.Name.Name)
			addSuggestion(d, span(it.Name), it.Name.Name, configKeys)
			continue
		}
		if seen[key] {
			r.Warnf(span(it.Name), CodeConfigDuplicate, "config key %q is set twice; the last value wins", key)
		}
		seen[key] = true
		if it.Value == nil {
			continue
		}
		value := strings.Trim(e.text(it.Value.Pos(), it.Value.End()), `"`)
		e.config[key] = value
		if words := configWords[key]; words != nil && !containsName(words, value) {
			d := r.Errorf(span(it.Value), CodeConfigBadValue, "config key %q takes one of %s, not %q", key, strings.Join(words, ", "), value)
			addSuggestion(d, span(it.Value), value, words)
		}
	}
}

// configSetting returns the value f's config block gives key (canonical
// name), without quotes; "" when the block does not set it. The last entry
// wins, as in bpftrace.
func configSetting(f *syntax.File, key string) string {
	return configSettingAt(f, declIndexes(f), key)
}

// configSettingAt is configSetting given the items that are not probes.
func configSettingAt(f *syntax.File, decls []int, key string) string {
	value := ""
	for _, i := range decls {
		b, ok := f.Item(i).(*syntax.ConfigBlock)
		if !ok {
			continue
		}
		for _, it := range b.Items {
			if it == nil || it.Name == nil || it.Value == nil || canonicalConfigKey(it.Name.Name) != key {
				continue
			}
			from, to := it.Value.Pos(), it.Value.End()
			if from >= 0 && to <= syntax.Pos(f.Len()) && from <= to {
				value = strings.Trim(string(f.Slice(from, to)), `"`)
			}
		}
	}
	return value
}
