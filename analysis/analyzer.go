package analysis

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/network"
	"github.com/thrivegraph/thrivegraph/view"
)

// Options tunes an Analyzer. The zero value is ready to use.
type Options struct {
	// InlineLimit is the most organizations a network may have for the
	// request that asks about it to compute its analysis (a sub-network
	// of up to 5,000 organizations takes well under a second). A larger
	// whole network is computed in the background, and until it is ready
	// its questions answer NOT_READY or the previous snapshot's values
	// marked stale; a filter that selects more is LIMIT_EXCEEDED. 0 means
	// DefaultInlineLimit; negative computes every network, filtered or not,
	// in the background.
	InlineLimit int
	// Logger is told when a background analysis is done; nil: nowhere.
	Logger *slog.Logger
}

// DefaultInlineLimit is the default Options.InlineLimit.
const DefaultInlineLimit = 5000

// SubBudget is the work (sources times nodes and ties) a network computed
// in a request may take before its shortest-path metrics are sampled (and
// a tenth of it, its exact reach): a few tenths of a second on two cores
// (measured 1.1 s for 4,500 organizations at 1e8 on the shared machine).
const SubBudget = 5e7

// maxFilters is how many sub-networks (filters) keep their analysis.
const maxFilters = 32

// Analyzer computes and caches the network analyses of a graph's snapshots:
// one whole-network analysis per snapshot, made in the background (Run,
// after start and after every write) or by the first question about it,
// and the analyses of the sub-networks filters select. A question about a
// snapshot whose analysis is not ready answers the latest ready one marked
// stale, or a NOT_READY error when there is none. Its methods are safe for
// concurrent use.
type Analyzer struct {
	snap   func(context.Context) *view.Snapshot
	inline int
	logger *slog.Logger
	bg     chan struct{} // one background analysis at a time
	// running is set while Run keeps the whole network warm: questions
	// then leave starting its background analyses to Run, which lets a
	// burst of writes settle first.
	running atomic.Bool

	mu    sync.Mutex
	slots map[string]*slot // by filter key; "" is the whole network
	lru   []string         // filter keys but "", least recently used first
}

// slot is the analyses of one network (a filter) across snapshots.
type slot struct {
	cur  *run    // of the newest snapshot asked about
	last *Result // the newest analysis made
}

// run is the analysis of one snapshot, done when done is closed (res is nil
// when a newer snapshot superseded it before it started).
type run struct {
	s      *view.Snapshot
	inline bool
	done   chan struct{}
	res    *Result
}

// New returns an Analyzer over the snapshots snap gives: the snapshot a
// request's context pinned (live.Graph.SnapshotOf).
func New(snap func(context.Context) *view.Snapshot, opts Options) *Analyzer {
	inline := opts.InlineLimit
	if inline == 0 {
		inline = DefaultInlineLimit
	}
	return &Analyzer{snap: snap, inline: inline, logger: opts.Logger, bg: make(chan struct{}, 1), slots: map[string]*slot{}}
}

// filterKey names the network a filter selects: "" for every organization.
func filterKey(f *graph.OrganizationFilter) string {
	if f == nil || isZero(f) {
		return ""
	}
	b, _ := json.Marshal(f) // a struct of strings and a bool
	return string(b)
}

func isZero(f *graph.OrganizationFilter) bool {
	return len(f.Themes) == 0 && len(f.AnyThemes) == 0 && len(f.PolicyLevels) == 0 && len(f.Events) == 0 &&
		len(f.Places) == 0 && f.NameContains == "" && !f.StatedOnly && f.AnyThemes == nil
}

// slotOf returns the slot of a key, making it; a.mu is held.
func (a *Analyzer) slotOf(key string) *slot {
	sl := a.slots[key]
	if sl == nil {
		sl = &slot{}
		a.slots[key] = sl
	}
	if key != "" {
		if i := slices.Index(a.lru, key); i >= 0 {
			a.lru = slices.Delete(a.lru, i, i+1)
		}
		a.lru = append(a.lru, key)
		if len(a.lru) > maxFilters {
			delete(a.slots, a.lru[0])
			a.lru = a.lru[1:]
		}
	}
	return sl
}

// orgsOf lists the organizations of the network a filter selects, by name.
func orgsOf(s *view.Snapshot, op string, f *graph.OrganizationFilter) ([]view.Ref, error) {
	if f == nil || isZero(f) {
		return s.ByType(graph.TypeOrganization), nil
	}
	return network.FilterRefs(s, op, *f, nil)
}

// budgetOf is the shortest-path budget of a network: a whole network's
// analysis in the background may take longer than a request's.
func budgetOf(inline bool) float64 {
	if inline {
		return SubBudget
	}
	return WholeBudget
}

// Analysis returns the analysis of the network f selects (nil: every
// organization) in the snapshot ctx reads, and whether it is the stale
// analysis of an earlier snapshot. op names the question in errors.
func (a *Analyzer) Analysis(ctx context.Context, op string, f *graph.OrganizationFilter) (*Result, bool, error) {
	r, stale, err := a.get(a.snap(ctx), op, f)
	if flag, ok := ctx.Value(staleKey{}).(*atomic.Bool); ok && stale {
		flag.Store(true)
	}
	return r, stale, err
}

type staleKey struct{}

// WatchStale returns a context whose analyses set flag when they answer
// the stale analysis of an earlier snapshot: so that a response holding
// stale values can say so, and no cache keeps it.
func WatchStale(ctx context.Context, flag *atomic.Bool) context.Context {
	return context.WithValue(ctx, staleKey{}, flag)
}

func (a *Analyzer) get(s *view.Snapshot, op string, f *graph.OrganizationFilter) (*Result, bool, error) {
	key := filterKey(f)
	for {
		a.mu.Lock()
		sl := a.slotOf(key)
		cur := sl.cur
		a.mu.Unlock()
		if cur != nil && cur.s == s {
			return a.await(op, sl, cur)
		}
		orgs, err := orgsOf(s, op, f)
		if err != nil {
			return nil, false, err
		}
		inline := a.inline >= 0 && len(orgs) <= a.inline
		if key != "" && a.inline >= 0 && !inline {
			// Only the whole network is analysed in the background: a
			// request could otherwise queue any number of large ones.
			return nil, false, graph.Errorf(graph.CodeLimit, op,
				"the filter selects %d organizations; a sub-network is analysed for at most %d (narrow the filter, or ask without one for the whole network)", len(orgs), a.inline)
		}
		if cur != nil && cur.s.Version() > s.Version() {
			// An earlier snapshot than one already asked about (a request
			// pinned before a write): computed for itself, never cached.
			if inline {
				return Analyse(s, orgs, SubBudget), false, nil
			}
			return a.stale(op, sl)
		}
		if !inline && key == "" && a.running.Load() {
			// Run starts it once the writes have settled: a question must
			// not start the analysis of a snapshot a write is replacing.
			return a.stale(op, sl)
		}
		a.mu.Lock()
		if sl.cur != cur { // another request started one meanwhile
			a.mu.Unlock()
			continue
		}
		r := &run{s: s, inline: inline, done: make(chan struct{})}
		sl.cur = r
		a.mu.Unlock()
		if inline {
			a.compute(sl, r, orgs)
		} else {
			go a.background(sl, r, orgs)
		}
		return a.await(op, sl, r)
	}
}

// await returns the result of r: waited for when it is computed inline,
// else the latest result marked stale or NOT_READY until it is done.
func (a *Analyzer) await(op string, sl *slot, r *run) (*Result, bool, error) {
	if r.inline {
		<-r.done
	}
	select {
	case <-r.done:
		if r.res != nil {
			return r.res, false, nil
		}
	default:
	}
	return a.stale(op, sl)
}

// stale returns the latest result of a slot, marked stale, or NOT_READY.
func (a *Analyzer) stale(op string, sl *slot) (*Result, bool, error) {
	a.mu.Lock()
	last := sl.last
	a.mu.Unlock()
	if last != nil {
		return last, true, nil
	}
	return nil, false, notReady(op)
}

func notReady(op string) error {
	return graph.Errorf(graph.CodeNotReady, op, "the network analysis of this version of the graph is being computed in the background (a large network takes up to a minute after start or a write); ask again shortly")
}

// compute makes the analysis of r.
func (a *Analyzer) compute(sl *slot, r *run, orgs []view.Ref) {
	res := Analyse(r.s, orgs, budgetOf(r.inline))
	a.mu.Lock()
	r.res = res
	if sl.last == nil || sl.last.Info.Version <= res.Info.Version {
		sl.last = res
	}
	a.mu.Unlock()
	close(r.done)
}

// background makes the analysis of r after the one in progress, unless a
// newer snapshot superseded r meanwhile.
func (a *Analyzer) background(sl *slot, r *run, orgs []view.Ref) {
	a.bg <- struct{}{}
	defer func() { <-a.bg }()
	a.mu.Lock()
	superseded := sl.cur != r
	a.mu.Unlock()
	if superseded {
		close(r.done)
		return
	}
	a.compute(sl, r, orgs)
	// The projection's ties and the passes over them are garbage many
	// times the result's size: give it back to the system now (readers
	// already have the result), not over the scavenger's minutes.
	debug.FreeOSMemory()
	if a.logger != nil && r.res != nil {
		a.logger.Info("network analysis ready", "organizations", r.res.Info.Organizations, "ties", r.res.Info.Ties,
			"exact", r.res.Info.Exact, "error_bound", r.res.Info.ErrorBound, "took", r.res.Took.Round(time.Millisecond).String(), "version", r.res.Info.Version)
	}
}

// Warm makes the whole network's analysis of s and waits for it (or for
// ctx): what Run does for every new snapshot.
func (a *Analyzer) Warm(ctx context.Context, s *view.Snapshot) {
	a.mu.Lock()
	sl := a.slotOf("")
	r := sl.cur
	if r == nil || r.s != s && r.s.Version() <= s.Version() {
		r = &run{s: s, done: make(chan struct{})}
		sl.cur = r
		go a.background(sl, r, s.ByType(graph.TypeOrganization))
	}
	a.mu.Unlock()
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}

// Run keeps the whole network's analysis of the newest snapshot ready
// until ctx is done: it looks at latest every interval and analyses the
// snapshot at once after start, and after writes once the snapshot has not
// changed for an interval (a burst of writes is analysed once, at its
// newest snapshot). While it runs, questions start no whole-network
// analysis themselves.
func (a *Analyzer) Run(ctx context.Context, latest func() *view.Snapshot, every time.Duration) {
	a.running.Store(true)
	defer a.running.Store(false)
	t := time.NewTicker(every)
	defer t.Stop()
	var done, seen *view.Snapshot
	for {
		switch s := latest(); {
		case s == done:
		case done != nil && s != seen: // a write: wait for the next one
			seen = s
		default:
			a.Warm(ctx, s)
			done = s
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Ready returns the whole network's analysis of the snapshot ctx reads,
// waiting for it (or for ctx) while it is computed: for an export, which
// must hold one snapshot's values.
func (a *Analyzer) Ready(ctx context.Context, op string) (*Result, error) {
	s := a.snap(ctx)
	a.Warm(ctx, s)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, _, err := a.get(s, op, nil)
	return r, err
}
