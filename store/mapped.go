package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
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
	releaseMapped(s.kvdb.DB())
}

// releaseMapped releases the mapped pages of db (Cayley.releaseMapped).
// It runs inside a read transaction, which keeps bbolt from mapping the
// file again meanwhile, so it may run while a write transaction is open
// (a bulk load's releaser).
func releaseMapped(db *bolt.DB) {
	fi, err := os.Stat(db.Path())
	if err != nil || fi.Size() == 0 {
		return
	}
	// Only the pages in use, which bbolt has mapped: the file can be
	// longer than the mapping (bbolt grows it by AllocSize beyond its
	// high-water mark), and MADV_DONTNEED past the mapping's end zeroes
	// whatever memory follows it, such as the Go heap (it corrupted the
	// heap of `go test ./store` about one run in six).
	_ = db.View(func(tx *bolt.Tx) error {
		size := min(fi.Size(), tx.Size())
		info := db.Info()
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, info.Data, uintptr(size), unix.MADV_DONTNEED)
		return nil
	})
}
