package resolvers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// countingStore counts the calls (round trips) into a store. The embedded
// Store is nil: a method it does not count panics when called, so a
// resolver that reaches the store some other way fails the test instead of
// going uncounted.
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

// generatedStore is a memory store holding a generated network of 300
// organizations, made once.
var generatedStore = sync.OnceValues(func() (*live.Graph, error) {
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
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		return nil, err
	}
	if _, err := loader.Load(ctx, store, loader.Paths(res.Files...)...); err != nil {
		return nil, err
	}
	return store, nil
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

// TestNoNPlusOne runs one nested query for 10 and for 100 organizations
// (themes, events, partners, places, people of each) and counts the calls
// into the store: the dataloaders must make the count independent of the
// page size.
func TestNoNPlusOne(t *testing.T) {
	store, err := generatedStore()
	if err != nil {
		t.Fatal(err)
	}
	counter := newCountingStore(store)
	// The production wait (1 ms): a loader alone would split the keys of a
	// page into batches by timing on a busy machine; the resolvers that
	// return a page of organizations prefetch every selected nested field
	// in one batch per field, so the count is exact, not the fewest of
	// several runs.
	h := resolvers.NewHandler(counter, resolvers.Options{
		LoaderWait: resolvers.DefaultLoaderWait,
		Limits:     resolvers.Limits{MaxComplexity: 1 << 20},
	})
	type result struct {
		Data struct {
			Organizations struct {
				Nodes []map[string]any
			}
		}
		Errors []any
	}
	run := func(n int) (map[string]int, result) {
		counter.reset()
		body, _ := json.Marshal(map[string]any{"query": nestedQuery, "variables": map[string]any{"n": n}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var res result
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("first %d: %v: %s", n, err, rec.Body.String())
		}
		if rec.Code != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("first %d: HTTP %d, errors %v", n, rec.Code, res.Errors)
		}
		if got := len(res.Data.Organizations.Nodes); got != n {
			t.Fatalf("first %d: %d organizations", n, got)
		}
		return counter.reset(), res
	}
	small, smallRes := run(10)
	large, largeRes := run(100)
	t.Logf("first: 10 → %d store calls: %s", total(small), show(small))
	t.Logf("first: 100 → %d store calls: %s", total(large), show(large))
	if total(small) != total(large) || show(small) != show(large) {
		t.Errorf("store calls grow with the page: %d for 10 organizations (%s), %d for 100 (%s)", total(small), show(small), total(large), show(large))
	}
	// One call per field that fetches a list at each level, whatever the
	// page: far fewer than the organizations on it.
	if total(large) > 20 {
		t.Errorf("%d store calls for one query", total(large))
	}
	// The same organizations come back the same.
	for i := range smallRes.Data.Organizations.Nodes {
		a, _ := json.Marshal(smallRes.Data.Organizations.Nodes[i])
		b, _ := json.Marshal(largeRes.Data.Organizations.Nodes[i])
		if string(a) != string(b) {
			t.Errorf("organization %d differs between pages:\n%s\n%s", i, a, b)
		}
	}
	// The network is real: organizations have partners and events.
	withPartners := 0
	for _, n := range largeRes.Data.Organizations.Nodes {
		if p := n["partners"].(map[string]any); p["totalCount"].(float64) > 0 {
			withPartners++
		}
	}
	if withPartners < 50 {
		t.Errorf("only %d of 100 organizations have partners", withPartners)
	}
}

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

// TestPrefetchFollowsSelections runs a query whose lists of organizations
// are nested in one another (partners of the page, hosts and participants
// of its events, reached through edges { node }) at the production loader
// wait: the prefetch follows them, so the number of store calls does not
// grow with the page beyond a constant (it may
// shrink: a larger page leaves more of the deeper keys in the loaders'
// caches).
func TestPrefetchFollowsSelections(t *testing.T) {
	store, err := generatedStore()
	if err != nil {
		t.Fatal(err)
	}
	counter := newCountingStore(store)
	h := resolvers.NewHandler(counter, resolvers.Options{
		LoaderWait: resolvers.DefaultLoaderWait,
		Limits:     resolvers.Limits{MaxComplexity: 1 << 20},
	})
	run := func(n int) map[string]int {
		counter.reset()
		body, _ := json.Marshal(map[string]any{"query": deepQuery, "variables": map[string]any{"n": n}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var res struct {
			Data struct {
				Organizations struct{ Edges []any }
			}
			Errors []any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("first %d: %v: %s", n, err, rec.Body.String())
		}
		if rec.Code != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("first %d: HTTP %d, errors %v", n, rec.Code, res.Errors)
		}
		if got := len(res.Data.Organizations.Edges); got != n {
			t.Fatalf("first %d: %d organizations", n, got)
		}
		return counter.reset()
	}
	small := run(10)
	large := max(total(run(100)), total(run(100)))
	t.Logf("first: 10 → %d store calls: %s", total(small), show(small))
	t.Logf("first: 100 → at most %d store calls over two runs", large)
	// With the read model in memory a batch returns within the loaders'
	// wait, and a few deeper keys reached after it start a batch of their
	// own: a constant number of calls more, never one per organization.
	if large > total(small)+2 {
		t.Errorf("store calls grow with the page: %d for 10 organizations, %d for 100", total(small), large)
	}
	if large > 20 {
		t.Errorf("%d store calls for one query", large)
	}
}

// TestLoadersLiveForOneRequest checks that a loader's cache never serves a
// later request: after a write, the next request sees it.
func TestLoadersLiveForOneRequest(t *testing.T) {
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

func (c *countingStore) RelatedBatch(ctx context.Context, ids []string, hop graph.Hop) ([][]graph.Node, error) {
	c.count("RelatedBatch")
	return c.inner.RelatedBatch(ctx, ids, hop)
}

func (c *countingStore) OrganizationThemesBatch(ctx context.Context, ids []string) ([][]graph.ThemeLink, error) {
	c.count("OrganizationThemesBatch")
	return c.inner.OrganizationThemesBatch(ctx, ids)
}

func (c *countingStore) OrganizationPolicyLevelsBatch(ctx context.Context, ids []string) ([][]*graph.PolicyLevel, error) {
	c.count("OrganizationPolicyLevelsBatch")
	return c.inner.OrganizationPolicyLevelsBatch(ctx, ids)
}

func (c *countingStore) OrganizationParticipationsBatch(ctx context.Context, ids []string) ([][]graph.Participation, error) {
	c.count("OrganizationParticipationsBatch")
	return c.inner.OrganizationParticipationsBatch(ctx, ids)
}

func (c *countingStore) EventParticipationsBatch(ctx context.Context, ids []string) ([][]graph.Participation, error) {
	c.count("EventParticipationsBatch")
	return c.inner.EventParticipationsBatch(ctx, ids)
}

func (c *countingStore) OrganizationAffiliationsBatch(ctx context.Context, ids []string) ([][]graph.Affiliation, error) {
	c.count("OrganizationAffiliationsBatch")
	return c.inner.OrganizationAffiliationsBatch(ctx, ids)
}

func (c *countingStore) PersonAffiliationsBatch(ctx context.Context, ids []string) ([][]graph.Affiliation, error) {
	c.count("PersonAffiliationsBatch")
	return c.inner.PersonAffiliationsBatch(ctx, ids)
}

func (c *countingStore) SourceAuthorsBatch(ctx context.Context, ids []string) ([][]*graph.Person, error) {
	c.count("SourceAuthorsBatch")
	return c.inner.SourceAuthorsBatch(ctx, ids)
}

func (c *countingStore) FiguresBatch(ctx context.Context, about []string) ([][]*graph.Figure, error) {
	c.count("FiguresBatch")
	return c.inner.FiguresBatch(ctx, about)
}

func (c *countingStore) PartnersBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[graph.Partner], []error) {
	c.count("PartnersBatch")
	return c.inner.PartnersBatch(ctx, ids, p)
}

func (c *countingStore) EventParticipantsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	c.count("EventParticipantsBatch")
	return c.inner.EventParticipantsBatch(ctx, ids, p)
}

func (c *countingStore) ThemeOrganizationsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	c.count("ThemeOrganizationsBatch")
	return c.inner.ThemeOrganizationsBatch(ctx, ids, p)
}

func (c *countingStore) PolicyLevelOrganizationsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	c.count("PolicyLevelOrganizationsBatch")
	return c.inner.PolicyLevelOrganizationsBatch(ctx, ids, p)
}

func (c *countingStore) Search(ctx context.Context, text string, first int) ([]graph.SearchHit, error) {
	c.count("Search")
	return c.inner.Search(ctx, text, first)
}

func (c *countingStore) Path(ctx context.Context, from, to string, maxHops int) (*graph.Path, error) {
	c.count("Path")
	return c.inner.Path(ctx, from, to, maxHops)
}
