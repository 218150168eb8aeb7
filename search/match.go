package search

import (
	"slices"
	"sort"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Scores: a better match ranks higher whatever the field.
const (
	tierExact     = 4
	tierPrefix    = 3
	tierWord      = 2
	tierSubstring = 1

	// A query's words in another order score below any match as typed.
	anyOrderWords = 0.8 // each word is a whole word of the text
	anyOrderParts = 0.6 // each word matches the text, not all as whole words

	descriptionWeight = 0.5 // a match in a description counts half

	// innerScanFactor bounds, per wanted hit, the entries of the inner
	// text list that Match walks to cut the scan at score 1 instead of 2.
	innerScanFactor = 16
)

// query is a folded query.
type query struct {
	text      string
	namesOnly bool
	grams     []uint32 // every text matching text as typed has them
	// words are the words of text when there are several and they may
	// match in any order (not namesOnly).
	words     []string
	wordGrams []uint32 // every text matching words in any order has them
	// longWords: every word has three bytes or more, so that a text
	// matching text as typed has wordGrams too.
	longWords bool
}

// newQuery prepares the folded query q, or returns nil when it is empty.
func newQuery(q string, namesOnly bool) *query {
	if q == "" {
		return nil
	}
	qy := &query{text: q, namesOnly: namesOnly, grams: queryGrams(q)}
	if !namesOnly && strings.Contains(q, " ") {
		qy.words = strings.Split(q, " ")
		qy.longWords = true
		for _, w := range qy.words {
			qy.wordGrams = append(qy.wordGrams, queryGrams(w)...)
			qy.longWords = qy.longWords && len(w) >= 3
		}
		slices.Sort(qy.wordGrams)
		qy.wordGrams = slices.Compact(qy.wordGrams)
	}
	return qy
}

// hasWord tells whether the folded text has w starting at the start of a
// word and, when whole, ending at the end of one.
func hasWord(text, w string, whole bool) bool {
	for i := 0; ; i++ {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		i += j
		if (i == 0 || text[i-1] == ' ') && (!whole || i+len(w) == len(text) || text[i+len(w)] == ' ') {
			return true
		}
	}
}

// tier tells how well the folded query q, as typed, matches the folded
// text.
func tier(text, q string) int {
	switch {
	case text == q:
		return tierExact
	case strings.HasPrefix(text, q):
		return tierPrefix
	case hasWord(text, q, true):
		return tierWord
	case len(q) >= 3 && strings.Contains(text, q):
		return tierSubstring
	case len(q) < 3 && hasWord(text, q, false): // short queries match word prefixes
		return tierSubstring
	}
	return 0
}

// anyOrder tells how well the folded words, in any order, match the folded
// text: each must match it as it would alone.
func anyOrder(text string, words []string) float64 {
	whole := true
	for _, w := range words {
		switch {
		case hasWord(text, w, true):
		case len(w) >= 3 && strings.Contains(text, w), len(w) < 3 && hasWord(text, w, false):
			whole = false
		default:
			return 0
		}
	}
	if whole {
		return anyOrderWords
	}
	return anyOrderParts
}

// Classes of the docs that match a query, in the order match scans them:
// those that match it as typed, those whose names match its words in
// another order, and those whose descriptions alone match its words in
// another order.
const (
	anyClass = iota
	typedClass
	namesClass
	descClass
)

// score rates doc d for q when it is of class (any class for anyClass),
// and is 0 otherwise: the score of its best text, a description counting
// half.
func (d *doc) score(q *query, class int) float64 {
	names := 0.0
	for _, n := range d.names() {
		names = max(names, float64(tier(n, q.text)))
	}
	typed := names
	if !q.namesOnly {
		for _, t := range d.desc() {
			typed = max(typed, descriptionWeight*float64(tier(t, q.text)))
		}
	}
	if typed > 0 {
		if class != anyClass && class != typedClass {
			return 0
		}
		if names == 0 && q.words != nil { // a description as typed, scoring 0.5 or more
			typed = max(typed, bestAnyOrder(d.names(), q.words))
		}
		return typed
	}
	if q.words == nil || class == typedClass {
		return 0
	}
	if sc := bestAnyOrder(d.names(), q.words); sc > 0 {
		if class != anyClass && class != namesClass {
			return 0
		}
		return sc
	}
	if class == namesClass {
		return 0
	}
	return descriptionWeight * bestAnyOrder(d.desc(), q.words)
}

// bestAnyOrder returns the best score of words in any order in texts.
func bestAnyOrder(texts, words []string) float64 {
	best := 0.0
	for _, t := range texts {
		best = max(best, anyOrder(t, words))
	}
	return best
}

// candidates walks, in ascending order, the docs of s that may match q: a
// superset of those that do.
func (s *segment) candidates(q *query) *candidates {
	var typed, words cursor
	if q.words == nil || !q.longWords {
		typed = newCursor(&s.grams, q.grams)
	}
	if q.words != nil {
		words = newCursor(&s.grams, q.wordGrams)
	}
	return newCandidates(typed, words)
}

// hit is a doc that matches a query, with its score.
type hit struct {
	doc   *doc
	score float64
}

// compareHits orders hits best first, then by name key, then id.
func compareHits(a, b hit) int {
	switch {
	case a.score > b.score:
		return -1
	case a.score < b.score:
		return 1
	}
	return compareDocs(a.doc, b.doc)
}

// sortHits orders hits best first and keeps the first limit (all when
// limit ≤ 0).
func sortHits(hits []hit, limit int) []hit {
	slices.SortFunc(hits, compareHits)
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// Match returns the docs that match q and that wanted accepts (all when
// wanted is nil), best first, then by name key and id: the first limit of
// them, or all when limit ≤ 0. namesOnly matches names and aliases only,
// and as typed only, never in another word order: it is the substring
// filter of nameContains. A q that folds to nothing matches nothing.
//
// wanted is called once or more for each candidate doc, not for each doc.
func (ix *Index) Match(q string, namesOnly bool, limit int, wanted func(id string, t graph.NodeType) bool) []Hit {
	qy := newQuery(graph.Fold(q), namesOnly)
	if ix == nil || qy == nil {
		return nil
	}
	want := func(*doc) bool { return true }
	if wanted != nil {
		want = func(d *doc) bool { return wanted(d.id, d.typ) }
	}
	hits := ix.match(qy, limit, want)
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{ID: h.doc.id, Type: h.doc.typ, Score: h.score}
	}
	return out
}

// match ranks the wanted docs that match q, as Match does.
//
// With a limit, it first takes from the text lists every live main doc
// scoring above a cut: 2, or 1 when the inner entries starting with q are
// few. It then scans the other main docs that may match q as typed, in
// name order, and stops once limit hits rank before any doc not scanned
// yet: such a doc scores at most the cut and comes later by name. The
// scan takes only the docs that match q as typed (typedClass): one that
// matches its words in another order only scores below 1, and comes in a
// later scan if need be. When the scan ends without stopping so, every doc
// matching q as typed is a hit, and any other scores at most
// anyOrderWords: a second scan, of the docs whose names match the words
// of q in another order (namesClass), stops the same way; when it does
// not, a last scan, of the other docs whose descriptions match them
// (descClass), stops at descriptionWeight*anyOrderWords. Every delta
// candidate is scored.
func (ix *Index) match(q *query, limit int, wanted func(*doc) bool) []hit {
	var hits []hit
	add := func(h hit) bool { hits = append(hits, h); return true }
	for _, p := range ix.delta {
		p.seg.eachMatch(q, anyClass, p.seg.candidates(q), p.dead, wanted, nil, add)
	}
	main := ix.main
	if main == nil {
		return sortHits(hits, limit)
	}
	if limit <= 0 {
		c := main.candidates(q)
		if q.namesOnly {
			c = newCandidates(newCursor(&main.nameGrams, q.grams), cursor{})
		}
		main.eachMatch(q, anyClass, c, ix.mainDead, wanted, nil, add)
		return sortHits(hits, limit)
	}

	cut, known := ix.above(q, limit, wanted)
	for i, sc := range known {
		hits = append(hits, hit{&main.docs[i], sc})
	}
	typed := newCursor(&main.grams, q.grams)
	hits, stopped := ix.scanTo(q, typedClass, &typed, cut, limit, wanted, known, hits)
	if stopped || q.words == nil {
		return sortHits(hits, limit)
	}
	inNames := newCursor(&main.nameGrams, q.wordGrams)
	if hits, stopped = ix.scanTo(q, namesClass, &inNames, anyOrderWords, limit, wanted, nil, hits); !stopped {
		words := newCursor(&main.grams, q.wordGrams)
		hits, _ = ix.scanTo(q, descClass, &words, descriptionWeight*anyOrderWords, limit, wanted, nil, hits)
	}
	return sortHits(hits, limit)
}

// scanTo appends to hits the live wanted main docs of class that w walks,
// not in skip, that match q, and stops once limit hits rank before any doc
// not scanned yet, which must score at most bound: it tells whether it
// stopped so.
func (ix *Index) scanTo(q *query, class int, w walker, bound float64, limit int, wanted func(*doc) bool, skip map[int32]float64, hits []hit) ([]hit, bool) {
	ranked := 0 // hits known to rank before any doc not scanned yet
	var atBound []hit
	for _, h := range hits {
		if h.score > bound {
			ranked++
		} else if h.score == bound {
			atBound = append(atBound, h)
		}
	}
	if ranked >= limit {
		return hits, true
	}
	slices.SortFunc(atBound, compareHits)
	ix.main.eachMatch(q, class, w, ix.mainDead, wanted, skip, func(h hit) bool {
		hits = append(hits, h)
		if h.score < bound {
			return true
		}
		ranked++
		for len(atBound) > 0 && compareHits(atBound[0], h) < 0 {
			atBound = atBound[1:]
			ranked++
		}
		return ranked < limit
	})
	return hits, ranked >= limit
}

// walker walks doc indexes in ascending order: next returns -1 at the end.
type walker interface{ next() int32 }

// eachMatch calls fn, in the order of w, with each live wanted doc of s
// that w walks, that is not in skip and that matches q with class, until
// fn returns false.
func (s *segment) eachMatch(q *query, class int, w walker, dead bitmap, wanted func(*doc) bool, skip map[int32]float64, fn func(hit) bool) {
	for i := w.next(); i >= 0; i = w.next() {
		if _, ok := skip[i]; ok || dead.has(i) {
			continue
		}
		if d := &s.docs[i]; wanted(d) {
			if sc := d.score(q, class); sc > 0 && !fn(hit{d, sc}) {
				return
			}
		}
	}
}

// above returns a cut and every live wanted main doc scoring above it, with
// its score. The cut is 2 (the docs a head of which starts with q) unless
// those are fewer than limit and the inner entries starting with q are at
// most innerScanFactor per wanted hit: then it is 1.
func (ix *Index) above(q *query, limit int, wanted func(*doc) bool) (float64, map[int32]float64) {
	main := ix.main
	known := map[int32]float64{}
	take := func(r textRef, sc float64) {
		if d := &main.docs[r.doc]; !ix.mainDead.has(r.doc) && wanted(d) {
			known[r.doc] = max(known[r.doc], sc)
		}
	}
	for _, r := range main.startingWith(main.heads, q.text) {
		if len(main.textOf(r)) == len(q.text) {
			take(r, tierExact)
		} else {
			take(r, tierPrefix)
		}
	}
	inner := main.startingWith(main.inner, q.text)
	if len(known) >= limit || len(inner) > innerScanFactor*limit {
		return tierWord, known
	}
	for _, r := range inner {
		text, desc := main.textOf(r), main.isDesc(r)
		switch {
		case desc && q.namesOnly:
		case desc && len(text) == len(q.text):
			take(r, descriptionWeight*tierExact)
		case desc:
			take(r, descriptionWeight*tierPrefix)
		case len(text) == len(q.text) || text[len(q.text)] == ' ':
			take(r, tierWord)
		}
	}
	return tierSubstring, known
}

// startingWith returns the entries of the sorted list refs of s whose
// text starts with q, found by binary search.
func (s *segment) startingWith(refs []textRef, q string) []textRef {
	lo, _ := slices.BinarySearchFunc(refs, q, func(r textRef, q string) int { return strings.Compare(s.textOf(r), q) })
	refs = refs[lo:] // those starting with q come first
	return refs[:sort.Search(len(refs), func(i int) bool { return !strings.HasPrefix(s.textOf(refs[i]), q) })]
}
