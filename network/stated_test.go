package network

import (
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// statedGraph: a chat discussed digital inclusion (a federal theme); a city
// office took part in it, so it has the theme and the federal level only
// through derivation. A coalition states the theme and the state level; an
// agency states the federal level.
func statedGraph(t *testing.T) *view.Snapshot {
	org := func(id string) graph.NodeRecord {
		return graph.NodeRecord{ID: id, Type: graph.TypeOrganization, Name: id}
	}
	return write(t, view.Empty(), &graph.Batch{
		Source: graph.Source{ID: "s", Title: "S"},
		Nodes: []graph.NodeRecord{
			org("city-office"), org("coalition"), org("agency"),
			{ID: "chat", Type: graph.TypeEvent, Name: "Chat", EventKind: "chat"},
			{ID: "digital", Type: graph.TypeTheme, Name: "Digital"},
			{ID: "federal", Type: graph.TypePolicyLevel, Name: "Federal"},
			{ID: "state", Type: graph.TypePolicyLevel, Name: "State"},
		},
		Links: []graph.Link{
			{From: "city-office", Relation: graph.RelParticipatedIn, To: "chat"},
			{From: "chat", Relation: graph.RelTheme, To: "digital"},
			{From: "digital", Relation: graph.RelPolicyLevel, To: "federal"},
			{From: "coalition", Relation: graph.RelTheme, To: "digital"},
			{From: "coalition", Relation: graph.RelPolicyLevel, To: "state"},
			{From: "agency", Relation: graph.RelPolicyLevel, To: "federal"},
		},
	})
}

func TestIncludeDerived(t *testing.T) {
	s := statedGraph(t)
	list := func(f graph.OrganizationFilter) []string {
		t.Helper()
		c, err := Organizations(s, f, graph.Page{First: 10}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ids(c.Items)
	}
	eq(t, "theme, derived too", list(graph.OrganizationFilter{Themes: []string{"digital"}}), []string{"city-office", "coalition"})
	eq(t, "theme, stated only", list(graph.OrganizationFilter{Themes: []string{"digital"}, StatedOnly: true}), []string{"coalition"})
	eq(t, "any theme, stated only", list(graph.OrganizationFilter{AnyThemes: []string{"digital"}, StatedOnly: true}), []string{"coalition"})
	eq(t, "level, derived too", list(graph.OrganizationFilter{PolicyLevels: []string{"federal"}}), []string{"agency", "city-office", "coalition"})
	eq(t, "level, stated only", list(graph.OrganizationFilter{PolicyLevels: []string{"federal"}, StatedOnly: true}), []string{"agency"})

	counts := func(f *graph.OrganizationFilter) map[string]int {
		t.Helper()
		fs, err := Facets(s, f, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, c := range append(fs.Themes, fs.PolicyLevels...) {
			out[c.Node.NodeID()] = c.Count
		}
		return out
	}
	eq(t, "facets, derived too", counts(&graph.OrganizationFilter{}), map[string]int{"digital": 2, "federal": 3, "state": 1})
	eq(t, "facets, stated only", counts(&graph.OrganizationFilter{StatedOnly: true}), map[string]int{"digital": 1, "federal": 1, "state": 1})

	eq(t, "level links of the coalition", s.LevelLinks("coalition"), []graph.PolicyLevelLink{
		{PolicyLevelID: "federal", Via: []string{"digital"}},
		{PolicyLevelID: "state", Stated: true, Via: []string{}},
	})
	eq(t, "level links of the city office", s.LevelLinks("city-office"), []graph.PolicyLevelLink{
		{PolicyLevelID: "federal", Via: []string{"digital"}},
	})
}
