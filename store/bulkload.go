package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"

	"github.com/thrivegraph/thrivegraph/graph"
)

// A bulk load (Bulk) writes a load of any size in many transactions and
// still all or nothing. On bbolt it builds the store after the load in a
// new file beside the live one, BuildSuffix: a consistent copy of the live
// file (bbolt's Tx.WriteTo), or an empty store when the live one is empty,
// written in transactions of BulkChunk quads each without fsync; then it
// fsyncs that file, renames it over the live file (atomic on POSIX), fsyncs
// the directory and reopens. A process killed before the rename leaves the
// live file as it was and a build file that the next open removes; one
// killed after it leaves the new store, complete. Until the switch the
// live file, and every snapshot of the read model built on it, is
// untouched: readers see the graph as before the load. The write lock is
// held from BeginBulk to Commit or Abort, so no other write interleaves.
//
// On PostgreSQL a bulk load is one transaction of the shared store, fed a
// chunk at a time (sqlbulk.go). On the memory backend and CockroachDB Bulk
// gathers the load and writes it with Apply at Commit, in one transaction:
// the memory store holds every quad in memory anyway, and CockroachDB's
// driver has no COPY (its transactions are also bounded in size).

// BuildSuffix is appended to the bbolt file's path to name the file a bulk
// load builds. A leftover one (a load killed before its switch) is removed
// when the store is opened.
const BuildSuffix = ".load"

// BulkChunk is the number of quads a bulk load writes per bbolt
// transaction: memory grows with it, not with the load.
// THRIVEGRAPH_LOAD_TX_QUADS overrides it (tests make a small file span many
// transactions).
var BulkChunk = chunkFromEnv()

func chunkFromEnv() int {
	if n, err := strconv.Atoi(os.Getenv("THRIVEGRAPH_LOAD_TX_QUADS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// generationBucket holds a random id written by every bulk load into the
// file it builds, so that the file's version (Version) never equals that of
// the file it replaced, whatever their transaction ids.
const generationBucket = "thrivegraph"

// Bulk is a bulk load in progress (BeginBulk), a graph.BulkWriter. Its
// methods are called from one goroutine.
type Bulk struct {
	s     *Cayley
	hooks graph.BulkHooks
	err   error // the first failure: Commit reports it
	done  bool

	// bbolt
	path   string // the build file
	db     *hbolt.DB
	qs     cgraph.QuadStore // Cayley over the build file, or nil
	kvb    *kvBuilder       // writes into an empty build file instead of qs
	before int              // quads in the store before the load
	// releaseLoop's stop signal and end
	stopRelease, released chan struct{}
	txs                   int // transactions written
	count                 int // quads in the build file now

	// removals (RemoveSources): 64-bit hashes of the quads removed, sorted,
	// and which of them were added again
	seed    maphash.Seed
	hashes  []uint64
	readded []bool

	buf []quad.Quad
	res graph.LoadResult

	// PostgreSQL (sqlbulk.go)
	sq *sqlBulk

	// memory, CockroachDB
	change graph.Change
	quads  []quad.Quad
}

const (
	kindOther byte = iota
	kindType
	kindRelation
)

// kindOf sorts a quad for the counts of a load: relations between
// entities (edges), statements of an entity's type (nodes), the rest.
func kindOf(q quad.Quad) byte {
	if _, ok := graph.RelationOf(q.Predicate); ok {
		return kindRelation
	}
	if q.Predicate == graph.PredType {
		if o, ok := q.Object.(quad.IRI); ok {
			if _, ok := graph.TypeByClass[o]; ok {
				return kindType
			}
		}
	}
	return kindOther
}

var _ graph.BulkLog = (*Cayley)(nil)

// BulkChunk returns the quads a bulk load writes per transaction on
// bbolt, or per chunk of its one transaction on PostgreSQL, and 0 on the
// other backends, where a bulk load is one Apply.
func (s *Cayley) BulkChunk() int {
	if s.kvdb == nil && !s.bulkSQL() {
		return 0
	}
	return BulkChunk
}

// BeginBulk starts a bulk load that first removes every quad of the
// sources removeSources (load --replace), and holds the write lock until
// Commit or Abort; one of them must be called.
func (s *Cayley) BeginBulk(ctx context.Context, removeSources []string, hooks graph.BulkHooks) (graph.BulkWriter, error) {
	const op = "bulk load"
	s.mu.Lock()
	b := &Bulk{s: s, hooks: hooks, seed: maphash.MakeSeed()}
	if s.bulkSQL() {
		if err := b.beginSQL(ctx, removeSources); err != nil {
			b.abort()
			return nil, dbError(op, err)
		}
		return b, nil
	}
	if s.kvdb == nil {
		b.change.RemoveSources = removeSources
		return b, nil
	}
	if err := b.open(ctx); err != nil {
		b.abort()
		return nil, graph.Internal(op, err)
	}
	for _, src := range removeSources {
		if err := b.removeSource(ctx, src); err != nil {
			b.abort()
			return nil, graph.Internal(op, err)
		}
	}
	slices.Sort(b.hashes)
	b.hashes = slices.Compact(b.hashes)
	return b, nil
}

// open makes the build file: a copy of the live store, or a new store when
// the live one holds nothing.
func (b *Bulk) open(ctx context.Context) error {
	s := b.s
	live := s.kvdb.DB()
	b.path = live.Path() + BuildSuffix
	if err := os.Remove(b.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	b.before = s.quadCount(ctx)
	fresh := true
	if err := live.View(func(tx *bolt.Tx) error {
		if bk := tx.Bucket([]byte(kvLogBucket)); bk != nil {
			if k, _ := bk.Cursor().First(); k != nil {
				fresh = false
			}
		}
		if fresh {
			return nil
		}
		return copyTo(tx, b.path)
	}); err != nil {
		return fmt.Errorf("copy the store: %w", err)
	}
	db, err := hbolt.Open(b.path, &bolt.Options{
		Timeout:      time.Second,
		NoSync:       true, // the file is fsynced once, before the switch
		NoGrowSync:   true,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		return err
	}
	b.db = db
	opts := cgraph.Options{kv.OptNoBloom: true}
	if fresh {
		if err := kv.Init(db, opts); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			return err
		}
		if b.kvb, err = newKVBuilder(db.DB()); err != nil {
			return err
		}
	}
	if b.kvb == nil {
		if b.qs, err = kv.New(db, opts); err != nil {
			return err
		}
		if err := createValueBuckets(db.DB()); err != nil {
			return err
		}
	}
	b.count = b.before
	b.stopRelease = make(chan struct{})
	b.released = make(chan struct{})
	go b.releaseLoop(db.DB())
	return nil
}

// releaseLoop releases the build file's mapped pages twice a second until
// the load ends: Cayley reads values all over the file, and the pages read
// would otherwise stay in the process's resident memory, which would then
// grow with the file.
func (b *Bulk) releaseLoop(db *bolt.DB) {
	defer close(b.released)
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-b.stopRelease:
			return
		case <-t.C:
			releaseMapped(db)
		}
	}
}

// stopReleasing ends releaseLoop, before the build file is closed.
func (b *Bulk) stopReleasing() {
	if b.stopRelease != nil {
		close(b.stopRelease)
		<-b.released
		b.stopRelease = nil
	}
}

// copyTo writes a consistent copy of the database read by tx to path, and
// fsyncs it.
func copyTo(tx *bolt.Tx, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = tx.WriteTo(f)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// removeSource removes every quad of one source from the build file, in
// chunks, reading them from the live store (which the load leaves as it
// is).
func (b *Bulk) removeSource(ctx context.Context, src string) error {
	var chunk []quad.Quad
	var ferr error
	flush := func() {
		if ferr != nil || len(chunk) == 0 {
			return
		}
		ferr = b.writeRemoval(chunk)
		chunk = nil
	}
	err := b.s.eachQuad(ctx, quad.Label, graph.SourceIRI(src), func(q quad.Quad) {
		chunk = append(chunk, q)
		if len(chunk) >= BulkChunk {
			flush()
		}
	})
	flush()
	return errors.Join(err, ferr)
}

func (b *Bulk) writeRemoval(chunk []quad.Quad) error {
	tx := cgraph.NewTransactionN(len(chunk))
	for _, q := range chunk {
		tx.RemoveQuad(q)
		b.hashes = append(b.hashes, b.hash(q))
		switch kindOf(q) {
		case kindRelation:
			b.res.EdgesRemoved++
		case kindType:
			b.res.NodesRemoved++
		}
	}
	if err := b.qs.ApplyDeltas(tx.Deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return err
	}
	b.txs++
	b.res.QuadsRemoved += len(chunk)
	b.count -= len(chunk)
	if b.hooks.Written != nil {
		b.hooks.Written(chunk, nil)
	}
	return nil
}

func (b *Bulk) hash(q quad.Quad) uint64 { return maphash.String(b.seed, q.NQuad()) }

// Add writes quads (a transaction each time BulkChunk of them are
// waiting). An error is kept for Commit too.
func (b *Bulk) Add(ctx context.Context, quads ...quad.Quad) error {
	if b.err != nil {
		return b.err
	}
	if err := ctx.Err(); err != nil {
		b.err = err
		return err
	}
	b.res.QuadsTotal += len(quads)
	if b.db == nil && b.sq == nil {
		b.quads = append(b.quads, quads...)
		return nil
	}
	for len(quads) > 0 {
		n := min(len(quads), BulkChunk-len(b.buf))
		b.buf = append(b.buf, quads[:n]...)
		quads = quads[n:]
		if len(b.buf) >= BulkChunk {
			if err := b.flushChunk(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushChunk writes the waiting quads: flushSQL on PostgreSQL, flush on
// bbolt.
func (b *Bulk) flushChunk(ctx context.Context) error {
	if b.sq != nil {
		return b.flushSQL(ctx)
	}
	return b.flush()
}

// flush writes the waiting quads: the relations, the statements of types
// and the rest each in a transaction of their own, so that the store's
// quad count tells how many of each were new.
func (b *Bulk) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	if b.kvb != nil {
		if err := b.kvb.add(b.buf); err != nil {
			b.err = graph.Internal("bulk load", err)
			return b.err
		}
		if b.hooks.Written != nil {
			b.hooks.Written(nil, b.buf)
		}
		b.buf = make([]quad.Quad, 0, BulkChunk)
		return nil
	}
	var groups [3][]quad.Quad
	for _, q := range b.buf {
		k := kindOf(q)
		groups[k] = append(groups[k], q)
	}
	for k, g := range groups {
		if len(g) == 0 {
			continue
		}
		added, err := b.write(g)
		if err != nil {
			b.err = graph.Internal("bulk load", err)
			return b.err
		}
		switch byte(k) {
		case kindRelation:
			b.res.EdgesAdded += added
		case kindType:
			b.res.NodesAdded += added
		}
		if len(b.hashes) > 0 {
			b.readd(g, byte(k))
		}
	}
	if b.hooks.Written != nil {
		b.hooks.Written(nil, b.buf)
	}
	b.buf = make([]quad.Quad, 0, BulkChunk)
	return nil
}

// write adds quads to the build file in one transaction and returns how
// many were new.
func (b *Bulk) write(quads []quad.Quad) (int, error) {
	tx := cgraph.NewTransactionN(len(quads))
	for _, q := range quads {
		tx.AddQuad(q)
	}
	if err := b.qs.ApplyDeltas(tx.Deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return 0, err
	}
	b.txs++
	st, err := b.qs.Stats(context.Background(), false)
	if err != nil {
		return 0, err
	}
	n := int(st.Quads.Value) - b.count
	b.count = int(st.Quads.Value)
	return n, nil
}

// readd counts the quads of g that the load removed first (--replace) and
// adds again: they were neither removed nor added.
func (b *Bulk) readd(g []quad.Quad, k byte) {
	if b.readded == nil {
		b.readded = make([]bool, len(b.hashes))
	}
	for _, q := range g {
		h := b.hash(q)
		i, ok := slices.BinarySearch(b.hashes, h)
		if !ok || b.readded[i] {
			continue
		}
		b.readded[i] = true
		b.res.QuadsRemoved--
		switch k {
		case kindRelation:
			b.res.EdgesRemoved--
			b.res.EdgesAdded--
		case kindType:
			b.res.NodesRemoved--
			b.res.NodesAdded--
		}
	}
}

// Commit writes what is left and makes the load the store's state: on
// bbolt, switches the live file to the build file. The result counts
// quads exactly; its nodes are the statements of an entity's type new to
// the store (removed: no longer in it), its edges the relations.
func (b *Bulk) Commit(ctx context.Context) (graph.LoadResult, error) {
	const op = "bulk load"
	if b.done {
		return graph.LoadResult{}, graph.Errorf(graph.CodeInternal, op, "bulk load already ended")
	}
	if b.sq != nil {
		return b.commitSQL(ctx)
	}
	if b.db == nil {
		return b.commitApply(ctx)
	}
	defer b.abort()
	if b.err == nil {
		b.err = ctx.Err()
	}
	if b.err == nil {
		b.err = b.flush()
	}
	if b.err == nil && b.kvb != nil {
		b.err = b.finishBuild()
	}
	if b.err != nil {
		return graph.LoadResult{}, b.err
	}
	res := b.res
	res.QuadsAdded = b.count - b.before + res.QuadsRemoved
	if res.QuadsAdded == 0 && res.QuadsRemoved == 0 {
		// Nothing changed: the live file stays, the build file goes.
		res.NodesAdded, res.NodesRemoved, res.EdgesAdded, res.EdgesRemoved = 0, 0, 0, 0
		return res, nil
	}
	if err := b.switchFiles(); err != nil {
		return graph.LoadResult{}, graph.Internal(op, err)
	}
	if b.hooks.Switched != nil {
		b.hooks.Switched()
	}
	slog.Default().Info("load: switched to the new store file", "transactions", b.txs, "quads", b.count)
	return res, nil
}

// finishBuild writes the rest of a build by kvBuilder, and its counts.
func (b *Bulk) finishBuild() error {
	built, err := b.kvb.finish()
	if err != nil {
		return graph.Internal("bulk load", err)
	}
	b.txs += b.kvb.txs
	b.count = built.quads
	slog.Default().Info("load: built the new store file", "values", built.values, "quads", built.quads)
	b.res.NodesAdded = built.entities
	b.res.EdgesAdded = built.relations
	b.kvb = nil
	return nil
}

// switchFiles marks the build file with a new generation, fsyncs it,
// renames it over the live file and reopens the store on it.
func (b *Bulk) switchFiles() error {
	s := b.s
	gen := make([]byte, 16)
	rand.Read(gen)
	if err := b.db.DB().Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte(generationBucket))
		if err != nil {
			return err
		}
		return bk.Put([]byte("generation"), gen)
	}); err != nil {
		return err
	}
	if err := b.db.DB().Sync(); err != nil {
		return err
	}
	b.stopReleasing()
	var err error
	if b.qs != nil {
		err = b.qs.Close() // closes b.db
	} else {
		err = b.db.Close()
	}
	b.qs, b.db = nil, nil
	if err != nil {
		return err
	}
	livePath := s.kvdb.DB().Path()
	if err := os.Rename(b.path, livePath); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(livePath)); err != nil {
		return err
	}
	// The load is in the store now; what follows only reopens it.
	cfg := s.cfg
	s.qs.Close()
	qs, kvdb, err := openBbolt(cfg)
	if err != nil {
		return fmt.Errorf("the load is written, but the store could not be reopened (restart the process): %w", err)
	}
	s.qs, s.rqs, s.kvdb = qs, qs, kvdb
	s.bucketsReady = false
	debug.FreeOSMemory()
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// commitApply writes the gathered load in one Apply (backends without a
// build file).
func (b *Bulk) commitApply(ctx context.Context) (graph.LoadResult, error) {
	b.done = true
	defer b.s.mu.Unlock()
	if b.err != nil {
		return graph.LoadResult{}, b.err
	}
	b.change.Quads = []*graph.Quads{graph.NewQuads(b.quads, nil)}
	res, err := b.s.apply(ctx, b.change, func(removed, added []quad.Quad) {
		if b.hooks.Written != nil {
			b.hooks.Written(removed, added)
		}
		if b.hooks.Switched != nil {
			b.hooks.Switched()
		}
	})
	return res, err
}

// Abort ends a bulk load without writing it: the store stays as it was,
// the build file is removed (bbolt) or the transaction rolled back
// (PostgreSQL). After Commit it does nothing.
func (b *Bulk) Abort() { b.abort() }

func (b *Bulk) abort() {
	if b.done {
		return
	}
	b.done = true
	b.abortSQL()
	b.stopReleasing()
	if b.kvb != nil {
		b.kvb.close()
	}
	if b.qs != nil {
		b.qs.Close()
	} else if b.db != nil {
		b.db.Close()
	}
	if b.path != "" {
		os.Remove(b.path)
	}
	b.s.mu.Unlock()
}

// createValueBuckets creates Cayley's value buckets in db when it lacks
// them (prepareBuckets).
func createValueBuckets(db *bolt.DB) error {
	ready := false
	if err := db.View(func(tx *bolt.Tx) error {
		ready = tx.Bucket([]byte{'v', 255, 255}) != nil
		return nil
	}); err != nil || ready {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, prefix := range []byte{'n', 'v'} { // sorted: each bucket is appended
			for i := range 256 {
				for j := range 256 {
					if _, err := tx.CreateBucketIfNotExists([]byte{prefix, byte(i), byte(j)}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}
