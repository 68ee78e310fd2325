// Package syntax is the bpftrace language core of bpfls: a scanner, a
// hand-written recursive-descent parser and the syntax tree, for bpftrace
// 0.17 through the newest release. It imports only the standard library,
// analysis/rope, which holds the source, and analysis/internal/chunk.
//
// [Parse] turns a script into a [File] and never fails: broken text becomes
// [BadItem], [BadStmt] or [BadExpr] nodes and [Error] values, at most one
// per line and 25 per file, so later passes still see every probe. Every
// node has Pos and End byte offsets ([Pos], End exclusive); [File.Position]
// turns an offset into a 1-based line and byte column.
//
// Items are the top-level constructs: [Probe] (with its [AttachPoint]s kept
// as raw text split into parts, the way bpftrace reads them), [MacroDecl],
// [FuncDecl], [ConfigBlock], [ImportDecl], [MapDecl], [Preamble] (C
// preprocessor lines and definitions) and [Shebang]. Statements implement
// [Stmt] and expressions [Expr].
//
// The parser targets a [Dialect]. Syntax newer than the target is parsed
// anyway and reported with code "syntax/needs-version"; [FeatureSince] gives
// the first release of each [Feature].
//
// A File holds its source as a [rope.Text]; [File.Slice] reads part of it
// and [File.Src] builds the whole of it once. [Reparse] applies one edit to
// the rope, which copies only the chunks it touches, and re-parses only the
// items around the edit, each from a window of the text (grown while the
// item's parse reaches its end); it records the later items as moved,
// copying them with shifted positions only when they are first read
// ([File.Item], [File.Items]; [File.ItemSpan] never copies). Items are kept
// in blocks, each moved as a whole, so a re-parse costs about the same in a
// file of any length, and [File.ReparsedFrom] tells a caller which items it
// parsed afresh. It never modifies the old File, and its result equals a
// full Parse (FuzzParse, TestReparseEqualsParse and TestReparseInSmallWindows
// check this, comparing [Dump]s).
//
// [Inspect] walks a tree and [File.NodeAt] returns the path of nodes under a
// position.
package syntax
