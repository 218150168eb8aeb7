package resolvers

import (
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers/model"
)

// orderedPage is page with the orderBy argument of a list of organizations;
// null keeps the list's own order.
func orderedPage(first *int, after *string, orderBy *model.OrganizationOrder) graph.Page {
	p := page(first, after)
	if orderBy != nil {
		p.Order = graph.Order(*orderBy)
	}
	return p
}

// relationsOf turns the relations argument into store relations; the store
// validates the names.
func relationsOf(names []string) []graph.Relation {
	out := make([]graph.Relation, len(names))
	for i, n := range names {
		out[i] = graph.Relation(n)
	}
	return out
}

// intOr returns *v, or def for an explicit null.
// facetLimit maps the facets' first argument to the store's limit: null is
// every entry (0); a given first must be at least 1.
func facetLimit(first *int) (int, error) {
	if first == nil {
		return 0, nil
	}
	if *first < 1 {
		return 0, graph.Errorf(graph.CodeInvalid, "facets", "first must be at least 1 (or null for every entry)")
	}
	return *first, nil
}

func intOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}
