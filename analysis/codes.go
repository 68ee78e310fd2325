package analysis

// This file lists the diagnostic codes of the analysis. A code is part of
// bpfls's interface (users filter and suppress by it): once released, its
// value never changes. Syntax codes live with the parser and all start with
// "syntax".

// Names: identifiers, builtins, calls.
const (
	CodeUnknownIdent     = "name/unknown-identifier" // a bare word that is no builtin, macro or enum
	CodeUnknownFunc      = "call/unknown-function"   // f(…) that is no builtin, macro or kernel function
	CodeCallArity        = "call/arity"              // wrong number of arguments to a builtin
	CodeCallArgKind      = "call/argument-kind"      // an argument of the wrong kind (map, variable, literal)
	CodeCallArgType      = "call/argument-type"      // an argument of the wrong type (string for int)
	CodeCallArgValue     = "call/argument-value"     // a literal out of range: hist(n, 9), lhist step 0
	CodeNotCallable      = "call/not-callable"       // args(), ctx(), or a variable-only builtin called in old versions
	CodeNeedsCall        = "call/needs-arguments"    // a function used bare: printf without (…)
	CodeBuiltinVersion   = "version/builtin"         // the target bpftrace has no such builtin (yet, or any more)
	CodeBuiltinArityVer  = "version/builtin-arity"   // the argument count is newer than the target
	CodeBuiltinProbe     = "builtin/probe-type"      // a builtin the probe type does not provide
	CodeBuiltinInLoop    = "builtin/in-loop"         // argN/retval in a for body, exit() in a loop
	CodeAggregateOutside = "map/aggregate-outside"   // count(), hist(), … not assigned to a map element
	CodeVoidValue        = "call/no-value"           // $x = printf(…): the call returns nothing
)

// Variables, maps, statements.
const (
	CodeVarUndefined      = "var/undefined"          // read of a variable never assigned in scope
	CodeVarBeforeAssign   = "var/used-before-set"    // read before the first assignment (warning)
	CodeVarShadow         = "var/shadowing"          // let of a name an outer scope already declared
	CodeVarNeverAssigned  = "var/never-assigned"     // let without any assignment (warning)
	CodeVarTypeChange     = "var/type-mismatch"      // assignment of another type than the variable has
	CodeVarRedeclared     = "var/redeclared"         // let twice in one scope
	CodeLoopShadow        = "var/loop-shadowing"     // for ($x : …) where $x exists
	CodeMapDeclUnknownTyp = "map/unknown-map-kind"   // let @m = treemap(…)
	CodeMapDeclDuplicate  = "map/redeclared"         // two let @m declarations
	CodeMapUnused         = "map/unused"             // a declared map nobody uses (warning)
	CodeMapUndefined      = "map/undefined"          // read of a map nobody assigns
	CodeMapKeyedScalar    = "map/keyed-and-scalar"   // @m and @m[k] in one program
	CodeMapKeyArity       = "map/key-count"          // @m[a] and @m[a, b]
	CodeMapKeyType        = "map/key-type"           // @m["x"] and @m[1]
	CodeMapValueType      = "map/value-type"         // @m = 1 and @m = "x"
	CodeMapAggregateMix   = "map/aggregate-mixed"    // @m = count() and @m = 1
	CodeMapAggregateCopy  = "map/aggregate-copy"     // @a = @b where @b holds an aggregate
	CodeMapAggregateKind  = "map/aggregate-kind"     // @m = count() and @m = sum(x)
	CodeMapAggregateRead  = "map/aggregate-read"     // $x = @h where @h holds hist()
	CodeMapDeclKind       = "map/decl-kind"          // let @m = percpuhash(…) given plain values
	CodeTupleIndex        = "type/tuple-index"       // $t.5 on a pair
	CodeUnrollRange       = "stmt/unroll-range"      // unroll(0), unroll(101), unroll($x)
	CodeJumpOutsideLoop   = "stmt/jump-outside-loop" // break or continue outside a loop
	CodeReturnValue       = "stmt/return-value"      // return "x" in a probe
	CodeWhileDeprecated   = "stmt/while-deprecated"  // while in 0.25+
)

// Macros and fn.
const (
	CodeMacroRedefined    = "macro/redefinition"    // same name and parameter kinds twice
	CodeMacroNoMatch      = "macro/no-match"        // no overload fits the call
	CodeMacroArity        = "macro/arity"           // a bare use of a macro that needs arguments, or wrong count
	CodeMacroArgKind      = "macro/argument-kind"   // a $var parameter given an expression, …
	CodeMacroRecursion    = "macro/recursion"       // a > b > a
	CodeMacroUnhygienic   = "macro/unhygienic"      // body touches a map or variable it was not given
	CodeMacroDupParam     = "macro/duplicate-param" // macro f($a, $a)
	CodeMacroShadowParam  = "macro/shadows-param"   // let $a inside macro f($a)
	CodeMacroBuiltinParam = "macro/builtin-param"   // macro f(pid)
	CodeFnRedefined       = "fn/redefinition"
	CodeFnReturnType      = "fn/return-type"      // return value does not match the declared type
	CodeFnMissingReturn   = "fn/missing-return"   // a non-void fn that can end without return
	CodeFnProbeBuiltin    = "fn/probe-builtin"    // args, retval, argN inside fn
	CodeFnCall            = "fn/call-unsupported" // calling a fn, which no bpftrace release supports
	CodeUnstableFeature   = "version/unstable"    // a feature that needs an unstable_* config flag
	CodeDeprecatedDelete  = "version/deprecated-delete"
)

// Types, fields, casts.
const (
	CodeTypeMismatch     = "type/mismatch"          // "a" == 1, "a" + 1
	CodeUnknownType      = "type/unknown"           // (foo)x, (struct nope *)x
	CodeUnknownStruct    = "type/unknown-struct"    // a struct the kernel does not have
	CodeUnknownField     = "type/unknown-field"     // a field the struct does not have
	CodeFieldOnPointer   = "type/dot-on-pointer"    // p.f on a pointer before 0.25
	CodeArrowOnValue     = "type/arrow-on-value"    // s->f on a struct value
	CodeFieldOnNonRecord = "type/field-on-scalar"   // x.f on an integer or string
	CodeDerefNonPointer  = "type/deref-non-pointer" // *x on an integer or string
	CodeIndexNonArray    = "type/index"             // x[0] on something not indexable
	CodeCastInvalid      = "type/cast"              // a cast bpftrace refuses
	CodeCondNotInt       = "type/condition"         // if ("str")
	CodeArgsUnknownField = "args/unknown-field"     // args.f where the attach point has no f
	CodeArgsArrowNeeded  = "args/arrow-required"    // args.f in 0.17, which needs args->f
	CodeArgsUnreadable   = "args/unreadable"        // uprobe args bpftrace cannot read: no DWARF, an alias, stack-passed arguments
)

// The config block.
const (
	CodeConfigUnknownKey = "config/unknown-key" // config = { max_strln = 1 }
	CodeConfigBadValue   = "config/bad-value"   // stack_mode = fancy
	CodeConfigDuplicate  = "config/duplicate"   // a key set twice (warning)
)

// printf-style formats.
const (
	CodeFormatNotLiteral = "printf/format-not-literal" // printf($fmt)
	CodeFormatTooFew     = "printf/too-few-arguments"
	CodeFormatTooMany    = "printf/too-many-arguments"
	CodeFormatBadVerb    = "printf/bad-verb"    // %y
	CodeFormatVerbType   = "printf/verb-type"   // %d given a string
	CodeFormatDebugfArgs = "printf/debugf-args" // debugf with more than 3 conversions
)

// Probes and attach points, and the per-attach-point (mixed arguments) pass.
const (
	CodeUnknownProbe      = "probe/unknown"            // a provider bpftrace does not know
	CodeProbeVersion      = "version/probe"            // a provider the target version lacks (fentry in 0.17)
	CodeAttachSyntax      = "probe/attach-syntax"      // wrong part count, bad offset, unit, length …
	CodeAttachParam       = "probe/positional-param"   // an unquoted "$a" (no positional parameter) in an attach point
	CodeUnknownFunction   = "probe/unknown-function"   // a kernel function BTF does not have
	CodeUnknownTracepoint = "probe/unknown-tracepoint" // a tracepoint tracefs does not have
	CodeUnknownEvent      = "probe/unknown-event"      // software:nope
	CodeUnknownIter       = "probe/unknown-iter"       // iter:nope
	CodeNoMatch           = "probe/no-match"           // a wildcard that matches nothing
	CodeUnknownModule     = "probe/unknown-module"     // kprobe:module:function on a module that is not loaded
	CodeUnknownBinary     = "probe/unknown-binary"     // a uprobe/usdt binary that is missing or not ELF
	CodeUnknownUSDT       = "probe/unknown-usdt"       // a USDT provider or probe the binary lacks
	CodeUSDTArg           = "probe/usdt-argument"      // argN beyond a USDT probe's arguments
	CodeUserAddress       = "probe/user-address"       // a uprobe address or offset outside its function (warning)
	CodeTruncated         = "probe/truncated"          // a wildcard with more matches than bpfls expands (info)
	CodeNotTraceable      = "probe/not-traceable"      // exists but cannot be attached (warning)
	CodeIterAlone         = "probe/iter-alone"         // iter with other attach points
	CodeLegacyProvider    = "probe/legacy-name"        // kfunc where fentry is the name (hint)
	CodeArgsMixed         = "args/mixed"               // a use that fails or differs in some instances
	CodeArgsMixedProbe    = "args/mixed-probe"         // ≤0.24: attach points whose args differ at all
	CodeArgsMixedProvider = "args/mixed-provider"      // 0.21–0.24: args with several probe types
)

// The script's C part: #include lines and C definitions.
const (
	CodeIncludeNotFound = "c/include-not-found" // an #include no include directory has
	CodeCError          = "c/error"             // the C front end rejects the C part or a header (warning)
	CodeUapiSwab        = "c/uapi-swab"         // 0.24+ without kernel headers cannot compile linux/swab.h
)
