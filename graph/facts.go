package graph

import (
	"context"
	"strings"

	"github.com/cayleygraph/quad"
)

// Fact is one fact that a NodeSelector selects, as FactsKept shows it to
// its keep function.
type Fact struct {
	// Relation is set for a relation between two entities, From → To.
	Relation Relation
	From, To string
	// Field is set for everything else: a field of the selected node itself
	// ("type", "name", "alias", "description", "kind", "startDate",
	// "question"); "affiliation" for the facts of an affiliation of person
	// From to organization To (its title among them); "about" for figure
	// From being about the node; "author" for source From written by
	// person To; "other" for anything else.
	Field string
}

var fieldNames = map[quad.IRI]string{
	PredType: "type", PredName: "name", PredAlias: "alias", PredDescription: "description",
	PredKind: "kind", PredStartDate: "startDate", PredQuestion: "question",
}

// factOf describes one quad selected for the node id.
func factOf(q quad.Quad) Fact {
	subj, ns := IDOf(q.Subject)
	switch ns {
	case NSAffiliation:
		person, org, _ := strings.Cut(subj, "/")
		return Fact{Field: "affiliation", From: person, To: org}
	case NSFigure:
		return Fact{Field: "about", From: subj, To: NodeIDOf(q.Object)}
	case NSSource:
		return Fact{Field: "author", From: subj, To: NodeIDOf(q.Object)}
	}
	if r, ok := RelationOf(q.Predicate); ok {
		if r == RelMemberOf { // part of the affiliation of From to To
			return Fact{Field: "affiliation", From: subj, To: NodeIDOf(q.Object)}
		}
		return Fact{Relation: r, From: subj, To: NodeIDOf(q.Object)}
	}
	if p, ok := q.Predicate.(quad.IRI); ok {
		if f, ok := fieldNames[p]; ok {
			return Fact{Field: f, From: subj}
		}
	}
	return Fact{Field: "other", From: subj}
}

// FactsKept returns the facts that Change{RemoveNodes: []NodeSelector{sel}}
// would remove for which keep returns true, ready to be added back by that
// same Apply (Change.Quads). An edit of part of what a source states about
// a node is then one transaction: remove what the source states about the
// node, add back what stays, add what is new. Callers serialize such
// read-then-write edits among themselves.
func (s *CayleyStore) FactsKept(ctx context.Context, sel NodeSelector, keep func(Fact) bool) (*Quads, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	qs, err := s.selectQuads(ctx, Change{RemoveNodes: []NodeSelector{sel}})
	if err != nil {
		return nil, Internal("facts", err)
	}
	out := &Quads{}
	seen := map[string]bool{}
	for _, q := range qs {
		if key := q.NQuad(); !seen[key] && keep(factOf(q)) {
			seen[key] = true
			out.quads = append(out.quads, q)
		}
	}
	if sel.Source != "" {
		out.sources = []string{sel.Source}
	}
	return out, nil
}
