package graph

import (
	"sort"

	"github.com/cayleygraph/quad"
)

// Quads is linked data ready for Apply (Change.Quads): quads checked by a
// reader of linked-data files (package loader) or kept by an edit
// (Log.FactsKept). Quads outside ThriveGraph's namespaces
// are kept as they are; every quad carries a source label.
type Quads struct {
	quads   []quad.Quad
	sources []string // ids of the sources that label the quads, sorted
}

// Len returns the number of quads.
func (q *Quads) Len() int {
	if q == nil {
		return 0
	}
	return len(q.quads)
}

// NewQuads returns linked data ready for Apply: quads and the ids of the
// sources that label them.
func NewQuads(quads []quad.Quad, sources []string) *Quads {
	return &Quads{quads: quads, sources: sources}
}

// All returns the quads. The slice is the Quads': callers must not change it.
func (q *Quads) All() []quad.Quad {
	if q == nil {
		return nil
	}
	return q.quads
}

// Sources returns the ids of the sources that label the quads, sorted.
func (q *Quads) Sources() []string {
	if q == nil {
		return nil
	}
	return q.sources
}

// SortQuads orders quads, in place, by their N-Quads form: the order of
// every export.
func SortQuads(qs []quad.Quad) {
	type keyed struct {
		key string
		q   quad.Quad
	}
	tmp := make([]keyed, len(qs))
	for i, q := range qs {
		tmp[i] = keyed{q.NQuad(), q}
	}
	sort.Slice(tmp, func(i, j int) bool { return tmp[i].key < tmp[j].key })
	for i := range tmp {
		qs[i] = tmp[i].q
	}
}
