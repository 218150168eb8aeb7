package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/store"
)

// TestVersion: the version of a bbolt store stays through a close and an
// open, and changes with every write, a removal included; memory has none.
func TestVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	open := func() *store.Cayley {
		t.Helper()
		s, err := store.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	version := func(s *store.Cayley) string {
		t.Helper()
		var v string
		if err := s.Version(ctx, func(x string) { v = x }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	q := quad.Quad{Subject: quad.IRI(graph.NodeIRI("a")), Predicate: graph.PredName, Object: quad.String("A"), Label: graph.SourceIRI("s")}
	change := func(s *store.Cayley, c graph.Change) {
		t.Helper()
		if _, err := s.Apply(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}

	s := open()
	empty := version(s)
	change(s, graph.Change{Quads: []*graph.Quads{graph.NewQuads([]quad.Quad{q}, nil)}})
	added := version(s)
	if added == empty || added == "" {
		t.Fatalf("version after a write %q, before %q: want a new, non-empty one", added, empty)
	}
	s.Close()
	s = open()
	if v := version(s); v != added {
		t.Fatalf("version after reopening %q, want %q: opening must not change it", v, added)
	}
	change(s, graph.Change{RemoveSources: []string{"s"}})
	if v := version(s); v == added {
		t.Fatalf("version unchanged (%q) by a removal", v)
	}
	s.Close()

	m, err := store.Open(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if v := version(m); v != "" {
		t.Fatalf("memory store version %q, want none", v)
	}
}
