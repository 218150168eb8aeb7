package graph

import (
	"context"
	"sort"
)

// participations lists the participations of an organization (forward) or
// of an event (backward). Callers hold s.mu.
func (s *CayleyStore) participations(ctx context.Context, id string, forward bool) ([]Participation, error) {
	var out []Participation
	for _, rel := range participationRels {
		es, err := s.links(ctx, id, rel, forward)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			p := Participation{Role: relationRole[rel], SourceID: e.source}
			if forward {
				p.OrganizationID, p.EventID = id, e.other
			} else {
				p.OrganizationID, p.EventID = e.other, id
			}
			if s.cat.typeOf(p.EventID) == TypeEvent && s.cat.typeOf(p.OrganizationID) == TypeOrganization {
				out = append(out, p)
			}
		}
	}
	return dedupeParticipations(out), nil
}

// dedupeParticipations keeps one participation per event, organization and
// role (two sources may state the same one), the first source by id.
func dedupeParticipations(ps []Participation) []Participation {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.EventID != b.EventID {
			return a.EventID < b.EventID
		}
		if a.OrganizationID != b.OrganizationID {
			return a.OrganizationID < b.OrganizationID
		}
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		return a.SourceID < b.SourceID
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p.EventID == ps[i-1].EventID && p.OrganizationID == ps[i-1].OrganizationID && p.Role == ps[i-1].Role {
			continue
		}
		out = append(out, p)
	}
	return out
}

// eventsOf returns the ids of the events an organization took part in, in
// any role. Callers hold s.mu.
func (s *CayleyStore) eventsOf(ctx context.Context, org string) ([]string, error) {
	return s.linked(ctx, org, true, TypeEvent, participationRels...)
}

// participantsOf returns the ids of the organizations that took part in an
// event in any role. Callers hold s.mu.
func (s *CayleyStore) participantsOf(ctx context.Context, event string) ([]string, error) {
	return s.linked(ctx, event, false, TypeOrganization, participationRels...)
}

// OrganizationParticipations lists an organization's parts in events, by
// event date (undated last), then event name.
func (s *CayleyStore) OrganizationParticipations(ctx context.Context, id string) ([]Participation, error) {
	lists, err := s.OrganizationParticipationsBatch(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return lists[0], nil
}

// EventParticipations lists every organization's part in an event, by
// organization name.
func (s *CayleyStore) EventParticipations(ctx context.Context, id string) ([]Participation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ps, err := s.participations(ctx, id, false)
	if err != nil {
		return nil, Internal("event participations", err)
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].OrganizationID != ps[j].OrganizationID {
			return s.cat.less(ps[i].OrganizationID, ps[j].OrganizationID)
		}
		return ps[i].Role < ps[j].Role
	})
	return ps, nil
}

// EventParticipants pages through the organizations that took part in an
// event in any role, by name.
func (s *CayleyStore) EventParticipants(ctx context.Context, id string, p Page) (Connection[*Organization], error) {
	return pageOf[*Organization](ctx, s, "event participants", p, func() ([]string, error) {
		return s.participantsOf(ctx, id)
	})
}

// affiliations lists the affiliations of a person (forward) or an
// organization (backward), with titles. Callers hold s.mu.
func (s *CayleyStore) affiliations(ctx context.Context, id string, forward bool) ([]Affiliation, error) {
	es, err := s.links(ctx, id, RelMemberOf, forward)
	if err != nil {
		return nil, err
	}
	out := make([]Affiliation, 0, len(es))
	seen := map[string]bool{}
	for _, e := range es {
		a := Affiliation{PersonID: id, OrganizationID: e.other, SourceID: e.source}
		if !forward {
			a.PersonID, a.OrganizationID = e.other, id
		}
		if seen[e.other] || s.cat.typeOf(a.PersonID) != TypePerson || s.cat.typeOf(a.OrganizationID) != TypeOrganization {
			continue
		}
		seen[e.other] = true
		f, err := s.factsOf(ctx, AffiliationIRI(a.PersonID, a.OrganizationID))
		if err != nil {
			return nil, err
		}
		a.Title = f.attr(PredJobTitle)
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if forward {
			return s.cat.less(out[i].OrganizationID, out[j].OrganizationID)
		}
		return s.cat.less(out[i].PersonID, out[j].PersonID)
	})
	return out, nil
}

// PersonAffiliations lists a person's organizations, with titles.
func (s *CayleyStore) PersonAffiliations(ctx context.Context, id string) ([]Affiliation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out, err := s.affiliations(ctx, id, true)
	return out, Internal("person affiliations", err)
}

// OrganizationAffiliations lists the people of an organization, with titles.
func (s *CayleyStore) OrganizationAffiliations(ctx context.Context, id string) ([]Affiliation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out, err := s.affiliations(ctx, id, false)
	return out, Internal("organization people", err)
}

// linkFunc lists the ids of type t linked to id by any of rels in one
// direction, ordered by name: CayleyStore.linked, or a batch's memo of it.
type linkFunc func(id string, forward bool, t NodeType, rels ...Relation) ([]string, error)

// themeLinks returns an organization's themes: those a source states for
// it, and those of the events it took part in (derived, with the events).
// Callers hold s.mu.
func (s *CayleyStore) themeLinks(ctx context.Context, org string) ([]ThemeLink, error) {
	return s.themeLinksWith(org, func(id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
		return s.linked(ctx, id, forward, t, rels...)
	})
}

// themeLinksWith is themeLinks reading relations through linked.
func (s *CayleyStore) themeLinksWith(org string, linked linkFunc) ([]ThemeLink, error) {
	byTheme := map[string]*ThemeLink{}
	get := func(t string) *ThemeLink {
		if byTheme[t] == nil {
			byTheme[t] = &ThemeLink{ThemeID: t, Via: []string{}}
		}
		return byTheme[t]
	}
	stated, err := linked(org, true, TypeTheme, RelTheme)
	if err != nil {
		return nil, err
	}
	for _, t := range stated {
		get(t).Stated = true
	}
	events, err := linked(org, true, TypeEvent, participationRels...)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		themes, err := linked(ev, true, TypeTheme, RelTheme)
		if err != nil {
			return nil, err
		}
		for _, t := range themes {
			l := get(t)
			l.Via = append(l.Via, ev)
		}
	}
	ids := make([]string, 0, len(byTheme))
	for id := range byTheme {
		ids = append(ids, id)
	}
	s.cat.sortByName(ids)
	out := make([]ThemeLink, len(ids))
	for i, id := range ids {
		out[i] = *byTheme[id]
	}
	return out, nil
}

// OrganizationThemes lists an organization's themes, stated and derived, by
// theme name.
func (s *CayleyStore) OrganizationThemes(ctx context.Context, id string) ([]ThemeLink, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out, err := s.themeLinks(ctx, id)
	return out, Internal("organization themes", err)
}

// levelsOf returns an organization's policy levels: stated, and those of its
// themes (stated or derived). Callers hold s.mu.
func (s *CayleyStore) levelsOf(ctx context.Context, org string) ([]string, error) {
	levels, err := s.linked(ctx, org, true, TypePolicyLevel, RelPolicyLevel)
	if err != nil {
		return nil, err
	}
	links, err := s.themeLinks(ctx, org)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		more, err := s.linked(ctx, l.ThemeID, true, TypePolicyLevel, RelPolicyLevel)
		if err != nil {
			return nil, err
		}
		levels = append(levels, more...)
	}
	return s.cat.ofType(levels, TypePolicyLevel), nil
}

// OrganizationPolicyLevels lists an organization's policy levels, stated or
// derived through its themes.
func (s *CayleyStore) OrganizationPolicyLevels(ctx context.Context, id string) ([]*PolicyLevel, error) {
	const op = "organization policy levels"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, err := s.levelsOf(ctx, id)
	if err != nil {
		return nil, Internal(op, err)
	}
	out, err := loadAs[*PolicyLevel](ctx, s, ids)
	return out, Internal(op, err)
}

// orgsWithTheme returns the organizations with a theme: stated for them, or
// discussed at an event they took part in; by name. When the derived data
// are computed it reads them (the list is theirs: callers must not change
// it), and otherwise the store. Callers hold s.mu.
func (s *CayleyStore) orgsWithTheme(ctx context.Context, theme string) ([]string, error) {
	if d := s.cat.derived.ready(); d != nil {
		return d.themeOrgs[theme], nil
	}
	orgs, err := s.linked(ctx, theme, false, TypeOrganization, RelTheme)
	if err != nil {
		return nil, err
	}
	events, err := s.linked(ctx, theme, false, TypeEvent, RelTheme)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		more, err := s.participantsOf(ctx, ev)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, more...)
	}
	return s.cat.ofType(orgs, TypeOrganization), nil
}

// orgsAtLevel returns the organizations at a policy level: stated, or
// through a theme of theirs that is tied to the level; by name. Like
// orgsWithTheme, it reads the derived data when they are computed.
// Callers hold s.mu.
func (s *CayleyStore) orgsAtLevel(ctx context.Context, level string) ([]string, error) {
	if d := s.cat.derived.ready(); d != nil {
		return d.levelOrgs[level], nil
	}
	orgs, err := s.linked(ctx, level, false, TypeOrganization, RelPolicyLevel)
	if err != nil {
		return nil, err
	}
	themes, err := s.linked(ctx, level, false, TypeTheme, RelPolicyLevel)
	if err != nil {
		return nil, err
	}
	for _, t := range themes {
		more, err := s.orgsWithTheme(ctx, t)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, more...)
	}
	return s.cat.ofType(orgs, TypeOrganization), nil
}

// ThemeOrganizations pages through the organizations with a theme, stated
// or derived, by name.
func (s *CayleyStore) ThemeOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) {
	return pageOf[*Organization](ctx, s, "theme organizations", p, func() ([]string, error) {
		return s.orgsWithTheme(ctx, id)
	})
}

// PolicyLevelOrganizations pages through the organizations at a policy
// level, stated or derived through their themes, by name.
func (s *CayleyStore) PolicyLevelOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) {
	return pageOf[*Organization](ctx, s, "policy level organizations", p, func() ([]string, error) {
		return s.orgsAtLevel(ctx, id)
	})
}
