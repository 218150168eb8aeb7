package resolvers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// lookupCounter is a live graph that counts its entity lookups: whether a
// query was executed rather than answered from the response cache.
// It pins and versions its snapshots as the live graph does, so the cache
// is on over it.
type lookupCounter struct {
	*live.Graph
	lookups atomic.Int64
}

func (c *lookupCounter) Node(ctx context.Context, id string) (graph.Node, error) {
	c.lookups.Add(1)
	return c.Graph.Node(ctx, id)
}

// TestResponseCache checks what the response cache may answer: a query
// asked again at the same snapshot version, with the same operation name
// and variables. It never answers a mutation, a response with errors, a
// query after a write (through GraphQL or straight to the store, as POST
// /load writes), another operation of the same document or other
// variables; and it is off when its size is negative.
func TestResponseCache(t *testing.T) {
	const (
		byID   = `query Org($id: ID!) { organization(id: $id) { id name } }`
		twoOps = `query A { organization(id: "acme") { name } } query B { organization(id: "acme") { id } }`
		rename = `mutation($name: String!) { updateOrganization(source: "one", id: "acme", input: {name: $name}) { name } }`
	)
	type step struct {
		query    string
		opName   string
		vars     map[string]any
		write    string // a new name for acme, written straight to the store first
		want     string // the data
		executed bool   // whether the operation ran (or came from the cache)
	}
	acme := map[string]any{"id": "acme"}
	for _, tc := range []struct {
		name      string
		cacheSize int
		steps     []step
	}{
		{"a query asked again is answered from the cache", 0, []step{
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`, executed: true},
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`},
		}},
		{"a write makes the cached answer stale", 0, []step{
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`, executed: true},
			{query: rename, vars: map[string]any{"name": "Acme Two"}, want: `{"updateOrganization":{"name":"Acme Two"}}`, executed: true},
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme Two"}}`, executed: true},
			{query: byID, vars: acme, write: "Acme Three", want: `{"organization":{"id":"acme","name":"Acme Three"}}`, executed: true},
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme Three"}}`},
		}},
		{"a mutation is never answered from the cache", 0, []step{
			{query: rename, vars: map[string]any{"name": "Acme Two"}, want: `{"updateOrganization":{"name":"Acme Two"}}`, executed: true},
			{query: rename, vars: map[string]any{"name": "Acme Two"}, want: `{"updateOrganization":{"name":"Acme Two"}}`, executed: true},
		}},
		{"other variables are another answer", 0, []step{
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`, executed: true},
			{query: byID, vars: map[string]any{"id": "jobs"}, want: `{"organization":null}`, executed: true},
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`},
		}},
		{"another operation of the document is another answer", 0, []step{
			{query: twoOps, opName: "A", want: `{"organization":{"name":"Acme"}}`, executed: true},
			{query: twoOps, opName: "B", want: `{"organization":{"id":"acme"}}`, executed: true},
			{query: twoOps, opName: "A", want: `{"organization":{"name":"Acme"}}`},
		}},
		{"an answer with errors is not kept", 0, []step{
			{query: `{ organization(id: "acme") { id partners(first: -1) { totalCount } } }`, want: `{"organization":null}`, executed: true},
			{query: `{ organization(id: "acme") { id partners(first: -1) { totalCount } } }`, want: `{"organization":null}`, executed: true},
		}},
		{"a negative size turns the cache off", -1, []step{
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`, executed: true},
			{query: byID, vars: acme, want: `{"organization":{"id":"acme","name":"Acme"}}`, executed: true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store := &lookupCounter{Graph: graphtest.Memory(t)}
			org := func(name string) *graph.Batch {
				return &graph.Batch{
					Source: graph.Source{ID: "one", Title: "One"},
					Nodes:  []graph.NodeRecord{{ID: "acme", Type: graph.TypeOrganization, Name: name}},
				}
			}
			if _, err := store.Load(ctx, org("Acme")); err != nil {
				t.Fatal(err)
			}
			tokens, err := httpapi.NewTokens(token)
			if err != nil {
				t.Fatal(err)
			}
			h := resolvers.NewHandler(store, resolvers.Options{Tokens: tokens, ResponseCacheSize: tc.cacheSize})
			for i, s := range tc.steps {
				if s.write != "" {
					if _, err := store.Apply(ctx, graph.Change{RemoveSources: []string{"one"}, Add: []*graph.Batch{org(s.write)}}); err != nil {
						t.Fatal(err)
					}
				}
				before, version := store.lookups.Load(), store.Version(ctx)
				req := map[string]any{"query": s.query, "variables": s.vars}
				if s.opName != "" {
					req["operationName"] = s.opName
				}
				body, _ := json.Marshal(req)
				ex := send(t, h, http.MethodPost, "/graphql", string(body), map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token})
				resp, _ := ex.decode(t)
				if got := string(resp.Data); got != s.want {
					t.Errorf("step %d: data %s, want %s (%s)", i, got, s.want, ex.body)
				}
				// A query that runs looks acme up; a mutation that runs writes.
				if executed := store.lookups.Load() > before || store.Version(ctx) != version; executed != s.executed {
					t.Errorf("step %d: executed %v, want %v", i, executed, s.executed)
				}
			}
		})
	}
}
