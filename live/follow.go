package live

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// On a shared store (graph.Feed) the read model is a function of the
// change log: the snapshot of version v is the snapshot of version v-1
// with entry v applied, and every server applies the same entries in the
// same order, whichever server wrote them. A server's own write is applied
// when it commits (applyShared), any other when the follower reads it
// (CatchUp). g.adv orders both.

// errStop ends a walk of the change log early.
var errStop = errors.New("stop")

// FollowOptions tune Follow.
type FollowOptions struct {
	// Poll is how often the change log is read when no notification
	// came (a backstop for lost notifications, and the only way on a
	// backend without them); 0 is one second.
	Poll time.Duration
	// Logger is told of the follower's failures and recoveries; nil: none.
	Logger *slog.Logger
}

// Follow keeps the read model in step with the shared store's change log
// until ctx ends: it reads the entries after its version when the database
// notifies a write, when its connection to it is back after a loss, and
// every opts.Poll. A store without a change log returns at once.
func (g *Graph) Follow(ctx context.Context, opts FollowOptions) {
	if g.feed == nil {
		return
	}
	poll := opts.Poll
	if poll <= 0 {
		poll = time.Second
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var target atomic.Uint64 // the newest version notified
	wake := make(chan struct{}, 1)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		g.feed.Watch(ctx, func(v uint64) {
			for {
				t := target.Load()
				if v <= t || target.CompareAndSwap(t, v) {
					break
				}
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		})
	}()
	defer func() { <-watched }()
	var (
		failing error
		lagging time.Time // since when the standby is behind a notified version
	)
	for {
		err := g.CatchUp(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && failing == nil:
			logger.Warn("read model: cannot follow the change log; serving the last version read", "version", g.cur.Load().version, "err", err)
		case err == nil && failing != nil:
			logger.Info("read model: following the change log again", "version", g.cur.Load().version)
		}
		failing = err
		wait := poll
		if v := g.cur.Load().version; err == nil && v < target.Load() {
			// Notified by the primary, not yet on the followed standby:
			// look again soon, for one poll interval at most.
			if lagging.IsZero() {
				lagging = time.Now()
			}
			if time.Since(lagging) < poll {
				wait = 20 * time.Millisecond
			}
		} else {
			lagging = time.Time{}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// CatchUp applies every entry of the change log after the read model's
// version, each as one new snapshot. When the log no longer holds them
// (truncated), it rebuilds the read model from a scan.
func (g *Graph) CatchUp(ctx context.Context) error {
	if g.feed == nil {
		return nil
	}
	g.adv.Lock()
	defer g.adv.Unlock()
	err := g.feed.Entries(ctx, g.cur.Load().version, false, func(e graph.LogEntry) error {
		g.advance(e)
		return nil
	})
	if graph.ErrorCode(err) == graph.CodeTruncated {
		return g.rebuildLocked(ctx)
	}
	return err
}

// advance applies one entry. Callers hold g.adv.
func (g *Graph) advance(e graph.LogEntry) *state {
	cur := g.cur.Load()
	if e.Version <= cur.version {
		return cur
	}
	next := &state{snap: cur.snap.Apply(deltasOf(e.Removed, e.Added)), version: e.Version}
	g.store(next)
	return next
}

// store makes st the newest state and wakes WaitFor. Callers hold g.adv.
func (g *Graph) store(st *state) {
	g.cur.Store(st)
	ch := make(chan struct{})
	if old := g.changed.Swap(&ch); old != nil {
		close(*old)
	}
}

// rebuild builds the read model from a scan of the store and brings it to
// the newest entry of the change log.
func (g *Graph) rebuild(ctx context.Context) error {
	g.adv.Lock()
	defer g.adv.Unlock()
	return g.rebuildLocked(ctx)
}

// rebuildLocked is rebuild; callers hold g.adv. The scan reads the quads
// of one version of the change log (graph.Feed.ScanAt); the entries after
// it, committed while it ran, are applied next.
func (g *Graph) rebuildLocked(ctx context.Context) error {
	const op = "build read model"
	var v uint64
	snap, err := build(ctx, func(ctx context.Context, fn func(quad.Quad)) error {
		var err error
		v, err = g.feed.ScanAt(ctx, fn)
		return err
	})
	if err != nil {
		return graph.Internal(op, err)
	}
	if prev := g.cur.Load(); prev != nil {
		snap = snap.Succeeding(prev.snap) // versions only grow, for caches keyed on them
	}
	g.store(&state{snap: snap, version: v})
	debug.FreeOSMemory() // the build's garbage is several times the snapshot
	err = g.feed.Entries(ctx, v, false, func(e graph.LogEntry) error {
		g.advance(e)
		return nil
	})
	if graph.ErrorCode(err) == graph.CodeTruncated {
		return graph.Internal(op, err) // truncated within one scan: a retention far too short
	}
	return err
}

// applyShared makes a change on a shared store and applies it to the read
// model, after any entries of other servers it does not hold yet (read
// from the primary, which has them: they committed before this write took
// its version).
func (g *Graph) applyShared(ctx context.Context, c graph.Change) (graph.LoadResult, error) {
	g.adv.Lock()
	defer g.adv.Unlock()
	var entry graph.LogEntry
	res, err := g.log.Apply(ctx, c, func(removed, added []quad.Quad) { entry.Removed, entry.Added = removed, added })
	if err != nil {
		return res, err
	}
	entry.Version = res.Version
	if cur := g.cur.Load(); cur.version+1 < entry.Version {
		err := g.feed.Entries(ctx, cur.version, true, func(e graph.LogEntry) error {
			if e.Version >= entry.Version {
				return errStop
			}
			g.advance(e)
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			// The write committed; the follower applies it with the
			// entries before it once it can read them.
			return res, nil
		}
	}
	before := g.cur.Load()
	if before.version+1 != entry.Version {
		return res, nil
	}
	g.moved(ctx, &res, before, g.advance(entry))
	return res, nil
}

// WaitFor waits until the read model holds change-log version v, or ctx
// ends; it reports whether it does.
func (g *Graph) WaitFor(ctx context.Context, v uint64) bool {
	for {
		changed := g.changed.Load() // before the state: a later advance closes it
		if g.cur.Load().version >= v {
			return true
		}
		if changed == nil {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-*changed:
		}
	}
}

// Shared reports whether the graph is on a shared store and follows its
// change log.
func (g *Graph) Shared() bool { return g.feed != nil }

// Ready reports whether the graph can answer: on a shared store, whether
// the database the read model follows answers; on the others (a file or
// memory of this process, opened whole before the graph was), always. It
// never waits for a write: readers are answered from the read model while
// one runs. (It once asked the store whether it was empty, which on bbolt
// walks Cayley's log up to the first quad: 1.7 s at 100,000 organizations,
// and the whole length of a write.)
func (g *Graph) Ready(ctx context.Context) error {
	if g.feed != nil {
		return g.feed.Ping(ctx)
	}
	return nil
}
