// Package userdiff holds the differential test of uprobe, uretprobe and
// usdt checks against the real bpftrace 0.17, 0.24 and 0.26. It is a
// package of its own so that its compiles (a few minutes on two cores)
// get their own test timeout beside the analysis package's tests.
package userdiff
