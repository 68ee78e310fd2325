// Package format prints a bpftrace syntax tree in bpftrace's official style,
// the style of `bpftrace --fmt` (0.25 and newer), for every dialect bpfls
// knows. It is to [syntax] what go/printer is to go/parser.
//
// The layout follows bpftrace 0.26's formatter rule for rule: lines of at
// most 90 columns, arguments packed and split by the same search, operator
// precedence made explicit with parentheses, comments kept only where that
// formatter keeps them and blank lines kept where it keeps them. Syntax of
// an older dialect that 0.26 no longer reads is printed as written, under
// the same layout rules, so formatting never changes which bpftrace
// versions accept a script. A file with syntax errors is never formatted.
package format
