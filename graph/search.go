package graph

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"sort"
	"strings"
)

// Search tiers: a better match ranks higher whatever the field.
const (
	tierExact     = 4
	tierPrefix    = 3
	tierWord      = 2
	tierSubstring = 1

	descriptionWeight = 0.5 // a match in a description counts half
	maxSearchResults  = 100

	// minRebuildBound is the fewest changed docs that make update rebuild
	// the main segment; above it, an eighth of the main docs does.
	minRebuildBound = 64
	// innerScanFactor bounds, per wanted result, the entries of the inner
	// text list that match walks to cut the scan at score 1 instead of 2.
	innerScanFactor = 16
)

// searchIndex finds entities by folded name, alias or description without
// looking at every entity. It has two segments: main, built from the whole
// catalog with its docs in name order, and delta, the docs re-indexed by
// update since, in the order of the updates. A doc replaced or removed
// since the build stays in main, marked dead. When delta or the dead docs
// grow past an eighth of main, update rebuilds main from the live docs of
// both segments (the catalog's, already folded), so that a change costs,
// amortised, in proportion to the changed docs.
//
// Beside the segments' gram lists, the index keeps two sorted text lists of
// the main docs, so that match can take every doc scoring above 2 (or above
// 1) without scanning, then scan the other candidates in name order and
// stop as soon as nothing later can enter the wanted top.
type searchIndex struct {
	main  searchSegment
	delta searchSegment
	// heads are the folded names and aliases of the main docs: a doc
	// scores 3 or 4 exactly when one of them starts with the query.
	heads []textRef
	// inner are the suffixes of the main docs' names and aliases from
	// each word after the first, and their whole descriptions: a doc
	// scoring 2 or 1.5 has one of them or of heads starting with the query.
	inner   []textRef
	mainAt  map[string]int32 // id → index of its doc in main
	deltaAt map[string]int32 // id → index of its live doc in delta
	dead    int              // main docs marked dead
}

// searchSegment is a set of docs with, for each gram of their texts, the
// ascending indexes of the docs that have it.
type searchSegment struct {
	docs  []searchDoc
	grams map[string][]int32
	dead  []bool // dead[i]: docs[i] was replaced or removed
}

// searchDoc is what search knows of one entity.
type searchDoc struct {
	id    string
	key   string // folded name, the catalog's order key
	typ   NodeType
	names []string // folded name and aliases
	desc  []string // folded descriptions
}

// textRef is one text of a main doc in a sorted text list.
type textRef struct {
	text string
	doc  int32
	desc bool // a description, whose matches count half
}

// searchHit is a doc that matches a query, with its score.
type searchHit struct {
	doc   *searchDoc
	score float64
}

// scored is a match as the store uses it.
type scored struct {
	id    string
	score float64
}

// newSearchDoc folds what the search needs of entry e.
func newSearchDoc(e *entry) searchDoc {
	d := searchDoc{id: e.id, key: e.key, typ: e.typ}
	for _, n := range e.names {
		d.names = append(d.names, Fold(n))
	}
	for _, n := range e.aliases {
		d.names = append(d.names, Fold(n))
	}
	for _, t := range e.desc {
		d.desc = append(d.desc, Fold(t))
	}
	return d
}

// buildSearchIndex indexes every entity of c, main docs in name order.
func buildSearchIndex(c *catalog) *searchIndex {
	var docs []searchDoc
	for _, e := range c.byID {
		if e.typ != "" {
			docs = append(docs, newSearchDoc(e))
		}
	}
	return indexDocs(docs)
}

// indexDocs makes an index whose main segment holds docs, in name order.
func indexDocs(docs []searchDoc) *searchIndex {
	slices.SortFunc(docs, func(a, b searchDoc) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.id, b.id))
	})
	ix := &searchIndex{
		main:    searchSegment{grams: map[string][]int32{}},
		delta:   searchSegment{grams: map[string][]int32{}},
		mainAt:  make(map[string]int32, len(docs)),
		deltaAt: map[string]int32{},
	}
	for _, d := range docs {
		n := ix.main.add(d)
		ix.mainAt[d.id] = n
		for _, name := range d.names {
			if name == "" {
				continue
			}
			ix.heads = append(ix.heads, textRef{text: name, doc: n})
			for i := 1; i < len(name); i++ {
				if name[i-1] == ' ' {
					ix.inner = append(ix.inner, textRef{text: name[i:], doc: n})
				}
			}
		}
		for _, t := range d.desc {
			if t != "" {
				ix.inner = append(ix.inner, textRef{text: t, doc: n, desc: true})
			}
		}
	}
	byText := func(a, b textRef) int {
		return cmp.Or(strings.Compare(a.text, b.text), cmp.Compare(a.doc, b.doc))
	}
	slices.SortFunc(ix.heads, byText)
	slices.SortFunc(ix.inner, byText)
	return ix
}

// update re-indexes the entities ids of c: one that is an entity with a
// type is indexed from its current entry, any other leaves the index. The
// keys of the entries must be current. When delta or the dead docs pass an
// eighth of main, it rebuilds main from the live docs of both segments,
// which are those of the catalog, already folded.
func (ix *searchIndex) update(c *catalog, ids []string) {
	for _, id := range ids {
		if i, ok := ix.mainAt[id]; ok && !ix.main.dead[i] {
			ix.main.dead[i] = true
			ix.dead++
		}
		if i, ok := ix.deltaAt[id]; ok {
			ix.delta.dead[i] = true
			delete(ix.deltaAt, id)
		}
		if e := c.byID[id]; e != nil && e.typ != "" {
			ix.deltaAt[id] = ix.delta.add(newSearchDoc(e))
		}
	}
	bound := max(len(ix.main.docs)/8, minRebuildBound)
	if len(ix.delta.docs) > bound || ix.dead > bound {
		*ix = *indexDocs(slices.Concat(ix.main.live(), ix.delta.live()))
	}
}

// live returns the docs of the segment that are not dead.
func (s *searchSegment) live() []searchDoc {
	docs := make([]searchDoc, 0, len(s.docs))
	for i, d := range s.docs {
		if !s.dead[i] {
			docs = append(docs, d)
		}
	}
	return docs
}

// add appends doc d to the segment and returns its index.
func (s *searchSegment) add(d searchDoc) int32 {
	n := int32(len(s.docs))
	s.docs = append(s.docs, d)
	s.dead = append(s.dead, false)
	for _, text := range slices.Concat(d.names, d.desc) {
		for g := range textGrams(text) {
			post, ok := s.grams[g]
			if !ok {
				g = strings.Clone(g) // do not keep the whole text alive
			}
			if len(post) == 0 || post[len(post)-1] != n { // once per doc
				s.grams[g] = append(post, n)
			}
		}
	}
	return n
}

// textGrams yields the grams of a folded text: the trigrams of the text
// with a space before it, and a space and the first letter of each word.
// A query of three or more bytes then needs its own trigrams, and a shorter
// one, which matches word prefixes only, needs a space and itself.
func textGrams(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		padded := " " + text
		for i := range len(padded) - 1 {
			if padded[i] == ' ' && !yield(padded[i:i+2]) {
				return
			}
			if i+3 <= len(padded) && !yield(padded[i:i+3]) {
				return
			}
		}
	}
}

// queryGrams returns the grams every doc matching the folded query q has.
func queryGrams(q string) []string {
	if len(q) < 3 {
		return []string{" " + q}
	}
	grams := make([]string, 0, len(q)-2)
	for i := 0; i+3 <= len(q); i++ {
		grams = append(grams, q[i:i+3])
	}
	return grams
}

// candidates yields, in ascending order, the indexes of the docs that have
// every gram of the folded query q: it walks the shortest gram list and
// looks the others up.
func (s *searchSegment) candidates(q string) iter.Seq[int32] {
	var lists [][]int32
	for _, g := range queryGrams(q) {
		post, ok := s.grams[g]
		if !ok {
			return func(func(int32) bool) {}
		}
		lists = append(lists, post)
	}
	slices.SortFunc(lists, func(a, b []int32) int { return cmp.Compare(len(a), len(b)) })
	return func(yield func(int32) bool) {
		rest := slices.Clone(lists[1:]) // the unread parts of the other lists
	docs:
		for _, d := range lists[0] {
			for j, l := range rest {
				i, found := slices.BinarySearch(l, d)
				rest[j] = l[i:]
				if !found {
					continue docs
				}
			}
			if !yield(d) {
				return
			}
		}
	}
}

// tier tells how well the folded query q matches the folded text.
func tier(text, q string) int {
	switch {
	case text == q:
		return tierExact
	case strings.HasPrefix(text, q):
		return tierPrefix
	case strings.Contains(" "+text+" ", " "+q+" "):
		return tierWord
	case len(q) >= 3 && strings.Contains(text, q):
		return tierSubstring
	case len(q) < 3 && strings.Contains(" "+text, " "+q): // short queries match word prefixes
		return tierSubstring
	}
	return 0
}

// score rates doc d for q; namesOnly ignores descriptions.
func (d *searchDoc) score(q string, namesOnly bool) float64 {
	best := 0.0
	for _, n := range d.names {
		best = max(best, float64(tier(n, q)))
	}
	if !namesOnly {
		for _, t := range d.desc {
			best = max(best, descriptionWeight*float64(tier(t, q)))
		}
	}
	return best
}

// before tells whether hit h ranks before hit o: higher score, then the
// catalog's name order (folded name, then id).
func (h searchHit) before(o searchHit) bool {
	if h.score != o.score {
		return h.score > o.score
	}
	if h.doc.key != o.doc.key {
		return h.doc.key < o.doc.key
	}
	return h.doc.id < o.doc.id
}

// match returns the ids matching q with their scores, best first, then by
// name: the first limit of them, or all when limit ≤ 0. An empty type list
// means every type.
func (c *catalog) match(q string, namesOnly bool, limit int, types ...NodeType) []scored {
	q = Fold(q)
	if q == "" {
		return nil
	}
	wanted := func(d *searchDoc) bool { return len(types) == 0 || hasType(types, d.typ) }
	hits := c.search.match(q, namesOnly, limit, wanted)
	out := make([]scored, len(hits))
	for i, h := range hits {
		out[i] = scored{h.doc.id, h.score}
	}
	return out
}

// match ranks the wanted docs that match the folded query q, as
// catalog.match does.
//
// With a limit, it first takes from the text lists every live main doc
// scoring above a cut: 2, or 1 when the inner entries starting with q are
// few. It then scans the other main candidates in name order, and stops
// once the docs scoring above the cut and those scanned (or in delta, and
// before in name order) scoring the cut number limit: a main doc not
// scanned yet scores at most the cut and comes later by name, so it cannot
// rank among the first limit. Every delta candidate is scored.
func (ix *searchIndex) match(q string, namesOnly bool, limit int, wanted func(*searchDoc) bool) []searchHit {
	var hits []searchHit
	for i := range ix.delta.candidates(q) {
		if d := &ix.delta.docs[i]; !ix.delta.dead[i] && wanted(d) {
			if sc := d.score(q, namesOnly); sc > 0 {
				hits = append(hits, searchHit{d, sc})
			}
		}
	}
	if limit <= 0 {
		for i := range ix.main.candidates(q) {
			if d := &ix.main.docs[i]; !ix.main.dead[i] && wanted(d) {
				if sc := d.score(q, namesOnly); sc > 0 {
					hits = append(hits, searchHit{d, sc})
				}
			}
		}
		return sortHits(hits, limit)
	}

	cut, known := ix.above(q, namesOnly, limit, wanted)
	ranked := len(known) // docs known to rank before any main doc not scanned
	var deltaAtCut []searchHit
	for _, h := range hits {
		if h.score > cut {
			ranked++
		} else if h.score == cut {
			deltaAtCut = append(deltaAtCut, h)
		}
	}
	slices.SortFunc(deltaAtCut, compareHits)
	for i, sc := range known {
		hits = append(hits, searchHit{&ix.main.docs[i], sc})
	}
	if ranked < limit {
		for i := range ix.main.candidates(q) {
			d := &ix.main.docs[i]
			if _, ok := known[i]; ok || ix.main.dead[i] || !wanted(d) {
				continue
			}
			sc := d.score(q, namesOnly)
			if sc == 0 {
				continue
			}
			h := searchHit{d, sc}
			hits = append(hits, h)
			if sc < cut {
				continue
			}
			ranked++
			for len(deltaAtCut) > 0 && deltaAtCut[0].before(h) {
				deltaAtCut = deltaAtCut[1:]
				ranked++
			}
			if ranked >= limit {
				break
			}
		}
	}
	return sortHits(hits, limit)
}

// above returns a cut and every live wanted main doc scoring above it, with
// its score. The cut is 2 (the docs a head of which starts with q) unless
// those are fewer than limit and the inner entries starting with q are at
// most innerScanFactor per wanted result: then it is 1.
func (ix *searchIndex) above(q string, namesOnly bool, limit int, wanted func(*searchDoc) bool) (float64, map[int32]float64) {
	known := map[int32]float64{}
	take := func(r textRef, sc float64) {
		if d := &ix.main.docs[r.doc]; !ix.main.dead[r.doc] && wanted(d) {
			known[r.doc] = max(known[r.doc], sc)
		}
	}
	for _, r := range startingWith(ix.heads, q) {
		if r.text == q {
			take(r, tierExact)
		} else {
			take(r, tierPrefix)
		}
	}
	inner := startingWith(ix.inner, q)
	if len(known) >= limit || len(inner) > innerScanFactor*limit {
		return tierWord, known
	}
	for _, r := range inner {
		switch {
		case r.desc && namesOnly:
		case r.desc && r.text == q:
			take(r, descriptionWeight*tierExact)
		case r.desc:
			take(r, descriptionWeight*tierPrefix)
		case len(r.text) == len(q) || r.text[len(q)] == ' ':
			take(r, tierWord)
		}
	}
	return tierSubstring, known
}

// startingWith returns the entries of the sorted list refs whose text
// starts with q, found by binary search.
func startingWith(refs []textRef, q string) []textRef {
	lo, _ := slices.BinarySearchFunc(refs, q, func(r textRef, q string) int { return strings.Compare(r.text, q) })
	refs = refs[lo:] // those starting with q come first
	return refs[:sort.Search(len(refs), func(i int) bool { return !strings.HasPrefix(refs[i].text, q) })]
}

// compareHits orders hits as searchHit.before does.
func compareHits(a, b searchHit) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return 1
	}
	return 0
}

// sortHits orders hits best first and keeps the first limit (all when
// limit ≤ 0).
func sortHits(hits []searchHit, limit int) []searchHit {
	slices.SortFunc(hits, compareHits)
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// hasType tells whether t is one of types.
func hasType(types []NodeType, t NodeType) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// Search finds entities whose name, aliases or description contain text,
// case- and accent-insensitively, ranked exact > prefix > word > substring
// (a description match counts half).
func (s *CayleyStore) Search(ctx context.Context, text string, first int) ([]SearchHit, error) {
	const op = "search"
	if first < 0 {
		return nil, Errorf(CodeInvalid, op, "first must not be negative")
	}
	if first > maxSearchResults {
		return nil, Errorf(CodeLimit, op, "first must be at most %d", maxSearchResults)
	}
	if len(text) > 200 {
		return nil, Errorf(CodeLimit, op, "search text must be at most 200 bytes")
	}
	if first == 0 {
		return []SearchHit{}, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	found := s.cat.match(text, false, first)
	hits := make([]SearchHit, 0, len(found))
	srcs := sourceCache{}
	for _, f := range found {
		n, err := s.nodeWith(ctx, f.id, srcs)
		if err != nil {
			return nil, Internal(op, err)
		}
		if n != nil {
			hits = append(hits, SearchHit{Node: n, Score: f.score})
		}
	}
	return hits, nil
}
