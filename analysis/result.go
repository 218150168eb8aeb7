package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Result is the analysis of one organization network (the whole network of
// a snapshot, or the sub-network a filter selects): every organization's
// centrality, the communities and the bridges. It is immutable once made;
// every id it gives is an id of its snapshot.
type Result struct {
	// Net is the network analysed, without its ties (Off, Adj and W are
	// nil): its organizations, its events and their participations.
	Net *Network
	// Centrality is by node (Net.Orgs[i]).
	Centrality []graph.Centrality
	// Info says how the network was analysed (Stale is never set here: a
	// Result is current for its own snapshot).
	Info graph.AnalysisInfo
	// Communities are largest first (community-1 is the largest).
	Communities []graph.Community
	// Took is how long the analysis took.
	Took time.Duration

	comm     []int          // community of every node, -1 without ties
	aps      []articulation // most separated first, then by name
	crossing []tie          // the first MaxList ties between communities, heaviest first, then by name
	// crossingTotal is the number of ties between communities.
	crossingTotal int
	ids           []string // node ids
	byID          map[string]int32
	orders        [len(metricIndex)]struct {
		once sync.Once
		ids  []string
	}
}

// tie is a tie between nodes I < J.
type tie struct{ i, j, w int32 }

// Sampled are the metrics a sample of sources may estimate (Brandes–Pich);
// the others are always exact.
var Sampled = map[graph.Metric]bool{graph.MetricBetweenness: true, graph.MetricCloseness: true, graph.MetricHarmonic: true}

// metricIndex numbers the metrics for the orders a Result keeps.
var metricIndex = [...]graph.Metric{graph.MetricDegree, graph.MetricWeightedDegree, graph.MetricCloseness, graph.MetricHarmonic, graph.MetricBetweenness, graph.MetricPageRank, graph.MetricReach}

// pageRankTolerance is where gonum's power iteration stops.
const pageRankTolerance = 1e-10

// maxCentral and maxThemes bound a community's most central members and
// dominant themes.
const (
	maxCentral = 10
	maxThemes  = 10
)

// Analyse computes everything about the network of orgs (organizations of
// s, by name). Shortest-path metrics are sampled when every source would
// cost more than budget (sources times nodes and ties).
func Analyse(s *view.Snapshot, orgs []view.Ref, budget float64) *Result {
	start := time.Now()
	n := Project(s, orgs)
	pm := shortestPaths(n, budget, 1)
	pr := pageRank(n, pageRankTolerance)
	comm := louvain(n)
	rc, reachExact := reachOf(n, reachShare*budget)
	r := &Result{Net: n, comm: comm, byID: make(map[string]int32, n.N()), ids: make([]string, n.N())}
	for i, o := range n.Orgs {
		r.ids[i] = s.Record(o).Key
		r.byID[r.ids[i]] = int32(i)
	}
	r.Info = graph.AnalysisInfo{Organizations: n.N(), Ties: n.Ties(), Exact: pm.exact, ErrorBound: pm.errorBound, ReachExact: reachExact, Version: s.Version()}
	if !pm.exact {
		r.Info.Confidence = Confidence
	}
	r.Centrality = make([]graph.Centrality, n.N())
	for i := range n.N() {
		adj, w := n.Partners(i)
		wd := 0
		for _, x := range w {
			wd += int(x)
		}
		c := graph.Centrality{
			OrganizationID: r.ids[i], Degree: len(adj), WeightedDegree: wd,
			Closeness: pm.closeness[i], Harmonic: pm.harmonic[i], Betweenness: pm.betweenness[i],
			PageRank: pr[i], Reach: rc[i],
			Exact: pm.exact, ErrorBound: pm.errorBound, Confidence: r.Info.Confidence, ReachExact: reachExact, NetworkSize: n.N(),
		}
		if comm[i] >= 0 {
			c.Community = communityID(comm[i])
		}
		r.Centrality[i] = c
	}
	r.communities()
	r.bridges()
	// Every answer is computed; only an export reads the ties again
	// (Result.network), and the whole network's are the largest thing an
	// analysis holds (about 110 MB at 100,000 organizations).
	n.Off, n.Adj, n.W = nil, nil, nil
	r.Took = time.Since(start)
	return r
}

// network returns the analysed network with its ties: projected again from
// the snapshot and organizations it was made of, as Analyse lets them go.
// Project is deterministic, so the nodes and events are numbered as in
// r.Net.
func (r *Result) network() *Network {
	if r.Net.Off != nil {
		return r.Net
	}
	return Project(r.Net.S, r.Net.Orgs)
}

func communityID(k int) string { return fmt.Sprintf("community-%d", k+1) }

// communities fills Communities: members by name, the most central by
// PageRank, the dominant themes (stated or derived from the members'
// events) and the ties that leave the community.
func (r *Result) communities() {
	n := r.Net
	var groups [][]int
	for i, k := range r.comm {
		if k < 0 {
			continue
		}
		for len(groups) <= k {
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], i)
	}
	evThemes := make([][]view.Ref, len(n.Events))
	evDone := make([]bool, len(n.Events))
	r.Communities = make([]graph.Community, len(groups))
	for k, g := range groups {
		c := graph.Community{ID: communityID(k), Size: len(g), Members: make([]string, len(g))}
		counts := map[view.Ref]int{}
		for m, i := range g {
			c.Members[m] = r.ids[i]
			themes := n.S.LinkedRefs(n.Orgs[i], true, graph.TypeTheme, graph.RelTheme)
			for _, e := range n.OrgEvents[i] {
				if !evDone[e] {
					evThemes[e], evDone[e] = n.S.LinkedRefs(n.Events[e], true, graph.TypeTheme, graph.RelTheme), true
				}
				themes = append(themes, evThemes[e]...)
			}
			slices.Sort(themes)
			for _, t := range slices.Compact(themes) {
				counts[t]++
			}
			adj, _ := n.Partners(i)
			for _, j := range adj {
				if r.comm[j] != k {
					c.Ties++
				}
			}
		}
		central := slices.Clone(g)
		slices.SortStableFunc(central, func(a, b int) int { return cmp.Compare(r.Centrality[b].PageRank, r.Centrality[a].PageRank) })
		for _, i := range central[:min(maxCentral, len(central))] {
			c.Central = append(c.Central, r.ids[i])
		}
		themes := make([]view.Ref, 0, len(counts))
		for t := range counts {
			themes = append(themes, t)
		}
		themes = n.S.SortRefs(themes)
		slices.SortStableFunc(themes, func(a, b view.Ref) int { return counts[b] - counts[a] })
		for _, t := range themes[:min(maxThemes, len(themes))] {
			c.Themes = append(c.Themes, graph.ThemeCount{ThemeID: n.S.Record(t).Key, Count: counts[t]})
		}
		r.Communities[k] = c
	}
}

// bridges finds the articulation points and the ties between communities.
func (r *Result) bridges() {
	n := r.Net
	r.aps = articulationPoints(n) // in node order: by name
	slices.SortStableFunc(r.aps, func(a, b articulation) int { return b.separated - a.separated })
	// Only the heaviest MaxList are kept (no question asks for more), and
	// their number: the ties met so far are cut back to MaxList whenever
	// twice as many are held. A stable sort keeps node order among ties of
	// one weight, so the cut keeps what one sort of them all would.
	heaviest := func() {
		slices.SortStableFunc(r.crossing, func(a, b tie) int { return int(b.w - a.w) })
		r.crossing = r.crossing[:min(len(r.crossing), MaxList)]
	}
	for i := range n.N() {
		adj, w := n.Partners(i)
		for k, j := range adj {
			if int(j) > i && r.comm[i] >= 0 && r.comm[j] >= 0 && r.comm[i] != r.comm[j] {
				r.crossing = append(r.crossing, tie{int32(i), j, w[k]})
				r.crossingTotal++
				if len(r.crossing) == 2*MaxList {
					heaviest()
				}
			}
		}
	}
	heaviest()
}

// Of returns the centrality of an organization, and false when it is not
// in the network.
func (r *Result) Of(id string) (*graph.Centrality, bool) {
	i, ok := r.byID[id]
	if !ok {
		return nil, false
	}
	c := r.Centrality[i]
	return &c, true
}

// CommunityOf returns the community of an organization, and false when it
// is not in the network or has no tie.
func (r *Result) CommunityOf(id string) (*graph.Community, bool) {
	i, ok := r.byID[id]
	if !ok || r.comm[i] < 0 {
		return nil, false
	}
	c := r.Communities[r.comm[i]]
	return &c, true
}

// Score returns the value of metric m in c.
func Score(c *graph.Centrality, m graph.Metric) float64 {
	switch m {
	case graph.MetricDegree:
		return float64(c.Degree)
	case graph.MetricWeightedDegree:
		return float64(c.WeightedDegree)
	case graph.MetricCloseness:
		return c.Closeness
	case graph.MetricHarmonic:
		return c.Harmonic
	case graph.MetricBetweenness:
		return c.Betweenness
	case graph.MetricPageRank:
		return c.PageRank
	default:
		return float64(c.Reach)
	}
}

// Order returns the ids of the network's organizations by metric m,
// highest first, ties by name; computed once per metric.
func (r *Result) Order(m graph.Metric) ([]string, error) {
	k := slices.Index(metricIndex[:], m)
	if k < 0 {
		return nil, graph.Errorf(graph.CodeInvalid, "ranking", "unknown metric %q: use one of %v", m, graph.Metrics)
	}
	o := &r.orders[k]
	o.once.Do(func() {
		nodes := make([]int, r.Net.N())
		for i := range nodes {
			nodes[i] = i
		}
		slices.SortStableFunc(nodes, func(a, b int) int {
			return cmp.Compare(Score(&r.Centrality[b], m), Score(&r.Centrality[a], m))
		})
		o.ids = make([]string, len(nodes))
		for i, x := range nodes {
			o.ids[i] = r.ids[x]
		}
	})
	return o.ids, nil
}

// Bridges returns the first articulation points (most separated first) and
// the first ties between communities (heaviest first, with their shared
// events by name).
func (r *Result) Bridges(first int) graph.Bridges {
	b := graph.Bridges{TotalArticulationPoints: len(r.aps), TotalCommunityTies: r.crossingTotal}
	for _, a := range r.aps[:min(first, len(r.aps))] {
		b.ArticulationPoints = append(b.ArticulationPoints, graph.ArticulationPoint{OrganizationID: r.ids[a.node], Parts: a.parts, Separated: a.separated})
	}
	for _, t := range r.crossing[:min(first, len(r.crossing))] {
		b.CommunityTies = append(b.CommunityTies, graph.CommunityTie{
			A: r.ids[t.i], B: r.ids[t.j], ACommunity: communityID(r.comm[t.i]), BCommunity: communityID(r.comm[t.j]),
			Weight: int(t.w), Events: r.sharedEvents(int(t.i), int(t.j)),
		})
	}
	return b
}

// sharedEvents returns the ids of the events nodes i and j both took part
// in, by name.
func (r *Result) sharedEvents(i, j int) []string {
	n := r.Net
	var refs []view.Ref
	a, b := n.OrgEvents[i], n.OrgEvents[j]
	for x, y := 0, 0; x < len(a) && y < len(b); {
		switch {
		case a[x] < b[y]:
			x++
		case a[x] > b[y]:
			y++
		default:
			refs = append(refs, n.Events[a[x]])
			x, y = x+1, y+1
		}
	}
	return n.S.IDs(n.S.SortRefs(refs))
}
