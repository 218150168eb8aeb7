package analysis

import (
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad/nquads"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// BenchmarkWholeNetwork times each step of the whole network's analysis
// over the graph.nq of `thrivegraph generate` named by
// THRIVEGRAPH_BENCH_NQ (skipped without it), and reports each step's
// seconds:
//
//	go run . generate --orgs 100000 --out /tmp/g100k
//	THRIVEGRAPH_BENCH_NQ=/tmp/g100k/graph.nq go test -run '^$' -bench WholeNetwork -benchtime 1x ./analysis
func BenchmarkWholeNetwork(b *testing.B) {
	s := benchSnapshot(b)
	orgs := s.ByType(graph.TypeOrganization)
	b.ResetTimer()
	for b.Loop() {
		step := stepTimer(b)
		var n *Network
		step("project", func() { n = Project(s, orgs) })
		b.ReportMetric(float64(n.N()), "orgs")
		b.ReportMetric(float64(n.Ties()), "ties")
		var pm pathMetrics
		step("paths", func() { pm = shortestPaths(n, WholeBudget, 1) })
		b.ReportMetric(pm.errorBound, "bound")
		step("pagerank", func() { pageRank(n, 1e-10) })
		step("louvain", func() { louvain(n) })
		var exact bool
		step("reach", func() { _, exact = reachOf(n, reachShare*WholeBudget) })
		if exact {
			b.ReportMetric(1, "reach-exact")
		} else {
			b.ReportMetric(0, "reach-exact")
		}
		step("analyse", func() { Analyse(s, orgs, WholeBudget) })
		step("articulation", func() { articulationPoints(n) })
	}
}

// BenchmarkSubNetwork times the analysis of the sub-network of one place
// (THRIVEGRAPH_BENCH_PLACE, default florida) of the graph.nq named by
// THRIVEGRAPH_BENCH_NQ, as a request computes it, step by step.
func BenchmarkSubNetwork(b *testing.B) {
	s := benchSnapshot(b)
	place := os.Getenv("THRIVEGRAPH_BENCH_PLACE")
	if place == "" {
		place = "florida"
	}
	orgs, err := orgsOf(s, "bench", &graph.OrganizationFilter{Places: []string{place}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		step := stepTimer(b)
		var n *Network
		step("project", func() { n = Project(s, orgs) })
		b.ReportMetric(float64(n.N()), "orgs")
		step("paths", func() { shortestPaths(n, SubBudget, 1) })
		step("pagerank", func() { pageRank(n, pageRankTolerance) })
		step("louvain", func() { louvain(n) })
		step("reachcost", func() { b.ReportMetric(reachCost(n), "reach-cost") })
		step("reach", func() { reachOf(n, reachShare*SubBudget) })
		step("articulation", func() { articulationPoints(n) })
		step("analyse", func() { Analyse(s, orgs, SubBudget) })
	}
}

// benchSnapshot reads the graph.nq named by THRIVEGRAPH_BENCH_NQ into a
// snapshot; without it the benchmark is skipped.
func benchSnapshot(b *testing.B) *view.Snapshot {
	b.Helper()
	path := os.Getenv("THRIVEGRAPH_BENCH_NQ")
	if path == "" {
		b.Skip("set THRIVEGRAPH_BENCH_NQ to a generated graph.nq")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			b.Fatal(err)
		}
	}
	qr := nquads.NewReader(r, false)
	vb := view.NewBuilder()
	for {
		q, err := qr.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		vb.Add(q)
	}
	return vb.Snapshot()
}

// stepTimer returns a function that runs one step of a benchmark and
// reports its seconds as the metric NAME-s.
func stepTimer(b *testing.B) func(name string, fn func()) {
	return func(name string, fn func()) {
		t := time.Now()
		fn()
		b.ReportMetric(time.Since(t).Seconds(), name+"-s")
	}
}
