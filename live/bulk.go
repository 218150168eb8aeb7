package live

import (
	"context"
	"errors"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Bulk starts a load of about quads quads (the loader's streaming path)
// in many transactions of the store (graph.BulkLog), or in chunks of one
// (PostgreSQL), first removing every quad of removeSources. It returns nil
// when the load is better made by one Apply: the store writes no bulk
// loads (memory, CockroachDB), or the load fits in one of its chunks.
//
// Readers see the snapshot from before the load until it has been
// switched in: each transaction advances a pending snapshot, published at
// the switch (the store's as well as the read model's), so a query sees
// the whole load or none of it. A server that dies during the load loses
// nothing: the store is as before the load, and the client gets no
// answer (or an error) and may send it again.
//
// On a shared store (PostgreSQL) the read model is a function of the
// change log (follow.go), so it takes the load as it takes any write:
// as the load's one entry, once committed (sharedBulk).
func (g *Graph) Bulk(ctx context.Context, removeSources []string, quads int) (graph.BulkWriter, error) {
	bl, ok := g.log.(graph.BulkLog)
	if !ok || bl.BulkChunk() == 0 || quads <= bl.BulkChunk() {
		return nil, nil
	}
	if g.feed != nil {
		return g.sharedBulk(ctx, bl, removeSources)
	}
	w := &bulk{g: g}
	bw, err := bl.BeginBulk(ctx, removeSources, graph.BulkHooks{Written: w.written, Switched: w.switched})
	if err != nil {
		return nil, err
	}
	w.BulkWriter = bw
	return w, nil
}

// bulk is a bulk load through the graph: the store's writer, and the
// snapshot it will publish.
type bulk struct {
	graph.BulkWriter
	g             *Graph
	before, after *state
	pending       *view.Snapshot
	deleted       int // entities the transactions deleted
}

func (w *bulk) written(removed, added []quad.Quad) {
	if w.pending == nil {
		w.before = w.g.cur.Load()
		w.pending = w.before.snap
	}
	w.pending = w.pending.Apply(deltasOf(removed, added))
	_, d := w.pending.Created()
	w.deleted += d
}

// entities counts the entities of a snapshot.
func entities(s *view.Snapshot) int {
	n := 0
	for _, t := range graph.NodeTypes {
		n += len(s.ByType(t))
	}
	return n
}

func (w *bulk) switched() {
	if w.pending == nil {
		return
	}
	w.after = &state{snap: w.pending}
	w.g.cur.Store(w.after)
}

// Commit commits the store's load and counts what it changed in the read
// model.
func (w *bulk) Commit(ctx context.Context) (graph.LoadResult, error) {
	res, err := w.BulkWriter.Commit(ctx)
	if err != nil || w.after == nil {
		return res, err
	}
	if p, ok := ctx.Value(pinKey{}).(*pin); ok && p.g == w.g {
		p.st.Store(w.after)
	}
	if w.deleted == 0 { // else the store's counts: a node removed and added again is neither
		res.NodesAdded, res.NodesRemoved = entities(w.after.snap)-entities(w.before.snap), 0
	}
	res.EdgesAdded = w.after.snap.LinkCount() - w.before.snap.LinkCount() + res.EdgesRemoved
	return res, nil
}

// sharedBulk is a bulk load on a shared store, through the graph: the
// store's writer, holding g.adv from the start of the load to its end, as
// applyShared holds it for a write. No other write of any server commits
// meanwhile (the load holds the change log's lock), so the follower waits
// for nothing but the load.
type sharedBulk struct {
	graph.BulkWriter
	g    *Graph
	done bool
}

// sharedBulk starts a bulk load of the shared store. The store's chunks
// tell the read model nothing (no hooks): it applies the load's change-log
// entry at the commit, as every other server's follower does. That entry
// is read whole, so a server's memory grows with the load for as long as
// its read model takes it in, not while the load is written.
func (g *Graph) sharedBulk(ctx context.Context, bl graph.BulkLog, removeSources []string) (graph.BulkWriter, error) {
	g.adv.Lock()
	bw, err := bl.BeginBulk(ctx, removeSources, graph.BulkHooks{})
	if err != nil {
		g.adv.Unlock()
		return nil, err
	}
	return &sharedBulk{BulkWriter: bw, g: g}, nil
}

// Commit commits the store's load and advances the read model to its
// version (reading, from the primary, the entries before it this server
// does not hold yet, and the load's), counting what it changed there, as
// applyShared does.
func (w *sharedBulk) Commit(ctx context.Context) (graph.LoadResult, error) {
	if w.done {
		return w.BulkWriter.Commit(ctx) // the store's error
	}
	w.done = true
	defer w.g.adv.Unlock()
	res, err := w.BulkWriter.Commit(ctx)
	if err != nil || res.Version == 0 { // failed, or changed nothing
		return res, err
	}
	g := w.g
	var before, after *state
	err = g.feed.Entries(ctx, g.cur.Load().version, true, func(e graph.LogEntry) error {
		if e.Version > res.Version {
			return errStop
		}
		if e.Version == res.Version {
			before = g.cur.Load()
		}
		st := g.advance(e)
		if e.Version == res.Version {
			after = st
			return errStop
		}
		return nil
	})
	if (err != nil && !errors.Is(err, errStop)) || after == nil || before.version+1 != res.Version {
		// The load committed; the follower applies it once it can read
		// it, and the counts are the store's.
		return res, nil
	}
	g.moved(ctx, &res, before, after)
	return res, nil
}

// Abort ends the load without a trace; after Commit it does nothing.
func (w *sharedBulk) Abort() {
	w.BulkWriter.Abort()
	if !w.done {
		w.done = true
		w.g.adv.Unlock()
	}
}
