package graph

import (
	"context"
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
)

// The backends a store can be opened on.
const (
	BackendMemory   = "memory"
	BackendBbolt    = "bbolt"
	BackendPostgres = "postgres"
)

// Config says which backend to open and where.
type Config struct {
	Backend     string        // memory, bbolt or postgres
	Path        string        // bbolt: the database file
	DSN         string        // postgres: the connection string
	LockTimeout time.Duration // bbolt: how long to wait for another process's lock (default 5s)
}

// CayleyStore is the Store over a Cayley quad store. Reads and writes are
// serialised by a read/write lock: a query iterating while a write commits
// can deadlock Cayley's KV backends (Cayley issue #712).
type CayleyStore struct {
	qs      cgraph.QuadStore
	backend string

	mu  sync.RWMutex // guards qs against the #712 deadlock, and cat
	cat *catalog     // entities by id, with the search index

	kvdb         *hbolt.DB // bbolt: the database under qs (bulk.go)
	bucketsReady bool      // kvdb has Cayley's value buckets (bulk.go); guarded by mu

	// background is cancelled by Close; warming runs under it, and Close
	// waits for warming to stop.
	background context.Context
	stop       context.CancelFunc
	warming    sync.WaitGroup
}

var _ Store = (*CayleyStore)(nil)

// Open opens (creating if needed) the store described by cfg and reads its
// catalog of entities.
func Open(ctx context.Context, cfg Config) (*CayleyStore, error) {
	const op = "open store"
	var (
		qs   cgraph.QuadStore
		kvdb *hbolt.DB
		err  error
	)
	switch cfg.Backend {
	case BackendMemory, "":
		qs = memstore.New()
	case BackendBbolt:
		qs, kvdb, err = openBbolt(cfg)
	case BackendPostgres:
		qs, err = openSQL("postgres", cfg.DSN)
	default:
		return nil, Errorf(CodeInvalid, op, "unknown store backend %q (want memory, bbolt or postgres)", cfg.Backend)
	}
	if err != nil {
		return nil, &Error{Code: CodeInternal, Op: op, Msg: fmt.Sprintf("cannot open %s store", cfg.Backend), Err: err}
	}
	s := &CayleyStore{qs: qs, backend: cfg.Backend, kvdb: kvdb}
	s.background, s.stop = context.WithCancel(context.Background())
	cat, err := s.readCatalog(ctx)
	if err != nil {
		qs.Close()
		return nil, Internal(op, err)
	}
	s.cat = cat
	return s, nil
}

func openBbolt(cfg Config) (cgraph.QuadStore, *hbolt.DB, error) {
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

func openSQL(backend, dsn string) (cgraph.QuadStore, error) {
	if dsn == "" {
		return nil, errors.New("postgres store needs --dsn")
	}
	if err := cgraph.InitQuadStore(backend, dsn, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		return nil, err
	}
	return cgraph.NewQuadStore(backend, dsn, nil)
}

// Close stops warming and closes the underlying quad store.
func (s *CayleyStore) Close() error {
	s.stop()
	s.warming.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.qs.Close()
}

// Backend names the backend the store runs on.
func (s *CayleyStore) Backend() string { return s.backend }

// eachQuad calls fn for every quad whose direction d holds v. Callers hold
// s.mu.
func (s *CayleyStore) eachQuad(ctx context.Context, d quad.Direction, v quad.Value, fn func(quad.Quad)) error {
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return err
	}
	return s.scan(ctx, s.qs.QuadIterator(d, ref), fn)
}

// eachAll calls fn for every quad in the store. Callers hold s.mu.
func (s *CayleyStore) eachAll(ctx context.Context, fn func(quad.Quad)) error {
	return s.scan(ctx, s.qs.QuadsAllIterator(), fn)
}

// scan runs a quad iterator to its end, checking ctx before each quad and
// the iterator's error at the end.
func (s *CayleyStore) scan(ctx context.Context, shape iterator.Shape, fn func(quad.Quad)) error {
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
