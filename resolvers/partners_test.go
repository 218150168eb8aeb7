package resolvers_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// sharedRecorder records what of the partners' shared events and themes
// each Partners call asks the store for.
type sharedRecorder struct {
	graph.Store
	mu     sync.Mutex
	shared []graph.Shared
}

func (s *sharedRecorder) Partners(ctx context.Context, id string, p graph.Page) (graph.Connection[graph.Partner], error) {
	s.mu.Lock()
	s.shared = append(s.shared, p.Shared)
	s.mu.Unlock()
	return s.Store.Partners(ctx, id, p)
}

// TestPartnersComputeOnlyWhatIsSelected checks that the partners field asks
// the store for the shared events and themes of its edges only when the
// query selects them, however it selects them (fragments, aliases).
func TestPartnersComputeOnlyWhatIsSelected(t *testing.T) {
	for _, tc := range []struct {
		name, selection, fragments string
		want                       graph.Shared
	}{
		{"nodes only", `totalCount nodes { id }`, "", 0},
		{"edges without them", `edges { cursor node { id name } }`, "", 0},
		{"shared events", `edges { node { id } sharedEvents { id } }`, "", graph.SharedEvents},
		{"shared themes by alias", `edges { node { id } t: sharedThemes { id } }`, "", graph.SharedThemes},
		{"both through a fragment", `edges { ...E }`, `fragment E on PartnerEdge { sharedEvents { id } sharedThemes { id } }`, graph.SharedAll},
		{"inline fragment on the connection", `... on PartnerConnection { edges { sharedThemes { id } } }`, "", graph.SharedThemes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &sharedRecorder{Store: seedStore}
			h := resolvers.NewHandler(rec, resolvers.Options{})
			status, resp := post(t, h, `{ organization(id: "workers-defense-project") { partners(first: 5) { `+tc.selection+` } } } `+tc.fragments, nil)
			if status != http.StatusOK || len(resp.Errors) > 0 {
				t.Fatalf("HTTP %d, errors %v", status, resp.Errors)
			}
			if len(rec.shared) != 1 || rec.shared[0] != tc.want {
				t.Errorf("the store was asked for shared parts %v, want [%b]", rec.shared, tc.want)
			}
		})
	}
}
