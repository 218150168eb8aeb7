package network

import (
	"cmp"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// randomNetwork builds a random graph of organizations, events, themes,
// policy levels and places, dense enough that most pairs have several
// shortest paths, so that tie-breaking is tested; names are out of id
// order. It returns the snapshot and every entity id.
func randomNetwork(t *testing.T, seed int64) (*view.Snapshot, []string) {
	t.Helper()
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	src := " <https://thrivegraph.org/source/rnd> .\n"
	fmt.Fprintf(&b, "<https://thrivegraph.org/source/rnd> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#Source>%s", src)
	// alt sorts before rnd: the edges it also states name it.
	alt := " <https://thrivegraph.org/source/alt> .\n"
	fmt.Fprintf(&b, "<https://thrivegraph.org/source/alt> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#Source>%s", alt)
	var all []string
	nodes := func(typ string, prefix string, n int) []string {
		var ids []string
		for i := range n {
			id := fmt.Sprintf("%s%02d", prefix, i)
			ids = append(ids, id)
			all = append(all, id)
			fmt.Fprintf(&b, "<https://thrivegraph.org/id/%s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#%s>%s", id, typ, src)
			fmt.Fprintf(&b, "<https://thrivegraph.org/id/%s> <http://schema.org/name> \"%c %s\"%s", id, 'a'+rune(r.Intn(26)), id, src)
		}
		return ids
	}
	orgs := nodes("Organization", "o", 24)
	events := nodes("Event", "e", 8)
	themes := nodes("Theme", "t", 6)
	levels := nodes("PolicyLevel", "l", 3)
	places := nodes("Place", "p", 3)
	link := func(from []string, rel string, to []string, p float64) {
		for _, a := range from {
			for _, z := range to {
				if r.Float64() < p {
					fmt.Fprintf(&b, "<https://thrivegraph.org/id/%s> <https://thrivegraph.org/ns#%s> <https://thrivegraph.org/id/%s>%s", a, rel, z, src)
					if (a[len(a)-1]+z[len(z)-1])%3 == 0 { // a second source states some (chosen without r: the graph stays the same)
						fmt.Fprintf(&b, "<https://thrivegraph.org/id/%s> <https://thrivegraph.org/ns#%s> <https://thrivegraph.org/id/%s>%s", a, rel, z, alt)
					}
				}
			}
		}
	}
	link(orgs, "participatedIn", events, 0.12)
	link(orgs, "hosted", events, 0.03)
	link(orgs, "theme", themes, 0.08)
	link(events, "theme", themes, 0.15)
	link(themes, "policyLevel", levels, 0.3)
	link(orgs, "policyLevel", levels, 0.05)
	link(orgs, "place", places, 0.1)
	link(themes, "broader", themes, 0.1)
	return view.Build(readQuads(t, strings.NewReader(b.String()))), all
}

// plainShortest is the breadth-first search from `from` alone that the
// bidirectional search replaced: the first node to reach a node is its
// parent. The two must find the same walk.
func plainShortest(w *walker, from, to view.Ref, maxHops int, bannedNodes map[view.Ref]bool, bannedEdges map[[2]view.Ref]bool) []hop {
	if from == to {
		return []hop{}
	}
	prev := map[view.Ref]hop{from: {}}
	frontier := []view.Ref{from}
	found := false
	for depth := 0; depth < maxHops && !found && len(frontier) > 0; depth++ {
		var next []view.Ref
		for _, n := range frontier {
			for _, e := range w.ordered(n) {
				if _, seen := prev[e.other]; seen || bannedNodes[e.other] || bannedEdges[[2]view.Ref{n, e.other}] {
					continue
				}
				prev[e.other] = hop{from: n, e: e}
				next = append(next, e.other)
			}
			if _, found = prev[to]; found {
				break
			}
		}
		frontier = next
	}
	if !found {
		return nil
	}
	var hops []hop
	for n := to; n != from; n = prev[n].from {
		hops = append(hops, prev[n])
	}
	slices.Reverse(hops)
	return hops
}

// TestShortestMatchesPlainBFS checks the bidirectional search against the
// plain one on every pair of nodes of random graphs, with every bound of
// hops, a relation filter, and the banned nodes and relations of Yen's
// spur searches.
func TestShortestMatchesPlainBFS(t *testing.T) {
	filters := []map[graph.Relation]bool{nil, {graph.RelParticipatedIn: true, graph.RelHosted: true}, {graph.RelTheme: true, graph.RelBroader: true, graph.RelPolicyLevel: true}}
	for seed := int64(1); seed <= 4; seed++ {
		s, allIDs := randomNetwork(t, seed)
		all := s.Refs(allIDs)
		r := rand.New(rand.NewSource(seed))
		compared, found := 0, 0
		for fi, allow := range filters {
			w := newWalker(s, allow)
			// Hubs at a bound the random graphs reach (a node with more
			// than a few quads), so that levels are reordered; every
			// third search keeps the real bound.
			small := newWalker(s, allow)
			small.hub = 6
			for _, from := range all {
				for _, to := range all {
					for _, maxHops := range []int{0, 1, 2, 3, 4, 6, 10} {
						var bn map[view.Ref]bool
						var be map[[2]view.Ref]bool
						if r.Intn(3) == 0 { // ban a few nodes and relations, as a spur search does
							bn, be = map[view.Ref]bool{}, map[[2]view.Ref]bool{}
							for range 3 {
								if n := all[r.Intn(len(all))]; n != from && n != to {
									bn[n] = true
								}
							}
							if es := w.ordered(from); len(es) > 0 {
								be[[2]view.Ref{from, es[r.Intn(len(es))].other}] = true
							}
						}
						sw := w
						if r.Intn(3) > 0 {
							sw = small
						}
						got := sw.shortest(from, to, maxHops, bn, be)
						want := plainShortest(w, from, to, maxHops, bn, be)
						compared++
						if want != nil {
							found++
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("seed %d filter %d %d→%d maxHops %d banned %v %v:\n got  %v\n want %v", seed, fi, from, to, maxHops, bn, be, got, want)
						}
					}
				}
			}
		}
		if found < compared/4 {
			t.Errorf("seed %d: only %d of %d searches found a path; the graph is too sparse to test", seed, found, compared)
		}
	}
}

// TestWalkerNext: a walker keeps, per neighbour, the first allowed edge in
// the order of neighbours (relation name, then id, then source), and
// ordered lists them in that order.
func TestWalkerNext(t *testing.T) {
	filters := []map[graph.Relation]bool{nil, {graph.RelParticipatedIn: true, graph.RelHosted: true}, {graph.RelTheme: true, graph.RelBroader: true}}
	for seed := int64(1); seed <= 4; seed++ {
		s, allIDs := randomNetwork(t, seed)
		for fi, allow := range filters {
			w := newWalker(s, allow)
			edges := 0
			for _, n := range s.Refs(allIDs) {
				var want []nbr
				seen := map[view.Ref]bool{}
				for _, e := range neighbours(s, n) {
					if (allow == nil || allow[e.rel]) && !seen[e.other] {
						seen[e.other] = true
						want = append(want, e)
					}
				}
				if got := w.ordered(n); !reflect.DeepEqual(got, want) && len(want) > 0 {
					t.Errorf("seed %d filter %d: edges of %s\n got  %v\n want %v", seed, fi, s.Record(n).Key, got, want)
				}
				edges += len(want)
			}
			if edges == 0 {
				t.Errorf("seed %d filter %d: no edges to compare", seed, fi)
			}
		}
	}
}

// TestNeighbourOrder checks the order walks take neighbours in: by the
// name of the relation as walked, then by the other node's id, then by
// source id.
func TestNeighbourOrder(t *testing.T) {
	s, all := randomNetwork(t, 5)
	checked := 0
	for _, r := range s.Refs(all) {
		es := neighbours(s, r)
		key := func(e nbr) string {
			return e.rel.Name(e.forward) + "\x00" + s.Record(e.other).Key + "\x00" + s.SourceID(e.src)
		}
		if !slices.IsSortedFunc(es, func(a, b nbr) int { return strings.Compare(key(a), key(b)) }) {
			t.Errorf("neighbours of %s not in order", s.Record(r).Key)
		}
		checked += len(es)
	}
	if checked == 0 {
		t.Fatal("no neighbours at all")
	}
}

// plainIntroductions is the introductions algorithm the indexed one
// replaced: for each of org's themes and levels, every organization that
// has it. The two must give the same list.
func plainIntroductions(s *view.Snapshot, org string) []string {
	met := map[string]bool{org: true}
	ref, _ := s.EntityRef(org)
	for _, t := range partnerTies(s, ref).ties {
		met[s.Record(t.ref).Key] = true
	}
	score := map[string]int{}
	shared := map[string][]string{}
	for _, l := range s.ThemeLinks(org) {
		for _, o := range s.OrgsWithTheme(l.ThemeID) {
			score[o] += graph.IntroductionThemeWeight
		}
	}
	for _, lv := range s.LevelsOf(org) {
		for _, o := range s.OrgsAtLevel(lv) {
			score[o] += graph.IntroductionLevelWeight
			shared[o] = append(shared[o], lv)
		}
	}
	var cands []string
	for o := range score {
		if !met[o] {
			cands = append(cands, o)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return s.Less(a, b)
	})
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = fmt.Sprintf("%s %d %v", c, score[c], shared[c])
	}
	return out
}

// TestIntroductionsMatchPlain checks the indexed introductions against
// the plain algorithm for every organization of random graphs and several
// lengths of list.
func TestIntroductionsMatchPlain(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		s, all := randomNetwork(t, seed)
		nonEmpty := 0
		for _, org := range all {
			if s.TypeOf(org) != graph.TypeOrganization {
				continue
			}
			want := plainIntroductions(s, org)
			nonEmpty += min(len(want), 1)
			for _, first := range []int{0, 1, 2, 3, 5, 10, 100} {
				intros, err := Introductions(s, org, first)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, in := range intros {
					var lv []string
					for _, l := range in.PolicyLevels {
						lv = append(lv, l.ID)
					}
					got = append(got, fmt.Sprintf("%s %d %v", in.Organization.ID, in.Score, lv))
				}
				w := want[:min(first, len(want))]
				if !reflect.DeepEqual(got, w) {
					t.Errorf("seed %d %s first %d:\n got  %v\n want %v", seed, org, first, got, w)
				}
			}
		}
		if nonEmpty == 0 {
			t.Errorf("seed %d: nobody has introductions; the graph is too sparse to test", seed)
		}
	}
}

// TestPartnersMatchPlain pages through every organization's partners in
// every order and compares them with a plain sort of the same ties, and
// each partner's shared events and themes with the snapshot's own lists.
func TestPartnersMatchPlain(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		s, all := randomNetwork(t, seed)
		degree := map[string]int{}
		for _, org := range all {
			if s.TypeOf(org) == graph.TypeOrganization {
				degree[org] = len(plainPartners(s, org))
			}
		}
		for org := range degree {
			shared := plainPartners(s, org)
			for _, order := range []graph.Order{"", graph.OrderName, graph.OrderDegree, graph.OrderEvents} {
				key := func(id string) int {
					switch order {
					case "":
						return len(shared[id])
					case graph.OrderDegree:
						return degree[id]
					case graph.OrderEvents:
						return len(s.EventsOf(id))
					}
					return 0
				}
				var want []string
				for id := range shared {
					want = append(want, id)
				}
				slices.SortFunc(want, func(a, b string) int {
					if c := cmp.Compare(key(b), key(a)); c != 0 {
						return c
					}
					if s.Less(a, b) {
						return -1
					}
					return 1
				})
				for _, first := range []int{1, 3, 100} {
					got, total := partnerPages(t, s, org, order, first)
					eq(t, fmt.Sprintf("seed %d %s total", seed, org), total, len(want))
					if !slices.Equal(got, want) {
						t.Errorf("seed %d partners of %s by %q, %d a page:\n got  %v\n want %v", seed, org, order, first, got, want)
					}
				}
			}
			conn, err := Partners(s, org, graph.Page{First: 100, Shared: graph.SharedAll})
			if err != nil {
				t.Fatal(err)
			}
			mine := map[string]bool{}
			for _, l := range s.ThemeLinks(org) {
				mine[l.ThemeID] = true
			}
			for _, p := range conn.Items {
				eq(t, "shared events of "+org+" and "+p.Organization.ID, ids(p.SharedEvents), shared[p.Organization.ID])
				wantThemes := []string{}
				for _, l := range s.ThemeLinks(p.Organization.ID) {
					if mine[l.ThemeID] {
						wantThemes = append(wantThemes, l.ThemeID)
					}
				}
				eq(t, "shared themes of "+org+" and "+p.Organization.ID, ids(p.SharedThemes), wantThemes)
			}
		}
	}
}

// plainPartners maps each partner of org to the events they share, by name.
func plainPartners(s *view.Snapshot, org string) map[string][]string {
	out := map[string][]string{}
	for _, ev := range s.EventsOf(org) {
		for _, o := range s.ParticipantsOf(ev) {
			if o != org {
				out[o] = append(out[o], ev)
			}
		}
	}
	return out
}

// TestDegreesOnDemand checks the degrees computed one by one against the
// whole graph's profiles.
func TestDegreesOnDemand(t *testing.T) {
	s, _ := randomNetwork(t, 7)
	list := items(s.ByType(graph.TypeOrganization))
	fresh := s.Apply(nil) // a snapshot whose profiles are not computed
	oneByOne := degreesOf(fresh, list)
	if _, ok := wholeGraph.ready(fresh); ok {
		t.Fatal("a short list computed the whole graph's profiles")
	}
	d := buildDerived(s)
	for _, it := range list {
		eq(t, "degree of "+s.Record(it.ref).Key, oneByOne(it.ref), d.profiles.get(it.ref).degree)
	}
}

// TestPerSnapshot checks the cache: concurrent readers of one snapshot
// share one computation, a newer snapshot recomputes, an older one is
// computed without replacing the newer one's value.
func TestPerSnapshot(t *testing.T) {
	var mu sync.Mutex
	builds := map[*view.Snapshot]int{}
	c := perSnapshot[uint64]{build: func(s *view.Snapshot) uint64 {
		mu.Lock()
		builds[s]++
		mu.Unlock()
		return s.Version()
	}}
	s1 := view.Empty().Apply(nil)
	s2 := s1.Apply(nil)
	if _, ok := c.ready(s1); ok {
		t.Fatal("ready before any get")
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if v := c.get(s1); v != s1.Version() {
				t.Errorf("got %d for version %d", v, s1.Version())
			}
		})
	}
	wg.Wait()
	eq(t, "builds of s1", builds[s1], 1)
	if v, ok := c.ready(s1); !ok || v != s1.Version() {
		t.Errorf("ready(s1) = %d, %v", v, ok)
	}
	eq(t, "s2", c.get(s2), s2.Version())
	eq(t, "s1 again", c.get(s1), s1.Version())
	eq(t, "s2 again", c.get(s2), s2.Version())
	eq(t, "builds", []int{builds[s1], builds[s2]}, []int{2, 1})
}

// TestFirstK checks the bounded heap against a sort, with and without a
// filter.
func TestFirstK(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for range 200 {
		list := make([]int, r.Intn(40))
		for i := range list {
			list[i] = r.Intn(20)
		}
		k := r.Intn(10)
		pivot := r.Intn(20)
		keep := func(x int) bool { return x > pivot }
		var want []int
		for _, x := range list {
			if keep(x) {
				want = append(want, x)
			}
		}
		slices.Sort(want)
		got, n := firstK(list, cmp.Compare[int], keep, k)
		eq(t, "count", n, len(want))
		if !slices.Equal(got, want[:min(k, len(want))]) {
			t.Fatalf("firstK(%v, %d) after %d = %v, want %v", list, k, pivot, got, want[:min(k, len(want))])
		}
	}
}

// TestIntersect checks both ways intersect takes (sorting a small set,
// walking the list for a large one) against a plain filter of the list.
func TestIntersect(t *testing.T) {
	s, _ := randomNetwork(t, 9)
	all := s.ByType(graph.TypeOrganization)
	r := rand.New(rand.NewSource(1))
	randomSet := func(n int) map[view.Ref]bool {
		set := map[view.Ref]bool{}
		for len(set) < n {
			set[all[r.Intn(len(all))]] = true
		}
		return set
	}
	for _, tc := range []struct {
		name   string
		sizes  []int
		listed []bool // the sets the derived data lists by name
	}{
		{"one small set", []int{1}, nil},
		{"one large set", []int{20}, nil},
		{"small and large", []int{1, 22}, nil},
		{"two large", []int{15, 18}, nil},
		{"empty set", []int{0, 10}, nil},
		{"one listed set", []int{5}, []bool{true}},
		{"listed and small", []int{12, 2}, []bool{true, false}},
		{"listed smallest", []int{3, 15, 20}, []bool{true, false, false}},
		{"two listed", []int{10, 14}, []bool{true, true}},
		{"empty listed", []int{0, 4}, []bool{true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sets []map[view.Ref]bool
			var conds []*cond
			for k, n := range tc.sizes {
				set := randomSet(n)
				sets = append(sets, set)
				if k >= len(tc.listed) || !tc.listed[k] {
					conds = append(conds, &cond{set: set})
					continue
				}
				c := &cond{byName: []view.Ref{}}
				for _, r := range all {
					if set[r] {
						c.byName = append(c.byName, r)
					}
				}
				conds = append(conds, c)
			}
			want := []view.Ref{}
			for _, id := range all {
				in := true
				for _, set := range sets {
					in = in && set[id]
				}
				if in {
					want = append(want, id)
				}
			}
			if got := intersect(s, all, conds); !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	if got := intersect(s, all, nil); !slices.Equal(got, all) {
		t.Fatal("with no sets, intersect must give the whole list")
	}
}

// TestFilterMatchesPlain: the theme and policy-level filters, answered
// from the derived data's lists, select what the snapshot's own readings
// (OrgsWithThemeTree, OrgsAtLevel) give, alone and together.
func TestFilterMatchesPlain(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		s, _ := randomNetwork(t, seed)
		themes, levels := s.IDs(s.ByType(graph.TypeTheme)), s.IDs(s.ByType(graph.TypePolicyLevel))
		nonEmpty := 0
		for _, th := range themes {
			for _, l := range append([]string{""}, levels...) {
				f := graph.OrganizationFilter{Themes: []string{th}}
				want := s.Refs(s.OrgsWithThemeTree(th))
				if l != "" {
					f.PolicyLevels = []string{l}
					at := map[view.Ref]bool{}
					for _, r := range s.Refs(s.OrgsAtLevel(l)) {
						at[r] = true
					}
					want = slices.DeleteFunc(want, func(r view.Ref) bool { return !at[r] })
				}
				got, err := FilterRefs(s, "test", f, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) && len(got)+len(want) > 0 {
					t.Errorf("seed %d theme %s level %q: %v, want %v", seed, th, l, s.IDs(got), s.IDs(want))
				}
				nonEmpty += min(len(want), 1)
			}
		}
		for _, l := range levels {
			got, _ := FilterRefs(s, "test", graph.OrganizationFilter{PolicyLevels: []string{l}}, nil)
			if want := s.Refs(s.OrgsAtLevel(l)); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("seed %d level %s: %v, want %v", seed, l, s.IDs(got), s.IDs(want))
			}
		}
		if nonEmpty < 10 {
			t.Errorf("seed %d: only %d non-empty answers: the graph is too sparse to test", seed, nonEmpty)
		}
	}
}

// The plain readings the walks are checked against: every relation quad in
// the order of neighbours, and a neighbourhood's edges taken from them all
// (what Neighborhood did before it selected a hub's first edges with a
// heap).

// neighbours returns every relation quad of r with an entity at the other
// end, in both directions, ordered by relation name, then by the other
// node's id, then by source id, so that walks are deterministic.
func neighbours(s *view.Snapshot, r view.Ref) []nbr {
	var out []nbr
	for k, dr := range dirRels {
		from := len(out)
		for _, e := range s.LinkRefs(r, dr.rel, dr.forward) {
			if s.Record(e.Other).Type != "" {
				out = append(out, nbr{rel: dr.rel, forward: dr.forward, other: e.Other, src: e.Src, dir: uint8(k)})
			}
		}
		slices.SortFunc(out[from:], func(a, b nbr) int {
			if a.other != b.other {
				return strings.Compare(s.Record(a.other).Key, s.Record(b.other).Key)
			}
			return strings.Compare(s.SourceID(a.src), s.SourceID(b.src))
		})
	}
	return out
}

// plainEdges gives every allowed edge of n in the order of neighbours,
// sorted whole: what the neighbourhood walked before hoodEdges.
func plainEdges(s *view.Snapshot, n view.Ref, allow map[graph.Relation]bool, _ func(nbr) bool, _ int) []nbr {
	var out []nbr
	for _, e := range neighbours(s, n) {
		if allow == nil || allow[e.rel] {
			out = append(out, e)
		}
	}
	return out
}

// TestNeighborhoodMatchesPlain compares Neighborhood with the walk over
// every edge in order (plainEdges), from every node of random graphs, at every depth and several limits (most
// of them cut the walk), with and without a relation filter.
func TestNeighborhoodMatchesPlain(t *testing.T) {
	filters := [][]graph.Relation{nil, {graph.RelParticipatedIn, graph.RelHosted}, {graph.RelTheme, graph.RelBroader}}
	for seed := int64(1); seed <= 4; seed++ {
		s, allIDs := randomNetwork(t, seed)
		truncated := 0
		for _, id := range allIDs {
			for _, rels := range filters {
				for depth := range 4 {
					for _, limit := range []int{1, 2, 3, 5, 8, 13, 40, 1000} {
						q := graph.NeighborhoodQuery{Depth: depth, Limit: limit, Relations: rels}
						got, err := Neighborhood(s, id, q)
						want, err2 := neighborhood(s, id, q, plainEdges)
						if err != nil || err2 != nil {
							t.Fatal(err, err2)
						}
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("seed %d %s %+v:\n got  %+v\n want %+v", seed, id, q, got, want)
						}
						if got.Truncated {
							truncated++
						}
					}
				}
			}
		}
		if truncated < 100 {
			t.Errorf("seed %d: only %d walks cut by their limit", seed, truncated)
		}
	}
}

// ordered returns next(n) in the order of neighbours: relation name, then
// the neighbour's id (what the plain search walks).
func (w *walker) ordered(n view.Ref) []nbr { return w.edges(n, nil) }

// TestPageByNameMatchesWindow pages through filtered lists of random
// graphs by name with pageByName and with window over the whole list
// wrapped as items (what Organizations did before): the same pages,
// cursors and hasNext from every cursor of the list, and the same error
// for a cursor of an organization outside it.
func TestPageByNameMatchesWindow(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		s, _ := randomNetwork(t, seed)
		all := s.ByType(graph.TypeOrganization)
		for _, th := range append([]string{""}, s.IDs(s.ByType(graph.TypeTheme))...) {
			f := graph.OrganizationFilter{}
			if th != "" {
				f.Themes = []string{th}
			}
			refs, err := FilterRefs(s, "test", f, nil)
			if err != nil {
				t.Fatal(err)
			}
			afters := []string{""}
			for _, r := range refs {
				afters = append(afters, graph.Cursor(s.Record(r).Key))
			}
			for _, r := range all {
				if !slices.Contains(refs, r) {
					afters = append(afters, graph.Cursor(s.Record(r).Key)) // outside the list
					break
				}
			}
			for _, after := range afters {
				for _, first := range []int{0, 1, 3, 100} {
					p := graph.Page{First: first, After: after}
					gotPage, gotCursors, gotNext, gotErr := pageByName(s, "test", refs, p)
					wantPage, wantCursors, wantNext, wantErr := window(s, "test", items(refs), true, "", p)
					if graph.ErrorCode(gotErr) != graph.ErrorCode(wantErr) {
						t.Fatalf("seed %d theme %q after %q: error %v, want %v", seed, th, after, gotErr, wantErr)
					}
					if !slices.Equal(gotPage, wantPage) || !slices.Equal(gotCursors, wantCursors) || gotNext != wantNext {
						t.Errorf("seed %d theme %q after %q first %d: page %v %v, want %v %v", seed, th, after, first, gotPage, gotNext, wantPage, wantNext)
					}
				}
			}
		}
	}
}
