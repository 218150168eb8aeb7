package store

import (
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Version calls fn with a token naming the state of the store, while no
// write can commit: the same token means the same quads. Only the bbolt
// backend has one: the id of its last committed transaction (every write
// commits one), the last id of Cayley's log, and the random generation a
// bulk load writes into the file it switches in (bulkload.go), so that a
// store file replaced by another is not taken for it. On the other backends fn gets
// "" (no version: a read model checkpoint is never trusted there).
func (s *Cayley) Version(ctx context.Context, fn func(version string)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kvdb == nil {
		fn("")
		return nil
	}
	var v string
	err := s.kvdb.DB().View(func(tx *bolt.Tx) error {
		var last uint64
		if b := tx.Bucket([]byte(kvLogBucket)); b != nil {
			if k, _ := b.Cursor().Last(); len(k) == 8 {
				last = binary.BigEndian.Uint64(k)
			}
		}
		v = fmt.Sprintf("bbolt tx %d log %d", tx.ID(), last)
		if b := tx.Bucket([]byte(generationBucket)); b != nil {
			v += fmt.Sprintf(" generation %x", b.Get([]byte("generation")))
		}
		return nil
	})
	if err != nil {
		return graph.Internal("store version", err)
	}
	fn(v)
	return ctx.Err()
}
