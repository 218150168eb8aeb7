package resolvers

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers/model"
)

// page turns the `first` and `after` arguments of a list field into a store
// page. An explicit null means the default; the store validates the rest.
func page(first *int, after *string) graph.Page {
	p := graph.Page{First: graph.DefaultPageSize}
	if first != nil {
		p.First = *first
	}
	if after != nil {
		p.After = *after
	}
	return p
}

// edges converts a page of the store into what every GraphQL connection has:
// the page info, and one edge per item made by edge. It is the one place
// where store pages become connections.
func edges[T, E any](c graph.Connection[T], edge func(cursor string, item T) E) (*model.PageInfo, []E) {
	info := &model.PageInfo{HasNextPage: c.HasNextPage}
	out := make([]E, len(c.Items))
	for i, item := range c.Items {
		out[i] = edge(c.Cursors[i], item)
	}
	if n := len(c.Cursors); n > 0 {
		info.EndCursor = &c.Cursors[n-1]
	}
	return info, out
}

func organizationConnection(c graph.Connection[*graph.Organization], err error) (*model.OrganizationConnection, error) {
	if err != nil {
		return nil, err
	}
	info, es := edges(c, func(cursor string, o *graph.Organization) *model.OrganizationEdge {
		return &model.OrganizationEdge{Cursor: cursor, Node: o}
	})
	return &model.OrganizationConnection{TotalCount: c.TotalCount, PageInfo: info, Edges: es, Nodes: nonNil(c.Items)}, nil
}

func eventConnection(c graph.Connection[*graph.Event], err error) (*model.EventConnection, error) {
	if err != nil {
		return nil, err
	}
	info, es := edges(c, func(cursor string, e *graph.Event) *model.EventEdge {
		return &model.EventEdge{Cursor: cursor, Node: e}
	})
	return &model.EventConnection{TotalCount: c.TotalCount, PageInfo: info, Edges: es, Nodes: nonNil(c.Items)}, nil
}

func personConnection(c graph.Connection[*graph.Person], err error) (*model.PersonConnection, error) {
	if err != nil {
		return nil, err
	}
	info, es := edges(c, func(cursor string, p *graph.Person) *model.PersonEdge {
		return &model.PersonEdge{Cursor: cursor, Node: p}
	})
	return &model.PersonConnection{TotalCount: c.TotalCount, PageInfo: info, Edges: es, Nodes: nonNil(c.Items)}, nil
}

func partnerConnection(c graph.Connection[graph.Partner], err error) (*model.PartnerConnection, error) {
	if err != nil {
		return nil, err
	}
	nodes := make([]*graph.Organization, len(c.Items))
	info, es := edges(c, func(cursor string, p graph.Partner) *model.PartnerEdge {
		return &model.PartnerEdge{Cursor: cursor, Node: p.Organization, SharedEvents: nonNil(p.SharedEvents), SharedThemes: nonNil(p.SharedThemes)}
	})
	for i, p := range c.Items {
		nodes[i] = p.Organization
	}
	return &model.PartnerConnection{TotalCount: c.TotalCount, PageInfo: info, Edges: es, Nodes: nodes}, nil
}

// sharedSelected tells which of PartnerEdge.sharedEvents and sharedThemes
// the partners field being resolved in ctx selects (through edges), so
// that the store computes only those. Outside an operation (a resolver
// called directly) it asks for both.
func sharedSelected(ctx context.Context) graph.Shared {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return graph.SharedAll
	}
	op := graphql.GetOperationContext(ctx)
	var shared graph.Shared
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{"PartnerConnection"}) {
		if f.Name != "edges" {
			continue
		}
		for _, e := range graphql.CollectFields(op, f.Selections, []string{"PartnerEdge"}) {
			switch e.Name {
			case "sharedEvents":
				shared |= graph.SharedEvents
			case "sharedThemes":
				shared |= graph.SharedThemes
			}
		}
	}
	return shared
}

// nonNil returns list, or an empty list for nil, so that a non-null list
// field is never null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// ptrs passes a store result through, pointing at each item: the generated
// resolvers return []*T where the store returns []T.
func ptrs[T any](items []T, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out, nil
}

// byIDs looks every id up with get, in order, skipping ids the store does not
// know (get returns nil for them).
func byIDs[T comparable](ctx context.Context, ids []string, get func(context.Context, string) (T, error)) ([]T, error) {
	var zero T
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		n, err := get(ctx, id)
		if err != nil {
			return nil, err
		}
		if n != zero {
			out = append(out, n)
		}
	}
	return out, nil
}

// required checks the result of a lookup that a non-null field needs: a
// reference to a missing node is a fault of the graph, not of the client.
func required[T comparable](n T, err error, op, id string) (T, error) {
	var zero T
	if err == nil && n == zero {
		err = &graph.Error{Code: graph.CodeInternal, Op: op, Err: fmt.Errorf("node %q is referenced but missing", id)}
	}
	return n, err
}
