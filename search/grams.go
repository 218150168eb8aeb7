package search

import (
	"cmp"
	"slices"
)

// A gram is a piece of folded text packed in a number: a trigram of a text
// with a space before it, or a space and the first letter of a word.
// Folded text is made of lower-case ASCII letters, digits and single
// spaces, 37 bytes in all, so a gram has fewer than gramSpace values.
const (
	alphabet  = 38 // the 37 bytes of folded text, and 0 for none
	gramSpace = alphabet * alphabet * alphabet

	// densePairs is the number of (gram, doc) pairs from which postings
	// are counted in arrays of every gram rather than sorted.
	densePairs = 1 << 16
)

// code numbers the bytes of folded text from 1; any other byte is 0.
func code(c byte) uint32 {
	switch {
	case c == ' ':
		return 1
	case c >= 'a' && c <= 'z':
		return 2 + uint32(c-'a')
	case c >= '0' && c <= '9':
		return 28 + uint32(c-'0')
	}
	return 0
}

// gram3 packs the trigram abc.
func gram3(a, b, c byte) uint32 {
	return (code(a)*alphabet+code(b))*alphabet + code(c)
}

// gram2 packs a space followed by the letter c, which begins a word.
func gram2(c byte) uint32 {
	return gram3(0, ' ', c)
}

// appendGrams appends to dst the grams of the folded text: the trigrams of
// the text with a space before it, and a space and the first letter of
// each word. A query of three or more bytes then needs its own trigrams,
// and a shorter one, which matches word prefixes only, needs a space and
// itself.
func appendGrams(dst []uint32, text string) []uint32 {
	at := func(i int) byte { // the text with a space before it
		if i == 0 {
			return ' '
		}
		return text[i-1]
	}
	n := len(text) + 1
	for i := range n - 1 {
		if at(i) == ' ' {
			dst = append(dst, gram2(at(i+1)))
		}
		if i+3 <= n {
			dst = append(dst, gram3(at(i), at(i+1), at(i+2)))
		}
	}
	return dst
}

// queryGrams returns the grams every text matching the folded query q as
// typed has.
func queryGrams(q string) []uint32 {
	switch len(q) {
	case 1:
		return []uint32{gram2(q[0])}
	case 2:
		return []uint32{gram3(' ', q[0], q[1])}
	}
	grams := make([]uint32, 0, len(q)-2)
	for i := 0; i+3 <= len(q); i++ {
		grams = append(grams, gram3(q[i], q[i+1], q[i+2]))
	}
	return grams
}

// postings gives, for each gram of a set of docs, the ascending indexes of
// the docs that have it, all in one array.
type postings struct {
	grams []uint32 // ascending
	ends  []int32  // the list of grams[i] is docs[ends[i-1]:ends[i]]
	docs  []int32
}

// get returns the list of docs that have gram g.
func (p *postings) get(g uint32) []int32 {
	i, ok := slices.BinarySearch(p.grams, g)
	if !ok {
		return nil
	}
	start := int32(0)
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.docs[start:p.ends[i]]
}

// newPostings indexes the grams of the texts of docs (all their texts, or
// their names only): by sorting (gram, doc) pairs for a few docs, by
// counting in arrays of every gram for many.
func newPostings(docs []doc, namesOnly bool) postings {
	size := 0
	for i := range docs {
		for _, t := range docs[i].texts(namesOnly) {
			size += 2 * (len(t) + 1)
		}
	}
	if size < densePairs {
		return sortedPostings(docs, namesOnly)
	}
	return countedPostings(docs, namesOnly)
}

// sortedPostings indexes the grams of a few docs by sorting pairs.
func sortedPostings(docs []doc, namesOnly bool) postings {
	var pairs []uint64
	var grams []uint32
	for i := range docs {
		for _, t := range docs[i].texts(namesOnly) {
			grams = appendGrams(grams[:0], t)
			for _, g := range grams {
				pairs = append(pairs, uint64(g)<<32|uint64(i))
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs) // once per doc
	var p postings
	p.docs = make([]int32, len(pairs))
	for i, pair := range pairs {
		g := uint32(pair >> 32)
		if len(p.grams) == 0 || p.grams[len(p.grams)-1] != g {
			p.grams = append(p.grams, g)
			p.ends = append(p.ends, 0)
		}
		p.docs[i] = int32(pair)
		p.ends[len(p.ends)-1] = int32(i + 1)
	}
	return p
}

// countedPostings indexes the grams of many docs in two passes: one counts
// the docs of each gram, the other places them.
func countedPostings(docs []doc, namesOnly bool) postings {
	last := make([]int32, gramSpace)  // 1 + the last doc seen with the gram
	count := make([]int32, gramSpace) // docs with the gram; then where the next goes
	var grams []uint32
	each := func(fn func(g uint32, d int32)) {
		for i := range docs {
			d := int32(i)
			for _, t := range docs[i].texts(namesOnly) {
				grams = appendGrams(grams[:0], t)
				for _, g := range grams {
					if last[g] != d+1 { // once per doc
						last[g] = d + 1
						fn(g, d)
					}
				}
			}
		}
	}
	each(func(g uint32, _ int32) { count[g]++ })
	var p postings
	total := int32(0)
	for g, n := range count {
		if n > 0 {
			p.grams = append(p.grams, uint32(g))
			count[g] = total
			total += n
			p.ends = append(p.ends, total)
		}
	}
	p.docs = make([]int32, total)
	clear(last)
	each(func(g uint32, d int32) {
		p.docs[count[g]] = d
		count[g]++
	})
	return p
}

// cursor walks, in ascending order, the docs of a segment that have every
// one of a set of grams: it walks the shortest list and looks the docs up
// in the others. Its zero value walks nothing.
type cursor struct {
	first []int32   // the unread part of the shortest list
	rest  [][]int32 // the unread parts of the other lists
}

// newCursor walks the docs of p that have every gram of grams.
func newCursor(p *postings, grams []uint32) cursor {
	lists := make([][]int32, 0, len(grams))
	for _, g := range grams {
		l := p.get(g)
		if len(l) == 0 {
			return cursor{}
		}
		lists = append(lists, l)
	}
	if len(lists) == 0 {
		return cursor{}
	}
	slices.SortFunc(lists, func(a, b []int32) int { return cmp.Compare(len(a), len(b)) })
	return cursor{first: lists[0], rest: lists[1:]}
}

// next returns the next doc, or -1 when there is none. A list without
// the doc tried says where the next one may be, at its next doc: the
// shortest list skips to there (a leapfrog join), so a walk through docs
// that have the rare grams but not the common ones costs the skips, not
// every doc.
func (c *cursor) next() int32 {
	if len(c.first) == 0 {
		return -1
	}
	target := c.first[0]
docs:
	for {
		i, _ := slices.BinarySearch(c.first, target)
		c.first = c.first[i:]
		if len(c.first) == 0 {
			return -1
		}
		d := c.first[0]
		for j, l := range c.rest {
			i, found := slices.BinarySearch(l, d)
			c.rest[j] = l[i:]
			if !found {
				if i == len(l) {
					c.first = nil
					return -1
				}
				target = l[i]
				continue docs
			}
		}
		c.first = c.first[1:]
		return d
	}
}

// candidates walks, in ascending order, the union of two cursors: the docs
// that may match a query as typed and those that may match its words in
// any order.
type candidates struct {
	a, b         cursor
	nextA, nextB int32 // the next doc of each, -1 when done
}

func newCandidates(a, b cursor) *candidates {
	return &candidates{a: a, b: b, nextA: a.next(), nextB: b.next()}
}

// next returns the next doc, or -1 when there is none.
func (c *candidates) next() int32 {
	switch {
	case c.nextA < 0 && c.nextB < 0:
		return -1
	case c.nextB < 0 || c.nextA >= 0 && c.nextA < c.nextB:
		d := c.nextA
		c.nextA = c.a.next()
		return d
	case c.nextA < 0 || c.nextB < c.nextA:
		d := c.nextB
		c.nextB = c.b.next()
		return d
	}
	d := c.nextA
	c.nextA, c.nextB = c.a.next(), c.b.next()
	return d
}
