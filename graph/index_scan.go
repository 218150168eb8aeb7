package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
)

// eachQuadPred calls fn for every quad whose direction d (subject or
// object) holds v and whose predicate is p. On a KV backend (bbolt) it reads
// only those quads, by a prefix scan of Cayley's (subject, predicate) or
// (object, predicate, subject) index, instead of decoding every quad of v
// and dropping those of other predicates: a hub's theme links cost its
// themes, not its thousands of participations. Other backends filter.
// Callers hold s.mu.
func (s *CayleyStore) eachQuadPred(ctx context.Context, d quad.Direction, v quad.Value, p quad.IRI, fn func(quad.Quad)) error {
	match := func(q quad.Quad) {
		if q.Predicate == p {
			fn(q)
		}
	}
	kqs, ok := s.qs.(*kv.QuadStore)
	if !ok || (d != quad.Subject && d != quad.Object) {
		return s.eachQuad(ctx, d, v, match)
	}
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return err
	}
	pref, err := s.qs.ValueOf(p)
	if err != nil || pref == nil {
		return err
	}
	vi, ok1 := ref.(kv.Int64Value)
	pi, ok2 := pref.(kv.Int64Value)
	if !ok1 || !ok2 {
		return s.eachQuad(ctx, d, v, match)
	}
	// The two indexes every KV store of ThriveGraph has (kv.DefaultQuadIndexes).
	dirs := []quad.Direction{quad.Subject, quad.Predicate}
	if d == quad.Object {
		dirs = []quad.Direction{quad.Object, quad.Predicate, quad.Subject}
	}
	scan := kv.IndexScan{Index: kv.QuadIndex{Dirs: dirs}, Values: []uint64{uint64(vi), uint64(pi)}}
	return s.scan(ctx, scan.BuildIterator(kqs), match)
}
