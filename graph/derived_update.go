package graph

import (
	"context"
	"slices"

	"github.com/cayleygraph/quad"
)

// maxIncremental bounds how many organizations a write may touch for the
// derived cache to be updated in place; a larger write (a bulk load) drops
// the cache instead, and the next read that needs it rebuilds it.
const maxIncremental = 2000

// updateDerived brings the derived cache (organization profiles, facet
// counts, per-node lists) up to date after a write that changed the quads
// changed, given the cache as it was before the write. Callers hold s.mu
// for writing, and the catalog is already current.
//
// It recomputes, from the store, the profiles of the organizations the
// change can touch: those in the changed quads, and those whose old
// profile names a changed event, theme, level or place (found through the
// cache's per-node lists). One kind of change is cheaper: when an event
// changes only in who takes part in it, its other participants keep their
// profiles but for their number of partners, which is counted again from
// the lists in memory. The counts and lists are updated in place for the
// organizations touched alone.
func (s *CayleyStore) updateDerived(ctx context.Context, old *derived, changed []quad.Quad) error {
	if old == nil || len(changed) > 50*maxIncremental {
		return nil // the write dropped the cache: the next read computes it
	}
	affected := map[string]bool{}     // profiles to compute again
	partnersOnly := map[string]bool{} // events whose participants changed, and nothing else
	eventChanged := map[string]bool{} // events with any other change
	for _, q := range changed {
		rel, _ := RelationOf(q.Predicate)
		participation := slices.Contains(participationRels, rel)
		for _, d := range []quad.Direction{quad.Subject, quad.Object} {
			id := NodeIDOf(q.Get(d))
			if id == "" {
				continue
			}
			if _, wasOrg := old.profiles[id]; wasOrg || s.cat.typeOf(id) == TypeOrganization {
				affected[id] = true
				continue
			}
			for _, lists := range []map[string][]string{old.themeOrgs, old.levelOrgs, old.placeOrgs} {
				for _, o := range lists[id] {
					affected[o] = true
				}
			}
			if participation && d == quad.Object {
				partnersOnly[id] = true
			} else {
				eventChanged[id] = true
			}
		}
	}
	degreeOnly := map[string]bool{} // organizations whose number of partners alone may change
	for ev := range eventChanged {
		for _, o := range old.eventOrgs[ev] {
			affected[o] = true
		}
	}
	for ev := range partnersOnly {
		for _, o := range old.eventOrgs[ev] {
			degreeOnly[o] = true
		}
	}
	// A node that became (or stopped being) a theme, event, level or place
	// may already be linked to organizations whose old profiles could not
	// name it: find them through the store.
	for _, q := range changed {
		id := NodeIDOf(q.Subject)
		if q.Predicate != PredType || id == "" || affected[id] {
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
	for o := range affected {
		delete(degreeOnly, o)
	}
	if len(affected) > maxIncremental || len(degreeOnly) > 20*maxIncremental {
		return nil // the write already dropped the cache
	}
	m := s.storeProfiles(ctx)
	profiles := make(map[string]*profile, len(affected))
	for id := range affected {
		if s.cat.typeOf(id) != TypeOrganization {
			continue // removed
		}
		p, err := m.profile(id)
		if err != nil {
			return err
		}
		profiles[id] = p
	}
	// Nothing can fail from here on: the cache is changed in place, every
	// affected organization out first, then the current ones back in.
	for id := range affected {
		old.drop(s.cat, id)
	}
	for id, p := range profiles {
		old.put(s.cat, id, p)
	}
	// The event lists are now current: count partners through them.
	stamp, round := map[string]int{}, 0
	for o := range degreeOnly {
		p := old.profiles[o]
		if p == nil {
			continue
		}
		round++
		degree := 0
		for _, ev := range p.events {
			for _, other := range old.eventOrgs[ev] {
				if other != o && stamp[other] != round {
					stamp[other] = round
					degree++
				}
			}
		}
		if degree != p.degree {
			np := *p
			np.degree = degree
			old.profiles[o] = &np
		}
	}
	s.cat.derived.v = old
	return nil
}

// orgsLinkedTo lists the organizations whose profile may name the entity id
// of class class. Callers hold s.mu.
func (s *CayleyStore) orgsLinkedTo(ctx context.Context, id string, class quad.Value) ([]string, error) {
	iri, _ := class.(quad.IRI)
	switch TypeByClass[iri] {
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
