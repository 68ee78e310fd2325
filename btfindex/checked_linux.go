package btfindex

import (
	"fmt"
	"os"
	"syscall"
)

// fileStamp is the identity of the file st describes (checked.go); ""
// where the system does not give one.
func fileStamp(st os.FileInfo) string {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d:%d:%d:%d.%09d:%d.%09d", s.Dev, s.Ino, s.Size, s.Mtim.Sec, s.Mtim.Nsec, s.Ctim.Sec, s.Ctim.Nsec)
}
