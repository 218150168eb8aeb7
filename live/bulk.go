package live

import (
	"context"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Bulk starts a load of about quads quads (the loader's streaming path)
// in many transactions of the store (graph.BulkLog), first removing every
// quad of removeSources. It returns nil when the load is better made by
// one Apply: the store writes no bulk loads (memory, shared SQL stores),
// or the load fits in one of its transactions.
//
// Readers see the snapshot from before the load until it has been
// switched in: each transaction advances a pending snapshot, published at
// the switch (the store's as well as the read model's), so a query sees
// the whole load or none of it. A server that dies during the load loses
// nothing: the store is as before the load, and the client gets no
// answer (or an error) and may send it again.
func (g *Graph) Bulk(ctx context.Context, removeSources []string, quads int) (graph.BulkWriter, error) {
	bl, ok := g.log.(graph.BulkLog)
	if !ok || g.feed != nil || bl.BulkChunk() == 0 || quads <= bl.BulkChunk() {
		return nil, nil
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
