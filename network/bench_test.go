package network

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// generated builds the snapshot of a generated network of n organizations,
// written once into the temporary directory and reused by later runs.
func generated(b *testing.B, n int) *view.Snapshot {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("thrivegraph-network-bench-%d", n))
	path := filepath.Join(dir, generate.NQuadsName)
	if _, err := os.Stat(path); err != nil {
		if _, err := generate.Write(context.Background(), dir, generate.Options{Orgs: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	t := &testing.T{}
	s := view.Build(readQuads(t, f))
	if t.Failed() {
		b.Fatal("cannot read the generated quads")
	}
	return s
}

// hubAndOrdinary returns the organization with the most events and one
// with the median number.
func hubAndOrdinary(s *view.Snapshot) (hub, ordinary string) {
	orgs := slices.Clone(s.ByType(graph.TypeOrganization))
	slices.SortStableFunc(orgs, func(a, b view.Ref) int { return eventCount(s, b) - eventCount(s, a) })
	return s.Record(orgs[0]).Key, s.Record(orgs[len(orgs)/2]).Key
}

// ordinaryPair returns two ordinary organizations as bench/lib.sh's
// ordinaries picks them: of the organizations with events, by number of
// events and then id, the median one, and the one half its group further
// on (cyclically) among those with as many events.
func ordinaryPair(s *view.Snapshot) (a, b string) {
	type org struct {
		events int
		id     string
	}
	var orgs []org
	for _, r := range s.ByType(graph.TypeOrganization) {
		if n := eventCount(s, r); n > 0 {
			orgs = append(orgs, org{n, s.Record(r).Key})
		}
	}
	slices.SortFunc(orgs, func(x, y org) int { return cmp.Or(cmp.Compare(x.events, y.events), strings.Compare(x.id, y.id)) })
	m := (len(orgs)+1)/2 - 1
	lo := slices.IndexFunc(orgs, func(o org) bool { return o.events == orgs[m].events })
	hi := lo
	for hi < len(orgs) && orgs[hi].events == orgs[m].events {
		hi++
	}
	k := hi - lo
	return orgs[m].id, orgs[lo+(m-lo+k/2)%k].id
}

// benchSizes are the generated networks the benchmarks run on: 10k and
// 100k organizations, and 1M too when THRIVEGRAPH_BENCH_1M is set (about
// 6 GB of memory and a few minutes to build).
func benchSizes() []int {
	if os.Getenv("THRIVEGRAPH_BENCH_1M") != "" {
		return []int{10_000, 100_000, 1_000_000}
	}
	return []int{10_000, 100_000}
}

// BenchmarkNetwork measures the questions on generated networks of 10k
// and 100k organizations: go test -run X -bench Network ./network/
func BenchmarkNetwork(b *testing.B) {
	for _, n := range benchSizes() {
		s := generated(b, n)
		hub, ordinary := hubAndOrdinary(s)
		ordinaryA, ordinaryB := ordinaryPair(s)
		b.Run(fmt.Sprintf("orgs=%d/partners20/ordinary", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Partners(s, ordinary, graph.Page{First: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/partners20/hub", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Partners(s, hub, graph.Page{First: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/path/ordinary-hub", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Path(s, ordinary, hub, 6); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/path/ordinary-ordinary", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Path(s, ordinaryA, ordinaryB, 6); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/theme20", n), func(b *testing.B) {
			Warm(s)
			f := graph.OrganizationFilter{Themes: []string{"digital-inclusion"}}
			for b.Loop() {
				if _, err := Organizations(s, f, graph.Page{First: 20}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/search-name10", n), func(b *testing.B) {
			name := s.Node(s.Refs([]string{ordinaryA})[0]).(*graph.Organization).Name
			for b.Loop() {
				if hits := s.Search().Match(name, false, 10, nil); len(hits) == 0 {
					b.Fatalf("no hit for %q", name)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/whole-graph-profiles", n), func(b *testing.B) {
			for b.Loop() {
				buildDerived(s)
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/facets20/warm", n), func(b *testing.B) {
			Warm(s)
			for b.Loop() {
				if _, err := Facets(s, nil, 20, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
