package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
	"github.com/thrivegraph/thrivegraph/store"
)

// countingStore counts the calls into a store. The embedded Store is nil
// on purpose: a method it does not count panics when called, so a resolver
// that reaches the store some other way fails the test instead of going
// uncounted.
type countingStore struct {
	graph.Store // nil on purpose
	inner       graph.Store

	mu    sync.Mutex
	calls map[string]int
}

func newCountingStore(inner graph.Store) *countingStore {
	return &countingStore{inner: inner, calls: map[string]int{}}
}

func (c *countingStore) count(method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[method]++
}

func (c *countingStore) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	calls := c.calls
	c.calls = map[string]int{}
	return calls
}

// Pin pins the snapshot of the store underneath, as the handler does in
// production (graph.Pinner).
func (c *countingStore) Pin(ctx context.Context) context.Context {
	if p, ok := c.inner.(graph.Pinner); ok {
		return p.Pin(ctx)
	}
	return ctx
}

func total(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

func show(calls map[string]int) string {
	var parts []string
	for m, n := range calls {
		parts = append(parts, fmt.Sprintf("%s×%d", m, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// countingLog counts the calls into the system of record (graph.Log) that
// a live.Graph was opened on: reads must never reach it.
type countingLog struct {
	inner graph.Log
	calls atomic.Int64
}

func (l *countingLog) Apply(ctx context.Context, c graph.Change, committed func(removed, added []quad.Quad)) (graph.LoadResult, error) {
	l.calls.Add(1)
	return l.inner.Apply(ctx, c, committed)
}

func (l *countingLog) Scan(ctx context.Context, fn func(quad.Quad)) error {
	l.calls.Add(1)
	return l.inner.Scan(ctx, fn)
}

func (l *countingLog) Export(ctx context.Context, w io.Writer) error {
	l.calls.Add(1)
	return l.inner.Export(ctx, w)
}

func (l *countingLog) QuadCount(ctx context.Context) int {
	l.calls.Add(1)
	return l.inner.QuadCount(ctx)
}

func (l *countingLog) Empty(ctx context.Context) (bool, error) {
	l.calls.Add(1)
	return l.inner.Empty(ctx)
}

func (l *countingLog) FactsKept(ctx context.Context, sel graph.NodeSelector, keep func(graph.Fact) bool) (*graph.Quads, error) {
	l.calls.Add(1)
	return l.inner.FactsKept(ctx, sel, keep)
}

func (l *countingLog) Backend() string {
	l.calls.Add(1)
	return l.inner.Backend()
}

func (l *countingLog) Close() error { return l.inner.Close() }

// network is a graph with the log it was opened on.
type network struct {
	log   *countingLog
	graph *live.Graph
}

// generatedNetwork is a generated network of 300 organizations on a memory
// store, made once, with the log it was opened on: every call into the
// log after loading counts.
var generatedNetwork = sync.OnceValues(func() (*network, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "thrivegraph-generated-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	res, err := generate.Write(ctx, dir, generate.Options{Orgs: 300, Seed: 3, PerFile: 300})
	if err != nil {
		return nil, err
	}
	inner, err := store.Open(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		return nil, err
	}
	log := &countingLog{inner: inner}
	g, err := live.Open(ctx, log)
	if err != nil {
		return nil, err
	}
	if _, err := loader.Load(ctx, g, loader.Paths(res.Files...)...); err != nil {
		return nil, err
	}
	return &network{log, g}, nil
})

const nestedQuery = `query($n: Int) {
  organizations(first: $n) {
    nodes {
      id
      themes { id name }
      themeLinks { stated theme { id } via { id } }
      policyLevels { id }
      places { id }
      events { role event { id startDate partOf { id } } }
      people { title person { id } }
      partners(first: 5) {
        totalCount
        edges { node { id kinds } sharedEvents { id } sharedThemes { id } }
      }
    }
  }
}`

const deepQuery = `query($n: Int) {
  organizations(first: $n) {
    edges {
      node {
        id
        partners(first: 3) {
          nodes { id themes { id } events { role event { id } } }
        }
        events {
          event {
            id
            hosts { id policyLevels { id } }
            participants(first: 5) { nodes { id places { id } } }
          }
        }
      }
    }
  }
}`

// objects counts the JSON objects in v: the entities, edges and
// connections an answer holds, the items a query's work is per.
func objects(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := 1
		for _, x := range v {
			n += objects(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += objects(x)
		}
		return n
	}
	return 0
}

// TestNoNPlusOne runs nested queries over a page of 10 and of 100
// organizations of a generated network (their themes, events, people,
// partners; partners' and hosts' own lists, reached through nodes and
// edges { node }) and checks what an N+1 costs now that every read is
// answered from the in-memory read model:
//
//   - no call reaches the system of record (the graph.Log under the
//     live.Graph): a query is answered from the pinned snapshot alone,
//     whatever its page;
//   - the store calls per object of the answer stay at most one, and do
//     not grow with the page: each resolver asks the store for its own item
//     and never reads the page (or the graph) again per item.
//
// Both checks can fail; each was tried by hand and not kept. Routing
// Organization.places through the log (one call of r.Store.Counts, which
// asks the log for its quad count) made 10 and 100 log calls for the pages
// of 10 and 100 of the nested query. Having Organization.partners read the
// page it is on again per organization (Store.Organizations(first: $n),
// then Store.Node for each of its organizations) made 2.11 store calls per
// object for the page of 100 of the nested query, against 0.81 for the
// page of 10.
func TestNoNPlusOne(t *testing.T) {
	net, err := generatedNetwork()
	if err != nil {
		t.Fatal(err)
	}
	log := net.log
	counter := newCountingStore(net.graph)
	h := resolvers.NewHandler(counter, resolvers.Options{Limits: resolvers.Limits{MaxComplexity: 1 << 20}})
	type cost struct {
		objects, calls, logCalls int
		byMethod                 map[string]int
		nodes                    []any
	}
	run := func(t *testing.T, query string, n int) cost {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"n": n}})
		serve := func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		counter.reset()
		before := log.calls.Load()
		rec := serve()
		c := cost{logCalls: int(log.calls.Load() - before), byMethod: counter.reset()}
		c.calls = total(c.byMethod)
		var res struct {
			Data struct {
				Organizations map[string][]any
			}
			Errors []any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("first %d: %v: %s", n, err, rec.Body.String())
		}
		if rec.Code != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("first %d: HTTP %d, errors %v", n, rec.Code, res.Errors)
		}
		for _, list := range res.Data.Organizations {
			c.nodes = list
		}
		if len(c.nodes) != n {
			t.Fatalf("first %d: %d organizations", n, len(c.nodes))
		}
		var data struct{ Data any }
		if err := json.Unmarshal(rec.Body.Bytes(), &data); err != nil {
			t.Fatal(err)
		}
		c.objects = objects(data.Data)
		return c
	}
	for _, tc := range []struct {
		name  string
		query string
		// maxCallsPerObject bounds the store calls per object of the answer.
		maxCallsPerObject float64
	}{
		{"nested", nestedQuery, 1},
		{"deep", deepQuery, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small, large := run(t, tc.query, 10), run(t, tc.query, 100)
			for _, c := range []cost{small, large} {
				n := len(c.nodes)
				t.Logf("first: %d → %d objects, %d store calls (%.2f per object), %d log calls",
					n, c.objects, c.calls, float64(c.calls)/float64(c.objects), c.logCalls)
				if c.logCalls != 0 {
					t.Errorf("first %d: %d calls reached the system of record (graph.Log); reads must be answered from the snapshot", n, c.logCalls)
				}
				if perObject := float64(c.calls) / float64(c.objects); perObject > tc.maxCallsPerObject {
					t.Errorf("first %d: %.2f store calls per object of the answer, want at most %.0f: %s", n, perObject, tc.maxCallsPerObject, show(c.byMethod))
				}
			}
			// Per object, a page of 100 costs what a page of 10 does (the
			// mix of objects differs a little between pages: allow 50%).
			perObject := func(c cost) float64 { return float64(c.calls) / float64(c.objects) }
			if s, l := perObject(small), perObject(large); l > 1.5*s {
				t.Errorf("store calls per object grow with the page: %.2f for 10 organizations, %.2f for 100", s, l)
			}
			// The same organizations come back the same.
			for i := range small.nodes {
				a, _ := json.Marshal(small.nodes[i])
				b, _ := json.Marshal(large.nodes[i])
				if string(a) != string(b) {
					t.Errorf("organization %d differs between pages:\n%s\n%s", i, a, b)
				}
			}
		})
	}
	// The network is real: organizations have partners.
	withPartners := 0
	for _, n := range run(t, nestedQuery, 100).nodes {
		if p := n.(map[string]any)["partners"].(map[string]any); p["totalCount"].(float64) > 0 {
			withPartners++
		}
	}
	if withPartners < 50 {
		t.Errorf("only %d of 100 organizations have partners", withPartners)
	}
}

// TestReadsSeeTheLatestWrite checks that nothing a request read serves a
// later request: after a write, the next request sees it.
func TestReadsSeeTheLatestWrite(t *testing.T) {
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	batch := func(src string, links ...graph.Link) *graph.Batch {
		return &graph.Batch{
			Source: graph.Source{ID: src, Title: src},
			Nodes: []graph.NodeRecord{
				{ID: "acme", Type: graph.TypeOrganization, Name: "Acme"},
				{ID: "jobs", Type: graph.TypeTheme, Name: "Jobs"},
				{ID: "skills", Type: graph.TypeTheme, Name: "Skills"},
			},
			Links: links,
		}
	}
	if _, err := store.Load(ctx, batch("one", graph.Link{From: "acme", Relation: graph.RelTheme, To: "jobs"})); err != nil {
		t.Fatal(err)
	}
	h := resolvers.NewHandler(store, resolvers.Options{})
	themes := func() string {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ a: organization(id: \"acme\") { themes { id } } b: organization(id: \"acme\") { themes { id } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	if got, want := themes(), `{"data":{"a":{"themes":[{"id":"jobs"}]},"b":{"themes":[{"id":"jobs"}]}}}`; got != want {
		t.Fatalf("before the write: %s, want %s", got, want)
	}
	if _, err := store.Load(ctx, batch("two", graph.Link{From: "acme", Relation: graph.RelTheme, To: "skills"})); err != nil {
		t.Fatal(err)
	}
	if got, want := themes(), `{"data":{"a":{"themes":[{"id":"jobs"},{"id":"skills"}]},"b":{"themes":[{"id":"jobs"},{"id":"skills"}]}}}`; got != want {
		t.Errorf("after the write: %s, want %s", got, want)
	}
}

func (c *countingStore) Counts(ctx context.Context) (graph.Counts, error) {
	c.count("Counts")
	return c.inner.Counts(ctx)
}

func (c *countingStore) Node(ctx context.Context, id string) (graph.Node, error) {
	c.count("Node")
	return c.inner.Node(ctx, id)
}

func (c *countingStore) Organization(ctx context.Context, id string) (*graph.Organization, error) {
	c.count("Organization")
	return c.inner.Organization(ctx, id)
}

func (c *countingStore) Event(ctx context.Context, id string) (*graph.Event, error) {
	c.count("Event")
	return c.inner.Event(ctx, id)
}

func (c *countingStore) Person(ctx context.Context, id string) (*graph.Person, error) {
	c.count("Person")
	return c.inner.Person(ctx, id)
}

func (c *countingStore) Theme(ctx context.Context, id string) (*graph.Theme, error) {
	c.count("Theme")
	return c.inner.Theme(ctx, id)
}

func (c *countingStore) Source(ctx context.Context, id string) (*graph.Source, error) {
	c.count("Source")
	return c.inner.Source(ctx, id)
}

func (c *countingStore) Organizations(ctx context.Context, f graph.OrganizationFilter, p graph.Page) (graph.Connection[*graph.Organization], error) {
	c.count("Organizations")
	return c.inner.Organizations(ctx, f, p)
}

func (c *countingStore) Events(ctx context.Context, p graph.Page) (graph.Connection[*graph.Event], error) {
	c.count("Events")
	return c.inner.Events(ctx, p)
}

func (c *countingStore) People(ctx context.Context, p graph.Page) (graph.Connection[*graph.Person], error) {
	c.count("People")
	return c.inner.People(ctx, p)
}

func (c *countingStore) Themes(ctx context.Context) ([]*graph.Theme, error) {
	c.count("Themes")
	return c.inner.Themes(ctx)
}

func (c *countingStore) PolicyLevels(ctx context.Context) ([]*graph.PolicyLevel, error) {
	c.count("PolicyLevels")
	return c.inner.PolicyLevels(ctx)
}

func (c *countingStore) Places(ctx context.Context) ([]*graph.Place, error) {
	c.count("Places")
	return c.inner.Places(ctx)
}

func (c *countingStore) Sources(ctx context.Context) ([]*graph.Source, error) {
	c.count("Sources")
	return c.inner.Sources(ctx)
}

func (c *countingStore) Figures(ctx context.Context, about string) ([]*graph.Figure, error) {
	c.count("Figures")
	return c.inner.Figures(ctx, about)
}

func (c *countingStore) OrganizationPlaces(ctx context.Context, id string) ([]*graph.Place, error) {
	c.count("OrganizationPlaces")
	return c.inner.OrganizationPlaces(ctx, id)
}

func (c *countingStore) OrganizationThemes(ctx context.Context, id string) ([]graph.ThemeLink, error) {
	c.count("OrganizationThemes")
	return c.inner.OrganizationThemes(ctx, id)
}

func (c *countingStore) OrganizationPolicyLevels(ctx context.Context, id string) ([]*graph.PolicyLevel, error) {
	c.count("OrganizationPolicyLevels")
	return c.inner.OrganizationPolicyLevels(ctx, id)
}

func (c *countingStore) OrganizationParticipations(ctx context.Context, id string) ([]graph.Participation, error) {
	c.count("OrganizationParticipations")
	return c.inner.OrganizationParticipations(ctx, id)
}

func (c *countingStore) OrganizationAffiliations(ctx context.Context, id string) ([]graph.Affiliation, error) {
	c.count("OrganizationAffiliations")
	return c.inner.OrganizationAffiliations(ctx, id)
}

func (c *countingStore) Partners(ctx context.Context, id string, p graph.Page) (graph.Connection[graph.Partner], error) {
	c.count("Partners")
	return c.inner.Partners(ctx, id, p)
}

func (c *countingStore) EventParent(ctx context.Context, id string) (*graph.Event, error) {
	c.count("EventParent")
	return c.inner.EventParent(ctx, id)
}

func (c *countingStore) EventParts(ctx context.Context, id string) ([]*graph.Event, error) {
	c.count("EventParts")
	return c.inner.EventParts(ctx, id)
}

func (c *countingStore) EventHosts(ctx context.Context, id string) ([]*graph.Organization, error) {
	c.count("EventHosts")
	return c.inner.EventHosts(ctx, id)
}

func (c *countingStore) EventParticipants(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	c.count("EventParticipants")
	return c.inner.EventParticipants(ctx, id, p)
}

func (c *countingStore) EventParticipations(ctx context.Context, id string) ([]graph.Participation, error) {
	c.count("EventParticipations")
	return c.inner.EventParticipations(ctx, id)
}

func (c *countingStore) EventSpeakers(ctx context.Context, id string) ([]*graph.Person, error) {
	c.count("EventSpeakers")
	return c.inner.EventSpeakers(ctx, id)
}

func (c *countingStore) EventThemes(ctx context.Context, id string) ([]*graph.Theme, error) {
	c.count("EventThemes")
	return c.inner.EventThemes(ctx, id)
}

func (c *countingStore) EventPlaces(ctx context.Context, id string) ([]*graph.Place, error) {
	c.count("EventPlaces")
	return c.inner.EventPlaces(ctx, id)
}

func (c *countingStore) PersonAffiliations(ctx context.Context, id string) ([]graph.Affiliation, error) {
	c.count("PersonAffiliations")
	return c.inner.PersonAffiliations(ctx, id)
}

func (c *countingStore) PersonEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	c.count("PersonEvents")
	return c.inner.PersonEvents(ctx, id)
}

func (c *countingStore) SourceAuthors(ctx context.Context, id string) ([]*graph.Person, error) {
	c.count("SourceAuthors")
	return c.inner.SourceAuthors(ctx, id)
}

func (c *countingStore) PersonAuthored(ctx context.Context, id string) ([]*graph.Source, error) {
	c.count("PersonAuthored")
	return c.inner.PersonAuthored(ctx, id)
}

func (c *countingStore) Suggest(ctx context.Context, input string, types ...graph.NodeType) ([]string, error) {
	c.count("Suggest")
	return c.inner.Suggest(ctx, input, types...)
}

func (c *countingStore) OrganizationPolicyLevelLinks(ctx context.Context, id string) ([]graph.PolicyLevelLink, error) {
	c.count("OrganizationPolicyLevelLinks")
	return c.inner.OrganizationPolicyLevelLinks(ctx, id)
}

func (c *countingStore) ThemeOrganizations(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	c.count("ThemeOrganizations")
	return c.inner.ThemeOrganizations(ctx, id, p)
}

func (c *countingStore) ThemeEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	c.count("ThemeEvents")
	return c.inner.ThemeEvents(ctx, id)
}

func (c *countingStore) ThemePolicyLevels(ctx context.Context, id string) ([]*graph.PolicyLevel, error) {
	c.count("ThemePolicyLevels")
	return c.inner.ThemePolicyLevels(ctx, id)
}

func (c *countingStore) PolicyLevelThemes(ctx context.Context, id string) ([]*graph.Theme, error) {
	c.count("PolicyLevelThemes")
	return c.inner.PolicyLevelThemes(ctx, id)
}

func (c *countingStore) PolicyLevelOrganizations(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	c.count("PolicyLevelOrganizations")
	return c.inner.PolicyLevelOrganizations(ctx, id, p)
}

func (c *countingStore) PlaceOrganizations(ctx context.Context, id string) ([]*graph.Organization, error) {
	c.count("PlaceOrganizations")
	return c.inner.PlaceOrganizations(ctx, id)
}

func (c *countingStore) PlaceEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	c.count("PlaceEvents")
	return c.inner.PlaceEvents(ctx, id)
}

func (c *countingStore) Nodes(ctx context.Context, ids []string) ([]graph.Node, error) {
	c.count("Nodes")
	return c.inner.Nodes(ctx, ids)
}

func (c *countingStore) Search(ctx context.Context, text string, first int) ([]graph.SearchHit, error) {
	c.count("Search")
	return c.inner.Search(ctx, text, first)
}

func (c *countingStore) Path(ctx context.Context, from, to string, maxHops int) (*graph.Path, error) {
	c.count("Path")
	return c.inner.Path(ctx, from, to, maxHops)
}
