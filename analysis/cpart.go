package analysis

// This file implements the script's C part as the analysis sees it: the
// definitions and headers cdecl reads, looked up before the kernel's BTF,
// and its problems (a header that cannot be found) as diagnostics.

import (
	"context"
	"net/url"
	"strings"

	"github.com/bpfls/bpfls/analysis/cdecl"
	"github.com/bpfls/bpfls/analysis/syntax"
	"github.com/bpfls/bpfls/btfindex"
)

// readCPart reads the preamble's definitions and headers, when there is a
// preamble.
func (e *fileEnv) readCPart(ctx context.Context, r *Reporter) {
	var spans []syntax.Span
	for _, i := range e.declIdx {
		if p, ok := e.file.Item(i).(*syntax.Preamble); ok {
			for _, d := range p.Decls {
				spans = append(spans, d.Span)
			}
		}
	}
	if len(spans) == 0 {
		return
	}
	e.cdecls = e.cfg.CHeaders.Read(ctx, partsAt(e.file, spans), cOptions(e.file.Name, e.cfg, e.kernel != nil))
	for _, p := range e.cdecls.Problems {
		if p.Missing {
			r.Errorf(p.Span, CodeIncludeNotFound, "%s", p.Message)
		} else {
			r.Warnf(p.Span, CodeCError, "C definitions: %s", p.Message)
		}
	}
	e.uapiSwab(r)
	for n, body := range e.cdecls.Macros {
		e.constants[n] = true
		if _, ok := e.defines[n]; !ok {
			if d, ok := literalDefine(body); ok {
				e.defines[n] = d // a header's "#define NAME \"text\"" is a string
			}
		}
	}
	for n := range e.cdecls.Consts {
		e.constants[n] = true
	}
}

// uapiSwab reports what bpftrace 0.24 and later do with a header that
// reaches linux/swab.h when no kernel headers tree is found: they read
// it with their own bundled linux/types.h, which leaves
// __attribute_const__ undefined, and clang refuses it ("unknown type name
// '__attribute_const__'"). linux/tcp.h and linux/in.h do so; 0.17 reads
// them.
func (e *fileEnv) uapiSwab(r *Reporter) {
	d := e.cdecls
	if !e.cfg.Dialect.Version.AtLeast(syntax.V0_24) || d.KernelHeaders || len(d.Includes) == 0 {
		return
	}
	for _, h := range d.Headers {
		if strings.HasSuffix(h, "/linux/swab.h") {
			r.Errorf(d.Includes[0].Span, CodeUapiSwab, "bpftrace %s cannot compile %s without kernel headers: clang reports "+
				"\"unknown type name '__attribute_const__'\" in linux/swab.h (install the running kernel's headers, or name a tree: BPFTRACE_KERNEL_SOURCE for bpftrace, kernelHeaders or --kernel-headers for bpfls)",
				e.cfg.Dialect.Version, h)
			return
		}
	}
}

// scriptPath turns a document name (a path or a file:// URI) into a path.
func scriptPath(name string) string {
	if strings.HasPrefix(name, "file://") {
		if u, err := url.Parse(name); err == nil {
			return u.Path
		}
	}
	return name
}

// cRecord finds a struct or union the C part defines.
func (e *fileEnv) cRecord(name string) (*btfindex.Record, bool) {
	e.lookup(name)
	if e.cdecls == nil {
		return nil, false
	}
	r, ok := e.cdecls.Records[name]
	return r, ok && len(r.Members) > 0
}

// cdef reports whether the C part defines a struct or union tagged name.
func (e *fileEnv) cdef(name string) bool {
	e.lookup(name)
	return e.cdefs[name]
}

// cComplete reports whether the C part was read whole, headers included:
// then a name it lacks is not defined there.
func (e *fileEnv) cComplete() bool {
	return e.cdecls != nil && e.cdecls.Complete
}

// Includes lists the script's #include lines and the header each
// resolves to ("" when none), for document links.
func (s *Snapshot) Includes() []cdecl.Include {
	parts := cParts(s.File)
	if len(parts) == 0 {
		return nil
	}
	return cdecl.Includes(parts, cOptions(s.File.Name, s.Config, s.Config.Kernel != nil))
}

// cParts are the script's C definitions and preprocessor lines, in order.
func cParts(f *syntax.File) []cdecl.Part {
	var spans []syntax.Span
	for _, it := range f.Decls() {
		if p, ok := it.(*syntax.Preamble); ok {
			for _, d := range p.Decls {
				spans = append(spans, d.Span)
			}
		}
	}
	return partsAt(f, spans)
}

// partsAt are the C parts of f at spans: their text and where they start,
// read without building f's whole text.
func partsAt(f *syntax.File, spans []syntax.Span) []cdecl.Part {
	var parts []cdecl.Part
	for _, sp := range spans {
		line, col := f.Position(sp.Start)
		parts = append(parts, cdecl.Part{Span: sp, Line: line, Col: col, Text: f.Slice(sp.Start, sp.End)})
	}
	return parts
}

// cOptions says how the C part of the script named name is read: where
// headers are searched, and whether BPFTRACE_HAVE_BTF is defined.
func cOptions(name string, cfg Config, haveBTF bool) cdecl.Options {
	return cdecl.Options{Path: scriptPath(name), IncludeDirs: cfg.IncludeDirs,
		SysDirs: cfg.SysIncludeDirs, Kernel: cfg.KernelHeaders, HaveBTF: haveBTF}
}

// cOverlay is a Kernel whose records and typedefs are first looked up in
// the script's C part, so editor features see script and header types.
type cOverlay struct {
	k Kernel // may be nil
	d *cdecl.Decls
}

// withCPart returns s's kernel overlaid with its C part's types, or the
// kernel itself when the script defines none.
func withCPart(ctx context.Context, s *Snapshot) Kernel {
	d := s.CDecls(ctx)
	if d == nil || len(d.Records) == 0 {
		return s.Config.Kernel
	}
	return cOverlay{k: s.Config.Kernel, d: d}
}

// CDecls returns what the script's C part and the headers it includes
// define (records, enum constants, #defines), read once per distinct C
// part; nil when the script has none. The result is shared: callers must
// not modify it.
func (s *Snapshot) CDecls(ctx context.Context) *cdecl.Decls {
	parts := cParts(s.File)
	if len(parts) == 0 {
		return nil
	}
	return s.Config.CHeaders.Read(ctx, parts, cOptions(s.File.Name, s.Config, s.Config.Kernel != nil))
}

// EnumConstType names the type bpftrace gives an enum constant of the
// enum tagged enum ("" when anonymous) in version v: "uint64" before
// 0.24, the enum itself from then on.
func EnumConstType(v syntax.Version, enum string) string {
	return enumTy(v, enum).String()
}

func (o cOverlay) Record(name string) (*btfindex.Record, bool) {
	tag := strings.TrimPrefix(strings.TrimPrefix(name, "struct "), "union ")
	if r, ok := o.d.Records[tag]; ok && len(r.Members) > 0 {
		return r, true
	}
	if o.k == nil {
		return nil, false
	}
	return o.k.Record(name)
}

// Typedef answers from the kernel only: bpftrace resolves a type name
// through BTF and never through a header's typedef (0.17: "Unknown
// struct/union", 0.24 and 0.26: "Cannot resolve unknown type").
func (o cOverlay) Typedef(name string) (btfindex.Type, bool) {
	if o.k == nil {
		return btfindex.Type{}, false
	}
	return o.k.Typedef(name)
}

func (o cOverlay) Func(name string) (*btfindex.Func, bool) {
	if o.k == nil {
		return nil, false
	}
	return o.k.Func(name)
}

func (o cOverlay) Tracepoint(cat, event string) (*btfindex.Tracepoint, bool) {
	if o.k == nil {
		return nil, false
	}
	return o.k.Tracepoint(cat, event)
}

func (o cOverlay) Match(kind btfindex.NameKind, pattern string) []string {
	if o.k == nil {
		return nil
	}
	return o.k.Match(kind, pattern)
}

func (o cOverlay) Complete(kind btfindex.NameKind, prefix string, limit int) []string {
	if o.k == nil {
		return nil
	}
	return o.k.Complete(kind, prefix, limit)
}
