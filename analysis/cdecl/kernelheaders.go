package cdecl

// This file implements finding the kernel headers tree as bpftrace does
// (symbols::get_kernel_dirs and get_kernel_cflags in its source): the
// BPFTRACE_KERNEL_SOURCE and BPFTRACE_KERNEL_BUILD environment variables,
// else /lib/modules/RELEASE/source (pristine headers) and .../build
// (generated ones), either standing in for a missing other. Debian's
// linux-headers packages are laid out so: -common is the source, the
// flavour package the build directory.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KernelHeaders is a kernel headers tree. The zero value is none.
type KernelHeaders struct {
	Src string // pristine headers (bpftrace's ksrc)
	Obj string // generated headers (bpftrace's kobj); Src when the same
}

// FindKernelHeaders finds the headers of the kernel called release as
// bpftrace does; getenv reads the environment (os.Getenv).
func FindKernelHeaders(release string, getenv func(string) string) (KernelHeaders, bool) {
	if src := getenv("BPFTRACE_KERNEL_SOURCE"); src != "" {
		k := KernelHeaders{Src: src, Obj: src}
		if obj := getenv("BPFTRACE_KERNEL_BUILD"); obj != "" {
			k.Obj = obj
		}
		return k, true
	}
	if release == "" {
		return KernelHeaders{}, false
	}
	dir := filepath.Join("/lib/modules", release)
	k := KernelHeaders{Src: filepath.Join(dir, "source"), Obj: filepath.Join(dir, "build")}
	hasSrc, hasObj := isDir(k.Src), isDir(k.Obj)
	switch {
	case !hasSrc && !hasObj:
		return KernelHeaders{}, false
	case !hasSrc:
		k.Src = k.Obj
	case !hasObj:
		k.Obj = k.Src
	}
	return k, true
}

// KernelHeadersAt is the kernel headers tree a user names: a tree itself
// (as BPFTRACE_KERNEL_SOURCE names one), or a /lib/modules/RELEASE
// directory, whose source and build directories are used as bpftrace uses
// them.
func KernelHeadersAt(dir string) (KernelHeaders, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return KernelHeaders{}, err
	}
	if !st.IsDir() {
		return KernelHeaders{}, fmt.Errorf("%s is not a directory", dir)
	}
	dir = filepath.Clean(dir)
	// A tree has include/; a build tree's source link must not be taken
	// for a modules directory's.
	k := KernelHeaders{Src: filepath.Join(dir, "source"), Obj: filepath.Join(dir, "build")}
	switch hasSrc, hasObj := isDir(k.Src), isDir(k.Obj); {
	case isDir(filepath.Join(dir, "include")) || !hasSrc && !hasObj:
		return KernelHeaders{Src: dir, Obj: dir}, nil
	case !hasSrc:
		k.Src = k.Obj
	case !hasObj:
		k.Obj = k.Src
	}
	return k, nil
}

// Env names the tree to a bpftrace process as bpftrace reads it; nil for
// none.
func (k KernelHeaders) Env() []string {
	if k.Src == "" {
		return nil
	}
	return []string{"BPFTRACE_KERNEL_SOURCE=" + k.Src, "BPFTRACE_KERNEL_BUILD=" + k.Obj}
}

// runningKernelHeaders finds the running kernel's headers.
func runningKernelHeaders() (KernelHeaders, bool) {
	rel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return FindKernelHeaders(strings.TrimSpace(string(rel)), os.Getenv)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// Dirs are the tree's include directories in the order of bpftrace's -I
// flags for x86-64 (the kernel Makefile's LINUXINCLUDE and USERINCLUDE).
func (k KernelHeaders) Dirs() []string {
	if k.Src == "" {
		return nil
	}
	const arch = "arch/x86/include"
	return []string{
		filepath.Join(k.Src, arch), filepath.Join(k.Obj, arch, "generated"),
		filepath.Join(k.Src, "include"), filepath.Join(k.Obj, "include"),
		filepath.Join(k.Src, arch, "uapi"), filepath.Join(k.Obj, arch, "generated/uapi"),
		filepath.Join(k.Src, "include/uapi"), filepath.Join(k.Obj, "include/generated/uapi"),
	}
}

// contains reports whether path is one of the tree's headers. They are
// written for the kernel's own build, uapi ones included (the tree's
// uapi/linux/stddef.h includes linux/compiler_types.h): they need its
// configuration and GCC extensions, and the C front end takes seconds on
// them and then refuses them. So they are found (document links, a
// missing header) but not read.
func (k KernelHeaders) contains(path string) bool {
	if k.Src == "" || path == "" {
		return false
	}
	for _, d := range k.Dirs() {
		if strings.HasPrefix(path, d+"/") {
			return true
		}
	}
	return false
}
