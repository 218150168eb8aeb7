package live_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/store"
)

// TestBulkSnapshot loads through the graph in many transactions of the
// store: readers see the snapshot from before the load until it is
// switched in, then the whole load; the read model is then the one a
// fresh scan of the store builds, and the counts are the read model's.
func TestBulkSnapshot(t *testing.T) {
	ctx := context.Background()
	old := store.BulkChunk
	store.BulkChunk = 50
	defer func() { store.BulkChunk = old }()
	path := filepath.Join(t.TempDir(), "bulk.db")
	g, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.Load(ctx, bigBatch("first", 5)); err != nil {
		t.Fatal(err)
	}
	before := g.Snapshot()
	pinned := g.Pin(ctx)
	load := bigBatch("second", 60).Quads()
	if w, err := g.Bulk(ctx, nil, 10); err != nil || w != nil {
		t.Fatalf("a load of one transaction: Bulk gave %v, %v; want nil (one Apply)", w, err)
	}
	w, err := g.Bulk(pinned, nil, len(load))
	if err != nil || w == nil {
		t.Fatalf("Bulk: %v, %v", w, err)
	}
	for i := 0; i < len(load); i += 40 {
		if err := w.Add(pinned, load[i:min(i+40, len(load))]...); err != nil {
			t.Fatal(err)
		}
		if g.Snapshot() != before {
			t.Fatalf("after %d quads of the load, readers see another snapshot", i+40)
		}
	}
	res, err := w.Commit(pinned)
	if err != nil {
		t.Fatal(err)
	}
	after := g.Snapshot()
	if after == before || g.SnapshotOf(pinned) != after {
		t.Fatal("the load's snapshot is not published, or the loading request's pin did not move to it")
	}
	if res.NodesAdded != 110 || res.EdgesAdded != 120 || res.QuadsAdded == 0 { // 5 of the 60 organizations and events are the first load's
		t.Errorf("counts %+v, want 110 nodes and 120 edges added", res)
	}
	fresh, err := live.Open(ctx, g.Log())
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	after.WriteCheckpoint(&a, "")
	fresh.Snapshot().WriteCheckpoint(&b, "")
	if after.Len() != fresh.Snapshot().Len() || after.LinkCount() != fresh.Snapshot().LinkCount() || a.Len() != b.Len() {
		t.Errorf("the read model after the bulk load (%d records, %d links) differs from one built from the store (%d, %d)",
			after.Len(), after.LinkCount(), fresh.Snapshot().Len(), fresh.Snapshot().LinkCount())
	}
}
