package analysis

import (
	"context"
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Limits of the questions.
const (
	DefaultBrokers     = 10
	DefaultCommunities = 10
	DefaultBridges     = 20
	MaxList            = 100  // brokers, communities, bridges
	MaxMembers         = 1000 // a community's members in one answer
)

// checkFirst checks a first argument: at least 1, at most max.
func checkFirst(op string, first, max int) error {
	if first < 1 {
		return graph.Errorf(graph.CodeInvalid, op, "first must be at least 1")
	}
	if first > max {
		return graph.Errorf(graph.CodeLimit, op, "first must be at most %d", max)
	}
	return nil
}

// info is r's AnalysisInfo, marked stale when it is.
func info(r *Result, stale bool) graph.AnalysisInfo {
	i := r.Info
	i.Stale = stale
	return i
}

// Centrality returns where an organization stands in the network f selects
// (nil: every organization); one the filter leaves out is BAD_USER_INPUT.
// An organization newer than a stale analysis is NOT_READY.
func (a *Analyzer) Centrality(ctx context.Context, org string, f *graph.OrganizationFilter) (*graph.Centrality, error) {
	const op = "centrality"
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return nil, err
	}
	c, ok := r.Of(org)
	if !ok {
		if stale {
			return nil, notReady(op)
		}
		return nil, graph.Errorf(graph.CodeInvalid, op, "%s is not in the network the filter selects", org)
	}
	c.Stale = stale
	return c, nil
}

// Community returns the community of an organization in the network f
// selects: nil when it is not in it or has no tie.
func (a *Analyzer) Community(ctx context.Context, org string, f *graph.OrganizationFilter) (*graph.Community, error) {
	const op = "community"
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return nil, err
	}
	c, ok := r.CommunityOf(org)
	if !ok && stale {
		if _, in := r.Of(org); !in {
			return nil, notReady(op)
		}
	}
	return c, nil
}

// Ranking pages through the organizations of the network f selects by
// metric m, highest first (ties by name), with the analysis' info.
func (a *Analyzer) Ranking(ctx context.Context, m graph.Metric, f *graph.OrganizationFilter, p graph.Page) (graph.Connection[graph.Ranked], graph.AnalysisInfo, error) {
	const op = "ranking"
	if err := checkFirst(op, p.First, graph.MaxPageSize); err != nil {
		return graph.Connection[graph.Ranked]{}, graph.AnalysisInfo{}, err
	}
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return graph.Connection[graph.Ranked]{}, graph.AnalysisInfo{}, err
	}
	ids, err := r.Order(m)
	if err != nil {
		return graph.Connection[graph.Ranked]{}, graph.AnalysisInfo{}, err
	}
	start, end, err := graph.Window(op, ids, p)
	if err != nil {
		return graph.Connection[graph.Ranked]{}, graph.AnalysisInfo{}, err
	}
	s := a.snap(ctx)
	c := graph.Connection[graph.Ranked]{TotalCount: len(ids), HasNextPage: end < len(ids), Items: []graph.Ranked{}}
	for k := start; k < end; k++ {
		if rk, ok := ranked(s, r, ids[k], k+1, m, stale); ok {
			c.Items = append(c.Items, rk)
			c.Cursors = append(c.Cursors, graph.Cursor(ids[k]))
		}
	}
	return c, info(r, stale), nil
}

// ranked is an organization of r in a ranking by m, as the snapshot s
// read has it; false when s has it no more (r is stale).
func ranked(s *view.Snapshot, r *Result, id string, rank int, m graph.Metric, stale bool) (graph.Ranked, bool) {
	o, ok := s.NodeByID(id).(*graph.Organization)
	if !ok {
		return graph.Ranked{}, false
	}
	c, _ := r.Of(id)
	c.Stale = stale
	return graph.Ranked{Organization: o, Rank: rank, Score: Score(c, m), Exact: exactScore(c, m), Centrality: c}, true
}

// exactScore says whether the value of metric m in c is exact.
func exactScore(c *graph.Centrality, m graph.Metric) bool {
	switch {
	case m == graph.MetricReach:
		return c.ReachExact
	case Sampled[m]:
		return c.Exact
	}
	return true
}

// Brokers returns the organizations that bridge the most of the network f
// selects: the first by betweenness, those with none left out.
func (a *Analyzer) Brokers(ctx context.Context, f *graph.OrganizationFilter, first int) ([]graph.Ranked, error) {
	const op = "brokers"
	if err := checkFirst(op, first, MaxList); err != nil {
		return nil, err
	}
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return nil, err
	}
	ids, _ := r.Order(graph.MetricBetweenness)
	s := a.snap(ctx)
	out := []graph.Ranked{}
	for k, id := range ids {
		if len(out) == first {
			break
		}
		rk, ok := ranked(s, r, id, k+1, graph.MetricBetweenness, stale)
		if rk.Score <= 0 {
			break
		}
		if ok {
			out = append(out, rk)
		}
	}
	return out, nil
}

// Communities returns the first communities of the network f selects,
// largest first, with the analysis' info.
func (a *Analyzer) Communities(ctx context.Context, f *graph.OrganizationFilter, first int) (graph.Communities, error) {
	const op = "communities"
	if err := checkFirst(op, first, MaxList); err != nil {
		return graph.Communities{}, err
	}
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return graph.Communities{}, err
	}
	items := r.Communities[:min(first, len(r.Communities))]
	if stale { // the themes a stale analysis names may be gone since
		snap := a.snap(ctx)
		kept := make([]graph.Community, len(items))
		for i, c := range items {
			c.Themes = slices.DeleteFunc(slices.Clone(c.Themes), func(t graph.ThemeCount) bool { return snap.TypeOf(t.ThemeID) != graph.TypeTheme })
			kept[i] = c
		}
		items = kept
	}
	return graph.Communities{TotalCount: len(r.Communities), Items: items, Info: info(r, stale)}, nil
}

// Bridges returns the first articulation points and ties between
// communities of the network f selects, with the analysis' info.
func (a *Analyzer) Bridges(ctx context.Context, f *graph.OrganizationFilter, first int) (graph.Bridges, error) {
	const op = "bridges"
	if err := checkFirst(op, first, MaxList); err != nil {
		return graph.Bridges{}, err
	}
	r, stale, err := a.Analysis(ctx, op, f)
	if err != nil {
		return graph.Bridges{}, err
	}
	b := r.Bridges(first)
	b.Info = info(r, stale)
	if stale { // the organizations a stale analysis names may be gone since
		snap := a.snap(ctx)
		gone := func(id string) bool { return snap.TypeOf(id) != graph.TypeOrganization }
		b.ArticulationPoints = slices.DeleteFunc(slices.Clone(b.ArticulationPoints), func(p graph.ArticulationPoint) bool { return gone(p.OrganizationID) })
		b.CommunityTies = slices.DeleteFunc(slices.Clone(b.CommunityTies), func(t graph.CommunityTie) bool { return gone(t.A) || gone(t.B) })
	}
	return b, nil
}

// Members returns the first members of a community, by name, after
// checking first.
func Members(c *graph.Community, first int) ([]string, error) {
	if err := checkFirst("community members", first, MaxMembers); err != nil {
		return nil, err
	}
	return c.Members[:min(first, len(c.Members))], nil
}
