package resolvers

import (
	"context"

	"github.com/thrivegraph/thrivegraph/graph"
)

// The resolvers read the graph through the store, which answers from the
// snapshot the request pinned (handler.go): every read is in memory, so a
// nested field asks for its own item, and a list of ids is looked up with
// one call (graph.Store.Nodes).

// nodeAs looks id up and returns it as a T: the zero T (nil) when it is
// missing or of another type.
func nodeAs[T graph.Node](ctx context.Context, store graph.Store, id string) (T, error) {
	n, err := store.Node(ctx, id)
	t, _ := n.(T)
	return t, err
}

// nodesAs looks ids up with one call and keeps, in order, those of Go type
// T (missing ids and other types are skipped).
func nodesAs[T graph.Node](ctx context.Context, store graph.Store, ids []string) ([]T, error) {
	ns, err := store.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ns))
	for _, n := range ns {
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}
