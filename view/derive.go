package view

import (
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// EventsOf returns the events an organization took part in, in any role,
// by name.
func (s *Snapshot) EventsOf(org string) []string {
	return s.Linked(org, true, graph.TypeEvent, ParticipationRels...)
}

// ParticipantsOf returns the organizations that took part in an event in
// any role, by name.
func (s *Snapshot) ParticipantsOf(event string) []string {
	return s.Linked(event, false, graph.TypeOrganization, ParticipationRels...)
}

// roleOf maps a participation relation to its role.
var roleOf = map[graph.Relation]graph.Role{graph.RelHosted: graph.RoleHost, graph.RelParticipatedIn: graph.RoleParticipant, graph.RelPresentedAt: graph.RolePresenter}

// Participations lists the participations of an organization (forward) or
// of an event (backward), one per event, organization and role (the first
// source by id), ordered by event, organization and role id.
func (s *Snapshot) Participations(id string, forward bool) []graph.Participation {
	var out []graph.Participation
	for _, rel := range ParticipationRels {
		for _, l := range s.Links(id, rel, forward) {
			p := graph.Participation{Role: roleOf[rel], SourceID: l.Source, OrganizationID: id, EventID: l.Other}
			if !forward {
				p.OrganizationID, p.EventID = l.Other, id
			}
			if s.TypeOf(p.EventID) == graph.TypeEvent && s.TypeOf(p.OrganizationID) == graph.TypeOrganization {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b graph.Participation) int {
		return strings.Compare(a.EventID+"\x00"+a.OrganizationID+"\x00"+string(a.Role)+"\x00"+a.SourceID,
			b.EventID+"\x00"+b.OrganizationID+"\x00"+string(b.Role)+"\x00"+b.SourceID)
	})
	return slices.CompactFunc(out, func(a, b graph.Participation) bool {
		return a.EventID == b.EventID && a.OrganizationID == b.OrganizationID && a.Role == b.Role
	})
}

// Affiliations lists the affiliations of a person (forward) or an
// organization (backward), with titles, one per pair, ordered by the name of
// the other end.
func (s *Snapshot) Affiliations(id string, forward bool) []graph.Affiliation {
	links := s.Links(id, graph.RelMemberOf, forward)
	slices.SortFunc(links, func(a, b Link) int { return strings.Compare(a.Other+"\x00"+a.Source, b.Other+"\x00"+b.Source) })
	out := make([]graph.Affiliation, 0, len(links))
	for i, l := range links {
		if i > 0 && links[i-1].Other == l.Other {
			continue
		}
		a := graph.Affiliation{PersonID: id, OrganizationID: l.Other, SourceID: l.Source}
		if !forward {
			a.PersonID, a.OrganizationID = l.Other, id
		}
		if s.TypeOf(a.PersonID) != graph.TypePerson || s.TypeOf(a.OrganizationID) != graph.TypeOrganization {
			continue
		}
		if r, ok := s.others.get(string(graph.AffiliationIRI(a.PersonID, a.OrganizationID))); ok {
			a.Title = s.recs.get(r).Lit(pJobTitle)
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b graph.Affiliation) int {
		x, y := a.OrganizationID, b.OrganizationID
		if !forward {
			x, y = a.PersonID, b.PersonID
		}
		switch {
		case s.Less(x, y):
			return -1
		case s.Less(y, x):
			return 1
		}
		return 0
	})
	return out
}

// ThemeLinks returns an organization's themes: those a source states for it,
// and those of the events it took part in (derived, with the events, by
// name); by theme name.
func (s *Snapshot) ThemeLinks(org string) []graph.ThemeLink {
	byTheme := map[string]*graph.ThemeLink{}
	get := func(t string) *graph.ThemeLink {
		if byTheme[t] == nil {
			byTheme[t] = &graph.ThemeLink{ThemeID: t, Via: []string{}}
		}
		return byTheme[t]
	}
	for _, t := range s.Linked(org, true, graph.TypeTheme, graph.RelTheme) {
		get(t).Stated = true
	}
	for _, ev := range s.EventsOf(org) {
		for _, t := range s.Linked(ev, true, graph.TypeTheme, graph.RelTheme) {
			l := get(t)
			l.Via = append(l.Via, ev)
		}
	}
	ids := make([]string, 0, len(byTheme))
	for id := range byTheme {
		ids = append(ids, id)
	}
	s.SortByName(ids)
	out := make([]graph.ThemeLink, len(ids))
	for i, id := range ids {
		out[i] = *byTheme[id]
	}
	return out
}

// LevelsOf returns an organization's policy levels: stated, and those of its
// themes (stated or derived); by name.
func (s *Snapshot) LevelsOf(org string) []string {
	levels := s.Linked(org, true, graph.TypePolicyLevel, graph.RelPolicyLevel)
	for _, l := range s.ThemeLinks(org) {
		levels = append(levels, s.Linked(l.ThemeID, true, graph.TypePolicyLevel, graph.RelPolicyLevel)...)
	}
	return s.OfType(levels, graph.TypePolicyLevel)
}

// OrgsWithTheme returns the organizations with a theme, stated for them or
// discussed at an event they took part in; by name.
func (s *Snapshot) OrgsWithTheme(theme string) []string {
	r, ok := s.entities.get(theme)
	if !ok {
		return nil
	}
	orgs := s.LinkedRefs(r, false, graph.TypeOrganization, graph.RelTheme)
	for _, ev := range s.LinkedRefs(r, false, graph.TypeEvent, graph.RelTheme) {
		for _, rel := range ParticipationRels {
			for _, e := range s.LinkRefs(ev, rel, false) {
				if s.recs.get(e.Other).Type == graph.TypeOrganization {
					orgs = append(orgs, e.Other)
				}
			}
		}
	}
	return s.IDs(s.SortRefs(orgs))
}

// OrgsAtLevel returns the organizations at a policy level: stated, or
// through a theme of theirs (stated or derived) tied to the level; by name.
func (s *Snapshot) OrgsAtLevel(level string) []string {
	orgs := s.Linked(level, false, graph.TypeOrganization, graph.RelPolicyLevel)
	for _, t := range s.Linked(level, false, graph.TypeTheme, graph.RelPolicyLevel) {
		orgs = append(orgs, s.OrgsWithTheme(t)...)
	}
	return s.OfType(orgs, graph.TypeOrganization)
}

// ThemeAndNarrower returns a theme and every theme narrower than it, at any
// depth, the theme first.
func (s *Snapshot) ThemeAndNarrower(theme string) []string {
	seen := map[string]bool{theme: true}
	out := []string{theme}
	for i := 0; i < len(out); i++ {
		for _, n := range s.Linked(out[i], false, graph.TypeTheme, graph.RelBroader) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// OrgsWithThemeTree returns the organizations with a theme or a narrower
// one, by name.
func (s *Snapshot) OrgsWithThemeTree(theme string) []string {
	var orgs []string
	for _, t := range s.ThemeAndNarrower(theme) {
		orgs = append(orgs, s.OrgsWithTheme(t)...)
	}
	return s.OfType(orgs, graph.TypeOrganization)
}

// Figures lists the figures about an entity, or every figure when about is
// "", by id.
func (s *Snapshot) Figures(about string) []*graph.Figure {
	var refs []Ref
	if about == "" {
		for i := range s.recs.len() {
			if rec := s.recs.get(Ref(i)); rec.NS == nsFigure {
				refs = append(refs, Ref(i))
			}
		}
	} else if r, ok := s.entities.get(about); ok {
		for _, e := range s.recs.get(r).InOf(pAbout) {
			if s.recs.get(e.Other).NS == nsFigure {
				refs = append(refs, e.Other)
			}
		}
	}
	slices.SortFunc(refs, func(a, b Ref) int { return strings.Compare(s.recs.get(a).Key, s.recs.get(b).Key) })
	refs = slices.Compact(refs)
	out := make([]*graph.Figure, 0, len(refs))
	for _, r := range refs {
		rec := s.recs.get(r)
		if !slices.Contains(rec.LitsOf(pType), string(graph.ClassFigure)) {
			continue
		}
		fig := &graph.Figure{ID: rec.ID(), About: []string{}, Sources: s.SourcesOf(rec)}
		if v := rec.Lit(pValue); v != nil {
			fig.Value = *v
		}
		if v := rec.Lit(pStatement); v != nil {
			fig.Statement = *v
		}
		for _, e := range rec.OutOf(pAbout) {
			if o := s.recs.get(e.Other); o.NS == nsEntity {
				fig.About = append(fig.About, o.Key)
			}
		}
		fig.About = slices.Compact(slices.Sorted(slices.Values(fig.About)))
		out = append(out, fig)
	}
	return out
}
