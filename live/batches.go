package live

import (
	"context"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// The batch reads of graph.Store answer many ids from one snapshot, result
// i for ids[i]. With the graph in memory there is no round trip to save:
// each is the single read, once per id, on the same snapshot.

// each answers fn for every id on one snapshot.
func each[T any](g *Graph, ctx context.Context, ids []string, fn func(s *view.Snapshot, id string) T) []T {
	s := g.snap(ctx)
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = fn(s, id)
	}
	return out
}

// Nodes returns the entities ids, nil for a missing id.
func (g *Graph) Nodes(ctx context.Context, ids []string) ([]graph.Node, error) {
	return each(g, ctx, ids, (*view.Snapshot).NodeByID), nil
}

// RelatedBatch lists, for every id, the entities linked to it by hop, by
// name, or in the document's order (view.Snapshot.LinkedInOrder).
func (g *Graph) RelatedBatch(ctx context.Context, ids []string, hop graph.Hop) ([][]graph.Node, error) {
	return each(g, ctx, ids, func(s *view.Snapshot, id string) []graph.Node {
		r, ok := s.EntityRef(id)
		if !ok {
			return []graph.Node{}
		}
		return view.LoadRefs[graph.Node](s, s.LinkedInOrder(r, hop.Forward, hop.To, hop.Relation))
	}), nil
}

// OrganizationThemesBatch is OrganizationThemes for many organizations.
func (g *Graph) OrganizationThemesBatch(ctx context.Context, ids []string) ([][]graph.ThemeLink, error) {
	return each(g, ctx, ids, (*view.Snapshot).ThemeLinks), nil
}

// OrganizationPolicyLevelsBatch is OrganizationPolicyLevels for many
// organizations.
func (g *Graph) OrganizationPolicyLevelsBatch(ctx context.Context, ids []string) ([][]*graph.PolicyLevel, error) {
	return each(g, ctx, ids, func(s *view.Snapshot, id string) []*graph.PolicyLevel {
		return view.Load[*graph.PolicyLevel](s, s.LevelsOf(id))
	}), nil
}

// pinned returns a context that reads the snapshot s.
func pinned(ctx context.Context, s *view.Snapshot) context.Context {
	p := &pin{}
	p.snap.Store(s)
	return context.WithValue(ctx, pinKey{}, p)
}

// batchOf answers a single read for many ids on one snapshot.
func batchOf[T any](g *Graph, ctx context.Context, ids []string, read func(context.Context, string) (T, error)) ([]T, error) {
	ctx = pinned(ctx, g.snap(ctx))
	out := make([]T, len(ids))
	for i, id := range ids {
		var err error
		if out[i], err = read(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OrganizationParticipationsBatch is OrganizationParticipations for many
// organizations.
func (g *Graph) OrganizationParticipationsBatch(ctx context.Context, ids []string) ([][]graph.Participation, error) {
	return batchOf(g, ctx, ids, g.OrganizationParticipations)
}

// EventParticipationsBatch is EventParticipations for many events.
func (g *Graph) EventParticipationsBatch(ctx context.Context, ids []string) ([][]graph.Participation, error) {
	return batchOf(g, ctx, ids, g.EventParticipations)
}

// OrganizationAffiliationsBatch is OrganizationAffiliations for many
// organizations.
func (g *Graph) OrganizationAffiliationsBatch(ctx context.Context, ids []string) ([][]graph.Affiliation, error) {
	return batchOf(g, ctx, ids, g.OrganizationAffiliations)
}

// PersonAffiliationsBatch is PersonAffiliations for many people.
func (g *Graph) PersonAffiliationsBatch(ctx context.Context, ids []string) ([][]graph.Affiliation, error) {
	return batchOf(g, ctx, ids, g.PersonAffiliations)
}

// SourceAuthorsBatch is SourceAuthors for many sources.
func (g *Graph) SourceAuthorsBatch(ctx context.Context, ids []string) ([][]*graph.Person, error) {
	return batchOf(g, ctx, ids, g.SourceAuthors)
}

// FiguresBatch is Figures for many nodes.
func (g *Graph) FiguresBatch(ctx context.Context, about []string) ([][]*graph.Figure, error) {
	return batchOf(g, ctx, about, g.Figures)
}

// pagedBatch answers a paged read for many ids on one snapshot, with one
// error slot per id.
func pagedBatch[T any](g *Graph, ctx context.Context, ids []string, p graph.Page, read func(context.Context, string, graph.Page) (graph.Connection[T], error)) ([]graph.Connection[T], []error) {
	ctx = pinned(ctx, g.snap(ctx))
	out := make([]graph.Connection[T], len(ids))
	var errs []error
	for i, id := range ids {
		c, err := read(ctx, id, p)
		if err != nil {
			if errs == nil {
				errs = make([]error, len(ids))
			}
			errs[i] = err
			continue
		}
		out[i] = c
	}
	return out, errs
}

// PartnersBatch is Partners for many organizations, one page each.
func (g *Graph) PartnersBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[graph.Partner], []error) {
	return pagedBatch(g, ctx, ids, p, g.Partners)
}

// EventParticipantsBatch is EventParticipants for many events.
func (g *Graph) EventParticipantsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	return pagedBatch(g, ctx, ids, p, g.EventParticipants)
}

// ThemeOrganizationsBatch is ThemeOrganizations for many themes.
func (g *Graph) ThemeOrganizationsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	return pagedBatch(g, ctx, ids, p, g.ThemeOrganizations)
}

// PolicyLevelOrganizationsBatch is PolicyLevelOrganizations for many policy
// levels.
func (g *Graph) PolicyLevelOrganizationsBatch(ctx context.Context, ids []string, p graph.Page) ([]graph.Connection[*graph.Organization], []error) {
	return pagedBatch(g, ctx, ids, p, g.PolicyLevelOrganizations)
}
