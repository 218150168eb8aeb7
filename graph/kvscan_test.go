package graph

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/cayleygraph/quad"
)

// TestScanWholeMatchesIterators checks scanWhole's own walk of bbolt's log
// against Cayley's all-quads iterator, on a random network before and after
// writes that remove quads (which Cayley's log keeps, marked deleted) and
// nodes (whose values it drops), and with a predicate filter.
func TestScanWholeMatchesIterators(t *testing.T) {
	ctx := context.Background()
	s, all := randomNetworkOn(t, 3, Config{Backend: BackendBbolt, Path: filepath.Join(t.TempDir(), "scan.db")})
	check := func(step string, want func(quad.Value) bool) {
		t.Helper()
		var viaLog, viaIterator []string
		s.mu.RLock()
		err := s.scanWhole(ctx, want, func(q quad.Quad) { viaLog = append(viaLog, q.NQuad()) })
		if err == nil {
			err = s.eachAll(ctx, func(q quad.Quad) {
				if want(q.Predicate) {
					viaIterator = append(viaIterator, q.NQuad())
				}
			})
		}
		s.mu.RUnlock()
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
	check("names only", func(p quad.Value) bool { return p == PredName })
	for i, id := range all[:10] {
		if _, err := s.Apply(ctx, Change{RemoveNodes: []NodeSelector{{ID: id}}}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			b := &Batch{Source: Source{ID: "again", Title: "Again"}, Nodes: []NodeRecord{{ID: id, Type: TypeOrganization, Name: "Back " + id}}}
			if _, err := s.Apply(ctx, Change{Add: []*Batch{b}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("after removals", every)
	check("relations only", func(p quad.Value) bool { _, ok := RelationOf(p); return ok })
}

// TestWarm checks that Warm computes the derived data, that a background
// rewarm computes it again after it was dropped, and that Close stops a
// rewarm and waits for it.
func TestWarm(t *testing.T) {
	ctx := context.Background()
	s, _ := randomNetworkOn(t, 5, Config{Backend: BackendBbolt, Path: filepath.Join(t.TempDir(), "warm.db")})
	if s.cat.derived.v != nil {
		t.Fatal("the derived data exist before anything asked for them")
	}
	if err := s.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	if s.cat.derived.v == nil || len(s.cat.derived.v.profiles) == 0 {
		t.Fatal("Warm left no derived data")
	}
	warm := s.cat.derived.v

	s.mu.Lock()
	s.cat.derived = &derivedCache{}
	s.rewarm()
	s.mu.Unlock()
	s.warming.Wait()
	if !reflect.DeepEqual(s.cat.derived.v, warm) {
		t.Fatal("the rewarmed data differ from the first")
	}

	s.mu.Lock()
	s.cat.derived = &derivedCache{}
	s.rewarm()
	s.mu.Unlock()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
