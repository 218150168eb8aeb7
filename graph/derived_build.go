package graph

import (
	"context"

	"github.com/cayleygraph/quad"
)

// linkTable holds, in memory, the relations an organization's profile is
// made of, read by one scan of the store's predicate index per relation:
// it answers linkFunc without a store round trip.
type linkTable struct {
	cat      *catalog
	forward  map[Relation]map[string][]string // subject → objects
	backward map[Relation]map[string][]string // object → subjects
}

// profileRels are the relations profiles are computed from.
var profileRels = append([]Relation{RelTheme, RelPolicyLevel, RelPlace}, participationRels...)

// readLinkTable reads every quad of the profile relations in one scan.
// Callers hold s.mu.
func (s *CayleyStore) readLinkTable(ctx context.Context) (*linkTable, error) {
	lt := &linkTable{cat: s.cat, forward: map[Relation]map[string][]string{}, backward: map[Relation]map[string][]string{}}
	byPredicate := map[quad.Value]Relation{}
	for _, rel := range profileRels {
		byPredicate[RelIRI(rel)] = rel
		lt.forward[rel], lt.backward[rel] = map[string][]string{}, map[string][]string{}
	}
	want := func(p quad.Value) bool { _, ok := byPredicate[p]; return ok }
	err := s.scanWhole(ctx, want, func(q quad.Quad) {
		rel := byPredicate[q.Predicate]
		from, to := NodeIDOf(q.Subject), NodeIDOf(q.Object)
		if from != "" && to != "" {
			lt.forward[rel][from] = append(lt.forward[rel][from], to)
			lt.backward[rel][to] = append(lt.backward[rel][to], from)
		}
	})
	if err != nil {
		return nil, err
	}
	return lt, nil
}

// linked is CayleyStore.linked over the table.
func (lt *linkTable) linked(id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
	var ids []string
	for _, rel := range rels {
		m := lt.backward[rel]
		if forward {
			m = lt.forward[rel]
		}
		ids = append(ids, m[id]...)
	}
	return lt.cat.ofType(ids, t), nil
}

// buildDerived computes the derived data of the whole graph from a link
// table: a handful of sequential scans instead of several index lookups per
// organization. Callers hold s.mu.
func (s *CayleyStore) buildDerived(ctx context.Context) (*derived, error) {
	lt, err := s.readLinkTable(ctx)
	if err != nil {
		return nil, err
	}
	orgs := s.cat.byType[TypeOrganization]
	d := &derived{profiles: make(map[string]*profile, len(orgs))}
	m := newProfileMemo(s.cat, lt.linked)
	for i, id := range orgs {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p, err := m.profile(id)
		if err != nil {
			return nil, err
		}
		d.profiles[id] = p
	}
	d.index(orgs)
	return d, nil
}

// Warm computes the derived data of the whole graph now, so that the first
// facets, introductions or ordered list after a start does not wait for it.
// A server calls it in the background after opening the store; readers that
// need the data meanwhile wait for this one computation.
func (s *CayleyStore) Warm(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.derived(ctx)
	return Internal("warm", err)
}

// rewarm recomputes in the background the derived data a bulk write
// dropped, when they had been computed before it. Close cancels it.
// Callers hold s.mu for writing (so it starts after the write).
func (s *CayleyStore) rewarm() {
	s.warming.Add(1)
	go func() {
		defer s.warming.Done()
		s.Warm(s.background) // an error leaves the data to the next read
	}()
}
