// Package store is ThriveGraph's system of record: the Cayley quad store on
// one of its backends (memory, bbolt in one file, PostgreSQL), every write
// made in one transaction, the whole-store scan the read model is built
// from, and the export. It is the only package that imports Cayley.
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
	_ "github.com/cayleygraph/cayley/graph/sql/postgres" // registers the PostgreSQL backend
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
	backend string

	mu           sync.Mutex
	kvdb         *hbolt.DB // bbolt: the database under qs (bulk.go, scan.go)
	bucketsReady bool      // kvdb has Cayley's value buckets (bulk.go); guarded by mu
}

var _ graph.Log = (*Cayley)(nil)

// Open opens (creating if needed) the store described by cfg.
func Open(ctx context.Context, cfg graph.Config) (*Cayley, error) {
	const op = "open store"
	var (
		qs   cgraph.QuadStore
		kvdb *hbolt.DB
		err  error
	)
	switch cfg.Backend {
	case graph.BackendMemory, "":
		qs = memstore.New()
	case graph.BackendBbolt:
		qs, kvdb, err = openBbolt(cfg)
	case graph.BackendPostgres:
		qs, err = openSQL("postgres", cfg.DSN)
	default:
		return nil, graph.Errorf(graph.CodeInvalid, op, "unknown store backend %q (want memory, bbolt or postgres)", cfg.Backend)
	}
	if err != nil {
		return nil, &graph.Error{Code: graph.CodeInternal, Op: op, Msg: fmt.Sprintf("cannot open %s store", cfg.Backend), Err: err}
	}
	return &Cayley{qs: qs, backend: cfg.Backend, kvdb: kvdb}, nil
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
		return nil, errors.New("postgres store needs --dsn")
	}
	initialised, err := sqlInitialised(dsn)
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
func sqlInitialised(dsn string) (bool, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var ok bool
	err = db.QueryRow(`SELECT to_regclass('nodes') IS NOT NULL AND to_regclass('quads') IS NOT NULL`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	return ok, nil
}

// Close closes the underlying quad store.
func (s *Cayley) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.qs.Close()
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

// eachAll calls fn for every quad in the store. Callers hold s.mu.
func (s *Cayley) eachAll(ctx context.Context, fn func(quad.Quad)) error {
	return s.scan(ctx, s.qs.QuadsAllIterator(), fn)
}

// scan runs a quad iterator to its end, checking ctx before each quad and
// the iterator's error at the end.
func (s *Cayley) scan(ctx context.Context, shape iterator.Shape, fn func(quad.Quad)) error {
	it := shape.Iterate()
	defer it.Close()
	for it.Next(ctx) {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, err := s.qs.Quad(it.Result())
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
