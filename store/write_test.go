package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestReplaceShrinks replaces a source by fewer of its quads in one
// transaction. Every node of the quads added then loses more quads than it
// gains (the label most of all), and Cayley's KV writer once stored the
// added quads without those nodes (an added quad's node must not have a
// negative net count in one ApplyDeltas: kvBalance). The store must hold
// exactly the quads added, whole.
func TestReplaceShrinks(t *testing.T) {
	ctx := context.Background()
	all := bigBatch("one", 40).Quads()
	for _, tc := range []struct {
		name string
		keep []quad.Quad
	}{
		{"a tenth", all[:len(all)/10]},
		{"all but one", all[:len(all)-1]},
		{"one quad", all[:1]},
	} {
		for _, backend := range []string{graph.BackendMemory, graph.BackendBbolt} {
			t.Run(tc.name+"/"+backend, func(t *testing.T) {
				s, err := Open(ctx, graph.Config{Backend: backend, Path: filepath.Join(t.TempDir(), "s.db")})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Apply(ctx, graph.Change{Quads: []*graph.Quads{graph.NewQuads(all, []string{"one"})}}, nil); err != nil {
					t.Fatal(err)
				}
				change := graph.Change{RemoveSources: []string{"one"}, Quads: []*graph.Quads{graph.NewQuads(tc.keep, []string{"one"})}}
				if _, err := s.Apply(ctx, change, nil); err != nil {
					t.Fatal(err)
				}
				var got []string
				if err := s.Scan(ctx, func(q quad.Quad) {
					if !q.IsValid() || q.Label == nil {
						t.Errorf("a quad lost a node: %v", q)
					}
					got = append(got, q.NQuad())
				}); err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, q := range tc.keep {
					want = append(want, q.NQuad())
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, slices.Compact(want)) {
					t.Errorf("the store holds %d quads, want the %d kept", len(got), len(want))
				}
			})
		}
	}
}
