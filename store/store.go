// Package store is ThriveGraph's system of record: the Cayley quad store on
// one of its backends (memory, bbolt in one file, PostgreSQL, CockroachDB),
// every write made in one transaction, the whole-store scan the read model
// is built from, and the export; on the SQL backends also the change log
// that keeps several servers in step (shared.go). It is the only package
// that imports Cayley.
//
// Each fact is one quad whose label is the IRI of the source that states
// it, so provenance and per-source replacement need no extra bookkeeping.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/kv"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // registers the bbolt KV backend
	"github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers the CockroachDB backend
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers the PostgreSQL backend
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Cayley is the graph.Log over a Cayley quad store. Writes are serialised
// by mu, and a whole-store read (Scan, Export, a write's selection of the
// quads it removes) holds it too: a query iterating while a write commits
// can deadlock Cayley's KV backends (Cayley issue #712). Queries never come
// here: the read model answers them.
type Cayley struct {
	qs      cgraph.QuadStore
	rqs     cgraph.QuadStore // where Scan and Export read: the read DSN's store, or qs
	backend string
	cfg     graph.Config // how the store was opened (a bulk load reopens it)
	sql     *sqlLog      // the change log of a SQL backend; nil on the others

	mu           sync.Mutex
	kvdb         *hbolt.DB // bbolt: the database under qs (bulk.go, scan.go)
	bucketsReady bool      // kvdb has Cayley's value buckets (bulk.go); guarded by mu
}

var _ graph.Log = (*Cayley)(nil)

// Open opens (creating if needed) the store described by cfg.
func Open(ctx context.Context, cfg graph.Config) (*Cayley, error) {
	const op = "open store"
	var (
		qs, rqs cgraph.QuadStore
		kvdb    *hbolt.DB
		shared  *sqlLog
		err     error
	)
	switch cfg.Backend {
	case graph.BackendMemory, "":
		qs = memstore.New()
	case graph.BackendBbolt:
		qs, kvdb, err = openBbolt(cfg)
	case graph.BackendPostgres, graph.BackendCockroach:
		qs, rqs, shared, err = openShared(ctx, cfg)
	default:
		return nil, graph.Errorf(graph.CodeInvalid, op, "unknown store backend %q (want memory, bbolt, postgres or cockroach)", cfg.Backend)
	}
	if err != nil {
		code := graph.CodeInternal
		if unavailable(err) {
			code = graph.CodeUnavailable
		}
		return nil, &graph.Error{Code: code, Op: op, Msg: fmt.Sprintf("cannot open %s store", cfg.Backend), Err: err}
	}
	if rqs == nil {
		rqs = qs
	}
	return &Cayley{qs: qs, rqs: rqs, backend: cfg.Backend, cfg: cfg, kvdb: kvdb, sql: shared}, nil
}

// openShared opens a SQL store: Cayley's quad store on the primary, one on
// the read DSN when given, and the change log.
func openShared(ctx context.Context, cfg graph.Config) (qs, rqs cgraph.QuadStore, l *sqlLog, err error) {
	if qs, err = openSQL(cfg.Backend, cfg.DSN); err != nil {
		return nil, nil, nil, err
	}
	if cfg.ReadDSN != "" && cfg.ReadDSN != cfg.DSN {
		if rqs, err = cgraph.NewQuadStore(cfg.Backend, cfg.ReadDSN, nil); err != nil {
			qs.Close()
			return nil, nil, nil, fmt.Errorf("read DSN: %w", err)
		}
	}
	if l, err = openSQLLog(ctx, cfg); err != nil {
		qs.Close()
		if rqs != nil {
			rqs.Close()
		}
		return nil, nil, nil, err
	}
	return qs, rqs, l, nil
}

func openBbolt(cfg graph.Config) (cgraph.QuadStore, *hbolt.DB, error) {
	if cfg.Path == "" {
		return nil, nil, errors.New("bbolt store needs a database file path")
	}
	if dir := filepath.Dir(cfg.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
	}
	timeout := cfg.LockTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	db, err := hbolt.Open(cfg.Path, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, nil, fmt.Errorf("%s is in use by another process (a running serve?); stop it or load through the running server: %w", cfg.Path, err)
	}
	if err != nil {
		return nil, nil, err
	}
	// The file is ours now (bbolt's lock): a build file left by a bulk
	// load that was killed before its switch (bulkload.go) is garbage.
	for _, leftover := range []string{cfg.Path + BuildSuffix, cfg.Path + QuadsSuffix} {
		if err := os.Remove(leftover); err != nil && !errors.Is(err, os.ErrNotExist) {
			db.Close()
			return nil, nil, err
		}
	}
	opts := cgraph.Options{kv.OptNoBloom: true}
	if err := kv.Init(db, opts); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		db.Close()
		return nil, nil, err
	}
	qs, err := kv.New(db, opts)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return qs, db, nil
}

// openSQL opens a Cayley SQL store, creating its tables only in a database
// that has none: Cayley's init on an initialised database fails, and logs
// that failure as an error, at every open.
func openSQL(backend, dsn string) (cgraph.QuadStore, error) {
	if dsn == "" {
		return nil, fmt.Errorf("%s store needs --dsn", backend)
	}
	initialised, err := sqlInitialised(backend, dsn)
	if err != nil {
		return nil, err
	}
	if !initialised {
		if err := cgraph.InitQuadStore(backend, dsn, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			return nil, err
		}
	}
	return cgraph.NewQuadStore(backend, dsn, nil)
}

// sqlInitialised reports whether the PostgreSQL database at dsn holds
// Cayley's tables (nodes and quads, on the search path).
func sqlInitialised(backend, dsn string) (bool, error) {
	driverName := "postgres"
	if backend == graph.BackendCockroach {
		driverName = "pgx"
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var ok bool
	err = db.QueryRow(`SELECT to_regclass('nodes') IS NOT NULL AND to_regclass('quads') IS NOT NULL`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("%s: %w", backend, err)
	}
	return ok, nil
}

// Close closes the underlying quad stores and the change log.
func (s *Cayley) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.qs.Close()
	if s.rqs != s.qs {
		err = errors.Join(err, s.rqs.Close())
	}
	if s.sql != nil {
		err = errors.Join(err, s.sql.close())
	}
	return err
}

// Backend names the backend the store runs on.
func (s *Cayley) Backend() string { return s.backend }

// eachQuad calls fn for every quad whose direction d holds v. Callers hold
// s.mu.
func (s *Cayley) eachQuad(ctx context.Context, d quad.Direction, v quad.Value, fn func(quad.Quad)) error {
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return err
	}
	return s.scan(ctx, s.qs.QuadIterator(d, ref), fn)
}

// eachAll calls fn for every quad in the store, as the read DSN has it
// when there is one. Callers hold s.mu.
func (s *Cayley) eachAll(ctx context.Context, fn func(quad.Quad)) error {
	return scanQuads(ctx, s.rqs, s.rqs.QuadsAllIterator(), fn)
}

// scan runs a quad iterator of s.qs to its end (scanQuads).
func (s *Cayley) scan(ctx context.Context, shape iterator.Shape, fn func(quad.Quad)) error {
	return scanQuads(ctx, s.qs, shape, fn)
}

// scanQuads runs a quad iterator of qs to its end, checking ctx before
// each quad and the iterator's error at the end.
func scanQuads(ctx context.Context, qs cgraph.QuadStore, shape iterator.Shape, fn func(quad.Quad)) error {
	it := shape.Iterate()
	defer it.Close()
	for it.Next(ctx) {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, err := qs.Quad(it.Result())
		if err != nil {
			return err
		}
		fn(q)
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}
