package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph/iterator"
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
	return s.eachQuadPredUntil(ctx, d, v, p, func(q quad.Quad) bool { fn(q); return true })
}

// eachQuadPredUntil is eachQuadPred that stops as soon as fn returns false.
// Callers hold s.mu.
func (s *CayleyStore) eachQuadPredUntil(ctx context.Context, d quad.Direction, v quad.Value, p quad.IRI, fn func(quad.Quad) bool) error {
	match := func(q quad.Quad) bool { return q.Predicate != p || fn(q) }
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return err
	}
	kqs, ok := s.qs.(*kv.QuadStore)
	if !ok || (d != quad.Subject && d != quad.Object) {
		return s.scanUntil(ctx, s.qs.QuadIterator(d, ref), match)
	}
	pref, err := s.qs.ValueOf(p)
	if err != nil || pref == nil {
		return err
	}
	vi, ok1 := ref.(kv.Int64Value)
	pi, ok2 := pref.(kv.Int64Value)
	if !ok1 || !ok2 {
		return s.scanUntil(ctx, s.qs.QuadIterator(d, ref), match)
	}
	// The two indexes every KV store of ThriveGraph has (kv.DefaultQuadIndexes).
	dirs := []quad.Direction{quad.Subject, quad.Predicate}
	if d == quad.Object {
		dirs = []quad.Direction{quad.Object, quad.Predicate, quad.Subject}
	}
	scan := kv.IndexScan{Index: kv.QuadIndex{Dirs: dirs}, Values: []uint64{uint64(vi), uint64(pi)}}
	return s.scanUntil(ctx, scan.BuildIterator(kqs), match)
}

// scanUntil runs a quad iterator until its end or until fn returns false,
// checking ctx before each quad and the iterator's error at the end.
func (s *CayleyStore) scanUntil(ctx context.Context, shape iterator.Shape, fn func(quad.Quad) bool) error {
	it := shape.Iterate()
	defer it.Close()
	for it.Next(ctx) {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if !fn(q) {
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// eachEventOf calls fn with the events org took part in, in any role and
// in no order (an event twice when org had two roles in it), until fn
// returns false. Callers hold s.mu.
func (s *CayleyStore) eachEventOf(ctx context.Context, org string, fn func(ev string) bool) error {
	more := true
	for _, rel := range participationRels {
		err := s.eachQuadPredUntil(ctx, quad.Subject, NodeIRI(org), RelIRI(rel), func(q quad.Quad) bool {
			if ev := NodeIDOf(q.Object); s.cat.typeOf(ev) == TypeEvent {
				more = fn(ev)
			}
			return more
		})
		if err != nil || !more {
			return err
		}
	}
	return nil
}
