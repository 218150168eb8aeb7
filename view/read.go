package view

import (
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Link is one relation quad seen from one of its ends: the entity at the
// other end and the source that states it.
type Link struct {
	Other  string // id of the entity at the other end
	Source string // source id
}

// ParticipationRels are the relations of an organization to an event.
var ParticipationRels = []graph.Relation{graph.RelHosted, graph.RelParticipatedIn, graph.RelPresentedAt}

// LinkRefs returns the refs of the entities linked to ref by rel in one
// direction (forward: ref is the subject), one per quad (an entity stated by
// two sources comes twice), in ref order.
func (s *Snapshot) LinkRefs(ref Ref, rel graph.Relation, forward bool) []Edge {
	rec := s.recs.get(ref)
	if rec == nil {
		return nil
	}
	if forward {
		return rec.OutOf(relPred(rel))
	}
	return rec.InOf(relPred(rel))
}

// Links returns the relation quads of entity id over rel in one direction.
func (s *Snapshot) Links(id string, rel graph.Relation, forward bool) []Link {
	r, ok := s.entities.get(id)
	if !ok {
		return nil
	}
	es := s.LinkRefs(r, rel, forward)
	out := make([]Link, 0, len(es))
	for _, e := range es {
		if other := s.recs.get(e.Other); other.NS == nsEntity {
			out = append(out, Link{Other: other.Key, Source: s.SourceID(e.Src)})
		}
	}
	return out
}

// LinkedRefs returns the distinct entities of type t linked to ref by any of
// rels in one direction, by name.
func (s *Snapshot) LinkedRefs(ref Ref, forward bool, t graph.NodeType, rels ...graph.Relation) []Ref {
	var out []Ref
	for _, rel := range rels {
		for _, e := range s.LinkRefs(ref, rel, forward) {
			if rec := s.recs.get(e.Other); rec.Type == t && (len(out) == 0 || out[len(out)-1] != e.Other) {
				out = append(out, e.Other)
			}
		}
	}
	return s.SortRefs(out)
}

// Linked is LinkedRefs by entity id.
func (s *Snapshot) Linked(id string, forward bool, t graph.NodeType, rels ...graph.Relation) []string {
	r, ok := s.entities.get(id)
	if !ok {
		return nil
	}
	return s.IDs(s.LinkedRefs(r, forward, t, rels...))
}

// SortRefs sorts refs by name and drops duplicates, in place.
func (s *Snapshot) SortRefs(refs []Ref) []Ref {
	slices.SortFunc(refs, s.CompareByName)
	return slices.Compact(refs)
}

// IDs returns the keys (entity ids) of refs.
func (s *Snapshot) IDs(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = s.recs.get(r).Key
	}
	return out
}

// Refs returns the refs of the entity ids that have a record, in order.
func (s *Snapshot) Refs(ids []string) []Ref {
	out := make([]Ref, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.entities.get(id); ok {
			out = append(out, r)
		}
	}
	return out
}

// Less orders entity ids by name, then id.
func (s *Snapshot) Less(a, b string) bool {
	ra, oka := s.entities.get(a)
	rb, okb := s.entities.get(b)
	if oka && okb {
		if ka, kb := s.recs.get(ra).NameKey, s.recs.get(rb).NameKey; ka != kb && s.recs.get(ra).Type != "" && s.recs.get(rb).Type != "" {
			return ka < kb
		}
	}
	return a < b
}

// SortByName sorts entity ids by name, then id, in place.
func (s *Snapshot) SortByName(ids []string) {
	type keyed struct {
		id, key string
	}
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		ks[i].id = id
		if rec := s.Entity(id); rec != nil {
			ks[i].key = rec.NameKey
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.key != b.key && a.key != "" && b.key != "" {
			return strings.Compare(a.key, b.key)
		}
		return strings.Compare(a.id, b.id)
	})
	for i := range ks {
		ids[i] = ks[i].id
	}
}

// OfType returns the distinct ids of type t among ids, by name.
func (s *Snapshot) OfType(ids []string, t graph.NodeType) []string {
	refs := make([]Ref, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.entities.get(id); ok && s.recs.get(r).Type == t {
			refs = append(refs, r)
		}
	}
	return s.IDs(s.SortRefs(refs))
}

// Load returns the entities ids of Go type T, in the order given, skipping
// ids that are missing or of another type.
func Load[T graph.Node](s *Snapshot, ids []string) []T {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if n, ok := s.NodeByID(id).(T); ok {
			out = append(out, n)
		}
	}
	return out
}

// LoadRefs is Load by refs.
func LoadRefs[T graph.Node](s *Snapshot, refs []Ref) []T {
	out := make([]T, 0, len(refs))
	for _, r := range refs {
		if n, ok := s.Node(r).(T); ok {
			out = append(out, n)
		}
	}
	return out
}
