package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// releaseMapped tells the kernel that the pages of the bbolt file a whole
// scan has read are no longer needed in this process. bbolt maps the file
// read-only and shared, so the pages stay in the page cache and come back on
// the next read; until then they no longer count in the server's resident
// memory, which after a scan would otherwise hold the whole file. It does
// nothing on other backends, and failing changes nothing but the memory
// figure. Callers hold s.mu.
func (s *Cayley) releaseMapped() {
	if s.kvdb == nil {
		return
	}
	db := s.kvdb.DB()
	fi, err := os.Stat(db.Path())
	if err != nil || fi.Size() == 0 {
		return
	}
	info := db.Info()
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, info.Data, uintptr(fi.Size()), unix.MADV_DONTNEED)
}
