package store

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

func bigBatch(source string, n int) *graph.Batch {
	b := &graph.Batch{Source: graph.Source{ID: source, Title: "Big"}}
	b.Nodes = append(b.Nodes, graph.NodeRecord{ID: "big-theme", Type: graph.TypeTheme, Name: "Big theme"})
	for i := range n {
		org, ev := fmt.Sprintf("big-org-%d", i), fmt.Sprintf("big-event-%d", i)
		b.Nodes = append(b.Nodes,
			graph.NodeRecord{ID: org, Type: graph.TypeOrganization, Name: fmt.Sprintf("Big Org %d", i), Kinds: []string{"funder"}},
			graph.NodeRecord{ID: ev, Type: graph.TypeEvent, Name: fmt.Sprintf("Big Event %d", i), EventKind: "webinar"})
		b.Links = append(b.Links,
			graph.Link{From: org, Relation: graph.RelParticipatedIn, To: ev},
			graph.Link{From: org, Relation: graph.RelTheme, To: "big-theme"})
	}
	return b
}

// TestBulkBuckets loads with the value buckets created first (as loads of
// 50,000 quads and more do) and checks the graph is the same as without.
func TestBulkBuckets(t *testing.T) {
	ctx := context.Background()
	old := bulkThreshold
	bulkThreshold = 10
	defer func() { bulkThreshold = old }()
	path := filepath.Join(t.TempDir(), "bulk.db")
	mem, err := Open(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	for i, b := range []*graph.Batch{bigBatch("one", 300), bigBatch("two", 50)} {
		s, err := Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{b}}, nil) // the second store opened finds the buckets
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Apply(ctx, graph.Change{Add: []*graph.Batch{b}}, nil); err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		s.Export(ctx, &got)
		mem.Export(ctx, &want)
		if got.String() != want.String() || res.QuadsAdded == 0 {
			t.Errorf("load %d: bbolt with buckets first differs from memory (%d vs %d bytes), %+v", i, got.Len(), want.Len(), res)
		}
		if !s.bucketsReady {
			t.Errorf("load %d: the value buckets were not prepared", i)
		}
		s.Close()
	}
}
