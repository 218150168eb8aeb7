package view

import "github.com/thrivegraph/thrivegraph/graph"

// Stated and derived themes and levels. An organization's themes and
// policy levels are those a source states for it, and those derived (from
// its events' themes, and from its themes' levels): these primitives keep
// the two apart (includeDerived: false).

// StatedOrgsWithThemeTree returns the organizations a source states a
// theme (or a narrower one) for, by name.
func (s *Snapshot) StatedOrgsWithThemeTree(theme string) []string {
	var orgs []string
	for _, t := range s.ThemeAndNarrower(theme) {
		orgs = append(orgs, s.Linked(t, false, graph.TypeOrganization, graph.RelTheme)...)
	}
	return s.OfType(orgs, graph.TypeOrganization)
}

// StatedOrgsAtLevel returns the organizations a source states a policy
// level for, by name.
func (s *Snapshot) StatedOrgsAtLevel(level string) []string {
	return s.Linked(level, false, graph.TypeOrganization, graph.RelPolicyLevel)
}

// LevelLinks returns an organization's policy levels, each stated or
// derived through its themes (ThemeLinks; the themes by name), by level
// name: LevelsOf with the reasons.
func (s *Snapshot) LevelLinks(org string) []graph.PolicyLevelLink {
	byLevel := map[string]*graph.PolicyLevelLink{}
	get := func(l string) *graph.PolicyLevelLink {
		if byLevel[l] == nil {
			byLevel[l] = &graph.PolicyLevelLink{PolicyLevelID: l, Via: []string{}}
		}
		return byLevel[l]
	}
	for _, l := range s.Linked(org, true, graph.TypePolicyLevel, graph.RelPolicyLevel) {
		get(l).Stated = true
	}
	for _, t := range s.ThemeLinks(org) {
		for _, l := range s.Linked(t.ThemeID, true, graph.TypePolicyLevel, graph.RelPolicyLevel) {
			link := get(l)
			link.Via = append(link.Via, t.ThemeID)
		}
	}
	ids := make([]string, 0, len(byLevel))
	for id := range byLevel {
		ids = append(ids, id)
	}
	s.SortByName(ids)
	out := make([]graph.PolicyLevelLink, len(ids))
	for i, id := range ids {
		out[i] = *byLevel[id]
	}
	return out
}
