package graph

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestDerivedUpdateMatchesRebuild makes random writes to random networks and
// checks after each one that the catalog and the derived cache, both updated
// in place, equal those computed from scratch, on the memory backend and on bbolt (whose
// rebuild reads the store through scanWhole's own walk of the log).
func TestDerivedUpdateMatchesRebuild(t *testing.T) {
	for _, backend := range []string{BackendMemory, BackendBbolt} {
		t.Run(backend, func(t *testing.T) {
			for seed := int64(1); seed <= 8; seed++ {
				cfg := Config{Backend: backend}
				if backend == BackendBbolt {
					cfg.Path = filepath.Join(t.TempDir(), "random.db")
				}
				checkDerivedUpdates(t, seed, cfg)
			}
		})
	}
}

// checkDerivedUpdates makes 60 random writes to one random network.
func checkDerivedUpdates(t *testing.T, seed int64, cfg Config) {
	ctx := context.Background()
	s, all := randomNetworkOn(t, seed, cfg)
	r := rand.New(rand.NewSource(seed))
	byPrefix := map[byte][]string{}
	for _, id := range all {
		byPrefix[id[0]] = append(byPrefix[id[0]], id)
	}
	pick := func(prefix byte) string { ids := byPrefix[prefix]; return ids[r.Intn(len(ids))] }
	rels := []struct {
		from, to byte
		rel      Relation
	}{
		{'o', 'e', RelParticipatedIn}, {'o', 'e', RelHosted}, {'o', 't', RelTheme}, {'e', 't', RelTheme},
		{'t', 'l', RelPolicyLevel}, {'o', 'l', RelPolicyLevel}, {'o', 'p', RelPlace}, {'e', 'p', RelPlace},
	}
	for step := range 60 {
		s.mu.RLock()
		_, err := s.derived(ctx) // make sure there is a cache to update
		s.mu.RUnlock()
		if err != nil {
			t.Fatal(err)
		}
		var c Change
		what := ""
		switch r.Intn(5) {
		case 0, 1: // new links, some to a new organization
			b := &Batch{Source: Source{ID: "w", Title: "W"}}
			if r.Intn(2) == 0 {
				id := fmt.Sprintf("new%d", step)
				b.Nodes = append(b.Nodes, NodeRecord{ID: id, Type: TypeOrganization, Name: "N " + id})
				b.Links = append(b.Links, Link{From: id, Relation: RelParticipatedIn, To: pick('e')})
				byPrefix['o'] = append(byPrefix['o'], id)
			}
			for range 1 + r.Intn(3) {
				rl := rels[r.Intn(len(rels))]
				b.Links = append(b.Links, Link{From: pick(rl.from), Relation: rl.rel, To: pick(rl.to)})
			}
			c.Add = []*Batch{b}
			what = fmt.Sprintf("add %+v", b.Links)
		case 2: // remove a node of any kind
			prefixes := "oetlp"
			id := pick(prefixes[r.Intn(len(prefixes))])
			c.RemoveNodes = []NodeSelector{{ID: id}}
			what = "remove " + id
		case 3: // remove everything one earlier write stated
			c.RemoveSources = []string{"w"}
			what = "remove source w"
		case 4: // (re)state the type of a node, which may have been removed while links to it remain
			prefixes := "etlp"
			prefix := prefixes[r.Intn(len(prefixes))]
			id := pick(prefix)
			typ := map[byte]NodeType{'e': TypeEvent, 't': TypeTheme, 'l': TypePolicyLevel, 'p': TypePlace}[prefix]
			n := NodeRecord{ID: id, Type: typ, Name: "R " + id}
			if r.Intn(2) == 0 {
				n.Aliases = []string{fmt.Sprintf("Alias %d", r.Intn(5))}
				n.Description = fmt.Sprintf("about %s and more", pick('t'))
			}
			c.Add = []*Batch{{Source: Source{ID: "w", Title: "W"}, Nodes: []NodeRecord{n}}}
			what = "type " + id
		}
		if _, err := s.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		checkCatalogCurrent(t, s, fmt.Sprintf("seed %d step %d (%s)", seed, step, what))
		s.mu.Lock()
		updated := s.cat.derived.v
		s.cat.derived = &derivedCache{}
		s.mu.Unlock()
		s.mu.RLock()
		fresh, err := s.derived(ctx)
		s.mu.RUnlock()
		if err != nil {
			t.Fatal(err)
		}
		if updated == nil {
			continue // dropped (a large write): nothing to compare
		}
		if !reflect.DeepEqual(updated, fresh) {
			t.Fatalf("seed %d step %d (%s): the updated cache differs from a rebuild:\n%s", seed, step, what, diffDerived(updated, fresh))
		}
	}
}

// checkCatalogCurrent compares the catalog, updated in place by the writes,
// with one read afresh from the store: entries, type lists, and what the
// search index finds.
func checkCatalogCurrent(t *testing.T, s *CayleyStore, what string) {
	t.Helper()
	ctx := context.Background()
	s.mu.RLock()
	defer s.mu.RUnlock()
	fresh, err := s.readCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries := func(c *catalog) map[string]entry {
		out := map[string]entry{}
		for id, e := range c.byID {
			if e.typ != "" {
				out[id] = *e
			}
		}
		return out
	}
	if got, want := entries(s.cat), entries(fresh); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the catalog's entries differ from the store's:\nupdated %v\nfresh   %v", what, got, want)
	}
	if len(fresh.byType) == 0 {
		t.Fatalf("%s: the store has no entities; nothing is compared", what)
	}
	for typ, ids := range fresh.byType {
		if !slices.Equal(s.cat.byType[typ], ids) {
			t.Fatalf("%s: the %s list is %v, want %v", what, typ, s.cat.byType[typ], ids)
		}
	}
	for _, q := range []string{"r", "r o0", "alias", "alias 3", "about t0", "and more", "e0", "zz"} {
		for _, limit := range []int{0, 3} {
			got, want := s.cat.match(q, false, limit), fresh.match(q, false, limit)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: search %q (limit %d) finds %v, want %v", what, q, limit, got, want)
			}
		}
	}
}

func diffDerived(a, b *derived) string {
	var out []string
	for id, p := range b.profiles {
		if !reflect.DeepEqual(a.profiles[id], p) {
			out = append(out, fmt.Sprintf("%s: updated %+v, rebuilt %+v", id, a.profiles[id], p))
		}
	}
	for id := range a.profiles {
		if b.profiles[id] == nil {
			out = append(out, id+": only in the updated cache")
		}
	}
	for _, l := range []struct {
		name string
		a, b map[string][]string
	}{{"themeOrgs", a.themeOrgs, b.themeOrgs}, {"levelOrgs", a.levelOrgs, b.levelOrgs}, {"placeOrgs", a.placeOrgs, b.placeOrgs}, {"eventOrgs", a.eventOrgs, b.eventOrgs}} {
		for k := range l.b {
			if !slices.Equal(l.a[k], l.b[k]) {
				out = append(out, fmt.Sprintf("%s[%s]: updated %v, rebuilt %v", l.name, k, l.a[k], l.b[k]))
			}
		}
		for k := range l.a {
			if _, ok := l.b[k]; !ok {
				out = append(out, fmt.Sprintf("%s[%s]: only in the updated cache: %v", l.name, k, l.a[k]))
			}
		}
	}
	if !reflect.DeepEqual(a.counts, b.counts) {
		out = append(out, fmt.Sprintf("counts: updated %+v, rebuilt %+v", a.counts, b.counts))
	}
	return strings.Join(out, "\n")
}
