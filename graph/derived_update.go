package graph

import (
	"context"

	"github.com/cayleygraph/quad"
)

// maxIncremental bounds how many organizations a write may touch for the
// derived cache to be updated in place; a larger write (a bulk load) drops
// the cache instead, and the next read that needs it rebuilds it.
const maxIncremental = 2000

// updateDerived brings the derived cache (organization profiles, facet
// counts, theme and level lists) up to date after a write that changed the
// quads changed, given the cache as it was before the write. It recomputes
// only the profiles of the organizations the change can touch: those in
// the changed quads, and those whose old profile names a changed event,
// theme, level or place (an event's participants, whose partners may have
// changed, all name it). The counts and lists are then rebuilt from the
// profiles in memory. Callers hold s.mu for writing, and the catalog is already current.
func (s *CayleyStore) updateDerived(ctx context.Context, old *derived, changed []quad.Quad) error {
	if old == nil || len(changed) > 50*maxIncremental {
		return nil // the write dropped the cache: the next read computes it
	}
	affected := map[string]bool{}
	others := map[string]bool{} // changed entities that are not organizations
	for _, q := range changed {
		for _, v := range []quad.Value{q.Subject, q.Object} {
			id := nodeID(v)
			if id == "" {
				continue
			}
			_, wasOrg := old.profiles[id]
			switch {
			case wasOrg || s.cat.typeOf(id) == TypeOrganization:
				affected[id] = true
			default:
				others[id] = true
			}
		}
	}
	if len(others) > 0 {
		for org, p := range old.profiles {
			for _, list := range [][]string{p.events, p.themes, p.levels, p.places} {
				if mentionsAny(list, others) {
					affected[org] = true
					break
				}
			}
		}
	}
	// A node that became (or stopped being) a theme, event, level or place
	// may already be linked to organizations whose old profiles could not
	// name it: find them through the store.
	for _, q := range changed {
		id := nodeID(q.Subject)
		if q.Predicate != predType || id == "" || affected[id] {
			continue
		}
		orgs, err := s.orgsLinkedTo(ctx, id, q.Object)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			affected[o] = true
		}
	}
	if len(affected) > maxIncremental {
		return nil // the write already dropped the cache
	}
	d := &derived{profiles: make(map[string]*profile, len(old.profiles))}
	for id, p := range old.profiles {
		if !affected[id] {
			d.profiles[id] = p
		}
	}
	m := s.storeProfiles(ctx)
	for id := range affected {
		if s.cat.typeOf(id) != TypeOrganization {
			continue // removed
		}
		p, err := m.profile(id)
		if err != nil {
			return err
		}
		d.profiles[id] = p
	}
	d.index(s.cat.byType[TypeOrganization])
	s.cat.derived.v = d
	return nil
}

func mentionsAny(list []string, set map[string]bool) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}

// orgsLinkedTo lists the organizations whose profile may name the entity id
// of class class. Callers hold s.mu.
func (s *CayleyStore) orgsLinkedTo(ctx context.Context, id string, class quad.Value) ([]string, error) {
	iri, _ := class.(quad.IRI)
	switch typeByIRI[iri] {
	case TypeEvent:
		return s.participantsOf(ctx, id)
	case TypeTheme:
		return s.orgsWithTheme(ctx, id)
	case TypePolicyLevel:
		return s.orgsAtLevel(ctx, id)
	case TypePlace:
		return s.linked(ctx, id, false, TypeOrganization, RelPlace)
	}
	return nil, nil
}
