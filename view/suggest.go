package view

import (
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Suggest returns the ids of the entities of the given types (every type
// when none is given) closest to input, an id that names nothing: the id of
// the name given instead of an id, or ids a few letters away
// (graph.Suggest). It reads the ids and names of those types: an error's
// cost, not a read's.
func (s *Snapshot) Suggest(input string, types ...graph.NodeType) []string {
	if len(types) == 0 {
		types = graph.NodeTypes
	}
	if r, ok := s.entities.get(graph.Slug(input)); ok && graph.Slug(input) != input {
		// A name given for an id: its slug is the id.
		if rec := s.recs.get(r); rec.Type != "" && slices.Contains(types, rec.Type) {
			return []string{rec.Key}
		}
	}
	var cands []graph.Candidate
	for _, t := range types {
		for _, r := range s.byType[t] {
			rec := s.recs.get(r)
			cands = append(cands, graph.Candidate{ID: rec.Key, Name: rec.NameKey})
		}
	}
	return graph.Suggest(input, cands)
}
