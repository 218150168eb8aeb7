package live_test

import (
	"context"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
)

// TestRequestReadsOneSnapshot reads twice through one pinned context with
// a write between the reads: both reads see the graph as it was when the
// request began, while a read outside the request sees the write, and a
// write made through the request moves the request to its own write.
func TestRequestReadsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	g := graphtest.Memory(t)
	source := graph.Source{ID: "s", Title: "S"}
	add := func(ctx context.Context, id string) {
		t.Helper()
		b := &graph.Batch{Source: source, Nodes: []graph.NodeRecord{{ID: id, Type: graph.TypeOrganization, Name: id}}}
		if _, err := g.Load(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	count := func(ctx context.Context) int {
		t.Helper()
		c, err := g.Organizations(ctx, graph.OrganizationFilter{}, graph.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		return c.TotalCount
	}
	add(ctx, "a")
	req := g.Pin(ctx)
	if got := count(req); got != 1 {
		t.Fatalf("first read: %d organizations, want 1", got)
	}
	add(ctx, "b") // another request's write
	if got := count(req); got != 1 {
		t.Errorf("second read of the same request: %d organizations, want the 1 it began with", got)
	}
	if org, _ := g.Organization(req, "b"); org != nil {
		t.Errorf("the request sees b, written after it began")
	}
	if got := count(ctx); got != 2 {
		t.Errorf("a new read: %d organizations, want 2", got)
	}
	add(req, "c") // the request's own write
	if got := count(req); got != 3 {
		t.Errorf("after its own write the request reads %d organizations, want 3", got)
	}
}
