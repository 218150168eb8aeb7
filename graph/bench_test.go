package graph_test

// Benchmarks of the traversals on the seed graph and on generated networks
// of 10,000 and (with THRIVEGRAPH_BENCH_LARGE=1) 100,000 organizations:
//
//	go test ./graph -run '^$' -bench . -benchmem
//	THRIVEGRAPH_BENCH_LARGE=1 go test ./graph -run '^$' -bench . -benchmem -timeout 1h
//
// Every graph is benchmarked on the bbolt backend (the default), so that
// sizes compare: the seed graph is loaded into a new bbolt file under
// $TMPDIR/thrivegraph-bench/ on every run; a generated network is stored
// there once and reused by later runs while the generator writes the same
// N-Quads (a hash of them is kept beside the file). Each benchmark reports the size of its answer ("answer" per op),
// so that latency can be read against the answer rather than the graph.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
)

// benchNet is a graph to benchmark and the nodes the benchmarks start from.
type benchNet struct {
	name      string
	store     *graph.CayleyStore
	hub       string // the best-connected organization
	typical   string // an ordinary organization
	other     string // another ordinary organization, far from typical
	theme     string // a theme of middling frequency
	page      []string
	nameQuery string
}

var (
	benchMu   sync.Mutex
	benchNets = map[string]*benchNet{}
)

// benchSizes returns the graphs to benchmark: seed and 10k always, 100k
// when THRIVEGRAPH_BENCH_LARGE=1.
func benchSizes(b *testing.B) []*benchNet {
	b.Helper()
	nets := []*benchNet{seedBench(b), generatedBench(b, 10_000)}
	if os.Getenv("THRIVEGRAPH_BENCH_LARGE") == "1" {
		nets = append(nets, generatedBench(b, 100_000))
	}
	return nets
}

func seedBench(b *testing.B) *benchNet {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if n := benchNets["seed"]; n != nil {
		return n
	}
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "thrivegraph-bench", "graph-seed")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "bench.db")
	os.Remove(db) // small: rebuilt every run
	s, err := graph.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: db})
	if err != nil {
		b.Fatal(err)
	}
	names, err := data.SeedFiles()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := loader.Load(ctx, s, loader.FromFS(data.Seed, names...)...); err != nil {
		b.Fatal(err)
	}
	n := &benchNet{
		name: "seed", store: s,
		hub: "wes-mariam-assefa-fund", typical: "casa-latina", other: "global-cleveland",
		theme: "cross-sector-partnerships", nameQuery: "refugee",
	}
	n.page = firstOrgs(b, s, 100)
	warm(b, s)
	benchNets["seed"] = n
	return n
}

// generatedBench opens (building it the first time) the bbolt store of a
// generated network of orgs organizations.
func generatedBench(b *testing.B, orgs int) *benchNet {
	b.Helper()
	name := fmt.Sprintf("%dk", orgs/1000)
	benchMu.Lock()
	defer benchMu.Unlock()
	if n := benchNets[name]; n != nil {
		return n
	}
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "thrivegraph-bench", fmt.Sprintf("graph-orgs%d-seed1", orgs))
	gen := filepath.Join(dir, "generated")
	res, err := generate.Write(ctx, gen, generate.Options{Orgs: orgs, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	sum, err := fileHash(res.NQuads)
	if err != nil {
		b.Fatal(err)
	}
	db, marker := filepath.Join(dir, "bench.db"), filepath.Join(dir, "bench.db.sha256")
	if have, _ := os.ReadFile(marker); string(have) != sum {
		os.Remove(db)
		os.Remove(marker)
		if err := importChunked(ctx, db, res.NQuads); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(marker, []byte(sum), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	os.RemoveAll(gen)
	s, err := graph.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: db})
	if err != nil {
		b.Fatal(err)
	}
	n := &benchNet{
		name: name, store: s,
		hub:       generate.OrganizationID(0),
		typical:   generate.OrganizationID(orgs/2 + 1),
		other:     generate.OrganizationID(orgs/3 + 7),
		theme:     "credential-recognition",
		nameQuery: "refugee",
	}
	n.page = firstOrgs(b, s, 100)
	warm(b, s)
	benchNets[name] = n
	return n
}

// warm computes the derived data, as serve does when it starts, so that
// the benchmarks measure a running server (BenchmarkDerivedBuild measures
// the computation itself).
func warm(b *testing.B, s *graph.CayleyStore) {
	b.Helper()
	if err := s.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
}

func fileHash(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// importChunked imports an N-Quads file into a new bbolt store in
// transactions of 200,000 quads (one transaction of millions of quads would
// need the whole file in memory at once).
func importChunked(ctx context.Context, db, nq string) error {
	s, err := graph.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: db})
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := os.Open(nq)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), graph.MaxNQuadsLine)
	var chunk bytes.Buffer
	lines := 0
	flush := func() error {
		if lines == 0 {
			return nil
		}
		_, err := s.ImportNQuads(ctx, &chunk, filepath.Base(nq))
		chunk.Reset()
		lines = 0
		return err
	}
	for sc.Scan() {
		chunk.Write(sc.Bytes())
		chunk.WriteByte('\n')
		if lines++; lines == 200_000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

func firstOrgs(b *testing.B, s *graph.CayleyStore, n int) []string {
	b.Helper()
	c, err := s.Organizations(context.Background(), graph.OrganizationFilter{}, graph.Page{First: n})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(c.Items))
	for i, o := range c.Items {
		ids[i] = o.ID
	}
	return ids
}

// eachNet runs fn as a sub-benchmark per graph and reports the answer size
// fn returns. The first call is made before timing and reported apart, as
// "cold-ms" (the graphs are warmed up, so this is the cost of a first call
// on a running server).
func eachNet(b *testing.B, fn func(b *testing.B, n *benchNet) int) {
	for _, n := range benchSizes(b) {
		b.Run(n.name, func(b *testing.B) {
			start := time.Now()
			answer := fn(b, n)
			cold := time.Since(start)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				answer = fn(b, n)
			}
			b.ReportMetric(float64(answer), "answer")
			b.ReportMetric(float64(cold.Microseconds())/1000, "cold-ms")
		})
	}
}

// must returns v, and panics (failing the benchmark) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var bctx = context.Background()

func BenchmarkPartnersHub(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Partners(bctx, n.hub, graph.Page{First: 20})).TotalCount
	})
}

func BenchmarkPartnersTypical(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Partners(bctx, n.typical, graph.Page{First: 20})).TotalCount
	})
}

func BenchmarkPath(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		p := must(n.store.Path(bctx, n.typical, n.other, 6))
		if p == nil {
			return 0
		}
		return p.Length
	})
}

func BenchmarkOrganizationsPage(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return len(must(n.store.Organizations(bctx, graph.OrganizationFilter{}, graph.Page{First: 20})).Items)
	})
}

func BenchmarkOrganizationsByTheme(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Organizations(bctx, graph.OrganizationFilter{Themes: []string{n.theme}}, graph.Page{First: 20})).TotalCount
	})
}

func BenchmarkOrganizationsByName(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Organizations(bctx, graph.OrganizationFilter{NameContains: n.nameQuery}, graph.Page{First: 20})).TotalCount
	})
}

func BenchmarkSearch(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return len(must(n.store.Search(bctx, "refugee services", 10)))
	})
}

// BenchmarkBatchPage is what the dataloaders ask for a page of 100
// organizations: their themes, events and partners, one call each.
func BenchmarkBatchPage(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		themes := must(n.store.OrganizationThemesBatch(bctx, n.page))
		must(n.store.OrganizationParticipationsBatch(bctx, n.page))
		conns, errs := n.store.PartnersBatch(bctx, n.page, graph.Page{First: 5})
		if errs != nil {
			b.Fatal(errs)
		}
		answer := 0
		for i := range themes {
			answer += len(themes[i]) + len(conns[i].Items)
		}
		return answer
	})
}

func BenchmarkNeighborhood(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		nb := must(n.store.Neighborhood(bctx, n.typical, graph.NeighborhoodQuery{Depth: 2, Limit: graph.DefaultNeighborhoodLimit}))
		return len(nb.Nodes)
	})
}

func BenchmarkIntroductions(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return len(must(n.store.Introductions(bctx, n.typical, 10)))
	})
}

// BenchmarkFacets loads every entry of every list (all the events the
// theme's organizations took part in); BenchmarkFacetsFirst20 keeps 20 of
// each. The answer is the number of organizations counted.
func BenchmarkFacets(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Facets(bctx, &graph.OrganizationFilter{Themes: []string{n.theme}}, 0)).Total
	})
}

func BenchmarkFacetsFirst20(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Facets(bctx, &graph.OrganizationFilter{Themes: []string{n.theme}}, 20)).Total
	})
}

func BenchmarkFacetsWholeGraphFirst20(b *testing.B) {
	eachNet(b, func(b *testing.B, n *benchNet) int {
		return must(n.store.Facets(bctx, nil, 20)).Total
	})
}

// BenchmarkDerivedBuild is the cold cost of the whole-graph facets: the
// profile of every organization, computed as after a start or a bulk load
// (the facets asked for keep one entry per list, so that little else is
// measured).
func BenchmarkDerivedBuild(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			answer := 0
			for b.Loop() {
				graph.DropDerived(n.store)
				answer = must(n.store.Facets(bctx, nil, 1)).Total
			}
			b.ReportMetric(float64(answer), "answer")
		})
	}
}
