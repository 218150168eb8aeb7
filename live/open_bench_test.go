package live_test

import (
	"context"
	"os"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
)

// BenchmarkOpen builds the read model of the bbolt store named by
// THRIVEGRAPH_BENCH_DB (for example a copy of a generated store of 100,000
// organizations): what `serve` does before it is ready.
func BenchmarkOpen(b *testing.B) {
	path := os.Getenv("THRIVEGRAPH_BENCH_DB")
	if path == "" {
		b.Skip("set THRIVEGRAPH_BENCH_DB to a bbolt store")
	}
	for b.Loop() {
		g, err := graphtest.OpenGraph(context.Background(), graph.Config{Backend: graph.BackendBbolt, Path: path})
		if err != nil {
			b.Fatal(err)
		}
		g.Close()
	}
}
