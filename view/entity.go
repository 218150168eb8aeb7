package view

import (
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// entityOf builds the entity a record describes, without its sources (Node
// adds them). Which of several values a field shows is fixed: the first in
// sorted order, as every source's value is kept.
func entityOf(rec *Record) graph.Node {
	e := graph.Entity{
		ID: rec.Key, Type: rec.Type,
		Aliases: nonNil(rec.LitsOf(pAlias)), Description: rec.Lit(pDescription),
	}
	e.Name = shownName(rec)
	switch rec.Type {
	case graph.TypeOrganization:
		return &graph.Organization{Entity: e, Kinds: nonNil(rec.LitsOf(pKind))}
	case graph.TypeEvent:
		ev := &graph.Event{Entity: e, Questions: nonNil(rec.LitsOf(pQuestion)), StartDate: rec.Lit(pStartDate)}
		graph.SortByOrder(ev.Questions, rec.Order(pQuestionOrder), same)
		if k := rec.Lit(pKind); k != nil {
			ev.Kind = *k
		}
		return ev
	case graph.TypePerson:
		return &graph.Person{Entity: e}
	case graph.TypeTheme:
		return &graph.Theme{Entity: e}
	case graph.TypePolicyLevel:
		return &graph.PolicyLevel{Entity: e}
	case graph.TypePlace:
		return &graph.Place{Entity: e}
	}
	return nil
}

// shownName returns the name an entity record shows: the first of its
// names in sorted order, or its id without one (as entityOf names it).
func shownName(rec *Record) string {
	if name := rec.Lit(pName); name != nil {
		return *name
	}
	return rec.Key
}

// entityCore returns the Entity inside any node.
func entityCore(n graph.Node) *graph.Entity {
	switch n := n.(type) {
	case *graph.Organization:
		return &n.Entity
	case *graph.Event:
		return &n.Entity
	case *graph.Person:
		return &n.Entity
	case *graph.Theme:
		return &n.Entity
	case *graph.PolicyLevel:
		return &n.Entity
	case *graph.Place:
		return &n.Entity
	}
	return nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// sourceOf builds the source a source record describes.
func (s *Snapshot) sourceOf(rec *Record) *graph.Source {
	src := &graph.Source{
		ID: rec.ID(), URL: rec.Lit(pURL), Publisher: rec.Lit(pPublisher), Published: rec.Lit(pPublished),
		Document: rec.Lit(pDocument), Note: rec.Lit(pNote), Authors: []string{},
	}
	if t := rec.Lit(pTitle); t != nil {
		src.Title = *t
	}
	for _, e := range rec.OutOf(pAuthor) {
		if a := s.recs.get(e.Other); a.NS == nsEntity && (len(src.Authors) == 0 || src.Authors[len(src.Authors)-1] != a.Key) {
			src.Authors = append(src.Authors, a.Key)
		}
	}
	graph.SortByOrder(src.Authors, rec.Order(pAuthorOrder), same)
	return src
}

// Node returns the entity of a ref, with its sources; nil when the ref is
// not an entity with a type. The node is shared by every reader of the
// snapshot (and of later ones, until the entity or a source changes):
// callers must not change it.
func (s *Snapshot) Node(r Ref) graph.Node {
	rec := s.recs.get(r)
	if rec == nil || rec.Type == "" {
		return nil
	}
	if b := rec.built.p.Load(); b != nil && b.epoch == s.srcEpoch {
		return b.node
	}
	// Built from the record's quads, not kept: a node for every entity
	// would hold a second copy of the snapshot's properties.
	n := entityOf(rec)
	entityCore(n).Sources = s.SourcesOf(rec)
	rec.built.p.Store(&epochNode{epoch: s.srcEpoch, node: n})
	return n
}

// SourcesOf returns the sources of the quads whose subject rec is, by id.
func (s *Snapshot) SourcesOf(rec *Record) []graph.Source {
	out := make([]graph.Source, 0, len(rec.Sources))
	for _, r := range rec.Sources {
		if src := s.recs.get(r).source; src != nil {
			out = append(out, *src)
		}
	}
	return out
}

// NodeByID returns the entity id, or nil.
func (s *Snapshot) NodeByID(id string) graph.Node {
	r, ok := s.entities.get(id)
	if !ok {
		return nil
	}
	return s.Node(r)
}

// Source returns the source id, or nil.
func (s *Snapshot) Source(id string) *graph.Source {
	r, ok := s.others.get(string(graph.SourceIRI(id)))
	if !ok {
		return nil
	}
	return s.recs.get(r).source
}

// SourceOfRef returns the source of a ref, or nil (for noRef too).
func (s *Snapshot) SourceOfRef(r Ref) *graph.Source {
	if rec := s.recs.get(r); rec != nil {
		return rec.source
	}
	return nil
}

// SourceID returns the id of the source of a ref, or "".
func (s *Snapshot) SourceID(r Ref) string {
	if rec := s.recs.get(r); rec != nil && rec.NS == nsSource {
		return strings.TrimPrefix(rec.Key, graph.NSSource)
	}
	return ""
}

// Sources lists every source, by id.
func (s *Snapshot) Sources() []*graph.Source {
	out := make([]*graph.Source, len(s.sources))
	for i, r := range s.sources {
		out[i] = s.recs.get(r).source
	}
	return out
}
