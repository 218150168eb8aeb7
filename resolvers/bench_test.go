package resolvers_test

// Benchmarks of whole GraphQL requests through the handler, as served:
//
//	go test ./resolvers -run '^$' -bench . -benchmem
//
// The seed graph is the one TestMain loads; the generated network of
// 10,000 organizations is made once per run and imported into a memory
// store.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

var generated10k = sync.OnceValues(func() (*live.Graph, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "thrivegraph-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	res, err := generate.Write(ctx, dir, generate.Options{Orgs: 10_000, Seed: 1})
	if err != nil {
		return nil, err
	}
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		return nil, err
	}
	f, err := os.Open(res.NQuads)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, err = loader.ImportNQuads(ctx, s, f, generate.NQuadsName)
	return s, err
})

// BenchmarkNestedQuery asks for a page of organizations with their themes,
// theme links, policy levels, places, events, people and first partners
// (nestedQuery), for 10 and 100 organizations; "calls" is the number of
// store calls per request.
func BenchmarkNestedQuery(b *testing.B) {
	large, err := generated10k()
	if err != nil {
		b.Fatal(err)
	}
	for _, net := range []struct {
		name  string
		store graph.Store
	}{{"seed", seedStore}, {"10k", large}} {
		counter := newCountingStore(net.store)
		h := resolvers.NewHandler(counter, resolvers.Options{Limits: resolvers.Limits{MaxComplexity: 1 << 20}})
		for _, n := range []int{10, 100} {
			body, _ := json.Marshal(map[string]any{"query": nestedQuery, "variables": map[string]any{"n": n}})
			b.Run(net.name+"/first="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				counter.reset()
				requests := 0
				for b.Loop() {
					req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
						b.Fatalf("HTTP %d: %.300s", rec.Code, rec.Body.String())
					}
					requests++
				}
				b.ReportMetric(float64(total(counter.reset()))/float64(requests), "calls/op")
			})
		}
	}
}

// BenchmarkPartnersSeed asks the partners of the seed's hub, Workers
// Defense Project (43 partners), through the GraphQL handler: the query
// bench/readmodel.sh compares with Cayley's own HTTP API. cache=off
// executes every request; cache=on serves every request after the first
// from the response cache (the snapshot does not change).
func BenchmarkPartnersSeed(b *testing.B) {
	body := `{"query":"{organization(id:\"workers-defense-project\"){partners(first:100){totalCount edges{node{id name}}}}}"}`
	for _, bc := range []struct {
		name string
		size int
	}{{"cache=off", -1}, {"cache=on", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			h := resolvers.NewHandler(seedStore, resolvers.Options{ResponseCacheSize: bc.size})
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"totalCount":43`) {
					b.Fatalf("HTTP %d: %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}
