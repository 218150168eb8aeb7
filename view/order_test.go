package view

import (
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

func TestDocumentOrder(t *testing.T) {
	pub := "2020-01-01"
	batches := []*graph.Batch{
		{Source: graph.Source{ID: "s1", Title: "One", Authors: []string{"zed", "amy"}},
			Nodes: []graph.NodeRecord{
				{ID: "zed", Type: graph.TypePerson, Name: "Zed"}, {ID: "amy", Type: graph.TypePerson, Name: "Amy"},
				{ID: "talk", Type: graph.TypeEvent, Name: "Talk", EventKind: "webinar", Questions: []string{"Why?", "How?"}},
				{ID: "b", Type: graph.TypeTheme, Name: "B"}, {ID: "a", Type: graph.TypeTheme, Name: "A"},
			},
			Links: []graph.Link{
				{From: "zed", Relation: graph.RelSpokeAt, To: "talk"}, {From: "amy", Relation: graph.RelSpokeAt, To: "talk"},
				{From: "talk", Relation: graph.RelTheme, To: "b"}, {From: "talk", Relation: graph.RelTheme, To: "a"},
			}},
		{Source: graph.Source{ID: "s2", Title: "Two", Published: &pub, Authors: []string{"amy", "zed"}}},
		{Source: graph.Source{ID: "s0", Title: "Zero", Authors: []string{"amy"}}},
	}
	var qs []quad.Quad
	for _, b := range batches {
		qs = append(qs, b.Quads()...)
	}
	s := Build(qs)
	if got := s.Source("s1").Authors; !slices.Equal(got, []string{"zed", "amy"}) {
		t.Errorf("authors of s1: %v", got)
	}
	if got := s.NodeByID("talk").(*graph.Event).Questions; !slices.Equal(got, []string{"Why?", "How?"}) {
		t.Errorf("questions: %v", got)
	}
	talk, _ := s.EntityRef("talk")
	if got := s.IDs(s.LinkedInOrder(talk, false, graph.TypePerson, graph.RelSpokeAt)); !slices.Equal(got, []string{"zed", "amy"}) {
		t.Errorf("speakers: %v", got)
	}
	if got := s.IDs(s.LinkedInOrder(talk, true, graph.TypeTheme, graph.RelTheme)); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("themes: %v", got)
	}
	ids := func(srcs []*graph.Source) []string {
		var out []string
		for _, x := range srcs {
			out = append(out, x.ID)
		}
		return out
	}
	// First-authored first (s0 and s2, dated first), then s1.
	if got := ids(s.Authored("amy")); !slices.Equal(got, []string{"s2", "s0", "s1"}) {
		t.Errorf("amy authored: %v", got)
	}
	if got := ids(s.Authored("zed")); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("zed authored: %v", got)
	}
}
