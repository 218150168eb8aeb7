package view

import (
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Source order (graph/order.go): the order quads of a record put the lists
// a document orders back in the document's order when they are read.

func same(s string) string { return s }

// Order returns the order the record's quads of order predicate p give
// (every source's, joined: graph.MergeOrders), or nil.
func (r *Record) Order(p Pred) []string {
	var orders [][]string
	for _, v := range r.LitsOf(p) {
		if list, ok := graph.DecodeOrder(v); ok {
			orders = append(orders, list)
		}
	}
	return graph.MergeOrders(orders...)
}

// orderPredOf returns the order predicate of the list rel makes in one
// direction, if a document orders that list: an event's speakers and
// themes.
func orderPredOf(rel graph.Relation, forward bool) (Pred, bool) {
	switch {
	case rel == graph.RelSpokeAt && !forward:
		return pSpeakerOrder, true
	case rel == graph.RelTheme && forward:
		return pThemeOrder, true
	}
	return 0, false
}

// LinkedInOrder is LinkedRefs over one relation, in the document's order
// when the record's sources order that list (an event's speakers and
// themes; members no order names follow, by name), by name otherwise.
func (s *Snapshot) LinkedInOrder(ref Ref, forward bool, t graph.NodeType, rel graph.Relation) []Ref {
	refs := s.LinkedRefs(ref, forward, t, rel)
	if p, ok := orderPredOf(rel, forward); ok && len(refs) > 1 {
		graph.SortByOrder(refs, s.recs.get(ref).Order(p), func(r Ref) string { return s.recs.get(r).Key })
	}
	return refs
}

// Authored lists the sources person id is an author of: first those it is
// the first author of, then the second, ...; then by date of publication
// (undated last) and id.
func (s *Snapshot) Authored(id string) []*graph.Source {
	r, ok := s.entities.get(id)
	if !ok {
		return []*graph.Source{}
	}
	type authored struct {
		src   *graph.Source
		place int
	}
	var list []authored
	for _, e := range s.recs.get(r).InOf(pAuthor) {
		src := s.recs.get(e.Other).source
		if src == nil || (len(list) > 0 && list[len(list)-1].src == src) {
			continue
		}
		list = append(list, authored{src, slices.Index(src.Authors, id)})
	}
	slices.SortFunc(list, func(a, b authored) int {
		if a.place != b.place {
			return a.place - b.place
		}
		da, db := "9999", "9999"
		if a.src.Published != nil {
			da = *a.src.Published
		}
		if b.src.Published != nil {
			db = *b.src.Published
		}
		if c := strings.Compare(da, db); c != 0 {
			return c
		}
		return strings.Compare(a.src.ID, b.src.ID)
	})
	out := make([]*graph.Source, len(list))
	for i, a := range list {
		out[i] = a.src
	}
	return out
}
