package graph

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// randomNetwork loads into a memory store a random graph of organizations,
// events, themes, policy levels and places, dense enough that most pairs
// have several shortest paths, so that tie-breaking is tested.
func randomNetwork(t *testing.T, seed int64) (*CayleyStore, []string) {
	t.Helper()
	return randomNetworkOn(t, seed, Config{Backend: BackendMemory})
}

// randomNetworkOn is randomNetwork in a store opened with cfg.
func randomNetworkOn(t *testing.T, seed int64, cfg Config) (*CayleyStore, []string) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	src := " <https://thrivegraph.org/source/rnd> .\n"
	var all []string
	nodes := func(typ string, prefix string, n int) []string {
		var ids []string
		for i := range n {
			id := fmt.Sprintf("%s%02d", prefix, i)
			ids = append(ids, id)
			all = append(all, id)
			fmt.Fprintf(&b, "<https://thrivegraph.org/id/%s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#%s>%s", id, typ, src)
			// Names out of id order, so that name order and id order differ.
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
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.ImportNQuads(ctx, strings.NewReader(b.String()), "random.nq"); err != nil {
		t.Fatal(err)
	}
	return s, all
}

// plainShortest is the breadth-first search from `from` alone that the
// bidirectional search replaced: the first node to reach a node is its
// parent. The two must find the same walk.
func plainShortest(w *walker, from, to string, maxHops int, bannedNodes map[string]bool, bannedEdges map[[2]string]bool) ([]hop, error) {
	if from == to {
		return []hop{}, nil
	}
	prev := map[string]hop{from: {}}
	frontier := []string{from}
	found := false
	for depth := 0; depth < maxHops && !found && len(frontier) > 0; depth++ {
		var next []string
		for _, n := range frontier {
			es, err := w.next(n)
			if err != nil {
				return nil, err
			}
			for _, e := range es {
				if _, seen := prev[e.other]; seen || bannedNodes[e.other] || bannedEdges[[2]string{n, e.other}] {
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
		return nil, nil
	}
	var hops []hop
	for n := to; n != from; n = prev[n].from {
		hops = append(hops, prev[n])
	}
	for i, j := 0, len(hops)-1; i < j; i, j = i+1, j-1 {
		hops[i], hops[j] = hops[j], hops[i]
	}
	return hops, nil
}

// TestShortestMatchesPlainBFS checks the bidirectional search against the
// plain one on every pair of nodes of random graphs, with every bound of
// hops, a relation filter, and the banned nodes and relations of Yen's
// spur searches.
func TestShortestMatchesPlainBFS(t *testing.T) {
	ctx := context.Background()
	filters := []map[Relation]bool{nil, {RelParticipatedIn: true, RelHosted: true}, {RelTheme: true, RelBroader: true, RelPolicyLevel: true}}
	for seed := int64(1); seed <= 4; seed++ {
		s, all := randomNetwork(t, seed)
		r := rand.New(rand.NewSource(seed))
		s.mu.RLock()
		compared, found := 0, 0
		for fi, allow := range filters {
			w := s.newWalker(ctx, allow)
			for _, from := range all {
				for _, to := range all {
					for _, maxHops := range []int{0, 1, 2, 3, 4, 6, 10} {
						var bn map[string]bool
						var be map[[2]string]bool
						if r.Intn(3) == 0 { // ban a few nodes and relations, as a spur search does
							bn, be = map[string]bool{}, map[[2]string]bool{}
							for range 3 {
								if n := all[r.Intn(len(all))]; n != from && n != to {
									bn[n] = true
								}
							}
							if es, _ := w.next(from); len(es) > 0 {
								be[[2]string{from, es[r.Intn(len(es))].other}] = true
							}
						}
						got, err := w.shortest(from, to, maxHops, bn, be)
						if err != nil {
							t.Fatal(err)
						}
						want, err := plainShortest(w, from, to, maxHops, bn, be)
						if err != nil {
							t.Fatal(err)
						}
						compared++
						if want != nil {
							found++
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("seed %d filter %d %s→%s maxHops %d banned %v %v:\n got  %v\n want %v", seed, fi, from, to, maxHops, bn, be, got, want)
						}
					}
				}
			}
		}
		s.mu.RUnlock()
		if found < compared/4 {
			t.Errorf("seed %d: only %d of %d searches found a path; the graph is too sparse to test", seed, found, compared)
		}
	}
}

// plainIntroductions is the introductions algorithm the indexed one
// replaced: for each of org's themes and levels, every organization that
// has it. The two must give the same list.
func plainIntroductions(ctx context.Context, s *CayleyStore, org string) ([]string, error) {
	met, _, err := s.partnerTies(ctx, org)
	if err != nil {
		return nil, err
	}
	mine, err := s.themeLinks(ctx, org)
	if err != nil {
		return nil, err
	}
	levels, err := s.levelsOf(ctx, org)
	if err != nil {
		return nil, err
	}
	score := map[string]int{}
	shared := map[string][]string{}
	for _, l := range mine {
		orgs, err := s.orgsWithTheme(ctx, l.ThemeID)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			score[o] += IntroductionThemeWeight
		}
	}
	for _, lv := range levels {
		orgs, err := s.orgsAtLevel(ctx, lv)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			score[o] += IntroductionLevelWeight
			shared[o] = append(shared[o], lv)
		}
	}
	var cands []string
	for o := range score {
		if _, partner := met[o]; !partner && o != org {
			cands = append(cands, o)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return s.cat.less(a, b)
	})
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = fmt.Sprintf("%s %d %v", c, score[c], shared[c])
	}
	return out, nil
}

// TestIntroductionsMatchPlain checks the indexed introductions against
// the plain algorithm for every organization of random graphs and several
// lengths of list.
func TestIntroductionsMatchPlain(t *testing.T) {
	ctx := context.Background()
	for seed := int64(1); seed <= 4; seed++ {
		s, all := randomNetwork(t, seed)
		for _, org := range all {
			if s.cat.typeOf(org) != TypeOrganization {
				continue
			}
			s.mu.RLock()
			want, err := plainIntroductions(ctx, s, org)
			s.mu.RUnlock()
			if err != nil {
				t.Fatal(err)
			}
			for _, first := range []int{0, 1, 2, 3, 5, 10, 100} {
				intros, err := s.Introductions(ctx, org, first)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, in := range intros {
					got = append(got, fmt.Sprintf("%s %d %v", in.Organization.ID, in.Score, ids(in.PolicyLevels)))
				}
				w := want[:min(first, len(want))]
				if !reflect.DeepEqual(got, w) {
					t.Errorf("seed %d %s first %d:\n got  %v\n want %v", seed, org, first, got, w)
				}
			}
		}
	}
}

func ids(levels []*PolicyLevel) []string {
	var out []string
	for _, l := range levels {
		out = append(out, l.ID)
	}
	return out
}
