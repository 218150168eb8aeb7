package resolvers_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/thrivegraph/thrivegraph/analysis"
	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// The network analysis on the seed (schema/analysis.graphqls): Workers
// Defense Project, the one organization at both events, is the bridge of
// the network; the chat's and the webinar's organizations are two
// communities.

type centralityOut struct {
	Degree         int     `json:"degree"`
	WeightedDegree int     `json:"weightedDegree"`
	Closeness      float64 `json:"closeness"`
	Harmonic       float64 `json:"harmonic"`
	Betweenness    float64 `json:"betweenness"`
	PageRank       float64 `json:"pagerank"`
	Reach          int     `json:"reach"`
	Exact          bool    `json:"exact"`
	ErrorBound     float64 `json:"errorBound"`
	Confidence     float64 `json:"confidence"`
	ReachExact     bool    `json:"reachExact"`
	NetworkSize    int     `json:"networkSize"`
	Stale          bool    `json:"stale"`
}

const centralityFields = `degree weightedDegree closeness harmonic betweenness pagerank reach exact errorBound confidence reachExact networkSize stale`

type analysisOut struct {
	Organizations int     `json:"organizations"`
	Ties          int     `json:"ties"`
	Exact         bool    `json:"exact"`
	ErrorBound    float64 `json:"errorBound"`
	Confidence    float64 `json:"confidence"`
	ReachExact    bool    `json:"reachExact"`
	Stale         bool    `json:"stale"`
}

const analysisFields = `analysis { organizations ties exact errorBound confidence reachExact stale }`

type rankedOut struct {
	Organization ref           `json:"organization"`
	Rank         int           `json:"rank"`
	Score        float64       `json:"score"`
	Exact        bool          `json:"exact"`
	Centrality   centralityOut `json:"centrality"`
}

type communityOut struct {
	ID      string `json:"id"`
	Size    int    `json:"size"`
	Members []ref  `json:"members"`
	Central []ref  `json:"central"`
	Themes  []struct {
		Theme ref `json:"theme"`
		Count int `json:"count"`
	} `json:"themes"`
	Ties int `json:"ties"`
}

const communityFields = `id size members(first: 100) { id name } central { id name } themes { theme { id name } count } ties`

// TestSeedBridge: Workers Defense Project is first by betweenness (in the
// ranking, the brokers and its own centrality), exactly, and it is the
// seed's only articulation point, cutting the network in two.
func TestSeedBridge(t *testing.T) {
	type out struct {
		Organization struct {
			Centrality centralityOut `json:"centrality"`
		} `json:"organization"`
		Ranking struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool    `json:"hasNextPage"`
				EndCursor   *string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Cursor string    `json:"cursor"`
				Node   rankedOut `json:"node"`
			} `json:"edges"`
			Nodes    []rankedOut `json:"nodes"`
			Analysis analysisOut `json:"analysis"`
		} `json:"ranking"`
		Brokers []rankedOut `json:"brokers"`
		Bridges struct {
			ArticulationPoints []struct {
				Organization ref `json:"organization"`
				Parts        int `json:"parts"`
				Separated    int `json:"separated"`
			} `json:"articulationPoints"`
			TotalArticulationPoints int `json:"totalArticulationPoints"`
			CommunityTies           []struct {
				A          ref    `json:"a"`
				B          ref    `json:"b"`
				ACommunity string `json:"aCommunity"`
				BCommunity string `json:"bCommunity"`
				Weight     int    `json:"weight"`
				Events     []ref  `json:"events"`
			} `json:"communityTies"`
			TotalCommunityTies int         `json:"totalCommunityTies"`
			Analysis           analysisOut `json:"analysis"`
		} `json:"bridges"`
	}
	got := query[out](t, `query($id: ID!) {
		organization(id: $id) { centrality { `+centralityFields+` } }
		ranking(metric: BETWEENNESS, first: 3) {
			totalCount pageInfo { hasNextPage endCursor }
			edges { cursor node { organization { id name } rank score exact centrality { betweenness } } }
			nodes { rank organization { id } }
			`+analysisFields+`
		}
		brokers(first: 5) { organization { id name } rank score exact centrality { `+centralityFields+` } }
		bridges {
			articulationPoints { organization { id name } parts separated }
			totalArticulationPoints
			communityTies { a { id name } b { id name } aCommunity bCommunity weight events { id name } }
			totalCommunityTies
			`+analysisFields+`
		}
	}`, map[string]any{"id": wdp})

	c := got.Organization.Centrality
	for _, tc := range []struct {
		what      string
		got, want any
	}{
		{"exact on the seed", c.Exact, true},
		{"reach exact on the seed", c.ReachExact, true},
		{"the analysis says reach is exact", got.Ranking.Analysis.ReachExact, true},
		{"error bound when exact", c.ErrorBound, 0.0},
		{"not stale", c.Stale, false},
		{"first by betweenness", got.Ranking.Edges[0].Node.Organization.ID, wdp},
		{"rank 1", got.Ranking.Edges[0].Node.Rank, 1},
		{"ranking score is its betweenness", got.Ranking.Edges[0].Node.Score, c.Betweenness},
		{"ranking node and edge agree", got.Ranking.Nodes[0].Organization.ID, wdp},
		{"ranking pages", got.Ranking.PageInfo.HasNextPage, true},
		{"ranking is exact", got.Ranking.Edges[0].Node.Exact, true},
		{"ranking ranks every organization", got.Ranking.TotalCount, got.Ranking.Analysis.Organizations},
		{"network size", c.NetworkSize, got.Ranking.Analysis.Organizations},
		{"first broker", got.Brokers[0].Organization.ID, wdp},
		{"one articulation point", got.Bridges.TotalArticulationPoints, 1},
		{"the articulation point", got.Bridges.ArticulationPoints[0].Organization.ID, wdp},
		{"it cuts the network in two", got.Bridges.ArticulationPoints[0].Parts, 2},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.what, tc.got, tc.want)
		}
	}
	// It is tied to every other organization of both events, and its
	// betweenness is the share of pairs across the two events.
	n := got.Ranking.Analysis.Organizations
	if c.Degree != n-1-isolated(t) || c.Reach != c.Degree || c.WeightedDegree != c.Degree {
		t.Errorf("degree %d, weighted %d, reach %d; want %d each (every other organization with a tie, one event each)", c.Degree, c.WeightedDegree, c.Reach, n-1-isolated(t))
	}
	if c.Betweenness <= 0 || c.Betweenness > 1 || c.PageRank <= 0 || c.Closeness <= 0 || c.Harmonic <= 0 {
		t.Errorf("centrality out of range: %+v", c)
	}
	for _, b := range got.Brokers {
		if b.Score <= 0 || b.Score != b.Centrality.Betweenness {
			t.Errorf("broker %s has score %v, betweenness %v: want positive and equal", b.Organization.ID, b.Score, b.Centrality.Betweenness)
		}
	}
	if len(got.Brokers) != 1 {
		t.Errorf("brokers %v: want workers-defense-project alone (every other path is direct)", got.Brokers)
	}
	// With Workers Defense Project in one community, the ties between the
	// communities are its ties to the other event's organizations.
	if got.Bridges.TotalCommunityTies == 0 || len(got.Bridges.CommunityTies) == 0 {
		t.Fatal("no ties between communities")
	}
	for _, tie := range got.Bridges.CommunityTies {
		if tie.A.ID != wdp && tie.B.ID != wdp || tie.ACommunity == tie.BCommunity || tie.Weight != 1 || len(tie.Events) != 1 {
			t.Errorf("community tie %+v: want one of workers-defense-project's, across communities, one shared event", tie)
		}
	}
}

// isolated counts the seed's organizations that took part in no event.
func isolated(t *testing.T) int {
	s := seedStore.Snapshot()
	n := 0
	for _, o := range s.ByType(graph.TypeOrganization) {
		if len(s.EventsOf(s.Record(o).Key)) == 0 {
			n++
		}
	}
	return n
}

// TestSeedCommunities: the two events' organizations are two communities,
// Workers Defense Project in one of them, and Organization.community
// agrees with communities.
func TestSeedCommunities(t *testing.T) {
	type out struct {
		Communities struct {
			TotalCount int            `json:"totalCount"`
			Nodes      []communityOut `json:"nodes"`
			Analysis   analysisOut    `json:"analysis"`
		} `json:"communities"`
		Organization struct {
			Community communityOut `json:"community"`
		} `json:"organization"`
	}
	got := query[out](t, `query($id: ID!) {
		communities { totalCount nodes { `+communityFields+` } `+analysisFields+` }
		organization(id: $id) { community { id size } }
	}`, map[string]any{"id": "casa-latina"})
	if got.Communities.TotalCount != 2 || len(got.Communities.Nodes) != 2 {
		t.Fatalf("%d communities, want 2: %+v", got.Communities.TotalCount, got.Communities.Nodes)
	}
	s := seedStore.Snapshot()
	of := map[string]string{}
	for _, c := range got.Communities.Nodes {
		if len(c.Members) != c.Size || len(c.Central) == 0 || len(c.Themes) == 0 || c.Ties == 0 {
			t.Errorf("%s: size %d, %d members, %d central, %d themes, %d ties: want members = size and some of each", c.ID, c.Size, len(c.Members), len(c.Central), len(c.Themes), c.Ties)
		}
		for _, m := range c.Members {
			of[m.ID] = c.ID
		}
	}
	for _, tc := range []struct{ event string }{{chat}, {webinar}} {
		seen := map[string]bool{}
		for _, o := range s.ParticipantsOf(tc.event) {
			if o != wdp {
				seen[of[o]] = true
			}
		}
		if len(seen) != 1 || seen[""] {
			t.Errorf("the organizations of %s are in communities %v, want one", tc.event, seen)
		}
	}
	if of[wdp] == "" {
		t.Error("workers-defense-project is in no community")
	}
	if c := got.Organization.Community; c.ID != of["casa-latina"] || c.Size == 0 {
		t.Errorf("casa-latina's community %+v, want %s", c, of["casa-latina"])
	}
	// The dominant theme of the webinar's community is one the webinar
	// discussed: every member has the themes of the event it took part in.
	for _, c := range got.Communities.Nodes {
		if c.Themes[0].Count > c.Size || c.Themes[0].Count < 1 {
			t.Errorf("%s: first theme %v counted %d of %d members", c.ID, c.Themes[0].Theme.ID, c.Themes[0].Count, c.Size)
		}
	}
}

// TestAnalysisSubNetwork: a filter analyses only the organizations it
// selects: the webinar's five, tied all to all, none a broker.
func TestAnalysisSubNetwork(t *testing.T) {
	type out struct {
		Ranking struct {
			TotalCount int         `json:"totalCount"`
			Nodes      []rankedOut `json:"nodes"`
			Analysis   analysisOut `json:"analysis"`
		} `json:"ranking"`
		Communities struct {
			TotalCount int `json:"totalCount"`
		} `json:"communities"`
		Brokers []rankedOut `json:"brokers"`
		Outside struct {
			Centrality *centralityOut `json:"centrality"`
			Community  *communityOut  `json:"community"`
		} `json:"outside"`
	}
	f := map[string]any{"events": []string{webinar}}
	outside := ""
	s := seedStore.Snapshot()
	for _, o := range s.ParticipantsOf(chat) {
		if !slices.Contains(s.ParticipantsOf(webinar), o) {
			outside = o
			break
		}
	}
	got := query[out](t, `query($f: OrganizationFilter, $outside: ID!) {
		ranking(metric: DEGREE, filter: $f, first: 100) { totalCount nodes { organization { id } score centrality { degree networkSize } } `+analysisFields+` }
		communities(filter: $f) { totalCount }
		brokers(filter: $f) { organization { id } }
		outside: organization(id: $outside) { community(filter: $f) { id } }
	}`, map[string]any{"f": f, "outside": outside})
	want := len(s.ParticipantsOf(webinar))
	if got.Ranking.TotalCount != want || got.Ranking.Analysis.Organizations != want || got.Ranking.Analysis.Ties != want*(want-1)/2 {
		t.Errorf("sub-network: %d ranked, analysis %+v; want %d organizations tied all to all", got.Ranking.TotalCount, got.Ranking.Analysis, want)
	}
	for _, r := range got.Ranking.Nodes {
		if r.Score != float64(want-1) || r.Centrality.NetworkSize != want {
			t.Errorf("%s: degree %v in a network of %d; want %d in %d", r.Organization.ID, r.Score, r.Centrality.NetworkSize, want-1, want)
		}
	}
	if got.Communities.TotalCount != 1 || len(got.Brokers) != 0 {
		t.Errorf("%d communities, brokers %v: want one community and no broker in a clique", got.Communities.TotalCount, got.Brokers)
	}
	if got.Outside.Community != nil {
		t.Errorf("an organization the filter leaves out has community %v: want null", got.Outside.Community)
	}
	resp := queryRaw(t, `query($f: OrganizationFilter, $outside: ID!) { organization(id: $outside) { centrality(filter: $f) { degree } } }`,
		map[string]any{"f": f, "outside": outside})
	if e := onlyError(t, resp, "BAD_USER_INPUT"); !strings.Contains(e.Message, outside) {
		t.Errorf("the error for an organization the filter leaves out does not name it: %q", e.Message)
	}
}

// TestRankingPages: every metric ranks every organization, highest first,
// and paging with after continues the order.
func TestRankingPages(t *testing.T) {
	type page struct {
		Ranking struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Nodes []rankedOut `json:"nodes"`
		} `json:"ranking"`
	}
	for _, m := range []string{"DEGREE", "WEIGHTED_DEGREE", "CLOSENESS", "HARMONIC", "BETWEENNESS", "PAGERANK", "REACH"} {
		t.Run(m, func(t *testing.T) {
			var all []rankedOut
			after := any(nil)
			for range 10 {
				p := query[page](t, `query($m: Metric!, $after: String) { ranking(metric: $m, first: 20, after: $after) { pageInfo { hasNextPage endCursor } nodes { organization { id } rank score exact } } }`,
					map[string]any{"m": m, "after": after})
				all = append(all, p.Ranking.Nodes...)
				if !p.Ranking.PageInfo.HasNextPage {
					break
				}
				after = p.Ranking.PageInfo.EndCursor
			}
			if want := len(seedStore.Snapshot().ByType(graph.TypeOrganization)); len(all) != want {
				t.Fatalf("%d ranked over the pages, want %d", len(all), want)
			}
			for i, r := range all {
				if r.Rank != i+1 || !r.Exact || i > 0 && r.Score > all[i-1].Score {
					t.Fatalf("item %d: rank %d, score %v after %v, exact %v: want rank %d, scores not rising, exact", i, r.Rank, r.Score, all[max(i-1, 0)].Score, r.Exact, i+1)
				}
			}
		})
	}
}

// TestAnalysisBadInput: bad arguments are BAD_USER_INPUT (or
// LIMIT_EXCEEDED past a maximum), never a panic.
func TestAnalysisBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, query, code string
	}{
		{"ranking first 0", `{ ranking(metric: DEGREE, first: 0) { totalCount } }`, "BAD_USER_INPUT"},
		{"ranking first too many", `{ ranking(metric: DEGREE, first: 101) { totalCount } }`, "LIMIT_EXCEEDED"},
		{"ranking bad cursor", `{ ranking(metric: DEGREE, after: "nope") { totalCount } }`, "BAD_USER_INPUT"},
		{"ranking bad metric", `{ ranking(metric: FAME) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"brokers first 0", `{ brokers(first: 0) { rank } }`, "BAD_USER_INPUT"},
		{"communities first -1", `{ communities(first: -1) { totalCount } }`, "BAD_USER_INPUT"},
		{"bridges first 0", `{ bridges(first: 0) { totalCommunityTies } }`, "BAD_USER_INPUT"},
		{"members first 0", `{ communities(first: 1) { nodes { members(first: 0) { id } } } }`, "BAD_USER_INPUT"},
		{"unknown theme in the filter", `{ ranking(metric: DEGREE, filter: {themes: ["no-such-theme"]}) { totalCount } }`, "BAD_USER_INPUT"},
		{"unknown event in a centrality filter", `{ organization(id: "workers-defense-project") { centrality(filter: {events: ["no-such-event"]}) { degree } } }`, "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := queryRaw(t, tc.query, nil)
			e := onlyError(t, resp, tc.code)
			if e.Message == "" {
				t.Error("no message")
			}
		})
	}
}

// TestAnalysisSubNetworkLimit: a filter that selects more organizations
// than a request analyses is LIMIT_EXCEEDED, saying how many it selects.
func TestAnalysisSubNetworkLimit(t *testing.T) {
	store := seedCopy(t)
	a := analysis.New(store.SnapshotOf, analysis.Options{InlineLimit: 10})
	h := resolvers.NewHandler(store, resolvers.Options{Logger: slog.New(slog.DiscardHandler), Analysis: a})
	for _, tc := range []struct{ name, query, code string }{
		{"40 organizations", `{ ranking(metric: DEGREE, filter: {events: ["` + chat + `"]}) { totalCount } }`, "LIMIT_EXCEEDED"},
		{"5 organizations", `{ ranking(metric: DEGREE, filter: {events: ["` + webinar + `"]}) { totalCount } }`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp := post(t, h, tc.query, nil)
			if tc.code == "" {
				if len(resp.Errors) > 0 {
					t.Fatalf("errors %+v", resp.Errors)
				}
				return
			}
			if e := onlyError(t, resp, tc.code); !strings.Contains(e.Message, "selects 40 organizations") {
				t.Errorf("message %q does not say how many", e.Message)
			}
		})
	}
}

// TestAnalysisNotReady: with every network computed in the background, a
// question before the analysis is ready answers NOT_READY; once it is
// ready the values come, and after a write the previous ones come marked
// stale until the new analysis is ready.
func TestAnalysisNotReady(t *testing.T) {
	ctx := context.Background()
	store := seedCopy(t)
	a := analysis.New(store.SnapshotOf, analysis.Options{InlineLimit: -1})
	h := resolvers.NewHandler(store, resolvers.Options{Logger: slog.New(slog.DiscardHandler), Analysis: a})
	const q = `{ organization(id: "workers-defense-project") { centrality { betweenness stale } } }`
	type out struct {
		Organization struct {
			Centrality *centralityOut `json:"centrality"`
		} `json:"organization"`
	}
	_, resp := post(t, h, q, nil)
	e := onlyError(t, resp, "NOT_READY")
	if e.Message == "" {
		t.Error("NOT_READY without a message")
	}
	a.Warm(ctx, store.Snapshot())
	ready := decode[out](t, h, q)
	if c := ready.Organization.Centrality; c == nil || c.Stale || c.Betweenness <= 0 {
		t.Fatalf("after Warm: %+v, want a current positive betweenness", c)
	}
	// A write makes a new snapshot: the previous values, stale, until the
	// background analysis of the new one is done.
	before := store.Snapshot()
	loadTaxonomy(t, store)
	if store.Snapshot() == before {
		t.Fatal("the write made no new snapshot")
	}
	// (The background analysis starts with this question and takes
	// milliseconds on the seed: the answer is the stale one unless it won
	// the race; package analysis tests the stale answer deterministically.)
	stale, resp := decodeResp[out](t, h, q)
	marked := resp.Extensions["analysis"] != nil
	if c := stale.Organization.Centrality; c == nil || c.Stale != marked || c.Betweenness != ready.Organization.Centrality.Betweenness {
		t.Errorf("after a write: %+v, extensions %v: want the values marked stale in the field and the extensions alike", c, resp.Extensions)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, resp := decodeResp[out](t, h, q)
		if c := got.Organization.Centrality; c != nil && !c.Stale {
			if resp.Extensions != nil {
				t.Errorf("a current answer with extensions %v", resp.Extensions)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the analysis of the new snapshot never came")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// seedCopy returns a fresh store filled with the seed.
func seedCopy(t *testing.T) *live.Graph {
	t.Helper()
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(ctx, store, loader.FromFS(data.Seed, names...)...); err != nil {
		t.Fatal(err)
	}
	return store
}

// loadTaxonomy writes a small taxonomy of themes into store: a new
// snapshot.
func loadTaxonomy(t *testing.T, store *live.Graph) {
	t.Helper()
	taxonomy := fstest.MapFS{"taxonomy.yaml": {Data: []byte(`source:
  id: my-taxonomy
  title: My taxonomy of themes
themes:
  - name: Economic inclusion
`)}}
	if _, err := loader.Load(context.Background(), store, loader.FromFS(taxonomy, "taxonomy.yaml")...); err != nil {
		t.Fatal(err)
	}
}

// decode posts query to h, fails on any error and decodes data.
func decode[T any](t *testing.T, h http.Handler, q string) T {
	t.Helper()
	out, _ := decodeResp[T](t, h, q)
	return out
}

// decodeResp is decode with the whole response.
func decodeResp[T any](t *testing.T, h http.Handler, q string) (T, response) {
	t.Helper()
	_, resp := post(t, h, q, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	var out T
	if err := json.Unmarshal(resp.Data, &out); err != nil {
		t.Fatal(err)
	}
	return out, resp
}
