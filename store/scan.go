package store

import (
	"context"
	"encoding/binary"
	"fmt"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// kvLogBucket is the bbolt bucket in which Cayley's KV backend keeps every
// primitive (node value or quad) under its id, big-endian, so in id order.
// (cayley graph/kv/indexing.go: logIndex, quadKeyEnc.)
const kvLogBucket = "log"

// scanWhole calls fn for every quad whose predicate passes want: a scan of
// the whole graph that resolves only the values of the quads it keeps.
//
// On bbolt it walks Cayley's log bucket with one cursor in one read
// transaction. Going through Cayley's iterators instead costs a lookup of
// the log bucket in bbolt's root per primitive and per value (bbolt caches
// no buckets in read transactions, and Cayley's value buckets make the root
// large), which made a whole-graph scan of 10,000 organizations take
// seconds. Other backends use Cayley's own iterator. The conformance suite
// checks both against each other. Callers hold s.mu.
func (s *Cayley) scanWhole(ctx context.Context, want func(p quad.Value) bool, fn func(quad.Quad)) error {
	if s.sql != nil {
		_, err := s.scanSQL(ctx, func(q quad.Quad) {
			if want(q.Predicate) {
				fn(q)
			}
		})
		return err
	}
	if s.kvdb == nil {
		return s.eachAll(ctx, func(q quad.Quad) {
			if want(q.Predicate) {
				fn(q)
			}
		})
	}
	return s.kvdb.DB().View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kvLogBucket))
		if b == nil {
			return nil // a new store: nothing written yet
		}
		var values idValues
		var p cproto.Primitive
		c := b.Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			p.Reset()
			if err := proto.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("read primitive %x: %w", k, err)
			}
			if p.IsNode() {
				val, err := pquads.UnmarshalValue(p.Value)
				if err != nil {
					return fmt.Errorf("read value %d: %w", binary.BigEndian.Uint64(k), err)
				}
				values.set(p.ID, val)
				continue
			}
			if p.Deleted {
				continue
			}
			// A quad's values are written before it, so they have smaller
			// ids and the cursor has already passed them.
			pred, ok := values.get(p.Predicate)
			if !ok {
				return fmt.Errorf("quad %d names predicate %d, which is not in the log before it", p.ID, p.Predicate)
			}
			if !want(pred) {
				continue
			}
			q := quad.Quad{Predicate: pred}
			for _, d := range []quad.Direction{quad.Subject, quad.Object, quad.Label} {
				id := p.GetDirection(d)
				if id == 0 {
					continue // no label
				}
				val, ok := values.get(id)
				if !ok {
					return fmt.Errorf("quad %d names value %d, which is not in the log before it", p.ID, id)
				}
				q.Set(d, val)
			}
			fn(q)
		}
		return ctx.Err()
	})
}

// idValues holds the values of the log by id. Cayley numbers primitives
// (values and quads) from 1 in the order it writes them, so the ids are
// dense and a slice serves where a map would hash millions of times.
type idValues []quad.Value

func (v *idValues) set(id uint64, val quad.Value) {
	for uint64(len(*v)) <= id {
		*v = append(*v, nil)
	}
	(*v)[id] = val
}

func (v idValues) get(id uint64) (quad.Value, bool) {
	if id >= uint64(len(v)) || v[id] == nil {
		return nil, false
	}
	return v[id], true
}
