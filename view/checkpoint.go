package view

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/search"
)

// A checkpoint is a snapshot's records written to a file, so that a server
// can start from it instead of scanning and building the whole store. It
// holds what the store's quads say (each record's key, edges and literals,
// already sorted) and nothing derived: types, names, sources, the type
// lists, the key indexes and the search index are made again on reading,
// by the code that makes them after a write. Whoever writes one tags it with
// the version of the store it matches (graph.VersionedLog); a checkpoint whose
// version is not the store's must not be used.
//
// Layout: the magic line, then a body of varints, then a string table
// (every distinct string once: keys, literals, predicate IRIs), then the
// search index (package search's written form, so that a start from the
// checkpoint does not build it), then the CRC-32C of all that,
// little-endian. The body refers to strings by their number in the table.
//
//	magic     "thrivegraph view checkpoint 1\n"
//	version   string number
//	preds     count, string number each
//	records   count, then total edges (out and in) and total literals, then
//	          per record: namespace, key, out edges, in edges, literals
//	          (edges: count, then pred, other, src each; literals: count,
//	          then pred, src, value each)
//	strings   count, total bytes, then each length, then the bytes
//	search    search.Index.AppendBinary
//	crc       4 bytes
const checkpointMagic = "thrivegraph view checkpoint 2\n"

var checkpointCRC = crc32.MakeTable(crc32.Castagnoli)

// WriteCheckpoint writes the records of s to w, tagged with version.
func (s *Snapshot) WriteCheckpoint(w io.Writer, version string) error {
	strs := map[string]uint64{}
	var table []string
	str := func(v string) uint64 {
		if n, ok := strs[v]; ok {
			return n
		}
		n := uint64(len(table))
		strs[v] = n
		table = append(table, v)
		return n
	}
	body := make([]byte, 0, 1<<20)
	put := func(v uint64) { body = binary.AppendUvarint(body, v) }
	putRef := func(r Ref) { body = binary.AppendUvarint(body, uint64(r+1)) } // noRef is -1

	put(str(version))
	put(uint64(len(s.preds.iris)))
	for _, p := range s.preds.iris {
		put(str(string(p)))
	}
	n := s.recs.len()
	edges, lits := 0, 0
	for r := range n {
		rec := s.recs.get(Ref(r))
		edges += len(rec.Out) + len(rec.In)
		lits += len(rec.Lits)
	}
	put(uint64(n))
	put(uint64(edges))
	put(uint64(lits))
	for r := range n {
		rec := s.recs.get(Ref(r))
		body = append(body, rec.NS)
		put(str(rec.Key))
		for _, es := range [][]Edge{rec.Out, rec.In} {
			put(uint64(len(es)))
			for _, e := range es {
				put(uint64(e.Pred))
				putRef(e.Other)
				putRef(e.Src)
			}
		}
		put(uint64(len(rec.Lits)))
		for _, l := range rec.Lits {
			put(uint64(l.Pred))
			putRef(l.Src)
			put(str(l.Val))
		}
	}

	crc := crc32.New(checkpointCRC)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	bw.WriteString(checkpointMagic)
	bw.Write(body)
	body = body[:0]
	total := 0
	for _, v := range table {
		total += len(v)
	}
	put(uint64(len(table)))
	put(uint64(total))
	for _, v := range table {
		put(uint64(len(v)))
	}
	bw.Write(body)
	for _, v := range table {
		bw.WriteString(v)
	}
	bw.Write(s.search.AppendBinary(body[:0]))
	if err := bw.Flush(); err != nil {
		return err
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc.Sum32())
	_, err := w.Write(sum[:])
	return err
}

// errCheckpoint is the error of every malformed checkpoint.
var errCheckpoint = errors.New("not a read model checkpoint, or a damaged one")

// CheckpointVersion returns the version a checkpoint was written with,
// checking the whole file first.
func CheckpointVersion(data []byte) (string, error) {
	c, err := openCheckpoint(data)
	if err != nil {
		return "", err
	}
	return c.version, nil
}

// ReadCheckpoint makes the snapshot a checkpoint holds, and returns it
// with the version the checkpoint was written with. A damaged file, or one
// of another format, gives an error and no snapshot.
func ReadCheckpoint(data []byte) (*Snapshot, string, error) {
	c, err := openCheckpoint(data)
	if err != nil {
		return nil, "", err
	}
	s, err := c.snapshot()
	if err != nil {
		return nil, "", err
	}
	return s, c.version, nil
}

// checkpointReader reads a checkpoint's body.
type checkpointReader struct {
	body    []byte
	pos     int
	strs    []string
	search  []byte // the written search index
	version string
	err     error
}

func openCheckpoint(data []byte) (*checkpointReader, error) {
	if len(data) < len(checkpointMagic)+4 || string(data[:len(checkpointMagic)]) != checkpointMagic {
		return nil, errCheckpoint
	}
	end := len(data) - 4
	if crc32.Checksum(data[:end], checkpointCRC) != binary.LittleEndian.Uint32(data[end:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCheckpoint)
	}
	c := &checkpointReader{body: data[len(checkpointMagic):end]}
	if err := c.readStrings(); err != nil {
		return nil, err
	}
	c.version = c.str()
	return c, c.err
}

// readStrings finds the string table after the records, by skipping them.
func (c *checkpointReader) readStrings() error {
	c.uint() // version
	for range c.count(1) {
		c.uint()
	}
	n := c.count(1)
	c.uint()
	c.uint()
	for range n {
		c.pos++ // namespace
		c.uint()
		for range 2 {
			for range c.count(3) {
				c.uint()
				c.uint()
				c.uint()
			}
		}
		for range c.count(3) {
			c.uint()
			c.uint()
			c.uint()
		}
		if c.err != nil {
			return c.err
		}
	}
	count := c.count(1)
	total := c.count(0)
	lens := make([]int, count)
	sum := 0
	for i := range lens {
		lens[i] = int(c.uint())
		sum += lens[i]
	}
	if c.err != nil || sum != total || c.pos+total > len(c.body) {
		return fmt.Errorf("%w: string table", errCheckpoint)
	}
	blob := string(c.body[c.pos : c.pos+total]) // one allocation for every string
	c.search = c.body[c.pos+total:]
	c.strs = make([]string, count)
	at := 0
	for i, l := range lens {
		c.strs[i] = blob[at : at+l]
		at += l
	}
	c.pos = 0
	return nil
}

func (c *checkpointReader) uint() uint64 {
	if c.err != nil {
		return 0
	}
	v, n := binary.Uvarint(c.body[min(c.pos, len(c.body)):])
	if n <= 0 {
		c.err = fmt.Errorf("%w: truncated at byte %d", errCheckpoint, c.pos)
		return 0
	}
	c.pos += n
	return v
}

// count reads a count of items of at least perItem bytes each, refusing
// one the rest of the body cannot hold.
func (c *checkpointReader) count(perItem int) int {
	v := c.uint()
	if v > uint64(len(c.body)) || (perItem > 0 && v*uint64(perItem) > uint64(len(c.body)-c.pos)) {
		c.err = fmt.Errorf("%w: count %d at byte %d", errCheckpoint, v, c.pos)
		return 0
	}
	return int(v)
}

func (c *checkpointReader) str() string {
	v := c.uint()
	if v >= uint64(len(c.strs)) {
		if c.err == nil {
			c.err = fmt.Errorf("%w: string %d of %d", errCheckpoint, v, len(c.strs))
		}
		return ""
	}
	return c.strs[v]
}

func (c *checkpointReader) ref(limit int) Ref {
	v := c.uint()
	if v > uint64(limit) {
		if c.err == nil {
			c.err = fmt.Errorf("%w: ref %d of %d", errCheckpoint, int64(v)-1, limit)
		}
		return noRef
	}
	return Ref(v) - 1
}

func (c *checkpointReader) pred(limit int) Pred {
	v := c.uint()
	if v >= uint64(limit) {
		if c.err == nil {
			c.err = fmt.Errorf("%w: predicate %d of %d", errCheckpoint, v, limit)
		}
		return 0
	}
	return Pred(v)
}

// snapshot reads the records and makes the snapshot of them, as a build of
// the same quads would.
func (c *checkpointReader) snapshot() (*Snapshot, error) {
	preds := newPredTable()
	np := c.count(1)
	if np > math.MaxUint16 {
		return nil, fmt.Errorf("%w: %d predicates", errCheckpoint, np)
	}
	for i := range np {
		iri := quad.IRI(c.str())
		if i < len(knownPreds) {
			if iri != knownPreds[i] {
				return nil, fmt.Errorf("%w: predicate %d is %s, not %s (a checkpoint of another version)", errCheckpoint, i, iri, knownPreds[i])
			}
			continue
		}
		if _, dup := preds.num[iri]; dup {
			return nil, fmt.Errorf("%w: predicate %s twice", errCheckpoint, iri)
		}
		preds.num[iri] = Pred(len(preds.iris))
		preds.iris = append(preds.iris, iri)
	}
	if c.err == nil && np < len(knownPreds) {
		return nil, fmt.Errorf("%w: %d predicates", errCheckpoint, np)
	}
	n := c.count(1)
	edgeTotal := c.count(3)
	litTotal := c.count(3)
	if c.err != nil {
		return nil, c.err
	}
	// The search index is read beside the records: it refers to none.
	type readIndex struct {
		ix  *search.Index
		err error
	}
	indexed := make(chan readIndex, 1)
	go func() {
		ix, rest, err := search.ReadIndex(c.search)
		if err == nil && len(rest) > 0 {
			err = fmt.Errorf("%d bytes after it", len(rest))
		}
		indexed <- readIndex{ix, err}
	}()
	defer func() { <-indexed }() // on every return: the goroutine ends before the reader
	edges := make([]Edge, 0, edgeTotal)
	lits := make([]Lit, 0, litTotal)
	b := newApplier(Empty())
	b.next.preds, b.predsOwn = preds, true
	b.fresh = make([]*Record, 0, n)
	b.newEnts, b.newOther = map[string]Ref{}, map[string]Ref{}
	readEdges := func() []Edge {
		k := c.count(3)
		if len(edges)+k > cap(edges) {
			c.err = fmt.Errorf("%w: more edges than announced", errCheckpoint)
			return nil
		}
		start := len(edges)
		for range k {
			edges = append(edges, Edge{Pred: c.pred(np), Other: c.ref(n), Src: c.ref(n)})
		}
		return edges[start:len(edges):len(edges)]
	}
	for i := range n {
		if c.pos >= len(c.body) {
			return nil, fmt.Errorf("%w: truncated at record %d", errCheckpoint, i)
		}
		ns := c.body[c.pos]
		c.pos++
		key := c.str()
		rec := &Record{Key: key, NS: ns}
		idx := b.newOther
		switch ns {
		case nsEntity:
			idx = b.newEnts
		case nsSource, nsFigure, nsAffiliation:
		default:
			return nil, fmt.Errorf("%w: record %d has namespace %d", errCheckpoint, i, ns)
		}
		if _, dup := idx[key]; dup {
			return nil, fmt.Errorf("%w: record %q twice", errCheckpoint, key)
		}
		idx[key] = Ref(i)
		rec.Out = readEdges()
		rec.In = readEdges()
		k := c.count(3)
		if len(lits)+k > cap(lits) {
			return nil, fmt.Errorf("%w: more literals than announced", errCheckpoint)
		}
		start := len(lits)
		for range k {
			lits = append(lits, Lit{Pred: c.pred(np), Src: c.ref(n), Val: c.str()})
		}
		rec.Lits = lits[start:len(lits):len(lits)]
		if c.err != nil {
			return nil, c.err
		}
		if !sortedUnique(rec.Out, compareEdges) || !sortedUnique(rec.In, compareEdges) || !sortedUnique(rec.Lits, compareLits) {
			return nil, fmt.Errorf("%w: record %q is not sorted", errCheckpoint, key)
		}
		b.fresh = append(b.fresh, rec)
	}
	if c.err != nil {
		return nil, c.err
	}
	read := <-indexed
	indexed <- read // for the deferred receive
	if read.err != nil {
		return nil, fmt.Errorf("%w: search index: %v", errCheckpoint, read.err)
	}
	if read.ix.Len() > 0 {
		b.search = read.ix
	}
	b.freshCh.grow(len(b.fresh))
	b.finish()
	return b.next, nil
}

// sortedUnique reports whether list is sorted by cmpf without duplicates,
// as a record's lists are.
func sortedUnique[T any](list []T, cmpf func(a, b T) int) bool {
	for i := 1; i < len(list); i++ {
		if cmpf(list[i-1], list[i]) >= 0 {
			return false
		}
	}
	return true
}
