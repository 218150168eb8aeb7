package live_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
)

// TestJSONLDRoundTrip exports as JSON-LD, reads it back into a fresh store
// and exports again: the same quads and the same bytes.
func TestJSONLDRoundTrip(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		var nq, jl bytes.Buffer
		if err := s.Export(ctx, &nq); err != nil {
			t.Fatal(err)
		}
		if err := loader.ExportJSONLD(ctx, s.Log(), &jl); err != nil {
			t.Fatal(err)
		}
		qs, problems, err := loader.ReadJSONLD(bytes.NewReader(jl.Bytes()), loader.ReadOptions{})
		if err != nil || len(problems) > 0 {
			t.Fatalf("read: %v %v", err, problems)
		}
		fresh := backends(t)["memory"](t)
		if _, err := fresh.Apply(ctx, graph.Change{Quads: []*graph.Quads{qs}}); err != nil {
			t.Fatal(err)
		}
		var nq2, jl2 bytes.Buffer
		fresh.Export(ctx, &nq2)
		loader.ExportJSONLD(ctx, fresh.Log(), &jl2)
		eq(t, "n-quads after json-ld round trip", nq2.String(), nq.String())
		eq(t, "json-ld after json-ld round trip", jl2.String(), jl.String())
	})
}
