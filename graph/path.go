package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"
)

// MaxPathHops bounds the maxHops argument of Path.
const MaxPathHops = 10

// neighbours returns every relation edge of id in both directions, ordered
// by relation name and then by the other node's id, so that walks are
// deterministic. Callers hold s.mu.
func (s *CayleyStore) neighbours(ctx context.Context, id string) ([]edge, error) {
	var out []edge
	add := func(q quad.Quad, forward bool) {
		r, ok := RelationOf(q.Predicate)
		if !ok {
			return
		}
		other := q.Object
		if !forward {
			other = q.Subject
		}
		if oid := NodeIDOf(other); s.cat.get(oid) != nil {
			out = append(out, edge{rel: r, other: oid, forward: forward, source: SourceIDOf(q.Label)})
		}
	}
	v := NodeIRI(id)
	if err := s.eachQuad(ctx, quad.Subject, v, func(q quad.Quad) { add(q, true) }); err != nil {
		return nil, err
	}
	if err := s.eachQuad(ctx, quad.Object, v, func(q quad.Quad) { add(q, false) }); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if an, bn := a.rel.Name(a.forward), b.rel.Name(b.forward); an != bn {
			return an < bn
		}
		if a.other != b.other {
			return a.other < b.other
		}
		return a.source < b.source
	})
	return out, nil
}

// Path finds a shortest path from one entity to another over every relation
// in both directions, at most maxHops long, by a breadth-first search from
// both ends (walker.shortest): of the shortest paths, the first by relation
// name and then id at each step from `from`. It returns nil when there is
// none. Paths with First 1 gives the same path.
func (s *CayleyStore) Path(ctx context.Context, from, to string, maxHops int) (*Path, error) {
	const op = "path"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.checkPathEnds(op, from, to, maxHops); err != nil {
		return nil, err
	}
	w := s.newWalker(ctx, nil)
	hops, err := w.shortest(from, to, maxHops, nil, nil)
	if err != nil || hops == nil {
		return nil, Internal(op, err)
	}
	p, err := w.path(from, hops)
	return p, Internal(op, err)
}
