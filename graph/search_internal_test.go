package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// searchVocabulary is what random catalogs are made of: words that share
// prefixes and substrings, accented spellings, and short words.
var searchVocabulary = []string{
	"refugee", "refugees", "Refugee", "services", "service", "servicing",
	"community", "communities", "commune", "center", "centre", "Café",
	"cafe", "École", "ecole", "new", "newark", "americans", "american",
	"immigrant", "immigrants", "and", "of", "a", "la", "le", "in", "re",
	"Ré", "rights", "coalition", "welcoming", "São", "Paulo", "x", "ab",
	"abc", "abcd", "fund", "funding", "ugee", "ice",
}

// searchQueries are the queries checked against the reference: short,
// longer, multi-word, accented, mid-word, common and matching nothing.
// Exact names of the catalog are added to them.
var searchQueries = []string{
	"a", "r", "x", "re", "ré", "ab", "co", "la", "e",
	"ref", "refugee", "refugees", "REFUGEE", "services", "service", "ice",
	"ugee", "unit", "community", "commun", "center", "café", "cafe",
	"ecole", "École", "and", "of", "new", "newark", "immigrant",
	"immigrants and", "refugee services", "new americans", "rights coalition",
	"refugee-services", "a b", "ab abc", "sao paulo", "fund", "funding",
	"zzzq", "xylophone", "  ", "!!",
}

// searchTypes are the type lists queries are checked with.
var searchTypes = [][]NodeType{nil, {TypeOrganization}, {TypeOrganization, TypePerson}}

// randomText joins between lo and hi words of the vocabulary.
func randomText(r *rand.Rand, lo, hi int) string {
	words := make([]string, lo+r.IntN(hi-lo+1))
	for i := range words {
		words[i] = searchVocabulary[r.IntN(len(searchVocabulary))]
	}
	return strings.Join(words, " ")
}

// randomType returns a node type, now and then none.
func randomType(r *rand.Rand) NodeType {
	types := []NodeType{TypeOrganization, TypeOrganization, TypePerson, TypeEvent, TypeTheme, ""}
	return types[r.IntN(len(types))]
}

// setKey makes the order key of e current, as the catalog does.
func setKey(e *entry) {
	sort.Strings(e.names)
	e.key = Fold(e.name())
}

// randomEntry makes entity number n.
func randomEntry(r *rand.Rand, n int) *entry {
	e := &entry{id: fmt.Sprintf("e%d", n), typ: randomType(r)}
	if r.IntN(12) > 0 { // now and then nameless: its id names it
		e.names = []string{randomText(r, 1, 4)}
	}
	for range r.IntN(3) {
		e.aliases = append(e.aliases, randomText(r, 1, 3))
	}
	for range r.IntN(3) {
		e.desc = append(e.desc, randomText(r, 1, 8))
	}
	setKey(e)
	return e
}

// randomCatalog makes a catalog of n random entries and its search index.
func randomCatalog(r *rand.Rand, n int) *catalog {
	c := newCatalog()
	for i := range n {
		e := randomEntry(r, i)
		c.byID[e.id] = e
	}
	c.search = buildSearchIndex(c)
	return c
}

// sortedIDs returns the ids of the catalog, sorted.
func sortedIDs(c *catalog) []string {
	ids := make([]string, 0, len(c.byID))
	for id := range c.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// randomChange changes at random one entity of c, one of ids (adding it
// again when it was deleted) or a new one numbered next, as writes do, and
// returns its id.
func randomChange(r *rand.Rand, c *catalog, ids []string, next int) string {
	if len(ids) == 0 || r.IntN(8) == 0 {
		e := randomEntry(r, next)
		c.byID[e.id] = e
		return e.id
	}
	id := ids[r.IntN(len(ids))]
	e := c.byID[id]
	if e == nil {
		e = randomEntry(r, next)
		e.id = id
		c.byID[id] = e
		return id
	}
	switch r.IntN(7) {
	case 0: // rename
		e.names = []string{randomText(r, 1, 4)}
	case 1: // another name
		e.names = append(e.names, randomText(r, 1, 3))
	case 2:
		e.aliases = append(e.aliases, randomText(r, 1, 3))
	case 3:
		e.desc = []string{randomText(r, 1, 8)}
	case 4:
		delete(c.byID, id)
	case 5:
		e.typ = randomType(r)
	case 6:
		e.aliases, e.desc = nil, nil
	}
	setKey(e)
	return id
}

// referenceDoc is an entity of the catalog with its texts folded.
type referenceDoc struct {
	id          string
	typ         NodeType
	names, desc []string
}

// referenceDocs folds the texts of every entity of c.
func referenceDocs(c *catalog) []referenceDoc {
	var docs []referenceDoc
	for id, e := range c.byID {
		d := referenceDoc{id: id, typ: e.typ}
		for _, n := range slices.Concat(e.names, e.aliases) {
			d.names = append(d.names, Fold(n))
		}
		for _, t := range e.desc {
			d.desc = append(d.desc, Fold(t))
		}
		docs = append(docs, d)
	}
	return docs
}

// referenceMatch scores every entity of c directly and ranks them as match
// must.
func referenceMatch(c *catalog, docs []referenceDoc, q string, namesOnly bool, limit int, types []NodeType) []scored {
	q = Fold(q)
	if q == "" {
		return nil
	}
	out := []scored{}
	for _, d := range docs {
		if d.typ == "" || len(types) > 0 && !slices.Contains(types, d.typ) {
			continue
		}
		best := 0.0
		for _, n := range d.names {
			best = max(best, float64(tier(n, q)))
		}
		for _, t := range d.desc {
			if !namesOnly {
				best = max(best, float64(tier(t, q))/2)
			}
		}
		if best > 0 {
			out = append(out, scored{d.id, best})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return c.less(out[i].id, out[j].id)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// checkMatches compares match with the reference for every query, both
// fields settings and several limits.
func checkMatches(t *testing.T, c *catalog, r *rand.Rand, step string) {
	t.Helper()
	queries := slices.Clone(searchQueries)
	for range 6 { // exact names and aliases of the catalog
		for _, e := range c.byID {
			queries = append(queries, slices.Concat([]string{e.id}, e.names, e.aliases)[r.IntN(1+len(e.names)+len(e.aliases))])
			break
		}
	}
	types := searchTypes[r.IntN(len(searchTypes))]
	docs := referenceDocs(c)
	for _, q := range queries {
		for _, namesOnly := range []bool{false, true} {
			all := referenceMatch(c, docs, q, namesOnly, 0, types)
			for _, limit := range []int{0, 1, 5, 100} {
				want := all
				if limit > 0 && len(want) > limit {
					want = want[:limit]
				}
				got := c.match(q, namesOnly, limit, types...)
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Fatalf("%s: match(%q, namesOnly=%v, limit=%d, %v)\n got %v\nwant %v", step, q, namesOnly, limit, types, got, want)
				}
			}
		}
	}
}

// TestSearchIndexUpdates builds random catalogs, changes them step by step
// through update, and after every step compares match with a brute-force
// ranking of the whole catalog. Enough steps pass that update rebuilds the
// main segment several times.
func TestSearchIndexUpdates(t *testing.T) {
	for _, tc := range []struct {
		name          string
		seed          uint64
		entries       int
		steps         int
		changesByStep int
	}{
		{"empty", 1, 0, 100, 1},
		{"small", 2, 20, 120, 1},
		{"few hundred, single changes", 3, 300, 150, 1},
		{"few hundred, batches", 4, 400, 60, 7},
		{"thousand, large batches", 5, 1000, 20, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 7))
			c := randomCatalog(r, tc.entries)
			checkMatches(t, c, r, "built")
			next, rebuilds := tc.entries, 0
			for step := range tc.steps {
				var ids []string
				for range tc.changesByStep {
					ids = append(ids, randomChange(r, c, sortedIDs(c), next))
					next++
				}
				before := len(c.search.delta.docs)
				c.search.update(c, ids)
				if len(c.search.delta.docs) < before {
					rebuilds++
				}
				checkMatches(t, c, r, fmt.Sprintf("step %d (changed %v)", step, ids))
			}
			if rebuilds == 0 {
				t.Errorf("%d steps of %d changes never rebuilt the main segment", tc.steps, tc.changesByStep)
			}
		})
	}
}

// TestSearchIndexRebuildBound checks that delta and the dead docs stay
// within their bound whatever the changes, and that a catalog rebuilt
// from scratch ranks the same.
func TestSearchIndexRebuildBound(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	c := randomCatalog(r, 800)
	next := 800
	for range 2000 {
		c.search.update(c, []string{randomChange(r, c, sortedIDs(c), next)})
		next++
		bound := max(len(c.search.main.docs)/8, minRebuildBound)
		if len(c.search.delta.docs) > bound || c.search.dead > bound {
			t.Fatalf("delta %d, dead %d: over the bound %d", len(c.search.delta.docs), c.search.dead, bound)
		}
	}
	fresh := newCatalog()
	fresh.byID = c.byID
	fresh.search = buildSearchIndex(fresh)
	for _, q := range searchQueries {
		if got, want := c.match(q, false, 5), fresh.match(q, false, 5); !slices.Equal(got, want) {
			t.Fatalf("%q: updated %v, rebuilt %v", q, got, want)
		}
	}
}

// TestSearchEarlyCut checks that a limited match of a phrase many docs
// share looks at a number of docs that grows with the limit, not with the
// docs: a phrase in many names (each scoring 2), and one in many
// descriptions only (each scoring 1), some of the docs in delta.
func TestSearchEarlyCut(t *testing.T) {
	c := newCatalog()
	for i := range 5000 {
		e := &entry{
			id:    fmt.Sprintf("org-%04d", i),
			typ:   TypeOrganization,
			names: []string{fmt.Sprintf("City %04d Refugee Services", i)},
			desc:  []string{fmt.Sprintf("City %04d works with immigrants and refugees", i)},
		}
		setKey(e)
		c.byID[e.id] = e
	}
	c.search = buildSearchIndex(c)
	var changed []string
	for i := 0; i < 5000; i += 200 {
		e := c.byID[fmt.Sprintf("org-%04d", i)]
		e.aliases = []string{"Refugee Services Network"}
		changed = append(changed, e.id)
	}
	c.search.update(c, changed)
	if len(c.search.delta.docs) != len(changed) {
		t.Fatalf("delta has %d docs, want %d", len(c.search.delta.docs), len(changed))
	}
	for _, tc := range []struct {
		query     string
		limit     int
		wantScore float64
		maxLooked int
	}{
		{"refugee services", 10, tierPrefix, 2 * len(changed)},
		{"refugee services", 40, tierWord, 2*len(changed) + 40},
		{"services", 5, tierWord, 2*len(changed) + 5},
		{"immigrants and refugees", 10, descriptionWeight * tierWord, 2*len(changed) + 10},
		{"refugees", 100, descriptionWeight * tierWord, 2*len(changed) + 100},
	} {
		looked := 0
		wanted := func(*searchDoc) bool { looked++; return true }
		hits := c.search.match(Fold(tc.query), false, tc.limit, wanted)
		want := referenceMatch(c, referenceDocs(c), tc.query, false, tc.limit, nil)
		if len(hits) != len(want) {
			t.Fatalf("%q: %d hits, want %d", tc.query, len(hits), len(want))
		}
		for i, h := range hits {
			if h.doc.id != want[i].id || h.score != want[i].score {
				t.Fatalf("%q: hit %d is %s %v, want %v", tc.query, i, h.doc.id, h.score, want[i])
			}
		}
		if last := hits[len(hits)-1].score; last != tc.wantScore {
			t.Errorf("%q: last hit scores %v, want %v", tc.query, last, tc.wantScore)
		}
		if looked > tc.maxLooked {
			t.Errorf("%q, limit %d: looked at %d docs, want at most %d", tc.query, tc.limit, looked, tc.maxLooked)
		}
	}
}

// SearchMatch ranks q in the catalog of s as Search does, first limit, but
// without reading the nodes, for the benchmarks of package graph_test. It
// returns the number of matches and the number of docs the matcher looked
// at.
func SearchMatch(s *CayleyStore, q string, limit int) (answer, looked int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	wanted := func(*searchDoc) bool { looked++; return true }
	return len(s.cat.search.match(Fold(q), false, limit, wanted)), looked
}

// BenchmarkSearchIndexUpdate changes one entity of a catalog of 50,000 per
// op and updates the index: the cost, amortised over the rebuilds, of a
// small write. BenchmarkSearchIndexBuild is the full build every write
// paid before.
func BenchmarkSearchIndexUpdate(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 5))
	c := randomCatalog(r, 50_000)
	ids, next := sortedIDs(c), 50_000
	b.ReportAllocs()
	for b.Loop() {
		c.search.update(c, []string{randomChange(r, c, ids, next)})
		next++
	}
}

// BenchmarkSearchIndexBuild builds the index of a catalog of 50,000.
func BenchmarkSearchIndexBuild(b *testing.B) {
	c := randomCatalog(rand.New(rand.NewPCG(3, 5)), 50_000)
	b.ReportAllocs()
	for b.Loop() {
		buildSearchIndex(c)
	}
}
