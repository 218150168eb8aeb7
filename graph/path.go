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
		r, ok := relationOf(q.Predicate)
		if !ok {
			return
		}
		other := q.Object
		if !forward {
			other = q.Subject
		}
		if oid := nodeID(other); s.cat.get(oid) != nil {
			out = append(out, edge{rel: r, other: oid, forward: forward, source: sourceID(q.Label)})
		}
	}
	v := nodeIRI(id)
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
// in both directions, at most maxHops long, by breadth-first search. It
// returns nil when there is none.
func (s *CayleyStore) Path(ctx context.Context, from, to string, maxHops int) (*Path, error) {
	const op = "path"
	if maxHops < 0 {
		return nil, Errorf(CodeInvalid, op, "maxHops must not be negative")
	}
	if maxHops > MaxPathHops {
		return nil, Errorf(CodeLimit, op, "maxHops must be at most %d", MaxPathHops)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range []string{from, to} {
		if s.cat.get(id) == nil {
			return nil, Errorf(CodeNotFound, op, "no node with id %q", id)
		}
	}
	// prev[n] is the edge by which n was first reached (seen from the
	// node before it).
	type hop struct {
		from string
		e    edge
	}
	prev := map[string]hop{from: {}}
	frontier := []string{from}
	for depth := 0; depth < maxHops && prev[to].from == "" && from != to && len(frontier) > 0; depth++ {
		var next []string
		for _, n := range frontier {
			es, err := s.neighbours(ctx, n)
			if err != nil {
				return nil, internal(op, err)
			}
			for _, e := range es {
				if _, seen := prev[e.other]; seen {
					continue
				}
				prev[e.other] = hop{from: n, e: e}
				next = append(next, e.other)
			}
			if _, found := prev[to]; found {
				break
			}
		}
		frontier = next
	}
	if _, found := prev[to]; !found {
		return nil, nil
	}
	// Walk back from to, then reverse.
	ids := []string{to}
	var rels []edge
	for n := to; n != from; n = prev[n].from {
		rels = append(rels, prev[n].e)
		ids = append(ids, prev[n].from)
	}
	path := &Path{Length: len(rels)}
	for i := len(ids) - 1; i >= 0; i-- {
		n, err := s.node(ctx, ids[i])
		if err != nil {
			return nil, internal(op, err)
		}
		step := PathStep{Node: n}
		if i > 0 {
			e := rels[i-1]
			step.Relation = e.rel.Name(e.forward)
			if e.source != "" {
				if step.Source, err = s.source(ctx, e.source); err != nil {
					return nil, internal(op, err)
				}
			}
		}
		path.Steps = append(path.Steps, step)
	}
	return path, nil
}
