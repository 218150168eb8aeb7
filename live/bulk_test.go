package live_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/store"
	"github.com/thrivegraph/thrivegraph/view"
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
	res := addUnseen(pinned, t, g, w, load, before)
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

// TestBulkShared loads through a graph on a shared PostgreSQL store in
// many chunks of one transaction: the writing server's readers see the
// snapshot from before the load until it commits, then the whole load at
// its one change-log version, with the read model's counts; another
// server's follower takes the load as that one version; both read models
// are then the one an Apply of the same change makes.
func TestBulkShared(t *testing.T) {
	ctx := context.Background()
	old := store.BulkChunk
	store.BulkChunk = 50
	defer func() { store.BulkChunk = old }()
	dsn := postgresDatabase(t)
	if dsn == "" {
		t.Skip("no PostgreSQL server: set THRIVEGRAPH_TEST_POSTGRES (eval \"$(scripts/start-postgres.sh)\")")
	}
	cfg := graph.Config{Backend: graph.BackendPostgres, DSN: dsn}
	g, other := openDSN(t, cfg), openDSN(t, cfg)
	if _, err := g.Load(ctx, bigBatch("first", 5)); err != nil {
		t.Fatal(err)
	}
	if err := other.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	before, head := g.Snapshot(), g.LogVersion(ctx)
	pinned := g.Pin(ctx)
	load := bigBatch("second", 60).Quads()
	w, err := g.Bulk(pinned, []string{"first"}, len(load))
	if err != nil || w == nil {
		t.Fatalf("Bulk: %v, %v", w, err)
	}
	res := addUnseen(pinned, t, g, w, load, before)
	w.Abort() // after Commit: nothing
	after := g.Snapshot()
	if after == before || g.SnapshotOf(pinned) != after || g.LogVersion(ctx) != head+1 || res.Version != head+1 {
		t.Fatalf("the load's snapshot is not published at version %d (at %d, load's %d), or the pin did not move to it", head+1, g.LogVersion(ctx), res.Version)
	}
	// "first" replaced: its 5 organizations and events stay (in "second"
	// too), its links and source go; 110 new entities but the theme.
	if res.NodesAdded != 110 || res.EdgesAdded != 120 || res.QuadsAdded == 0 || res.QuadsRemoved == 0 {
		t.Errorf("counts %+v, want 110 nodes and 120 edges added, quads added and removed", res)
	}
	var versions []uint64
	if err := g.Log().(graph.Feed).Entries(ctx, head, false, func(e graph.LogEntry) error { versions = append(versions, e.Version); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(versions) != 1 {
		t.Errorf("the load is %d change-log versions, want one", len(versions))
	}
	if err := other.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if other.LogVersion(ctx) != head+1 {
		t.Errorf("the other server is at version %d, want %d", other.LogVersion(ctx), head+1)
	}
	// The read models are those of one Apply of the same change (which,
	// on every backend, keeps one record more than a fresh scan builds
	// after a replace: compared with that, not with a scan).
	ref := openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: postgresDatabase(t)})
	if _, err := ref.Load(ctx, bigBatch("first", 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := ref.Apply(ctx, graph.Change{RemoveSources: []string{"first"}, Quads: []*graph.Quads{graph.NewQuads(load, nil)}}); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	ref.Snapshot().WriteCheckpoint(&want, "")
	for name, s := range map[string]*live.Graph{"the writing server": g, "the other server": other} {
		var got bytes.Buffer
		s.Snapshot().WriteCheckpoint(&got, "")
		if s.Snapshot().Len() != ref.Snapshot().Len() || s.Snapshot().LinkCount() != ref.Snapshot().LinkCount() || got.Len() != want.Len() {
			t.Errorf("%s's read model (%d records, %d links) differs from one Apply's (%d, %d)",
				name, s.Snapshot().Len(), s.Snapshot().LinkCount(), ref.Snapshot().Len(), ref.Snapshot().LinkCount())
		}
	}

	// An aborted load leaves everything as it was, and the follower free.
	w, err = g.Bulk(ctx, nil, len(load))
	if err != nil || w == nil {
		t.Fatalf("Bulk: %v, %v", w, err)
	}
	if err := w.Add(ctx, bigBatch("third", 60).Quads()...); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	w.Abort()
	if err := g.CatchUp(ctx); err != nil || g.Snapshot() != after || g.LogVersion(ctx) != head+1 {
		t.Errorf("after an aborted load: version %d, same snapshot %v, %v", g.LogVersion(ctx), g.Snapshot() == after, err)
	}
}

// addUnseen adds load through w, 40 quads at a time, checking that readers
// see the snapshot before after each, and commits it.
func addUnseen(ctx context.Context, t *testing.T, g *live.Graph, w graph.BulkWriter, load []quad.Quad, before *view.Snapshot) graph.LoadResult {
	t.Helper()
	for i := 0; i < len(load); i += 40 {
		if err := w.Add(ctx, load[i:min(i+40, len(load))]...); err != nil {
			t.Fatal(err)
		}
		if g.Snapshot() != before {
			t.Fatalf("after %d quads of the load, readers see another snapshot", i+40)
		}
	}
	res, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
