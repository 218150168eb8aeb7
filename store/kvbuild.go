package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
	"google.golang.org/protobuf/proto"

	"github.com/thrivegraph/thrivegraph/graph"
)

// A kvBuilder writes a bulk load into an empty bbolt store (a new build
// file) in Cayley's KV layout itself, every bucket in key order, instead of
// through Cayley's ApplyDeltas, which looks every value and index entry up
// in the file before it writes it: a million organizations (21 million
// quads) took over 40 minutes that way. The layout, as Cayley's
// graph/kv/indexing.go reads and writes it (data version 2):
//
//	meta   version, indexes (JSON), size (quads), horizon (last id): 8 bytes little-endian each but indexes
//	log    big-endian id → proto Primitive: values (ID, Value, Timestamp) and quads (ID, Subject, Predicate, Object, Label, Timestamp)
//	sp     big-endian subject, predicate → uvarint quad ids, ascending
//	ops    big-endian object, predicate, subject → uvarint quad ids, ascending
//	n h0 h1  value hash → uvarint number of quad directions naming the value
//	v h0 h1  value hash → uvarint value id
//
// Values get the ids 1 to M in the order the load first names them, and
// quads M+1 on, in the order of the load, each once (Cayley's IgnoreDup):
// every quad comes after its values in the log, as scanWhole needs, and
// the log keeps the documents' order. While the load streams in, the
// builder writes the values' log entries, keeps each value as its hash
// (20 bytes, and a 4-byte slot of a hash table of them) and writes each
// quad as four value ids to a file beside the build file (quadFile); the
// rest is written at finish, from two counting sorts of the quads, by
// subject and by object (4 bytes a quad each, one at a time). Memory thus
// grows by about 28 bytes a value and 4 a quad: about 300 MB at a million
// organizations (21 million quads, 7.4 million values).
//
// TestKVBuildMatchesCayley checks the file against one Cayley writes from
// the same quads, and that Cayley reads, adds to and removes from it as
// from its own.
type kvBuilder struct {
	db    *bolt.DB
	stamp int64
	txs   int // transactions committed

	values valueTable
	quads  *quadFile

	// the log entries of values waiting for their transaction
	pending [][2][]byte
	arena   []byte
}

// kvBuildIndexes are the quad indexes the builder writes: Cayley's
// default ones (kv.DefaultQuadIndexes), with which stores are created.
var kvBuildIndexes = []kv.QuadIndex{
	{Dirs: []quad.Direction{quad.Subject, quad.Predicate}},
	{Dirs: []quad.Direction{quad.Object, quad.Predicate, quad.Subject}},
}

// kvBuildTx is the number of entries the builder puts per bbolt
// transaction: memory grows with it, and a commit costs the same whatever
// its size, on a file with NoSync.
const kvBuildTx = 200_000

// newKVBuilder returns a builder over db, an empty Cayley KV store (kv.Init
// only), or nil when the store holds other indexes than the builder writes
// (CAYLEY_KV_INDEXES at its creation): the load then goes through Cayley.
func newKVBuilder(db *bolt.DB) (*kvBuilder, error) {
	k, err := openKVBuilder(db)
	if err != nil || k == nil {
		return nil, err
	}
	if k.quads, err = createQuadFile(strings.TrimSuffix(db.Path(), BuildSuffix) + QuadsSuffix); err != nil {
		return nil, err
	}
	return k, nil
}

func openKVBuilder(db *bolt.DB) (*kvBuilder, error) {
	var ok bool
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if meta == nil {
			return errors.New("not a Cayley store: no meta bucket")
		}
		want, err := json.Marshal(kvBuildIndexes)
		if err != nil {
			return err
		}
		ok = bytes.Equal(meta.Get([]byte("indexes")), want) && meta.Get([]byte("horizon")) == nil
		return nil
	})
	if err != nil || !ok {
		return nil, err
	}
	return &kvBuilder{db: db, stamp: time.Now().UnixNano(), values: newValueTable()}, nil
}

// add takes quads of the load: their new values are logged, the quads kept
// as value ids.
func (k *kvBuilder) add(quads []quad.Quad) error {
	for _, q := range quads {
		var ids [4]uint32
		for i, d := range quad.Directions {
			v := q.Get(d)
			if v == nil {
				continue
			}
			id, err := k.valueID(v)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		if ids[0] == 0 || ids[1] == 0 || ids[2] == 0 {
			return fmt.Errorf("quad %s lacks a subject, predicate or object", q.NQuad())
		}
		if err := k.quads.add(ids); err != nil {
			return fmt.Errorf("write the quads: %w", err)
		}
	}
	if len(k.pending) >= kvBuildTx {
		return k.flushValues()
	}
	return nil
}

// valueID returns the id of v, giving it the next one (and a log entry)
// when the load names it for the first time.
func (k *kvBuilder) valueID(v quad.Value) (uint32, error) {
	h := refs.HashOf(v)
	id, isNew := k.values.id(h)
	if !isNew {
		return id, nil
	}
	b, err := pquads.MarshalValue(v)
	if err != nil {
		return 0, fmt.Errorf("encode value %v: %w", v, err)
	}
	if err := k.log(uint64(id), &cproto.Primitive{ID: uint64(id), Value: b, Timestamp: k.stamp}); err != nil {
		return 0, err
	}
	return id, nil
}

// log queues one log entry for the next transaction.
func (k *kvBuilder) log(id uint64, p *cproto.Primitive) error {
	key := k.alloc(8)
	binary.BigEndian.PutUint64(key, id)
	size := proto.Size(p)
	val, err := proto.MarshalOptions{}.MarshalAppend(k.alloc(size)[:0], p)
	if err != nil {
		return fmt.Errorf("encode log entry %d: %w", id, err)
	}
	k.pending = append(k.pending, [2][]byte{key, val})
	return nil
}

// alloc returns n bytes of the transaction's arena: bbolt reads the keys
// and values put until its commit.
func (k *kvBuilder) alloc(n int) []byte {
	if len(k.arena)+n > cap(k.arena) {
		k.arena = make([]byte, 0, max(1<<20, n))
	}
	k.arena = k.arena[:len(k.arena)+n]
	return k.arena[len(k.arena)-n : len(k.arena) : len(k.arena)]
}

// keep copies b into the transaction's arena.
func (k *kvBuilder) keep(b []byte) []byte {
	c := k.alloc(len(b))
	copy(c, b)
	return c
}

// flushValues writes the queued log entries in one transaction.
func (k *kvBuilder) flushValues() error {
	err := k.put("log", k.pending)
	k.pending, k.arena = k.pending[:0], nil
	return err
}

// put appends entries, in key order, to the top-level bucket name.
func (k *kvBuilder) put(name string, entries [][2][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	k.txs++
	return k.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		b.FillPercent = 1 // appended in order: full pages
		for _, e := range entries {
			if err := b.Put(e[0], e[1]); err != nil {
				return fmt.Errorf("bucket %q: %w", name, err)
			}
		}
		return nil
	})
}

// kvBuilt is what finish wrote.
type kvBuilt struct {
	values    int
	quads     int // distinct quads: the store's size
	relations int // of them, relations between entities
	entities  int // subjects with an entity type
}

// finish writes the quads, their indexes, the values' hashes and counts,
// and the store's size and horizon. It frees what the builder held.
//
// The quad at position i of the load (repeats included) gets the id
// M+1+i, so ids follow the load without first knowing which quads repeat
// (a repeat leaves its id unused, as a removal does in Cayley's log).
// Each pass over the quads reads each once: in the load's order, or in a
// counting sort's order, gathering one subject's or object's quads to sort
// them in memory.
func (k *kvBuilder) finish() (kvBuilt, error) {
	if err := k.flushValues(); err != nil {
		return kvBuilt{}, err
	}
	nv := k.values.n
	built := kvBuilt{values: int(nv)}
	vocab := k.vocabulary()
	k.values.freeTable()
	if err := k.quads.seal(); err != nil {
		return built, err
	}
	k.quads.dups = make([]uint64, (k.quads.n+63)/64)
	bySubject, runs := k.quads.countingSort(0, nv)
	if err := k.writeIndex("sp", bySubject, runs, []int{0, 1}, func(run []gathered) {
		k.markDuplicates(run, vocab, &built)
	}); err != nil {
		return built, err
	}
	bySubject, runs = nil, nil
	if err := k.writeQuads(nv); err != nil {
		return built, err
	}
	byObject, runs := k.quads.countingSort(2, nv)
	if err := k.writeIndex("ops", byObject, runs, []int{2, 1, 0}, nil); err != nil {
		return built, err
	}
	byObject, runs = nil, nil
	if err := k.writeValues(); err != nil {
		return built, err
	}
	horizon := uint64(nv) + uint64(k.quads.n)
	err := k.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		for key, v := range map[string]uint64{"size": uint64(built.quads), "horizon": horizon} {
			buf := make([]byte, 8)
			binary.LittleEndian.PutUint64(buf, v)
			if err := meta.Put([]byte(key), buf); err != nil {
				return err
			}
		}
		return nil
	})
	k.values = valueTable{}
	return built, errors.Join(err, k.close())
}

// close removes the builder's quad file.
func (k *kvBuilder) close() error { return k.quads.close() }

// gathered is a quad read for a sort: its value ids and its position.
type gathered struct {
	q   [4]uint32
	pos uint32
}

// markDuplicates marks, in one subject's quads sorted by the other
// directions and position, each that repeats the one before it, and counts
// the distinct quads, relations and entities (subjects of a type
// statement of an entity class) among them.
func (k *kvBuilder) markDuplicates(run []gathered, vocab kvVocabulary, built *kvBuilt) {
	typed := false
	for i, g := range run {
		if i > 0 && g.q == run[i-1].q {
			k.quads.dups[g.pos/64] |= 1 << (g.pos % 64)
			continue
		}
		built.quads++
		if vocab.relations[g.q[1]] {
			built.relations++
		}
		if g.q[1] == vocab.typ && vocab.typ != 0 && vocab.classes[g.q[2]] {
			typed = true
		}
	}
	if typed {
		built.entities++
	}
}

// writeQuads logs every distinct quad, in the order of the load.
func (k *kvBuilder) writeQuads(nv uint32) error {
	for i := range k.quads.n {
		if k.quads.dup(i) {
			continue
		}
		q := k.quads.get(i)
		id := uint64(nv) + uint64(i) + 1
		p := &cproto.Primitive{ID: id, Subject: uint64(q[0]), Predicate: uint64(q[1]), Object: uint64(q[2]), Label: uint64(q[3]), Timestamp: k.stamp}
		if err := k.log(id, p); err != nil {
			return err
		}
		if len(k.pending) >= kvBuildTx {
			if err := k.flushValues(); err != nil {
				return err
			}
		}
	}
	return k.flushValues()
}

// kvVocabulary holds the value ids of the vocabulary the counts of a
// load read (kindOf): the predicates that relate entities, rdf:type and
// the entity classes. 0: not in the load.
type kvVocabulary struct {
	relations map[uint32]bool
	typ       uint32
	classes   map[uint32]bool
}

func (k *kvBuilder) vocabulary() kvVocabulary {
	v := kvVocabulary{relations: map[uint32]bool{}, classes: map[uint32]bool{}}
	for _, r := range graph.Relations {
		if id, ok := k.values.lookup(refs.HashOf(graph.RelIRI(r))); ok {
			v.relations[id] = true
		}
	}
	v.typ, _ = k.values.lookup(refs.HashOf(graph.PredType))
	for class := range graph.TypeByClass {
		if id, ok := k.values.lookup(refs.HashOf(class)); ok {
			v.classes[id] = true
		}
	}
	return v
}

// writeIndex writes the index named name, whose key is the value ids of
// the directions dirs (quad.Directions order: 0 subject … 3 label), from
// the quads' positions sorted by the first of them and the runs of each
// first value (countingSort). Each run is read, sorted by the other
// directions of the key, then all four, then position (so that a repeated
// quad follows its first), and passed to each, if not nil, before it is
// written: a key's quad ids ascending, repeats left out.
func (k *kvBuilder) writeIndex(name string, sorted, runs []uint32, dirs []int, each func([]gathered)) error {
	base := uint64(k.values.n) + 1
	var entries [][2][]byte
	flush := func() error {
		err := k.put(name, entries)
		entries, k.arena = entries[:0], nil
		return err
	}
	order := append(append([]int{}, dirs[1:]...), 0, 1, 2, 3)
	var run []gathered
	var val []byte
	var ids []uint64
	for r := 0; r+1 < len(runs); r++ {
		if runs[r] == runs[r+1] {
			continue
		}
		run = run[:0]
		for _, pos := range sorted[runs[r]:runs[r+1]] {
			run = append(run, gathered{q: k.quads.get(int(pos)), pos: pos})
		}
		slices.SortFunc(run, func(a, b gathered) int {
			for _, d := range order {
				if a.q[d] != b.q[d] {
					return cmpU32(a.q[d], b.q[d])
				}
			}
			return cmpU32(a.pos, b.pos)
		})
		if each != nil {
			each(run)
		}
		for i := 0; i < len(run); {
			j := i
			ids = ids[:0]
			for ; j < len(run) && sameKey(run[i].q, run[j].q, dirs); j++ {
				if !k.quads.dup(int(run[j].pos)) {
					ids = append(ids, base+uint64(run[j].pos))
				}
			}
			slices.Sort(ids) // within a key the run is in the order of the other directions
			val = val[:0]
			for _, id := range ids {
				val = binary.AppendUvarint(val, id)
			}
			if len(val) > 0 {
				key := k.alloc(8 * len(dirs))
				for n, d := range dirs {
					binary.BigEndian.PutUint64(key[8*n:], uint64(run[i].q[d]))
				}
				entries = append(entries, [2][]byte{key, k.keep(val)})
				if len(entries) >= kvBuildTx { // a hub's run can be millions of keys
					if err := flush(); err != nil {
						return err
					}
				}
			}
			i = j
		}
	}
	return flush()
}

func sameKey(a, b [4]uint32, dirs []int) bool {
	for _, d := range dirs {
		if a[d] != b[d] {
			return false
		}
	}
	return true
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeValues writes the value buckets: each value's reference count
// ('n' buckets), then its id ('v' buckets), in hash order.
func (k *kvBuilder) writeValues() error {
	refsOf := make([]uint32, k.values.n+1)
	for i := range k.quads.n {
		if k.quads.dup(i) {
			continue
		}
		for _, id := range k.quads.get(i) {
			refsOf[id]++
		}
	}
	all := k.values.byHash()
	for _, prefix := range []byte{'n', 'v'} {
		order := all
		var entries []valueEntry
		for len(order) > 0 || len(entries) > 0 {
			for len(order) > 0 && len(entries) < kvBuildTx {
				id := order[0]
				order = order[1:]
				n := refsOf[id]
				if prefix == 'v' {
					n = id
				}
				entries = append(entries, valueEntry{hash: &k.values.hashes[id], n: uint64(n)})
			}
			if err := k.putValues(prefix, entries); err != nil {
				return err
			}
			entries = entries[:0]
		}
	}
	return nil
}

type valueEntry struct {
	hash *refs.ValueHash
	n    uint64
}

// putValues writes entries, in hash order, into the value buckets of
// prefix ('n' or 'v') in one transaction.
func (k *kvBuilder) putValues(prefix byte, entries []valueEntry) error {
	defer func() { k.arena = nil }()
	k.txs++
	return k.db.Update(func(tx *bolt.Tx) error {
		var b *bolt.Bucket
		var cur [2]byte
		for i, e := range entries {
			if i == 0 || e.hash[0] != cur[0] || e.hash[1] != cur[1] {
				cur = [2]byte{e.hash[0], e.hash[1]}
				name := []byte{prefix, cur[0], cur[1]}
				var err error
				if b, err = tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
				b.FillPercent = 1
			}
			val := binary.AppendUvarint(k.alloc(binary.MaxVarintLen64)[:0], e.n)
			if err := b.Put(e.hash[:], val); err != nil {
				return fmt.Errorf("value bucket %q: %w", []byte{prefix, cur[0], cur[1]}, err)
			}
		}
		return nil
	})
}

// valueTable gives each value hash a dense id from 1: the hashes by id,
// and an open-addressing table of ids over them.
type valueTable struct {
	hashes []refs.ValueHash // by id; [0] unused
	slots  []uint32         // 0: empty
	n      uint32
}

func newValueTable() valueTable {
	return valueTable{hashes: make([]refs.ValueHash, 1, 1<<16), slots: make([]uint32, 1<<16)}
}

// slotOf returns the first slot to probe for h (the hash is uniform: its
// first bytes serve).
func (t *valueTable) slotOf(h *refs.ValueHash) int {
	return int(binary.LittleEndian.Uint64(h[:8]) & uint64(len(t.slots)-1))
}

// id returns h's id, and whether it is new.
func (t *valueTable) id(h refs.ValueHash) (uint32, bool) {
	mask := len(t.slots) - 1
	for i := t.slotOf(&h); ; i = (i + 1) & mask {
		id := t.slots[i]
		if id == 0 {
			t.n++
			t.hashes = append(t.hashes, h)
			t.slots[i] = t.n
			if int(t.n)*4 > len(t.slots)*3 {
				t.grow()
			}
			return t.n, true
		}
		if t.hashes[id] == h {
			return id, false
		}
	}
}

// lookup returns h's id, if it has one (not after freeTable).
func (t *valueTable) lookup(h refs.ValueHash) (uint32, bool) {
	mask := len(t.slots) - 1
	for i := t.slotOf(&h); ; i = (i + 1) & mask {
		id := t.slots[i]
		if id == 0 {
			return 0, false
		}
		if t.hashes[id] == h {
			return id, true
		}
	}
}

func (t *valueTable) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := len(t.slots) - 1
	for id := uint32(1); id <= t.n; id++ {
		i := t.slotOf(&t.hashes[id])
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = id
	}
}

// freeTable drops the hash table; the hashes stay.
func (t *valueTable) freeTable() { t.slots = nil }

// byHash returns the ids in the order of their hashes: by their first two
// bytes (the value bucket) with a counting sort, then within each bucket.
func (t *valueTable) byHash() []uint32 {
	var start [1<<16 + 1]uint32
	for id := uint32(1); id <= t.n; id++ {
		start[int(t.hashes[id][0])<<8|int(t.hashes[id][1])+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([]uint32, t.n)
	next := start
	for id := uint32(1); id <= t.n; id++ {
		b := int(t.hashes[id][0])<<8 | int(t.hashes[id][1])
		out[next[b]] = id
		next[b]++
	}
	for b := range 1 << 16 {
		run := out[start[b]:start[b+1]]
		slices.SortFunc(run, func(x, y uint32) int { return bytes.Compare(t.hashes[x][:], t.hashes[y][:]) })
	}
	return out
}

// quadFile holds the load's quads as value ids, 16 bytes each, in a file
// beside the build file (QuadsSuffix) rather than in memory: written in
// order while the load streams in, then mapped to be read in any order.
// Its mapped pages are released every few thousand reads, as releaseMapped
// does for bbolt's, so that they stay in the page cache but not in the
// process's resident memory, which would otherwise hold the whole file.
type quadFile struct {
	f     *os.File
	w     *bufio.Writer
	n     int
	data  []byte   // the mapping (seal)
	words []uint32 // data as 4 ids a quad
	reads int
	// dups has a bit for each quad that repeats an earlier one
	// (kvBuilder.markDuplicates)
	dups []uint64
}

// QuadsSuffix names the file beside a bbolt store in which a bulk load
// keeps its quads; a leftover one is removed with the build file.
const QuadsSuffix = ".load.quads"

// releaseEvery is the number of reads of a quadFile between two releases
// of its mapped pages: at most that many pages (16 MiB) stay resident.
const releaseEvery = 1 << 12

func createQuadFile(path string) (*quadFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	return &quadFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (b *quadFile) add(ids [4]uint32) error {
	var buf [16]byte
	for i, id := range ids {
		binary.NativeEndian.PutUint32(buf[4*i:], id)
	}
	_, err := b.w.Write(buf[:])
	b.n++
	return err
}

// seal maps the file, to read the quads.
func (b *quadFile) seal() error {
	if err := b.w.Flush(); err != nil {
		return err
	}
	if b.n == 0 {
		return nil
	}
	data, err := unix.Mmap(int(b.f.Fd()), 0, 16*b.n, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("map the quads: %w", err)
	}
	b.data = data
	b.words = unsafe.Slice((*uint32)(unsafe.Pointer(&data[0])), 4*b.n)
	return nil
}

func (b *quadFile) get(i int) [4]uint32 {
	if b.reads++; b.reads%releaseEvery == 0 {
		b.release()
	}
	return [4]uint32(b.words[4*i : 4*i+4])
}

// release drops the mapped pages from the process's resident memory.
func (b *quadFile) release() {
	if len(b.data) > 0 {
		_ = unix.Madvise(b.data, unix.MADV_DONTNEED)
	}
}

// close unmaps and removes the file.
func (b *quadFile) close() error {
	var err error
	if b.data != nil {
		err = unix.Munmap(b.data)
		b.data, b.words = nil, nil
	}
	if b.f != nil {
		err = errors.Join(err, b.f.Close(), os.Remove(b.f.Name()))
		b.f = nil
	}
	return err
}

// countingSort returns the quads' positions sorted by the value of
// direction d (ids 0 to nv), each value's in the order of the load, and
// where each value's positions start (runs[v] to runs[v+1]).
func (b *quadFile) countingSort(d int, nv uint32) (sorted, runs []uint32) {
	runs = make([]uint32, nv+2)
	for i := range b.n {
		runs[b.get(i)[d]+1]++
	}
	for i := 1; i < len(runs); i++ {
		runs[i] += runs[i-1]
	}
	sorted = make([]uint32, b.n)
	for i := range b.n {
		v := b.get(i)[d]
		sorted[runs[v]] = uint32(i)
		runs[v]++
	}
	// runs[v] is now where v's positions end, which is where v+1's start.
	copy(runs[1:], runs[:len(runs)-1])
	runs[0] = 0
	return sorted, runs
}

func (b *quadFile) dup(i int) bool { return b.dups[i/64]&(1<<(i%64)) != 0 }
