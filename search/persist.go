package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/thrivegraph/thrivegraph/graph"
)

// An index is written as one main segment (an index with delta parts or
// dead docs is rebuilt into one first), so that a read model checkpoint can
// hold it and a server starting from the checkpoint need not build it:
//
//	magic      "thrivegraph search 1\n"
//	docs       count, then each doc: id, key, type, names (count, each),
//	           descriptions (count, each); strings as length and bytes
//	grams      the postings of every text, then those of the names alone:
//	           gram count, posting count, then per gram its gap from the
//	           last gram, its doc count and the gaps between its docs
//	heads      count, then each: doc, name
//	inner      count, then each: doc, 2×name (or 2×description+1), and the
//	           offset of the suffix in the name
//
// Numbers are unsigned varints. Reading checks every number against what
// it refers to and every list's order, and answers an error, never a
// panic, for anything out of place. The strings of the docs read share
// one allocation, of the docs section alone: the postings and text lists
// after it are decoded into arrays, and no string keeps their bytes.

const persistMagic = "thrivegraph search 1\n"

// errPersisted is the error of a damaged or foreign written index.
var errPersisted = errors.New("search: not a written index")

// AppendBinary appends the written form of the index to b.
func (ix *Index) AppendBinary(b []byte) []byte {
	s := &segment{}
	switch {
	case ix == nil || ix.live == 0:
	case len(ix.delta) == 0 && ix.dead == 0:
		s = ix.main
	default:
		s = fromDocs(ix.liveDocs()).main
	}
	b = append(b, persistMagic...)
	str := func(v string) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	num := func(n int) { b = binary.AppendUvarint(b, uint64(n)) }
	num(len(s.docs))
	for i := range s.docs {
		d := &s.docs[i]
		str(d.id)
		str(d.key)
		str(string(d.typ))
		for _, list := range [][]string{d.names(), d.desc()} {
			num(len(list))
			for _, t := range list {
				str(t)
			}
		}
	}
	for _, p := range []*postings{&s.grams, &s.nameGrams} {
		num(len(p.grams))
		num(len(p.docs))
		start := int32(0)
		for i, g := range p.grams {
			gap := g
			if i > 0 {
				gap -= p.grams[i-1]
			}
			num(int(gap))
			list := p.docs[start:p.ends[i]]
			num(len(list))
			for j, d := range list {
				if j > 0 {
					d -= list[j-1]
				}
				num(int(d))
			}
			start = p.ends[i]
		}
	}
	num(len(s.heads))
	for _, h := range s.heads {
		num(int(h.doc))
		num(int(h.text))
	}
	num(len(s.inner))
	for _, r := range s.inner {
		num(int(r.doc))
		if s.isDesc(r) {
			num(2*(int(r.text)-len(s.docs[r.doc].names())) + 1)
			num(0)
			continue
		}
		num(2 * int(r.text))
		num(int(r.off))
	}
	return b
}

// ReadIndex reads an index that AppendBinary wrote. It returns the index
// and the bytes after it.
func ReadIndex(data []byte) (*Index, []byte, error) {
	if !bytes.HasPrefix(data, []byte(persistMagic)) {
		return nil, nil, fmt.Errorf("%w: no magic line", errPersisted)
	}
	start := len(persistMagic)
	r := &reader{data: data, pos: start}
	ndocs := r.docs(nil) // finds where the docs end
	if r.err != nil {
		return nil, nil, r.err
	}
	r.text, r.textAt, r.pos = string(data[start:r.pos]), start, start
	s, err := r.segment(ndocs)
	if err != nil {
		return nil, nil, err
	}
	rest := data[r.pos:]
	if len(s.docs) == 0 {
		return &Index{}, rest, nil
	}
	return &Index{main: s, live: len(s.docs)}, rest, nil
}

// reader reads a written index. The strings it reads are substrings of
// text, the bytes of data from textAt on; past text, it reads them as
// empty strings.
type reader struct {
	data   []byte
	pos    int
	err    error
	text   string
	textAt int
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: at byte %d: %s", errPersisted, r.pos, fmt.Sprintf(format, args...))
	}
}

// num reads a number below limit.
func (r *reader) num(limit uint64) int {
	if r.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for {
		if r.pos >= len(r.data) {
			r.fail("truncated")
			return 0
		}
		c := r.data[r.pos]
		r.pos++
		if shift == 63 && c > 1 {
			r.fail("number overflows")
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
		shift += 7
	}
	if v >= limit {
		r.fail("%d is not below %d", v, limit)
		return 0
	}
	return int(v)
}

// count reads a count of items of at least min bytes each.
func (r *reader) count(min int) int {
	return r.num(uint64((len(r.data)-r.pos)/min) + 1)
}

func (r *reader) str() string {
	n := r.num(uint64(len(r.data)-r.pos) + 1)
	if r.err != nil || r.pos+n > len(r.data) {
		r.fail("string past the end")
		return ""
	}
	var s string
	if at := r.pos - r.textAt; at >= 0 && at+n <= len(r.text) {
		s = r.text[at : at+n]
	}
	r.pos += n
	return s
}

// docs reads the docs of a segment, and calls add with each (nil: reads
// them only to find their end). It returns their number.
func (r *reader) docs(add func(doc) bool) int {
	n := r.count(4)
	for range n {
		d := doc{id: r.str(), key: r.str()}
		d.typ = graph.NodeType(r.str())
		names := r.count(1)
		if add != nil {
			d.all = make([]string, 0, names)
		}
		for range names {
			d.all = append(d.all, r.str())
		}
		descs := r.count(1)
		for range descs {
			d.all = append(d.all, r.str())
		}
		if r.err != nil {
			return 0
		}
		if add != nil {
			d.nName = int32(names)
			if !add(d) {
				return 0
			}
		}
	}
	return n
}

// segment reads a segment of ndocs docs (as the docs read before it
// found).
func (r *reader) segment(ndocs int) (*segment, error) {
	s := &segment{docs: make([]doc, 0, ndocs)}
	n := r.docs(func(d doc) bool {
		if i := len(s.docs); i > 0 && compareDocs(&s.docs[i-1], &d) >= 0 {
			r.fail("doc %q out of name order", d.id)
			return false
		}
		s.docs = append(s.docs, d)
		return true
	})
	if r.err != nil {
		return nil, r.err
	}
	if !s.indexIDs() {
		r.fail("a doc id twice")
		return nil, r.err
	}
	s.grams = r.postings(n)
	s.nameGrams = r.postings(n)
	nheads := r.count(2)
	s.heads = make([]textRef, 0, nheads)
	for range nheads {
		d := r.num(uint64(n))
		if r.err != nil { // d is no doc
			return nil, r.err
		}
		i := r.num(uint64(len(s.docs[d].names())))
		if r.err != nil {
			return nil, r.err
		}
		s.heads = append(s.heads, textRef{doc: int32(d), text: int32(i)})
	}
	ninner := r.count(3)
	s.inner = make([]textRef, 0, ninner)
	for range ninner {
		d := r.num(uint64(n))
		if r.err != nil { // d is no doc
			return nil, r.err
		}
		which := r.num(uint64(2*len(s.docs[d].all)) + 1)
		if r.err != nil {
			return nil, r.err
		}
		ref := textRef{doc: int32(d)}
		if which%2 == 1 {
			if which/2 >= len(s.docs[d].desc()) {
				r.fail("description %d of a doc of %d", which/2, len(s.docs[d].desc()))
				return nil, r.err
			}
			ref.text = int32(len(s.docs[d].names()) + which/2)
			r.num(1)
		} else {
			if which/2 >= len(s.docs[d].names()) {
				r.fail("name %d of a doc of %d", which/2, len(s.docs[d].names()))
				return nil, r.err
			}
			ref.text = int32(which / 2)
			ref.off = int32(r.num(uint64(len(s.docs[d].names()[which/2])) + 1))
		}
		s.inner = append(s.inner, ref)
	}
	if r.err != nil {
		return nil, r.err
	}
	for _, refs := range [][]textRef{s.heads, s.inner} {
		for i := 1; i < len(refs); i++ {
			if s.byText(refs[i-1], refs[i]) > 0 {
				r.fail("texts out of order")
				return nil, r.err
			}
		}
	}
	return s, nil
}

// postings reads the postings of a segment of n docs.
func (r *reader) postings(n int) postings {
	var p postings
	ngrams := r.count(2)
	total := r.count(1)
	p.grams = make([]uint32, 0, ngrams)
	p.ends = make([]int32, 0, ngrams)
	p.docs = make([]int32, 0, total)
	last := uint64(0)
	for i := range ngrams {
		gap := uint64(r.num(gramSpace))
		if i > 0 && gap == 0 {
			r.fail("grams out of order")
		}
		last += gap
		if last >= gramSpace {
			r.fail("gram %d past the gram space", last)
		}
		k := r.num(uint64(min(n, total-len(p.docs))) + 1)
		prev := -1
		for j := range k {
			d := r.num(uint64(n))
			if j > 0 {
				d += prev
				if d == prev || d >= n {
					r.fail("docs of a gram out of order")
				}
			}
			p.docs = append(p.docs, int32(d))
			prev = d
		}
		if r.err != nil {
			return postings{}
		}
		p.grams = append(p.grams, uint32(last))
		p.ends = append(p.ends, int32(len(p.docs)))
	}
	return p
}
