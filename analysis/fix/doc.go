// Package fix offers the refactorings that resolve a probe whose attach
// points give its body different arguments: split the probe per argument
// list, and share the body through a macro (0.24+), a one-line #define
// (before 0.24) or, experimentally, a fn. Every fix it offers leaves a
// script that checks clean. The checker calls it through
// [analysis.Refactorer]; callers plug it in with [analysis.Config].
package fix
