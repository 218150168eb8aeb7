package loader

import (
	"context"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

func TestCheckBatch(t *testing.T) {
	s := openStore(t)
	mustLoad(t, s, Paths("testdata/good/chat.yaml")...)
	bad := "2020-02-30"
	tests := []struct {
		name  string
		batch graph.Batch
		want  string // "" for valid
	}{
		{"valid, referring to the store", graph.Batch{
			Source: graph.Source{ID: "m", Title: "Mutation"},
			Nodes:  []graph.NodeRecord{{ID: "new-org", Type: graph.TypeOrganization, Name: "New Org"}},
			Links:  []graph.Link{{From: "new-org", Relation: graph.RelParticipatedIn, To: "immigrantsthrive"}},
		}, ""},
		{"every kind of problem", graph.Batch{
			Source: graph.Source{ID: "M!", Published: &bad},
			Nodes: []graph.NodeRecord{
				{ID: "x", Type: graph.TypeEvent, Name: "X", StartDate: "2020-1-1"},
				{ID: "x", Type: graph.TypeTheme, Name: "X again"},
				{ID: "county", Type: graph.TypePolicyLevel, Name: "County"},
				{ID: "casa-de-maryland", Type: graph.TypePerson, Name: "Casa"},
			},
			Links: []graph.Link{
				{From: "x", Relation: graph.RelHosted, To: "nobody"},
				{From: "ana-lopez", Relation: graph.RelTheme, To: "x"},
				{From: "x", Relation: "likes", To: "x"},
			},
			Affiliations: []graph.Affiliation{{PersonID: "ana-lopez", OrganizationID: "ghost"}},
			Figures:      []graph.Figure{{ID: "f", Value: "1", Statement: "One."}},
		}, `batch: affiliations[0].organization: unknown id "ghost": not defined in the files loaded nor in the store
batch: figures[0].about: must not be empty
batch: links[0].from: "x" is an event (defined at nodes[0]), not an organization
batch: links[0].to: unknown id "nobody": not defined in the files loaded nor in the store
batch: links[1].from: "ana-lopez" is a person (in the store), not an organization or an event
batch: links[1].to: "x" is an event (defined at nodes[0]), not a theme
batch: links[2].relation: unknown relation "likes"
batch: nodes[0].kind: must not be empty
batch: nodes[0].startDate: malformed date "2020-1-1": want YYYY-MM-DD
batch: nodes[1].id: id "x" already defined at nodes[0]
batch: nodes[2].id: unknown policy level "county" (known: federal, state, local)
batch: nodes[3]: id "casa-de-maryland" is a person here but an organization in the store
batch: source.id: invalid id "M!": an id is lower-case letters and digits joined by single hyphens, like "m"
batch: source.published: malformed date "2020-02-30": no such day
batch: source.title: must not be empty`},
		{"repeats and self links", graph.Batch{
			Source: graph.Source{ID: "m", Title: "M"},
			Nodes:  []graph.NodeRecord{{ID: "ev", Type: graph.TypeEvent, Name: "Ev", EventKind: "chat"}},
			Links: []graph.Link{
				{From: "ev", Relation: graph.RelPartOf, To: "ev"},
				{From: "casa-de-maryland", Relation: graph.RelHosted, To: "ev"},
				{From: "casa-de-maryland", Relation: graph.RelHosted, To: "ev"},
			},
			Affiliations: []graph.Affiliation{{PersonID: "ana-lopez", OrganizationID: "casa-de-maryland"}, {PersonID: "ana-lopez", OrganizationID: "casa-de-maryland"}},
			Figures:      []graph.Figure{{ID: "f", Value: "1", Statement: "S", About: []string{"ev"}}, {ID: "f", Value: "2", Statement: "T", About: []string{"ev"}}},
		}, `batch: affiliations[1]: the same person and organization as affiliations[0]
batch: figures[1].id: figure id "f" already used at figures[0]
batch: links[0].to: a node cannot be linked to itself by partOf
batch: links[2]: the same link as links[1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckBatch(context.Background(), s, &tt.batch)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckBatch: %v", err)
				}
				return
			}
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
