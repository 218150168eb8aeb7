package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// textbook are graphs with known answers: testdata/textbook.json, whose
// "source" field says where the reference values come from.
type textbook struct {
	Source string
	Graphs map[string]struct {
		N                                          int
		Edges                                      [][2]int
		Betweenness, Closeness, Harmonic, PageRank []float64
	}
}

func loadTextbook(t *testing.T) textbook {
	t.Helper()
	b, err := os.ReadFile("testdata/textbook.json")
	if err != nil {
		t.Fatal(err)
	}
	var tb textbook
	if err := json.Unmarshal(b, &tb); err != nil {
		t.Fatal(err)
	}
	return tb
}

func netOf(n int, edges [][2]int) *Network {
	es := make([][3]int, len(edges))
	for i, e := range edges {
		es[i] = [3]int{e[0], e[1], 1}
	}
	return FromEdges(n, es)
}

func TestShortestPathsTextbook(t *testing.T) {
	tb := loadTextbook(t)
	for _, name := range []string{"path5", "star6", "barbell4", "karate"} {
		t.Run(name, func(t *testing.T) {
			g, ok := tb.Graphs[name]
			if !ok {
				t.Fatalf("no graph %s in testdata", name)
			}
			pm := shortestPaths(netOf(g.N, g.Edges), math.Inf(1), 1)
			if !pm.exact {
				t.Fatal("not exact with an unbounded budget")
			}
			for _, m := range []struct {
				name      string
				got, want []float64
			}{{"betweenness", pm.betweenness, g.Betweenness}, {"closeness", pm.closeness, g.Closeness}, {"harmonic", pm.harmonic, g.Harmonic}} {
				for i := range g.N {
					if math.Abs(m.got[i]-m.want[i]) > 1e-6 {
						t.Errorf("%s of node %d = %.9f, want %.9f (%s)", m.name, i, m.got[i], m.want[i], tb.Source)
					}
				}
			}
		})
	}
}

// TestShortestPathsSampled: with a budget of a few sources, the estimates
// are marked sampled and stay within their stated bound of the exact
// values.
func TestShortestPathsSampled(t *testing.T) {
	tb := loadTextbook(t)
	g := tb.Graphs["karate"]
	// karate is one part of 34 nodes, below smallPart: grow it past it by
	// chaining three copies.
	var edges [][2]int
	for c := range 3 {
		for _, e := range g.Edges {
			edges = append(edges, [2]int{e[0] + c*g.N, e[1] + c*g.N})
		}
		if c > 0 {
			edges = append(edges, [2]int{(c-1)*g.N + 0, c*g.N + 33})
		}
	}
	n := netOf(3*g.N, edges)
	exact := shortestPaths(n, math.Inf(1), 1)
	work := float64(n.N() + len(n.Adj))
	sampled := shortestPaths(n, 80*work, 7)
	if sampled.exact || sampled.errorBound <= 0 || sampled.errorBound >= 1 {
		t.Fatalf("exact %v, bound %v: want a sample with a bound in (0,1)", sampled.exact, sampled.errorBound)
	}
	for i := range n.N() {
		if d := math.Abs(sampled.betweenness[i] - exact.betweenness[i]); d > sampled.errorBound {
			t.Errorf("betweenness of %d: sampled %.4f, exact %.4f: off by more than the bound %.4f", i, sampled.betweenness[i], exact.betweenness[i], sampled.errorBound)
		}
	}
}

// TestShortestPathsSmallParts: a network of small parts is computed from
// every source whatever the budget, so it is exact, with no bound.
func TestShortestPathsSmallParts(t *testing.T) {
	var edges [][2]int
	for p := range 20 { // 20 paths of 10
		for i := range 9 {
			edges = append(edges, [2]int{p*10 + i, p*10 + i + 1})
		}
	}
	if pm := shortestPaths(netOf(200, edges), 1, 1); !pm.exact || pm.errorBound != 0 {
		t.Errorf("exact %v, bound %v: want exact, 0", pm.exact, pm.errorBound)
	}
}

func TestPageRankTextbook(t *testing.T) {
	tb := loadTextbook(t)
	for _, name := range []string{"path5", "star6", "barbell4", "karate"} {
		t.Run(name, func(t *testing.T) {
			g := tb.Graphs[name]
			got := pageRank(netOf(g.N, g.Edges), 1e-13)
			for i := range g.N {
				if math.Abs(got[i]-g.PageRank[i]) > 1e-6 {
					t.Errorf("pagerank of node %d = %.9f, want %.9f (%s)", i, got[i], g.PageRank[i], tb.Source)
				}
			}
		})
	}
}

// TestLouvainBarbell: two cliques of four joined by one tie are two
// communities, each a clique.
func TestLouvainBarbell(t *testing.T) {
	g := loadTextbook(t).Graphs["barbell4"]
	comm := louvain(netOf(g.N, g.Edges))
	for i := range 8 {
		if want := comm[i/4*4]; comm[i] != want || comm[0] == comm[4] {
			t.Fatalf("communities %v, want nodes 0-3 in one and 4-7 in the other", comm)
		}
	}
}

// TestLouvainKarate: on Zachary's karate club, Louvain finds a partition
// of modularity near the best known (0.4198, Brandes et al. 2008; NetworkX's
// louvain_communities finds 0.41-0.42 depending on its seed), in at least
// three communities, and the same one on every run.
func TestLouvainKarate(t *testing.T) {
	g := loadTextbook(t).Graphs["karate"]
	n := netOf(g.N, g.Edges)
	comm := louvain(n)
	q := modularity(n, comm)
	t.Logf("modularity %.4f", q)
	if q < 0.40 || q > 0.4198+1e-9 {
		t.Errorf("modularity %.4f, want within [0.40, 0.4198]", q)
	}
	k := 0
	for _, c := range comm {
		k = max(k, c+1)
	}
	if k < 3 {
		t.Errorf("%d communities, want at least 3", k)
	}
	if again := louvain(n); fmt.Sprint(again) != fmt.Sprint(comm) {
		t.Errorf("a second run gives %v, the first %v", again, comm)
	}
}

func TestArticulationPoints(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		edges [][2]int
		want  []articulation
	}{
		{"path", 5, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}}, []articulation{{1, 2, 1}, {2, 2, 2}, {3, 2, 1}}},
		{"star", 4, [][2]int{{0, 1}, {0, 2}, {0, 3}}, []articulation{{0, 3, 2}}},
		{"cycle", 4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}}, nil},
		{"barbell", 8, [][2]int{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {4, 6}, {4, 7}, {5, 6}, {5, 7}, {6, 7}}, []articulation{{3, 2, 3}, {4, 2, 3}}},
		{"two parts", 5, [][2]int{{0, 1}, {1, 2}, {3, 4}}, []articulation{{1, 2, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := articulationPoints(netOf(tc.n, tc.edges))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("articulation points %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReach(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		edges [][2]int
		want  []int
	}{
		{"path", 5, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}}, []int{2, 3, 4, 3, 2}},
		{"star", 4, [][2]int{{0, 1}, {0, 2}, {0, 3}}, []int{3, 3, 3, 3}},
		{"isolated", 3, [][2]int{{0, 1}}, []int{1, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := reach(netOf(tc.n, tc.edges))
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Errorf("reach of %d = %d, want %d", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// fromEvents is the network of organizations tied by the events they took
// part in: evs[e] are the organizations of event e.
func fromEvents(size int, evs [][]int) *Network {
	var ties [][3]int
	orgEvents := make([][]int32, size)
	for e, members := range evs {
		for a, i := range members {
			orgEvents[i] = append(orgEvents[i], int32(e))
			for _, j := range members[a+1:] {
				ties = append(ties, [3]int{i, j, 1})
			}
		}
	}
	n := FromEdges(size, ties)
	n.Events, n.OrgEvents = make([]view.Ref, len(evs)), orgEvents
	return n
}

// TestReachThroughEvents: the reach counted through the events is the
// reach counted through the ties, on random networks with hub events and
// organizations at no event, one event or several.
func TestReachThroughEvents(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 1))
		size := 200 + rng.IntN(200)
		evs := make([][]int, 60)
		for e := range evs {
			k := 2 + rng.IntN(6)
			if e%20 == 0 {
				k = 60 // a hub event
			}
			seen := map[int]bool{}
			for range k {
				i := rng.IntN(size - 20) // the last 20 take part in nothing
				if !seen[i] {
					seen[i] = true
					evs[e] = append(evs[e], i)
				}
			}
			slices.Sort(evs[e])
		}
		n := fromEvents(size, evs)
		got, want := reach(n), reachTies(n)
		if !slices.Equal(got, want) {
			t.Errorf("seed %d: reach through events %v\nthrough ties %v", seed, got, want)
		}
	}
}

// TestReachSketched: the reach estimated from sketches is within 15% (4.6
// standard errors) of the exact reach, or within 2 on small counts.
func TestReachSketched(t *testing.T) {
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 2))
		size := 3000
		evs := make([][]int, 400)
		for e := range evs {
			k := 2 + rng.IntN(10)
			if e%50 == 0 {
				k = 300
			}
			seen := map[int]bool{}
			for range k {
				if i := rng.IntN(size); !seen[i] {
					seen[i] = true
					evs[e] = append(evs[e], i)
				}
			}
			slices.Sort(evs[e])
		}
		n := fromEvents(size, evs)
		exact, est := reach(n), reachSketched(n)
		bad := 0
		for i := range size {
			if d := math.Abs(float64(est[i] - exact[i])); d > math.Max(2, 0.15*float64(exact[i])) {
				bad++
				if bad < 5 {
					t.Errorf("seed %d, node %d: estimated reach %d, exact %d", seed, i, est[i], exact[i])
				}
			}
		}
	}
}

// TestSeed: on the seed, Workers Defense Project, the one organization at
// both events, has the highest betweenness; the projection ties it to
// everyone at either event.
func TestSeed(t *testing.T) {
	g := seeded(t)
	s := g.Snapshot()
	n := Project(s, s.ByType(graph.TypeOrganization))
	pm := shortestPaths(n, math.Inf(1), 1)
	best := 0
	for i := range n.N() {
		if pm.betweenness[i] > pm.betweenness[best] {
			best = i
		}
	}
	if id := s.Record(n.Orgs[best]).Key; id != "workers-defense-project" {
		t.Errorf("highest betweenness: %s, want workers-defense-project", id)
	}
	// The two events' organizations form two communities.
	comm := louvain(n)
	for _, ev := range []string{"promising-approaches-to-integrate-immigrants-into-the-u-s-workforce", "immigrantsthrive"} {
		seen := map[int]bool{}
		for _, o := range s.ParticipantsOf(ev) {
			r, _ := s.EntityRef(o)
			if i, _ := n.Index(r); o != "workers-defense-project" {
				seen[comm[i]] = true
			}
		}
		if len(seen) != 1 {
			t.Errorf("the organizations of %s are in communities %v, want one", ev, seen)
		}
	}
	wdp, ok := s.EntityRef("workers-defense-project")
	if !ok {
		t.Fatal("no workers-defense-project in the seed")
	}
	i, _ := n.Index(wdp)
	// It is an articulation point between the two events: the only one.
	if aps := articulationPoints(n); len(aps) != 1 || aps[0].node != i || aps[0].parts != 2 {
		t.Errorf("articulation points %v, want workers-defense-project (node %d) alone, cutting 2 parts", aps, i)
	}
	partners := map[string]bool{}
	for _, ev := range s.EventsOf("workers-defense-project") {
		for _, o := range s.ParticipantsOf(ev) {
			if o != "workers-defense-project" {
				partners[o] = true
			}
		}
	}
	adj, _ := n.Partners(i)
	if len(adj) != len(partners) || len(partners) == 0 {
		t.Errorf("workers-defense-project has %d ties, want %d (its partners at its events)", len(adj), len(partners))
	}
}

// TestCommunityTiesCut: bridges keeps the heaviest MaxList ties between
// communities, in the order one stable sort of them all gives (heaviest
// first, then node order), and counts them all. The random network has
// thousands of crossing ties of few distinct weights, so the cut is made
// many times and ties of one weight straddle it.
func TestCommunityTiesCut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const size = 400
	var edges [][3]int
	for range 6000 {
		edges = append(edges, [3]int{rng.IntN(size), rng.IntN(size), 1 + rng.IntN(4)})
	}
	n := FromEdges(size, edges)
	r := &Result{Net: n, comm: make([]int, size)}
	for i := range r.comm {
		r.comm[i] = i % 3
	}
	var all []tie
	for i := range size {
		adj, w := n.Partners(i)
		for k, j := range adj {
			if int(j) > i && r.comm[i] != r.comm[j] {
				all = append(all, tie{int32(i), j, w[k]})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b tie) int { return int(b.w - a.w) })
	r.bridges()
	if r.crossingTotal != len(all) || len(all) < 10*MaxList {
		t.Fatalf("%d ties between communities counted, want %d (at least %d)", r.crossingTotal, len(all), 10*MaxList)
	}
	if !slices.Equal(r.crossing, all[:MaxList]) {
		t.Errorf("kept %v…, want %v…", r.crossing[:5], all[:5])
	}
}

// TestExportAfterAnalyse: Analyse lets the ties go once every answer is
// computed; an export projects them again, the same as before.
func TestExportAfterAnalyse(t *testing.T) {
	s := seeded(t).Snapshot()
	orgs := s.ByType(graph.TypeOrganization)
	r := Analyse(s, orgs, math.Inf(1))
	if r.Net.Adj != nil {
		t.Fatal("the analysed network still holds its ties")
	}
	want := Project(s, orgs)
	var got, wantTies []string
	x := Export(r)
	for e := range x.Ties {
		got = append(got, fmt.Sprint(e.From, e.To, e.Weight))
	}
	for i := range want.N() {
		adj, w := want.Partners(i)
		for k, j := range adj {
			if int(j) > i {
				wantTies = append(wantTies, fmt.Sprint(r.ids[i], r.ids[j], w[k]))
			}
		}
	}
	if len(got) == 0 || !slices.Equal(got, wantTies) {
		t.Errorf("export has %d ties, want %d: %v…", len(got), len(wantTies), got[:min(3, len(got))])
	}
	if r.Info.Ties != len(wantTies) {
		t.Errorf("info counts %d ties, want %d", r.Info.Ties, len(wantTies))
	}
}
