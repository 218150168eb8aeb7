package network

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// profile is what the network questions count about one organization.
type profile struct {
	themes, levels, places, events []view.Ref // stated or derived; by name
	degree                         int        // number of partners
}

// derived is what is derived from the whole graph of one snapshot: every
// organization's profile, the whole-graph facet counts, and per theme and
// per policy level the organizations whose profile names it, by name.
type derived struct {
	profiles             profileVec // by organization ref (advance.go)
	counts               *facetCounts
	themeOrgs, levelOrgs map[view.Ref][]view.Ref
}

// perSnapshot caches one value computed from a whole snapshot, for the
// latest snapshot asked about: readers of that snapshot share one
// computation (the first computes, the others wait for it); a reader of a
// newer snapshot replaces the entry, and a reader of an older one computes
// its own value without caching it. It keeps the latest snapshot alive
// until a newer one is asked about.
//
// With advance, the value of a newer snapshot is made from the value of the
// snapshot cached before it when advance can (it returns false when it
// cannot, and the value is built whole).
type perSnapshot[T any] struct {
	build   func(*view.Snapshot) T
	advance func(old *view.Snapshot, v T, s *view.Snapshot) (T, bool)
	cur     atomic.Pointer[snapshotEntry[T]]
}

type snapshotEntry[T any] struct {
	s    *view.Snapshot
	from *snapshotEntry[T] // the entry this one replaced, until computed
	once sync.Once
	done atomic.Bool
	v    T
}

// compute makes the value of e: advanced from the entry it replaced when
// that one is computed (waiting for it if it is being computed), built
// whole otherwise.
func (c *perSnapshot[T]) compute(e *snapshotEntry[T]) {
	from := e.from
	e.from = nil // the older snapshot is not kept beyond this
	if from != nil && c.advance != nil {
		from.once.Do(func() {}) // waits for a computation under way
		if from.done.Load() {
			if v, ok := c.advance(from.s, from.v, e.s); ok {
				e.v = v
				return
			}
		}
	}
	e.v = c.build(e.s)
}

// get returns the value of s, computing it when it is not cached.
func (c *perSnapshot[T]) get(s *view.Snapshot) T {
	for {
		e := c.cur.Load()
		if e != nil && e.s == s {
			e.once.Do(func() {
				c.compute(e)
				e.done.Store(true)
			})
			return e.v
		}
		if e != nil && e.s.Version() > s.Version() {
			return c.build(s)
		}
		c.cur.CompareAndSwap(e, &snapshotEntry[T]{s: s, from: e})
	}
}

// ready returns the value of s when it is computed, without computing it.
func (c *perSnapshot[T]) ready(s *view.Snapshot) (T, bool) {
	if e := c.cur.Load(); e != nil && e.s == s && e.done.Load() {
		return e.v, true
	}
	var zero T
	return zero, false
}

// PerSnapshot is the per-snapshot cache of this file for other packages
// (the network analyses of package analysis): one value computed from a
// whole snapshot, for the latest snapshot asked about.
type PerSnapshot[T any] struct{ c perSnapshot[T] }

// NewPerSnapshot returns a cache of the values build computes.
func NewPerSnapshot[T any](build func(*view.Snapshot) T) *PerSnapshot[T] {
	return &PerSnapshot[T]{c: perSnapshot[T]{build: build}}
}

// Get returns the value of s, computing it when it is not cached: readers
// of the latest snapshot share one computation, a reader of an older one
// computes its own.
func (c *PerSnapshot[T]) Get(s *view.Snapshot) T { return c.c.get(s) }

// Ready returns the value of s when it is computed, without computing it.
func (c *PerSnapshot[T]) Ready(s *view.Snapshot) (T, bool) { return c.c.ready(s) }

// Profile is what is derived about one organization from the whole graph:
// its themes and policy levels (stated or derived), places and events, each
// by name.
type Profile struct {
	Themes, Levels, Places, Events []view.Ref
}

// ProfileOf returns the profile of an organization of s (the zero Profile
// for a ref that is not one), from the whole graph's derived data (computed
// on first use per snapshot, as for facets).
func ProfileOf(s *view.Snapshot, org view.Ref) Profile {
	p := wholeGraph.get(s).profiles.get(org)
	if p == nil {
		return Profile{}
	}
	return Profile{Themes: p.themes, Levels: p.levels, Places: p.places, Events: p.events}
}

// wholeGraph is the derived data of the latest snapshot asked about.
// It is advanced from the one before when the writes between them are known
// (advanceDerived).
var wholeGraph = perSnapshot[*derived]{build: buildDerived, advance: advanceDerived}

// Warm computes the derived data of s now (every organization's profile and
// the whole-graph facet counts), so that the first facets, introductions
// or DEGREE-ordered list on s does not wait for it. Its cost is that of
// every organization's events, the participants and themes of those events
// (each event read once) and the policy levels of the themes.
func Warm(s *view.Snapshot) { wholeGraph.get(s) }

// buildDerived computes the profile of every organization of s.
func buildDerived(s *view.Snapshot) *derived {
	orgs := s.ByType(graph.TypeOrganization)
	// The organizations are profiled in parts, one goroutine each, each
	// with its own profiler (its memos are its own).
	parts := min(runtime.GOMAXPROCS(0), 1+len(orgs)/4096)
	profiles := make([]*profile, len(orgs))
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := k*len(orgs)/parts, (k+1)*len(orgs)/parts
		wg.Go(func() {
			m := newProfiler(s)
			for i := lo; i < hi; i++ {
				profiles[i] = m.profile(orgs[i])
			}
		})
	}
	wg.Wait()
	d := &derived{themeOrgs: map[view.Ref][]view.Ref{}, levelOrgs: map[view.Ref][]view.Ref{}}
	owned := map[int]bool{}
	for i, o := range orgs {
		p := profiles[i]
		d.profiles.set(o, p, owned)
		for _, t := range p.themes {
			d.themeOrgs[t] = append(d.themeOrgs[t], o) // orgs come by name
		}
		for _, l := range p.levels {
			d.levelOrgs[l] = append(d.levelOrgs[l], o)
		}
	}
	d.counts = count(d.profiles.get, orgs)
	return d
}

// profiler computes profiles, reading each event's and theme's relations
// once.
type profiler struct {
	s           *view.Snapshot
	eventThemes map[view.Ref][]view.Ref
	eventOrgs   map[view.Ref][]view.Ref
	themeLevels map[view.Ref][]view.Ref
	stamp       []int32 // per organization ref: the last profile that counted it as a partner
	profiles    int32
}

func newProfiler(s *view.Snapshot) *profiler {
	return &profiler{s: s, eventThemes: map[view.Ref][]view.Ref{}, eventOrgs: map[view.Ref][]view.Ref{}, themeLevels: map[view.Ref][]view.Ref{}}
}

func (m *profiler) of(memo map[view.Ref][]view.Ref, r view.Ref, forward bool, t graph.NodeType, rels ...graph.Relation) []view.Ref {
	if refs, ok := memo[r]; ok {
		return refs
	}
	refs := m.s.LinkedRefs(r, forward, t, rels...)
	memo[r] = refs
	return refs
}

// profile computes one organization's profile.
func (m *profiler) profile(org view.Ref) *profile {
	s := m.s
	p := &profile{
		events: s.LinkedRefs(org, true, graph.TypeEvent, view.ParticipationRels...),
		places: s.LinkedRefs(org, true, graph.TypePlace, graph.RelPlace),
	}
	themes := s.LinkedRefs(org, true, graph.TypeTheme, graph.RelTheme)
	// Partners are counted with a stamp per organization rather than a set
	// per profile: a hub event's participants are walked once per
	// participant, so the walk must not allocate.
	m.profiles++
	for _, ev := range p.events {
		themes = append(themes, m.of(m.eventThemes, ev, true, graph.TypeTheme, graph.RelTheme)...)
		for _, o := range m.of(m.eventOrgs, ev, false, graph.TypeOrganization, view.ParticipationRels...) {
			if int(o) >= len(m.stamp) {
				m.stamp = append(m.stamp, make([]int32, int(o)+1-len(m.stamp)+len(m.stamp)/2)...)
			}
			if o != org && m.stamp[o] != m.profiles {
				m.stamp[o] = m.profiles
				p.degree++
			}
		}
	}
	p.themes = s.SortRefs(themes)
	levels := s.LinkedRefs(org, true, graph.TypePolicyLevel, graph.RelPolicyLevel)
	for _, t := range p.themes {
		levels = append(levels, m.of(m.themeLevels, t, true, graph.TypePolicyLevel, graph.RelPolicyLevel)...)
	}
	p.levels = s.SortRefs(levels)
	return p
}

// eventCount counts the events an organization took part in, in any role.
func eventCount(s *view.Snapshot, org view.Ref) int {
	var evs []view.Ref
	for _, rel := range view.ParticipationRels {
		for _, e := range s.LinkRefs(org, rel, true) {
			if s.Record(e.Other).Type == graph.TypeEvent {
				evs = append(evs, e.Other)
			}
		}
	}
	return len(uniqueRefs(evs))
}

// onDemandDegrees is the longest list whose degrees are computed one by one
// when the whole graph's are not computed for the snapshot yet: a degree
// costs the participants of the organization's events.
const onDemandDegrees = 1000

// degreesOf returns the number of partners of the organizations of a list:
// from the whole graph's profiles when they are computed (or the list is
// long), else one by one.
func degreesOf(s *view.Snapshot, list []item) func(view.Ref) int {
	d, ok := wholeGraph.ready(s)
	if !ok && len(list) > onDemandDegrees {
		d, ok = wholeGraph.get(s), true
	}
	if ok {
		return func(r view.Ref) int {
			if p := d.profiles.get(r); p != nil {
				return p.degree
			}
			return 0
		}
	}
	return func(r view.Ref) int { return len(partnerTies(s, r).ties) }
}

// facetCounts are Facets before the nodes are loaded.
type facetCounts struct {
	total                          int
	themes, levels, places, events map[view.Ref]int
	matrix                         map[[2]view.Ref]int // theme, level
	// the whole graph's counts ranked by the facets questions (Facets),
	// for the largest first asked yet; clone does not copy them
	ranked atomic.Pointer[rankedTop]
}

// rankedTop is the first k entries of each list of facet counts, ranked
// (k 0: every entry).
type rankedTop struct {
	k int
	r *rankedFacets
}

// top returns the first entries (0: every one) of the whole graph's counts
// c, ranked once per snapshot for the largest first asked: after a write
// the first question ranks the new counts with a bounded heap, later ones
// cost their own size. Readers that race rank alike; one result stays.
func (c *facetCounts) top(s *view.Snapshot, first int) *rankedFacets {
	if t := c.ranked.Load(); t != nil && (t.k == 0 || first > 0 && first <= t.k) {
		return t.r
	}
	t := &rankedTop{k: first, r: rankFacets(s, c, first)}
	c.ranked.Store(t)
	return t.r
}

// count adds up the profiles of orgs (profile gives each one's, nil for
// none).
func count(profile func(view.Ref) *profile, orgs []view.Ref) *facetCounts {
	c := &facetCounts{themes: map[view.Ref]int{}, levels: map[view.Ref]int{}, places: map[view.Ref]int{}, events: map[view.Ref]int{}, matrix: map[[2]view.Ref]int{}}
	for _, o := range orgs {
		if p := profile(o); p != nil {
			c.add(p, 1)
		}
	}
	return c
}
