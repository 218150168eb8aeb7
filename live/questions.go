package live

import (
	"context"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/network"
	"github.com/thrivegraph/thrivegraph/view"
)

// ThemeOrganizations pages through the organizations with a theme, stated
// or derived, by name.
func (g *Graph) ThemeOrganizations(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	s := g.snap(ctx)
	return page[*graph.Organization](s, "theme organizations", s.OrgsWithTheme(id), p)
}

// PolicyLevelOrganizations pages through the organizations at a policy
// level, stated or derived through their themes, by name.
func (g *Graph) PolicyLevelOrganizations(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	s := g.snap(ctx)
	return page[*graph.Organization](s, "policy level organizations", s.OrgsAtLevel(id), p)
}

// Organizations pages through the organizations that pass the filter.
func (g *Graph) Organizations(ctx context.Context, f graph.OrganizationFilter, p graph.Page) (graph.Connection[*graph.Organization], error) {
	s := g.snap(ctx)
	return network.Organizations(s, f, p, orgNames(s))
}

// Partners pages through an organization's partners, strongest tie first.
func (g *Graph) Partners(ctx context.Context, id string, p graph.Page) (graph.Connection[graph.Partner], error) {
	return network.Partners(g.snap(ctx), id, p)
}

// Path returns a shortest path between two nodes, or nil.
func (g *Graph) Path(ctx context.Context, from, to string, maxHops int) (*graph.Path, error) {
	return network.Path(g.snap(ctx), from, to, maxHops)
}

// Paths returns up to q.First shortest paths between two nodes.
func (g *Graph) Paths(ctx context.Context, from, to string, q graph.PathQuery) ([]*graph.Path, error) {
	return network.Paths(g.snap(ctx), from, to, q)
}

// Neighborhood returns the nodes and links around a node.
func (g *Graph) Neighborhood(ctx context.Context, id string, q graph.NeighborhoodQuery) (*graph.Neighborhood, error) {
	return network.Neighborhood(g.snap(ctx), id, q)
}

// CommonGround tells what two organizations share.
func (g *Graph) CommonGround(ctx context.Context, a, b string) (*graph.CommonGround, error) {
	return network.CommonGround(g.snap(ctx), a, b)
}

// Introductions suggests organizations an organization could meet.
func (g *Graph) Introductions(ctx context.Context, org string, first int) ([]graph.Introduction, error) {
	return network.Introductions(g.snap(ctx), org, first)
}

// Facets counts organizations by theme, level, place and event.
func (g *Graph) Facets(ctx context.Context, f *graph.OrganizationFilter, first int) (*graph.Facets, error) {
	s := g.snap(ctx)
	return network.Facets(s, f, first, orgNames(s))
}

// Search limits.
const (
	maxSearchResults = 100
	maxSearchText    = 200
)

// Search finds entities by name, alias and description, best first.
func (g *Graph) Search(ctx context.Context, text string, first int) ([]graph.SearchHit, error) {
	const op = "search"
	switch {
	case first < 0:
		return nil, graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	case first > maxSearchResults:
		return nil, graph.Errorf(graph.CodeLimit, op, "first must be at most %d", maxSearchResults)
	case len(text) > maxSearchText:
		return nil, graph.Errorf(graph.CodeLimit, op, "search text must be at most %d bytes", maxSearchText)
	case first == 0:
		return []graph.SearchHit{}, nil
	}
	s := g.snap(ctx)
	found := s.Search().Match(text, false, first, nil)
	hits := make([]graph.SearchHit, 0, len(found))
	for _, f := range found {
		if n := s.NodeByID(f.ID); n != nil {
			hits = append(hits, graph.SearchHit{Node: n, Score: f.Score})
		}
	}
	return hits, nil
}

// orgNames answers a nameContains filter from the snapshot's search index:
// the organizations with the text in a name or an alias.
func orgNames(s *view.Snapshot) network.NameMatcher {
	return func(q string) []string {
		hits := s.Search().Match(q, true, 0, func(_ string, t graph.NodeType) bool { return t == graph.TypeOrganization })
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		return ids
	}
}
