package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// searchVocabulary is what random docs are made of: words that share
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
// longer, multi-word in and out of order, accented, mid-word, common and
// matching nothing. Names of the docs are added to them.
var searchQueries = []string{
	"a", "r", "x", "re", "ré", "ab", "co", "la", "e",
	"ref", "refugee", "refugees", "REFUGEE", "services", "service", "ice",
	"ugee", "unit", "community", "commun", "center", "café", "cafe",
	"ecole", "École", "and", "of", "new", "newark", "immigrant",
	"immigrants and", "refugee services", "new americans", "rights coalition",
	"refugee-services", "a b", "ab abc", "sao paulo", "fund", "funding",
	"zzzq", "xylophone", "  ", "!!",
	// in another order
	"services refugee", "americans new", "coalition rights", "paulo são",
	"abc ab", "and immigrants", "la re", "ugee ref", "ser ref",
	"fund x community", "newark zzzq",
}

// searchTypes are the type lists queries are checked with.
var searchTypes = [][]graph.NodeType{nil, {graph.TypeOrganization}, {graph.TypeOrganization, graph.TypePerson}}

// wantTypes returns a wanted func accepting the types, all when none.
func wantTypes(types []graph.NodeType) func(string, graph.NodeType) bool {
	if len(types) == 0 {
		return nil
	}
	return func(_ string, t graph.NodeType) bool { return slices.Contains(types, t) }
}

// randomText joins between lo and hi words of the vocabulary.
func randomText(r *rand.Rand, lo, hi int) string {
	words := make([]string, lo+r.IntN(hi-lo+1))
	for i := range words {
		words[i] = searchVocabulary[r.IntN(len(searchVocabulary))]
	}
	return strings.Join(words, " ")
}

// randomType returns a node type, now and then none.
func randomType(r *rand.Rand) graph.NodeType {
	types := []graph.NodeType{graph.TypeOrganization, graph.TypeOrganization, graph.TypePerson, graph.TypeEvent, graph.TypeTheme, ""}
	return types[r.IntN(len(types))]
}

// randomDoc makes a doc with id.
func randomDoc(r *rand.Rand, id string) Doc {
	d := Doc{ID: id, Type: randomType(r)}
	if r.IntN(12) > 0 { // now and then nameless: its id names it
		d.Names = []string{randomText(r, 1, 4)}
		for range r.IntN(3) {
			d.Names = append(d.Names, randomText(r, 1, 3))
		}
	}
	for range r.IntN(3) {
		d.Descriptions = append(d.Descriptions, randomText(r, 1, 8))
	}
	return d
}

// corpus is the docs an index should hold, by id.
type corpus map[string]Doc

func randomCorpus(r *rand.Rand, n int) corpus {
	c := corpus{}
	for i := range n {
		id := fmt.Sprintf("e%d", i)
		c[id] = randomDoc(r, id)
	}
	return c
}

func (c corpus) docs() []Doc {
	docs := make([]Doc, 0, len(c))
	for _, id := range c.ids() {
		docs = append(docs, c[id])
	}
	return docs
}

func (c corpus) ids() []string {
	ids := make([]string, 0, len(c))
	for id := range c {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// randomChanges changes n docs of c at random, as writes do (a new doc, a
// removed doc back, a rename, another name, a description, a type, a
// removal), and returns the docs changed and the ids removed.
func randomChanges(r *rand.Rand, c corpus, n int, next *int) (changed []Doc, removed []string) {
	ids := c.ids()
	for range n {
		if len(ids) == 0 || r.IntN(8) == 0 {
			id := fmt.Sprintf("e%d", *next)
			*next++
			d := randomDoc(r, id)
			c[id] = d
			changed = append(changed, d)
			continue
		}
		id := ids[r.IntN(len(ids))]
		d, ok := c[id]
		if !ok {
			if r.IntN(3) == 0 { // removed again
				removed = append(removed, id)
				continue
			}
			d = randomDoc(r, id)
			c[id] = d
			changed = append(changed, d)
			continue
		}
		d.Names = slices.Clone(d.Names)
		switch r.IntN(6) {
		case 0: // rename
			if len(d.Names) == 0 {
				d.Names = []string{""}
			}
			d.Names[0] = randomText(r, 1, 4)
		case 1:
			d.Names = append(d.Names, randomText(r, 1, 3))
		case 2:
			d.Descriptions = []string{randomText(r, 1, 8)}
		case 3:
			delete(c, id)
			removed = append(removed, id)
			continue
		case 4:
			d.Type = randomType(r)
		case 5:
			d.Names, d.Descriptions = d.Names[:min(1, len(d.Names))], nil
		}
		c[id] = d
		changed = append(changed, d)
	}
	return changed, removed
}

// refTier is tier as graph/search.go wrote it.
func refTier(text, q string) int {
	switch {
	case text == q:
		return 4
	case strings.HasPrefix(text, q):
		return 3
	case strings.Contains(" "+text+" ", " "+q+" "):
		return 2
	case len(q) >= 3 && strings.Contains(text, q):
		return 1
	case len(q) < 3 && strings.Contains(" "+text, " "+q):
		return 1
	}
	return 0
}

// refAnyOrder scores the words of q, in any order, against text.
func refAnyOrder(text, q string) float64 {
	words := strings.Fields(q)
	if len(words) < 2 {
		return 0
	}
	score := 0.8
	for _, w := range words {
		switch refTier(text, w) {
		case 0:
			return 0
		case 1, 3: // a prefix of the text that is not a whole word
			if !strings.Contains(" "+text+" ", " "+w+" ") {
				score = 0.6
			}
		}
	}
	return score
}

// refDoc is a doc with its texts folded.
type refDoc struct {
	Doc
	key         string
	names, desc []string
}

// refDocs folds the texts of the docs of c.
func refDocs(c corpus) []refDoc {
	var docs []refDoc
	for _, d := range c {
		rd := refDoc{Doc: d, key: graph.Fold(d.ID)}
		if len(d.Names) > 0 {
			rd.key = graph.Fold(d.Names[0])
		}
		for _, n := range d.Names {
			rd.names = append(rd.names, graph.Fold(n))
		}
		for _, t := range d.Descriptions {
			rd.desc = append(rd.desc, graph.Fold(t))
		}
		docs = append(docs, rd)
	}
	return docs
}

// referenceMatch scores every doc directly and ranks them as Match must.
func referenceMatch(docs []refDoc, q string, namesOnly bool, limit int, types []graph.NodeType) []Hit {
	q = graph.Fold(q)
	if q == "" {
		return nil
	}
	type keyed struct {
		Hit
		key string
	}
	var out []keyed
	for _, d := range docs {
		if len(types) > 0 && !slices.Contains(types, d.Type) {
			continue
		}
		best := 0.0
		for _, n := range d.names {
			best = max(best, float64(refTier(n, q)))
			if !namesOnly {
				best = max(best, refAnyOrder(n, q))
			}
		}
		for _, t := range d.desc {
			if !namesOnly {
				best = max(best, float64(refTier(t, q))/2, refAnyOrder(t, q)/2)
			}
		}
		if best > 0 {
			out = append(out, keyed{Hit{d.ID, d.Type, best}, d.key})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.ID < b.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	hits := make([]Hit, len(out))
	for i, k := range out {
		hits[i] = k.Hit
	}
	return hits
}

// sameHits compares hit lists, nil equal to empty.
func sameHits(a, b []Hit) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

// queriesOf returns the test queries with a few names of c.
func queriesOf(c corpus, r *rand.Rand) []string {
	queries := slices.Clone(searchQueries)
	ids := c.ids()
	for range min(6, len(ids)) {
		d := c[ids[r.IntN(len(ids))]]
		texts := append([]string{d.ID}, d.Names...)
		q := texts[r.IntN(len(texts))]
		queries = append(queries, q)
		if w := strings.Fields(q); len(w) > 1 { // reversed
			slices.Reverse(w)
			queries = append(queries, strings.Join(w, " "))
		}
	}
	return queries
}

// checkMatches compares Match of ix with the reference, and with Match of
// a fresh Build, for every query, both fields settings and several limits:
// a limited match must be the first hits of the unlimited one.
func checkMatches(t *testing.T, ix *Index, c corpus, r *rand.Rand, step string) {
	t.Helper()
	if ix.Len() != len(c) {
		t.Fatalf("%s: Len %d, want %d", step, ix.Len(), len(c))
	}
	fresh := Build(c.docs())
	types := searchTypes[r.IntN(len(searchTypes))]
	docs := refDocs(c)
	for _, q := range queriesOf(c, r) {
		for _, namesOnly := range []bool{false, true} {
			all := referenceMatch(docs, q, namesOnly, 0, types)
			for _, limit := range []int{0, 1, 5, 100} {
				want := all
				if limit > 0 && len(want) > limit {
					want = want[:limit]
				}
				got := ix.Match(q, namesOnly, limit, wantTypes(types))
				if !sameHits(got, want) {
					t.Fatalf("%s: Match(%q, namesOnly=%v, limit=%d, %v)\n got %v\nwant %v", step, q, namesOnly, limit, types, got, want)
				}
				if built := fresh.Match(q, namesOnly, limit, wantTypes(types)); !sameHits(got, built) {
					t.Fatalf("%s: Match(%q, namesOnly=%v, limit=%d, %v)\nupdated %v\n  built %v", step, q, namesOnly, limit, types, got, built)
				}
			}
		}
	}
}

// TestUpdateEqualsBuild makes random docs, changes them step by step
// through Update, and after every step compares Match with a brute-force
// ranking of the docs and with a fresh Build. Enough steps pass that
// Update merges delta parts and rebuilds the main segment several times.
func TestUpdateEqualsBuild(t *testing.T) {
	for _, tc := range []struct {
		name          string
		seed          uint64
		docs          int
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
			c := randomCorpus(r, tc.docs)
			ix := Build(c.docs())
			checkMatches(t, ix, c, r, "built")
			next, rebuilds, merges := tc.docs, 0, 0
			for step := range tc.steps {
				changed, removed := randomChanges(r, c, tc.changesByStep, &next)
				updated := ix.Update(changed, removed)
				if updated.main != ix.main {
					rebuilds++
				} else if len(updated.delta) <= len(ix.delta) && len(changed) > 0 {
					merges++
				}
				ix = updated
				checkMatches(t, ix, c, r, fmt.Sprintf("step %d (changed %d, removed %v)", step, len(changed), removed))
			}
			if rebuilds == 0 && tc.docs >= 300 { // smaller ones stay below the bound
				t.Errorf("%d steps of %d changes never rebuilt the main segment", tc.steps, tc.changesByStep)
			}
			if merges == 0 {
				t.Errorf("%d steps of %d changes never merged delta parts", tc.steps, tc.changesByStep)
			}
		})
	}
}

// TestRebuildBound checks that delta and the dead docs stay within their
// bound, and the delta parts few, whatever the changes.
func TestRebuildBound(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	c := randomCorpus(r, 800)
	ix := Build(c.docs())
	next := 800
	for range 2000 {
		ix = ix.Update(randomChanges(r, c, 1, &next))
		bound := max(len(ix.main.docs)/8, minRebuildBound)
		if ix.deltaDocs > bound || ix.dead > bound {
			t.Fatalf("delta %d, dead %d: over the bound %d", ix.deltaDocs, ix.dead, bound)
		}
		if len(ix.delta) > 12 {
			t.Fatalf("%d delta parts of %d docs", len(ix.delta), ix.deltaDocs)
		}
	}
	checkMatches(t, ix, c, r, "after 2000 updates")
}

// version is an index with its docs and the answers it gave when it was
// made.
type version struct {
	ix      *Index
	docs    corpus
	answers map[string][]Hit
}

func newVersion(ix *Index, c corpus) version {
	return version{ix, maps.Clone(c), answersOf(ix)}
}

// answersOf asks ix the test queries, limited and not.
func answersOf(ix *Index) map[string][]Hit {
	out := map[string][]Hit{}
	for _, q := range searchQueries {
		for _, limit := range []int{0, 5} {
			out[fmt.Sprint(q, "/", limit)] = ix.Match(q, false, limit, nil)
		}
	}
	return out
}

// checkVersion tells whether v answers as it did.
func checkVersion(v version) error {
	if got := answersOf(v.ix); fmt.Sprint(got) != fmt.Sprint(v.answers) {
		return fmt.Errorf("answers changed:\n got %v\nwant %v", got, v.answers)
	}
	return nil
}

// TestPersistence keeps every index an Update made, updates some of them
// again (the newest, and now and then an older one, so that two indexes
// grow from one), checks each new one against the reference, and checks
// at the end that each answers as it did when it was made.
func TestPersistence(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	c := randomCorpus(r, 300)
	versions := []version{newVersion(Build(c.docs()), c)}
	next := 300
	for step := range 300 {
		from := versions[len(versions)-1]
		if step%5 == 4 {
			from = versions[r.IntN(len(versions))]
		}
		c := maps.Clone(from.docs)
		changed, removed := randomChanges(r, c, 1+r.IntN(4), &next)
		v := newVersion(from.ix.Update(changed, removed), c)
		if step%5 == 4 || step%7 == 0 {
			checkMatches(t, v.ix, c, r, fmt.Sprintf("step %d", step))
		}
		versions = append(versions, v)
	}
	for i, v := range versions {
		if err := checkVersion(v); err != nil {
			t.Fatalf("version %d: %v", i, err)
		}
	}
}

// TestConcurrentReaders reads indexes from several goroutines while
// another updates them, from the newest and from old versions: run with
// -race.
func TestConcurrentReaders(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	c := randomCorpus(r, 500)
	first := newVersion(Build(c.docs()), c)
	published := make(chan version, 64)
	errs := make(chan error, 4)
	done := make(chan struct{})
	for range 4 {
		go func() {
			read := []version{first}
			for {
				select {
				case v := <-published:
					read = append(read, v)
				case <-done:
					errs <- nil
					return
				default:
				}
				if err := checkVersion(read[len(read)-1]); err != nil {
					errs <- err
					return
				}
				if err := checkVersion(read[0]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	ix, next := first.ix, 500
	for step := range 200 {
		changed, removed := randomChanges(r, c, 1+r.IntN(8), &next)
		ix = ix.Update(changed, removed)
		first.ix.Update(changed, removed) // a branch from the version read
		if step%10 == 0 {
			select {
			case published <- newVersion(ix, c):
			default:
			}
		}
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
