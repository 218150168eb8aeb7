// Package search finds entities by name, alias or description, case- and
// accent-insensitively, best first.
//
// An Index is an immutable value: Update returns a new index and leaves
// the one it was called on as it was, so that any number of goroutines may
// read an index, without locks, while another makes the next one. The new
// index shares with the old one everything the change leaves alone.
//
// # Scores
//
// A query and the texts are folded with graph.Fold (lower case, accents
// off, words of letters and digits split by single spaces). A text matches
// the query as typed with a tier:
//
//	4  the text is the query
//	3  the text starts with the query
//	2  the query is whole words of the text
//	1  the text contains the query (a query shorter than three bytes
//	   matches the start of a word only)
//
// A query of several words that a text does not contain as typed matches
// it in any word order when each of its words would match the text alone:
// 0.8 when each is a whole word of the text, else 0.6. A name matching the
// query as typed thus ranks above any name matching its words in another
// order ("Tzintzún Cristina" finds "Cristina Tzintzún", below a
// "Tzintzún Cristina Fund").
//
// A doc scores its best text; a description counts half. Hits rank by
// score, then by name key (the folded display name, or the folded id when
// there is none), then by id.
package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Doc is what search knows of one entity.
type Doc struct {
	ID   string
	Type graph.NodeType
	// Names are the display name first, then the other names and aliases.
	// The display name orders the hits that score the same.
	Names        []string
	Descriptions []string
}

// Hit is a doc that matches a query, with its score.
type Hit struct {
	ID    string
	Type  graph.NodeType
	Score float64
}

// minRebuildBound is the fewest docs in delta, or dead in main, that make
// Update rebuild the main segment; above it, an eighth of the main docs
// does.
const minRebuildBound = 64

// Index finds docs by folded name, alias or description without looking
// at every doc. Its docs are in a main segment, built with its docs in name
// order, and in delta parts, the docs Update indexed since. A doc replaced
// or removed since its segment was made stays there, marked dead in the
// dead bitmap of the index, which Update copies before it marks one.
//
// The delta parts are immutable segments, from the oldest (and largest)
// to the newest: Update adds a part of the changed docs, then merges the
// last two parts while the older is at most twice as large as the newer,
// so that there are few parts and a doc is merged a few times. When the
// delta docs or the dead main docs pass an eighth of main, Update rebuilds
// main from the live docs (already folded), so that a change costs,
// amortised, in proportion to the changed docs.
//
// The zero Index, and a nil *Index, are empty.
type Index struct {
	main      *segment
	mainDead  bitmap
	dead      int // dead main docs
	delta     []part
	deltaDocs int // docs of the delta parts, dead or not
	live      int // docs not dead
}

// part is a delta segment with its dead docs.
type part struct {
	seg  *segment
	dead bitmap
}

// segment is an immutable set of docs with the postings of their grams.
// The main segment has its docs in name order and two sorted text lists,
// so that Match can take every doc scoring above 2 (or above 1) without
// scanning, then scan the other candidates in name order and stop as soon
// as nothing later can enter the wanted top.
type segment struct {
	docs []doc
	// byID are the indexes of the docs in id order (find).
	byID  []int32
	grams postings // of every text
	// nameGrams are the postings of the names and aliases alone, in
	// main only.
	nameGrams postings
	// heads are the names and aliases of the main docs: a doc scores 3
	// or 4 exactly when one of them starts with the query.
	heads []textRef
	// inner are the suffixes of the main docs' names and aliases from
	// each word after the first, and their whole descriptions: a doc
	// scoring 2 or 1.5 has one of them or of heads starting with the
	// query.
	inner []textRef
}

// doc is a Doc with its texts folded.
type doc struct {
	id    string
	key   string // folded display name, the name order
	typ   graph.NodeType
	all   []string // folded names and aliases, then folded descriptions; none empty
	nName int32    // the number of names in all
}

// names returns the folded names and aliases of d.
func (d *doc) names() []string { return d.all[:d.nName:d.nName] }

// desc returns the folded descriptions of d.
func (d *doc) desc() []string { return d.all[d.nName:] }

// texts returns the folded names and descriptions of d, or its names
// only.
func (d *doc) texts(namesOnly bool) []string {
	if namesOnly {
		return d.names()
	}
	return d.all
}

// textRef is one text of a main doc in a sorted text list: the text
// all[text][off:] of docs[doc] (segment.textOf), a description, whose
// matches count half, when text is past the doc's names. Three numbers
// rather than a string keep the lists small and free of pointers.
type textRef struct {
	doc, text, off int32
}

// textOf returns the text r refers to.
func (s *segment) textOf(r textRef) string {
	return s.docs[r.doc].all[r.text][r.off:]
}

// isDesc reports whether r refers to a description.
func (s *segment) isDesc(r textRef) bool {
	return int(r.text) >= len(s.docs[r.doc].names())
}

// find returns the index of the doc of id.
func (s *segment) find(id string) (int32, bool) {
	k, ok := slices.BinarySearchFunc(s.byID, id, func(i int32, id string) int { return strings.Compare(s.docs[i].id, id) })
	if !ok {
		return 0, false
	}
	return s.byID[k], true
}

// indexIDs fills byID, and reports false when two docs have one id.
func (s *segment) indexIDs() bool {
	s.byID = make([]int32, len(s.docs))
	for i := range s.byID {
		s.byID[i] = int32(i)
	}
	slices.SortFunc(s.byID, func(a, b int32) int { return strings.Compare(s.docs[a].id, s.docs[b].id) })
	for k := 1; k < len(s.byID); k++ {
		if s.docs[s.byID[k-1]].id == s.docs[s.byID[k]].id {
			return false
		}
	}
	return true
}

// byText orders text lists by text, then doc.
func (s *segment) byText(a, b textRef) int {
	return cmp.Or(strings.Compare(s.textOf(a), s.textOf(b)), cmp.Compare(a.doc, b.doc))
}

// fold makes the doc search keeps of d.
func fold(d Doc) doc {
	out := doc{id: d.ID, typ: d.Type}
	if len(d.Names) > 0 {
		out.key = graph.Fold(d.Names[0])
	} else {
		out.key = graph.Fold(d.ID)
	}
	all := make([]string, 0, len(d.Names)+len(d.Descriptions))
	for i, n := range d.Names {
		f := out.key
		if i > 0 {
			f = graph.Fold(n)
		}
		if f != "" {
			all = append(all, f)
		}
	}
	names := len(all)
	for _, t := range d.Descriptions {
		if f := graph.Fold(t); f != "" {
			all = append(all, f)
		}
	}
	out.all, out.nName = all, int32(names)
	return out
}

// compareDocs orders docs by name key, then id.
func compareDocs(a, b *doc) int {
	return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.id, b.id))
}

// Build indexes docs, given in any order. Of docs with the same ID, the
// last is indexed.
func Build(docs []Doc) *Index {
	folded := make([]doc, len(docs))
	for i, d := range docs {
		folded[i] = fold(d)
	}
	return fromDocs(folded)
}

// fromDocs makes an index of the folded docs, all in main.
func fromDocs(docs []doc) *Index {
	main := newMain(docs)
	return &Index{main: main, live: len(main.docs)}
}

// newMain makes a main segment of docs, which it orders by name; of docs
// with the same id, the last stays.
func newMain(docs []doc) *segment {
	s := newSegment(docs)
	s.nameGrams = newPostings(s.docs, true)
	for i := range s.docs {
		d := &s.docs[i]
		n := int32(i)
		for t, name := range d.names() {
			s.heads = append(s.heads, textRef{doc: n, text: int32(t)})
			for k := 1; k < len(name); k++ {
				if name[k-1] == ' ' {
					s.inner = append(s.inner, textRef{doc: n, text: int32(t), off: int32(k)})
				}
			}
		}
		for t := range d.desc() {
			s.inner = append(s.inner, textRef{doc: n, text: int32(len(d.names()) + t)})
		}
	}
	slices.SortFunc(s.heads, s.byText)
	slices.SortFunc(s.inner, s.byText)
	return s
}

// newSegment makes a segment of docs, which it orders by name; of docs
// with the same id, the last stays.
func newSegment(docs []doc) *segment {
	s := &segment{}
	// Sort a copy, stable so that the last of the same id is known.
	s.docs = slices.Clone(docs)
	slices.SortStableFunc(s.docs, func(a, b doc) int { return compareDocs(&a, &b) })
	if !s.indexIDs() {
		return newSegment(lastOfEachID(docs))
	}
	s.grams = newPostings(s.docs, false)
	return s
}

// lastOfEachID keeps, of docs with the same id, the last.
func lastOfEachID(docs []doc) []doc {
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.id] = i
	}
	out := make([]doc, 0, len(last))
	for i, d := range docs {
		if last[d.id] == i {
			out = append(out, d)
		}
	}
	return out
}

// Len returns the number of docs in the index.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return ix.live
}

// Update returns an index of the docs of ix with the docs changed indexed
// anew (added when new) and the docs of the ids removed taken out. An id
// both changed and removed is removed; of changed docs with the same ID,
// the last is indexed. ix stays as it was. The cost is that of the changed
// docs, amortised over the rebuilds of the main segment.
func (ix *Index) Update(changed []Doc, removed []string) *Index {
	if ix == nil {
		ix = &Index{}
	}
	next := *ix
	next.delta = slices.Clone(ix.delta)
	u := updater{ix: &next, copied: make([]bool, len(next.delta))}

	gone := make(map[string]bool, len(removed))
	for _, id := range removed {
		gone[id] = true
		u.kill(id)
	}
	add := make([]doc, 0, len(changed))
	for _, d := range changed {
		u.kill(d.ID)
		if !gone[d.ID] {
			add = append(add, fold(d))
		}
	}
	if len(add) > 0 {
		s := newSegment(add)
		next.delta = append(next.delta, part{seg: s})
		next.deltaDocs += len(s.docs)
		next.live += len(s.docs)
		next.mergeParts()
	}

	mainDocs := 0
	if next.main != nil {
		mainDocs = len(next.main.docs)
	}
	bound := max(mainDocs/8, minRebuildBound)
	if next.deltaDocs > bound || next.dead > bound {
		return fromDocs(next.liveDocs())
	}
	return &next
}

// updater marks docs dead in a new index, copying each dead bitmap it
// changes once. It marks docs before any delta part is added.
type updater struct {
	ix         *Index
	mainCopied bool
	copied     []bool // copied[i]: the bitmap of delta part i was copied
}

// kill marks dead the live doc of id, if any.
func (u *updater) kill(id string) {
	ix := u.ix
	if ix.main != nil {
		if i, ok := ix.main.find(id); ok && !ix.mainDead.has(i) {
			if !u.mainCopied {
				ix.mainDead = ix.mainDead.clone(len(ix.main.docs))
				u.mainCopied = true
			}
			ix.mainDead.set(i)
			ix.dead++
			ix.live--
			return
		}
	}
	for p := range ix.delta {
		part := &ix.delta[p]
		if i, ok := part.seg.find(id); ok && !part.dead.has(i) {
			if !u.copied[p] {
				part.dead = part.dead.clone(len(part.seg.docs))
				u.copied[p] = true
			}
			part.dead.set(i)
			ix.live--
			return
		}
	}
}

// mergeParts merges the last two delta parts while the older is at most
// twice as large as the newer, dropping their dead docs.
func (ix *Index) mergeParts() {
	for n := len(ix.delta); n >= 2 && len(ix.delta[n-2].seg.docs) <= 2*len(ix.delta[n-1].seg.docs); n-- {
		a, b := ix.delta[n-2], ix.delta[n-1]
		s := newSegment(slices.Concat(a.live(), b.live()))
		ix.deltaDocs += len(s.docs) - len(a.seg.docs) - len(b.seg.docs)
		ix.delta = append(ix.delta[:n-2], part{seg: s})
	}
}

// live returns the docs of the part that are not dead.
func (p part) live() []doc {
	return liveDocs(p.seg, p.dead)
}

// liveDocs returns the docs of every segment of ix that are not dead.
func (ix *Index) liveDocs() []doc {
	out := make([]doc, 0, ix.live)
	if ix.main != nil {
		out = append(out, liveDocs(ix.main, ix.mainDead)...)
	}
	for _, p := range ix.delta {
		out = append(out, p.live()...)
	}
	return out
}

// liveDocs returns the docs of s not marked in dead.
func liveDocs(s *segment, dead bitmap) []doc {
	out := make([]doc, 0, len(s.docs))
	for i := range s.docs {
		if !dead.has(int32(i)) {
			out = append(out, s.docs[i])
		}
	}
	return out
}

// bitmap is a set of doc indexes; nil is empty.
type bitmap []uint64

func (b bitmap) has(i int32) bool {
	w := int(i >> 6)
	return w < len(b) && b[w]&(1<<(i&63)) != 0
}

// set adds i, which must be below the size b was cloned with.
func (b bitmap) set(i int32) { b[i>>6] |= 1 << (i & 63) }

// clone returns a copy of b that can hold n docs.
func (b bitmap) clone(n int) bitmap {
	c := make(bitmap, (n+63)/64)
	copy(c, b)
	return c
}
