// Package live is the graph ThriveGraph serves: every write goes through the
// store (graph.Log, the system of record), and every read is answered from
// the newest read-model snapshot (package view), which each committed write
// advances by its own deltas. On a store that several servers share
// (graph.Feed: PostgreSQL, CockroachDB) it also follows the store's change
// log, so that every server's read model takes every server's writes, in
// the same order (follow.go). A request pins one snapshot (Pin) and reads
// it from start to end; readers never lock.
package live

import (
	"context"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Graph implements graph.Store over a graph.Log and its read model.
type Graph struct {
	log graph.Log
	cur atomic.Pointer[state]

	feed    graph.Feed                    // the shared store's change log, or nil
	adv     sync.Mutex                    // feed: held while the read model advances (follow.go)
	changed atomic.Pointer[chan struct{}] // feed: closed and replaced at each advance (WaitFor)

	checkpoint string         // the checkpoint file (checkpoint.go), or ""
	saved      *view.Snapshot // the snapshot the checkpoint file holds
	logger     *slog.Logger   // where a checkpoint not saved is told; nil: nowhere
}

var (
	_ graph.Store     = (*Graph)(nil)
	_ graph.Pinner    = (*Graph)(nil)
	_ graph.Versioned = (*Graph)(nil)
)

// state is a snapshot and the change-log version it holds (0 on a store
// without a change log).
type state struct {
	snap    *view.Snapshot
	version uint64
}

// Open builds the read model from one scan of the store. On a shared store
// it is then brought to the newest entry of the change log.
func Open(ctx context.Context, log graph.Log) (*Graph, error) {
	g := &Graph{log: log}
	if f, ok := log.(graph.Feed); ok && f.Shared() {
		g.feed = f
		if err := g.rebuild(ctx); err != nil {
			return nil, err
		}
		return g, nil
	}
	snap, err := build(ctx, log.Scan)
	if err != nil {
		return nil, graph.Internal("build read model", err)
	}
	g.cur.Store(&state{snap: snap})
	debug.FreeOSMemory() // the build's garbage is several times the snapshot
	return g, nil
}

// build reads the store in one goroutine and builds the snapshot in
// another, so that reading (the disk, decoding) and building overlap.
func build(ctx context.Context, scan func(context.Context, func(quad.Quad)) error) (*view.Snapshot, error) {
	const batchSize = 4096
	batches := make(chan []quad.Quad, 16)
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		batch := make([]quad.Quad, 0, batchSize)
		err := scan(ctx, func(q quad.Quad) {
			batch = append(batch, q)
			if len(batch) == batchSize {
				select {
				case batches <- batch:
				case <-ctx.Done():
				}
				batch = make([]quad.Quad, 0, batchSize)
			}
		})
		if err == nil && len(batch) > 0 {
			batches <- batch
		}
		errc <- err
	}()
	b := view.NewBuilder()
	for batch := range batches {
		for _, q := range batch {
			b.Add(q)
		}
	}
	if err := <-errc; err != nil {
		return nil, err
	}
	return b.Snapshot(), nil
}

// Log returns the store under the graph.
func (g *Graph) Log() graph.Log { return g.log }

// Close writes the checkpoint, when the graph has one and it changed, and
// closes the store. A checkpoint that cannot be written is logged: the
// store holds every write, and the next start builds from it.
func (g *Graph) Close() error {
	if err := g.SaveCheckpoint(context.Background()); err != nil && g.logger != nil {
		g.logger.Warn("read model checkpoint not saved", "path", g.checkpoint, "err", err)
	}
	return g.log.Close()
}

// Snapshot returns the newest snapshot.
func (g *Graph) Snapshot() *view.Snapshot { return g.cur.Load().snap }

type pinKey struct{}

// pin is the snapshot one request reads; a write made within the request
// moves it to the snapshot after the write, so the request reads its own
// writes.
type pin struct {
	g  *Graph
	st atomic.Pointer[state]
}

// Pin returns a context whose reads all see the snapshot newest now, and
// the snapshots of the writes made through it. A context pinned on g
// already is returned as it is: one request, one snapshot.
func (g *Graph) Pin(ctx context.Context) context.Context {
	if p, ok := ctx.Value(pinKey{}).(*pin); ok && p.g == g {
		return ctx
	}
	p := &pin{g: g}
	p.st.Store(g.cur.Load())
	return context.WithValue(ctx, pinKey{}, p)
}

// Version returns the version of the snapshot a read through ctx sees
// (graph.Versioned): every write makes a new one.
func (g *Graph) Version(ctx context.Context) uint64 { return g.snap(ctx).Version() }

// LogVersion returns the change-log version of the snapshot a read through
// ctx sees: the same on every server sharing the store (0 on a store
// without a change log).
func (g *Graph) LogVersion(ctx context.Context) uint64 { return g.state(ctx).version }

// SnapshotOf returns the snapshot a read through ctx sees: the one ctx
// pinned (Pin), else the newest. The network analyses compute over it.
func (g *Graph) SnapshotOf(ctx context.Context) *view.Snapshot { return g.snap(ctx) }

// snap returns the snapshot a read through ctx sees.
func (g *Graph) snap(ctx context.Context) *view.Snapshot { return g.state(ctx).snap }

// state returns the state a read through ctx sees.
func (g *Graph) state(ctx context.Context) *state {
	if p, ok := ctx.Value(pinKey{}).(*pin); ok && p.g == g {
		return p.st.Load()
	}
	return g.cur.Load()
}

// Apply makes a change through the store and advances the read model by
// what it committed.
func (g *Graph) Apply(ctx context.Context, c graph.Change) (graph.LoadResult, error) {
	if g.feed != nil {
		return g.applyShared(ctx, c)
	}
	var before, after *state
	res, err := g.log.Apply(ctx, c, func(removed, added []quad.Quad) {
		before = g.cur.Load()
		after = &state{snap: before.snap.Apply(deltasOf(removed, added))}
		g.cur.Store(after)
	})
	if err != nil {
		return res, err
	}
	g.moved(ctx, &res, before, after)
	return res, nil
}

// moved moves the request's pin to the state after its write, and counts
// what the write changed in the read model.
func (g *Graph) moved(ctx context.Context, res *graph.LoadResult, before, after *state) {
	if p, ok := ctx.Value(pinKey{}).(*pin); ok && p.g == g {
		p.st.Store(after)
	}
	res.NodesAdded, res.NodesRemoved = after.snap.Created()
	res.EdgesAdded = after.snap.LinkCount() - before.snap.LinkCount() + res.EdgesRemoved
}

// deltasOf is a write as view deltas: removals, then additions.
func deltasOf(removed, added []quad.Quad) []view.Delta {
	deltas := make([]view.Delta, 0, len(removed)+len(added))
	for _, q := range removed {
		deltas = append(deltas, view.Delta{Quad: q, Remove: true})
	}
	for _, q := range added {
		deltas = append(deltas, view.Delta{Quad: q})
	}
	return deltas
}

// Load writes the batches in one transaction.
func (g *Graph) Load(ctx context.Context, batches ...*graph.Batch) (graph.LoadResult, error) {
	return g.Apply(ctx, graph.Change{Add: batches})
}

// FactsKept reads, from the store, the facts about a node that an edit
// keeps (graph.Log.FactsKept).
func (g *Graph) FactsKept(ctx context.Context, sel graph.NodeSelector, keep func(graph.Fact) bool) (*graph.Quads, error) {
	return g.log.FactsKept(ctx, sel, keep)
}

// Export writes the whole store as N-Quads.
func (g *Graph) Export(ctx context.Context, w io.Writer) error { return g.log.Export(ctx, w) }

// Empty reports whether the store holds no quad. A read model holding
// records answers at once; an empty one asks the store, which may hold
// quads the read model does not keep.
func (g *Graph) Empty(ctx context.Context) (bool, error) {
	if g.snap(ctx).Len() > 0 {
		return false, nil
	}
	return g.log.Empty(ctx)
}

// Counts sizes the graph: entities, relations and sources from the read
// model, quads from the store.
func (g *Graph) Counts(ctx context.Context) (graph.Counts, error) {
	s := g.snap(ctx)
	c := graph.Counts{Nodes: map[graph.NodeType]int{}, Links: s.LinkCount(), Sources: len(s.Sources()), Quads: g.log.QuadCount(ctx)}
	for _, t := range graph.NodeTypes {
		if n := len(s.ByType(t)); n > 0 {
			c.Nodes[t] = n
		}
	}
	return c, nil
}

// TypesOf returns the types of the ids that are entities.
func (g *Graph) TypesOf(ctx context.Context, ids []string) (map[string]graph.NodeType, error) {
	s := g.snap(ctx)
	out := map[string]graph.NodeType{}
	for _, id := range ids {
		if t := s.TypeOf(id); t != "" {
			out[id] = t
		}
	}
	return out, nil
}

// quads reads every quad of the store.
func (g *Graph) quads(ctx context.Context) ([]quad.Quad, error) {
	var all []quad.Quad
	err := g.log.Scan(ctx, func(q quad.Quad) { all = append(all, q) })
	return all, err
}

// Batches reads the whole store back as one batch per source
// (graph.BatchesOf), for the CSV export.
func (g *Graph) Batches(ctx context.Context) ([]*graph.Batch, error) {
	all, err := g.quads(ctx)
	if err != nil {
		return nil, graph.Internal("batches", err)
	}
	return graph.BatchesOf(all)
}
