package btfindex

import (
	"reflect"
	"testing"
)

func TestWildcardMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"vfs_read", "vfs_read", true},
		{"vfs_read", "vfs_readv", false},
		{"vfs_*", "vfs_read", true},
		{"vfs_*", "vfs_", true},
		{"vfs_*", "vfs", false},
		{"*", "", true},
		{"*", "anything", true},
		{"*read", "vfs_read", true},
		{"*read", "vfs_readv", false},
		{"*_*_*", "a_b_c", true},
		{"*_*_*", "a_b", false},
		{"tcp_*msg", "tcp_sendmsg", true},
		{"tcp_*msg", "tcp_sendmsg_locked", false},
		{"vfs_rea?", "vfs_read", true},
		{"vfs_rea?", "vfs_rea", false},
		{"?", "", false},
		{"tcp_[rs]*msg", "tcp_recvmsg", true},
		{"tcp_[rs]*msg", "tcp_sendmsg", true},
		{"tcp_[rs]*msg", "tcp_v4_sendmsg", false},
		{"sys_enter_[a-c]*", "sys_enter_bpf", true},
		{"sys_enter_[a-c]*", "sys_enter_dup", false},
		{"x[!a]", "xb", true},
		{"x[!a]", "xa", false},
		{"x[^a-c]", "xd", true},
		{"x[^a-c]", "xc", false},
		{"x[]]", "x]", true},
		{"x[a-", "x[a-", true}, // unclosed class is literal
		{"x[a-", "xa", false},
		{"a*b*c*d*e*f*g*h", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"**a**", "bab", true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"~"+tc.name, func(t *testing.T) {
			t.Parallel()
			if got := WildcardMatch(tc.pattern, tc.name); got != tc.want {
				t.Errorf("WildcardMatch(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
			}
		})
	}
}

func TestMatchTracepointParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"syscalls:sys_enter_open*", "syscalls:sys_enter_openat", true},
		{"sys*:sys_enter_openat", "syscalls:sys_enter_openat", true},
		{"*:sched_switch", "sched:sched_switch", true},
		{"sys*", "syscalls:sys_enter_openat", true}, // no ":": the whole name
		{"sys*:openat", "syscalls:sys_enter_openat", false},
		{"*s:*", "sched:sched_switch", false}, // "*" stays within its part
		{"sched:*", "sched:sched_switch", true},
	}
	for _, tc := range tests {
		if got := matchTracepoint(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchTracepoint(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestMatchAndCompleteLists(t *testing.T) {
	t.Parallel()
	names := sliceNames{"tcp_close", "tcp_recvmsg", "tcp_sendmsg", "tcp_v4_connect", "udp_sendmsg", "vfs_read", "vfs_readv", "vfs_write"}
	if got, want := matchList(names, "vfs_*", WildcardMatch), []string{"vfs_read", "vfs_readv", "vfs_write"}; !reflect.DeepEqual(got, want) {
		t.Errorf("vfs_* = %q, want %q", got, want)
	}
	if got, want := matchList(names, "*_sendmsg", WildcardMatch), []string{"tcp_sendmsg", "udp_sendmsg"}; !reflect.DeepEqual(got, want) {
		t.Errorf("*_sendmsg = %q, want %q", got, want)
	}
	if got := matchList(names, "vfs_rea", WildcardMatch); got != nil {
		t.Errorf("literal non-name matched %q", got)
	}
	if got, want := matchList(names, "vfs_read", WildcardMatch), []string{"vfs_read"}; !reflect.DeepEqual(got, want) {
		t.Errorf("literal = %q, want %q", got, want)
	}
	if got, want := completeList(names, "tcp_", 2), []string{"tcp_close", "tcp_recvmsg"}; !reflect.DeepEqual(got, want) {
		t.Errorf("complete tcp_ limit 2 = %q, want %q", got, want)
	}
	if got := completeList(names, "tcp_", 0); len(got) != 4 {
		t.Errorf("complete tcp_ unlimited = %q", got)
	}
	if got := completeList(names, "zzz", 5); len(got) != 0 {
		t.Errorf("complete zzz = %q", got)
	}
	if got := completeList(names, "", 0); len(got) != len(names) {
		t.Errorf("complete \"\" = %d names", len(got))
	}
}
