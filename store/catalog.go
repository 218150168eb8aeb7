package store

import (
	"context"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// The questions a load asks of the store it checks against (the loader's
// Target), answered from the store itself rather than from a read model:
// `thrivegraph load` builds none, whose size grows with the store.

// typesByScan is the number of ids from which TypesOf reads the store's
// type statements in one scan rather than looking each id up.
const typesByScan = 50_000

// TypesOf returns the types of the ids that are entities in the store.
func (s *Cayley) TypesOf(ctx context.Context, ids []string) (map[string]graph.NodeType, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]graph.NodeType{}
	if len(ids) == 0 || s.quadCount(ctx) == 0 {
		return out, nil
	}
	if len(ids) >= typesByScan {
		want := make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		err := s.scanWhole(ctx, func(p quad.Value) bool { return p == graph.PredType }, func(q quad.Quad) {
			if id := graph.NodeIDOf(q.Subject); want[id] {
				if t, ok := typeOf(q); ok {
					out[id] = t
				}
			}
		})
		s.releaseMapped()
		return out, s.fail("types", err)
	}
	for _, id := range ids {
		err := s.eachQuad(ctx, quad.Subject, graph.NodeIRI(id), func(q quad.Quad) {
			if t, ok := typeOf(q); ok {
				out[id] = t
			}
		})
		if err != nil {
			return nil, s.fail("types", err)
		}
	}
	return out, nil
}

// typeOf returns the entity type a quad states, if it states one.
func typeOf(q quad.Quad) (graph.NodeType, bool) {
	if q.Predicate != graph.PredType {
		return "", false
	}
	o, ok := q.Object.(quad.IRI)
	if !ok {
		return "", false
	}
	t, ok := graph.TypeByClass[o]
	return t, ok
}

// SourceIDs returns the ids of the sources the store holds a record of.
func (s *Cayley) SourceIDs(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	seen := map[string]bool{}
	err := s.eachQuad(ctx, quad.Object, graph.ClassSource, func(q quad.Quad) {
		if id, ns := graph.IDOf(q.Subject); ns == graph.NSSource && q.Predicate == graph.PredType && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	})
	return ids, s.fail("sources", err)
}

// Suggest returns the ids of the store's entities of the given types (any
// type when none is given) closest to input (graph.Suggest), by id.
func (s *Cayley) Suggest(ctx context.Context, input string, types ...graph.NodeType) ([]string, error) {
	if len(types) == 0 {
		types = graph.NodeTypes
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cands []graph.Candidate
	for _, t := range types {
		err := s.eachQuad(ctx, quad.Object, graph.ClassIRI(t), func(q quad.Quad) {
			if id := graph.NodeIDOf(q.Subject); id != "" && q.Predicate == graph.PredType {
				cands = append(cands, graph.Candidate{ID: id})
			}
		})
		if err != nil {
			return nil, s.fail("suggest", err)
		}
	}
	return graph.Suggest(input, cands), nil
}

// ApplyCounted is Apply for a caller without a read model (the load
// command): it also counts the entities and relations the change adds and
// removes (graph.LoadResult's Nodes and Edges), by asking the store before
// and after the write. Callers make sure no other write runs meanwhile
// (the load command holds the bbolt file).
func (s *Cayley) ApplyCounted(ctx context.Context, c graph.Change) (graph.LoadResult, error) {
	typed := map[string]bool{} // subjects of type statements added or removed
	var relations []quad.Quad
	note := func(q quad.Quad) {
		switch kindOf(q) {
		case kindType:
			if id := graph.NodeIDOf(q.Subject); id != "" {
				typed[id] = true
			}
		case kindRelation:
			relations = append(relations, q)
		}
	}
	for _, b := range c.Add {
		for _, q := range b.Quads() {
			note(q)
		}
	}
	for _, qs := range c.Quads {
		for _, q := range qs.All() {
			note(q)
		}
	}
	ids := make([]string, 0, len(typed))
	for id := range typed {
		ids = append(ids, id)
	}
	before, err := s.TypesOf(ctx, ids)
	if err != nil {
		return graph.LoadResult{}, err
	}
	var newRelations map[string]bool
	if len(relations) > 0 {
		if newRelations, err = s.missing(ctx, relations); err != nil {
			return graph.LoadResult{}, err
		}
	}
	res, err := s.Apply(ctx, c, func(removed, added []quad.Quad) {
		for _, q := range removed {
			if kindOf(q) == kindType {
				if id := graph.NodeIDOf(q.Subject); id != "" && !typed[id] {
					typed[id] = true
					ids = append(ids, id)
				}
			}
		}
	})
	if err != nil {
		return res, err
	}
	after, err := s.TypesOf(ctx, ids)
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		_, was := before[id]
		_, is := after[id]
		switch {
		case is && !was:
			res.NodesAdded++
		case was && !is:
			res.NodesRemoved++
		}
	}
	res.EdgesAdded = len(newRelations)
	return res, nil
}

// missing returns the N-Quads forms of the quads the store does not hold.
func (s *Cayley) missing(ctx context.Context, qs []quad.Quad) (map[string]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]bool{}
	bySubject := map[quad.Value][]string{}
	for _, q := range qs {
		bySubject[q.Subject] = append(bySubject[q.Subject], q.NQuad())
	}
	for subj, want := range bySubject {
		have := map[string]bool{}
		if err := s.eachQuad(ctx, quad.Subject, subj, func(q quad.Quad) { have[q.NQuad()] = true }); err != nil {
			return nil, s.fail("write", err)
		}
		for _, w := range want {
			if !have[w] {
				out[w] = true
			}
		}
	}
	return out, nil
}
