package live_test

import (
	"context"
	"os"
	"runtime"
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
		b.StopTimer()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		quads := g.Log().QuadCount(context.Background())
		b.ReportMetric(float64(m.HeapInuse)/float64(quads), "heap-B/quad")
		b.ReportMetric(float64(quads), "quads")
		runtime.KeepAlive(g.Snapshot())
		g.Close()
		b.StartTimer()
	}
}
