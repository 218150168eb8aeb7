// Package graphtest opens the graph the way the service does (the store as
// system of record, the read model over it) for the tests of other
// packages.
package graphtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/store"
)

// Open opens the graph on cfg; a bbolt store without a path gets a file in
// a temporary directory. The graph is closed when the test ends.
func Open(tb testing.TB, cfg graph.Config) *live.Graph {
	tb.Helper()
	if cfg.Backend == graph.BackendBbolt && cfg.Path == "" {
		cfg.Path = filepath.Join(tb.TempDir(), "test.db")
	}
	g, err := OpenGraph(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s store: %v", cfg.Backend, err)
	}
	tb.Cleanup(func() { g.Close() })
	return g
}

// Memory opens an empty graph on Cayley's memory store.
func Memory(tb testing.TB) *live.Graph {
	return Open(tb, graph.Config{Backend: graph.BackendMemory})
}

// OpenGraph opens the store on cfg and builds the read model over it, for
// code outside a test (benchmarks' shared stores).
func OpenGraph(ctx context.Context, cfg graph.Config) (*live.Graph, error) {
	log, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	g, err := live.Open(ctx, log)
	if err != nil {
		log.Close()
		return nil, err
	}
	return g, nil
}
