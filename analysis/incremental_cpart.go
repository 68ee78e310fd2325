package analysis

// This file lets the declaration path (incremental_decls.go) take an edit
// of the C part. A probe sees the C part through names: the structs and
// unions it and its headers define (by tag), their enums and enum
// constants, and their #define names, which a walk notes as it looks them
// up (fileEnv.lookup). The names whose meaning the edit changed are found
// by comparing what the C part and its headers defined before and after,
// so an #include added or removed is one more such edit; the probes that
// looked one up are walked and checked again, with the probes using a map
// whose type names one. The probe pass checks a body with its instances'
// contexts, whose kernel BTF types (and, for user-space probes, a binary's
// DWARF types) name structs the walk, which had no context, never looked
// up: a walk notes contextLookup instead, and when a changed name is also
// a kernel struct, or a probe attaches to user space, the probes noting it
// are checked again too. Where what a walk reports depends on whether the
// headers were read whole (a name not found is an error then, and may come
// from a header otherwise), it notes headersLookup, and an edit changing
// that checks those probes again. The path declines only for a change of
// imports, which no C part edit makes.

import (
	"reflect"
	"slices"

	"github.com/bpfls/bpfls/analysis/cdecl"
)

// cPartChanges returns the names whose C part meaning differs between
// old's declarations and e's, with contextLookup among them when a probe's
// context may reach one, and headersLookup when whether the C part was
// read whole changed; false when the path cannot follow the edit.
func cPartChanges(old, e *fileEnv) (map[string]bool, bool) {
	if old == nil || old.imports != e.imports {
		return nil, false
	}
	names := map[string]bool{}
	if old.includes != e.includes || old.cComplete() != e.cComplete() || (old.cdecls == nil) != (e.cdecls == nil) {
		names[headersLookup] = true // whether the C part was read whole (checker.headersUnread)
	}
	diffKeys(names, old.cdefs, e.cdefs, nil)
	diffKeys(names, old.constants, e.constants, nil)
	diffKeys(names, old.selfDefines, e.selfDefines, nil)
	diffKeys(names, old.defines, e.defines, nil)
	if a, b := old.cdecls, e.cdecls; a != nil || b != nil {
		if a == nil {
			a = &cdecl.Decls{}
		}
		if b == nil {
			b = &cdecl.Decls{}
		}
		// What the headers define is in the maps below with the
		// script's own definitions; which files those were, and whether
		// a kernel headers tree was searched, only the declarations'
		// diagnostics read (uapiSwab), which are made again.
		diffKeys(names, a.Records, b.Records, nil)
		diffKeys(names, a.Typedefs, b.Typedefs, nil)
		diffKeys(names, a.Macros, b.Macros, nil)
		// A constant's line moves with every edit above it, which no
		// probe sees; its enum's tag is a name a cast looks up.
		diffKeys(names, a.Consts, b.Consts, func(x, y cdecl.Const) bool {
			return x.Name == y.Name && x.Enum == y.Enum && x.Value == y.Value && x.File == y.File
		})
		for _, c := range []map[string]cdecl.Const{a.Consts, b.Consts} {
			for n, k := range c {
				if names[n] && k.Enum != "" {
					names[k.Enum] = true
				}
			}
		}
	}
	if len(names) > 0 && (e.userProbes || old.userProbes || e.kernel != nil && anyKernelRecord(e.kernel, names)) {
		names[contextLookup] = true
	}
	return names, true
}

// anyKernelRecord reports whether one of names is a struct or union of k.
func anyKernelRecord(k Kernel, names map[string]bool) bool {
	for n := range names {
		if _, ok := k.Record(n); ok {
			return true
		}
	}
	return false
}

// diffKeys adds to out the keys that only one of a and b has, or whose
// values differ (same compares them; nil: reflect.DeepEqual).
func diffKeys[V any](out map[string]bool, a, b map[string]V, same func(x, y V) bool) {
	if same == nil {
		same = func(x, y V) bool { return reflect.DeepEqual(x, y) }
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !same(v, w) {
			out[k] = true
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out[k] = true
		}
	}
}

// retypedMaps names the maps whose final types name one of names (a
// struct's tag, an enum's): a probe reading such a map sees the C part's
// definition through it, without looking the name up in its walk.
func retypedMaps(maps []mapSummary, names map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, m := range maps {
		if tyNames(m.state.stored, names) || slices.ContainsFunc(m.state.entryKeys, func(t ty) bool { return tyNames(t, names) }) {
			out[m.name] = true
		}
	}
	return out
}

// tyNames reports whether t or a type within it is named by one of names.
func tyNames(t ty, names map[string]bool) bool {
	if t.Name != "" && (names[t.Name] || len(t.Name) > 5 && t.Name[:5] == "enum " && names[t.Name[5:]]) {
		return true
	}
	if t.Elem != nil && tyNames(*t.Elem, names) {
		return true
	}
	for _, x := range t.Elems {
		if tyNames(x, names) {
			return true
		}
	}
	for _, f := range t.Fields {
		if tyNames(f.Type, names) {
			return true
		}
	}
	return false
}
