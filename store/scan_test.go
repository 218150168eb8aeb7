package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestScanWholeMatchesIterators checks scanWhole's own walk of bbolt's log
// against Cayley's all-quads iterator, on a random network before and after
// writes that remove quads (which Cayley's log keeps, marked deleted) and
// nodes (whose values it drops), and with a predicate filter.
func TestScanWholeMatchesIterators(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: filepath.Join(t.TempDir(), "scan.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(3, 3))
	var ids []string
	b := &graph.Batch{Source: graph.Source{ID: "net", Title: "Net"}}
	for i := range 60 {
		id := fmt.Sprintf("org-%d", i)
		ids = append(ids, id)
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: id, Type: graph.TypeOrganization, Name: fmt.Sprintf("Org %d", i)})
	}
	for i := range 8 {
		ev := fmt.Sprintf("event-%d", i)
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: ev, Type: graph.TypeEvent, Name: ev, EventKind: "webinar"})
		for range 10 {
			b.Links = append(b.Links, graph.Link{From: ids[rng.IntN(len(ids))], Relation: graph.RelParticipatedIn, To: ev})
		}
	}
	if _, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{b}}, nil); err != nil {
		t.Fatal(err)
	}
	check := func(step string, want func(quad.Value) bool) {
		t.Helper()
		var viaLog, viaIterator []string
		s.mu.Lock()
		err := s.scanWhole(ctx, want, func(q quad.Quad) { viaLog = append(viaLog, q.NQuad()) })
		if err == nil {
			err = s.eachAll(ctx, func(q quad.Quad) {
				if want(q.Predicate) {
					viaIterator = append(viaIterator, q.NQuad())
				}
			})
		}
		s.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(viaLog)
		sort.Strings(viaIterator)
		if len(viaIterator) == 0 {
			t.Fatalf("%s: the store is empty; nothing is compared", step)
		}
		if !reflect.DeepEqual(viaLog, viaIterator) {
			t.Fatalf("%s: scanWhole gives %d quads, the iterator %d", step, len(viaLog), len(viaIterator))
		}
	}
	every := func(quad.Value) bool { return true }
	check("loaded", every)
	check("names only", func(p quad.Value) bool { return p == graph.PredName })
	for i, id := range ids[:10] {
		if _, err := s.Apply(ctx, graph.Change{RemoveNodes: []graph.NodeSelector{{ID: id}}}, nil); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			b := &graph.Batch{Source: graph.Source{ID: "again", Title: "Again"}, Nodes: []graph.NodeRecord{{ID: id, Type: graph.TypeOrganization, Name: "Back " + id}}}
			if _, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{b}}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("after removals", every)
	check("relations only", func(p quad.Value) bool { _, ok := graph.RelationOf(p); return ok })
}
