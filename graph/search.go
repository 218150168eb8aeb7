package graph

import (
	"context"
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
)

// searchIndex finds entities by folded name, alias or description without
// looking at every entity: a trigram index for queries of three or more
// characters, and a sorted word list for shorter ones (which then match
// word prefixes only).
type searchIndex struct {
	docs     []searchDoc
	trigrams map[string][]int32 // trigram → doc indexes, ascending
	words    []wordRef          // every word of every text, sorted
}

type searchDoc struct {
	id    string
	names []string // folded name and aliases
	desc  []string // folded descriptions
}

type wordRef struct {
	word string
	doc  int32
}

func buildSearchIndex(c *catalog) *searchIndex {
	ix := &searchIndex{trigrams: map[string][]int32{}}
	ids := make([]string, 0, len(c.byID))
	for id, e := range c.byID {
		if e.typ != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := c.byID[id]
		d := searchDoc{id: id}
		for _, n := range append(append([]string{}, e.names...), e.aliases...) {
			d.names = append(d.names, Fold(n))
		}
		for _, t := range e.desc {
			d.desc = append(d.desc, Fold(t))
		}
		n := int32(len(ix.docs))
		ix.docs = append(ix.docs, d)
		seen := map[string]bool{}
		for _, text := range append(append([]string{}, d.names...), d.desc...) {
			for i := 0; i+3 <= len(text); i++ {
				g := text[i : i+3]
				if !seen[g] {
					seen[g] = true
					ix.trigrams[g] = append(ix.trigrams[g], n)
				}
			}
			for _, w := range strings.Fields(text) {
				ix.words = append(ix.words, wordRef{w, n})
			}
		}
	}
	sort.Slice(ix.words, func(i, j int) bool {
		if ix.words[i].word != ix.words[j].word {
			return ix.words[i].word < ix.words[j].word
		}
		return ix.words[i].doc < ix.words[j].doc
	})
	return ix
}

// candidates returns the docs that may contain the folded query q.
func (ix *searchIndex) candidates(q string) []int32 {
	if len(q) < 3 {
		i := sort.Search(len(ix.words), func(i int) bool { return ix.words[i].word >= q })
		var out []int32
		seen := map[int32]bool{}
		for ; i < len(ix.words) && strings.HasPrefix(ix.words[i].word, q); i++ {
			if d := ix.words[i].doc; !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
		return out
	}
	var smallest []int32
	for i := 0; i+3 <= len(q); i++ {
		post, ok := ix.trigrams[q[i:i+3]]
		if !ok {
			return nil
		}
		if smallest == nil || len(post) < len(smallest) {
			smallest = post
		}
	}
	return smallest
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

type scored struct {
	id    string
	score float64
}

// match returns the ids matching q with their scores, best first, then by
// name. An empty type list means every type.
func (c *catalog) match(q string, namesOnly bool, types ...NodeType) []scored {
	q = Fold(q)
	if q == "" {
		return nil
	}
	var out []scored
	for _, i := range c.search.candidates(q) {
		d := &c.search.docs[i]
		if len(types) > 0 && !hasType(types, c.typeOf(d.id)) {
			continue
		}
		if sc := d.score(q, namesOnly); sc > 0 {
			out = append(out, scored{d.id, sc})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return c.less(out[i].id, out[j].id)
	})
	return out
}

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
	s.mu.RLock()
	defer s.mu.RUnlock()
	found := s.cat.match(text, false)
	if len(found) > first {
		found = found[:first]
	}
	hits := make([]SearchHit, 0, len(found))
	for _, f := range found {
		n, err := s.node(ctx, f.id)
		if err != nil {
			return nil, internal(op, err)
		}
		if n != nil {
			hits = append(hits, SearchHit{Node: n, Score: f.score})
		}
	}
	return hits, nil
}
