package view

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// randomQuad draws a quad over a small universe of entities, sources,
// predicates and values, so that random writes collide often.
func randomQuad(rng *rand.Rand) quad.Quad {
	id := func() quad.IRI { return graph.NodeIRI(fmt.Sprintf("n%d", rng.IntN(12))) }
	label := graph.SourceIRI(fmt.Sprintf("s%d", rng.IntN(3)))
	subj := quad.Value(id())
	switch rng.IntN(10) {
	case 0:
		src := graph.SourceIRI(fmt.Sprintf("s%d", rng.IntN(3)))
		if rng.IntN(2) == 0 {
			return quad.Quad{Subject: src, Predicate: graph.PredType, Object: graph.ClassSource, Label: src}
		}
		return quad.Quad{Subject: src, Predicate: graph.PredTitle, Object: quad.String(fmt.Sprintf("T%d", rng.IntN(3))), Label: src}
	case 1:
		subj = graph.AffiliationIRI("n1", fmt.Sprintf("n%d", rng.IntN(3)))
		return quad.Quad{Subject: subj, Predicate: graph.PredJobTitle, Object: quad.String("Director"), Label: label}
	case 2:
		subj = quad.IRI("http://example.org/foreign")
	case 3: // ordered lists (graph/order.go) and what they order
		orders := []string{`["n1","n2"]`, `["n2","n1"]`, `["Q1","Q0"]`}
		if rng.IntN(2) == 0 {
			return quad.Quad{Subject: subj, Predicate: graph.PredQuestion, Object: quad.String(fmt.Sprintf("Q%d", rng.IntN(2))), Label: label}
		}
		return quad.Quad{Subject: subj, Predicate: graph.OrderPreds[rng.IntN(len(graph.OrderPreds))], Object: quad.String(orders[rng.IntN(len(orders))]), Label: label}
	}
	switch rng.IntN(4) {
	case 0:
		return quad.Quad{Subject: subj, Predicate: graph.PredType, Object: graph.ClassIRI(graph.NodeTypes[rng.IntN(3)]), Label: label}
	case 1:
		return quad.Quad{Subject: subj, Predicate: graph.PredName, Object: quad.String(fmt.Sprintf("Name %d", rng.IntN(5))), Label: label}
	case 2:
		return quad.Quad{Subject: subj, Predicate: quad.IRI("http://example.org/p"), Object: quad.Int(rng.IntN(3)), Label: label}
	}
	return quad.Quad{Subject: subj, Predicate: graph.RelIRI(graph.Relations[rng.IntN(len(graph.Relations))]), Object: id(), Label: label}
}

// TestApplyMatchesBuild makes random writes and compares, after each, the
// snapshot advanced by the writes' deltas, and that snapshot written to a
// checkpoint and read back, with one built fresh from the quads the graph
// then holds.
func TestApplyMatchesBuild(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		held := map[string]quad.Quad{}
		snap := Empty()
		for step := range 40 {
			var deltas []Delta
			for range 1 + rng.IntN(8) {
				q := randomQuad(rng)
				remove := rng.IntN(3) == 0
				if remove && len(held) > 0 && rng.IntN(2) == 0 { // remove a quad that is there
					keys := make([]string, 0, len(held))
					for k := range held {
						keys = append(keys, k)
					}
					slices.Sort(keys)
					q = held[keys[rng.IntN(len(keys))]]
				}
				deltas = append(deltas, Delta{Quad: q, Remove: remove})
			}
			// Removals first, then additions, as Apply documents.
			for _, d := range deltas {
				if d.Remove {
					delete(held, d.Quad.NQuad())
				}
			}
			for _, d := range deltas {
				if !d.Remove {
					held[d.Quad.NQuad()] = d.Quad
				}
			}
			before := describe(snap)
			next := snap.Apply(deltas)
			if got := describe(snap); !reflect.DeepEqual(got, before) {
				t.Fatalf("seed %d step %d: Apply changed the snapshot it was called on", seed, step)
			}
			snap = next
			all := make([]quad.Quad, 0, len(held))
			for _, q := range held {
				all = append(all, q)
			}
			want := describe(Build(all))
			if got := describe(snap); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d: applied snapshot differs from a fresh build\n got: %v\nwant: %v", seed, step, got, want)
			}
			if got := describe(checkpointed(t, snap)); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d: snapshot read from a checkpoint differs from a fresh build\n got: %v\nwant: %v", seed, step, got, want)
			}
		}
	}
}

// describe renders a snapshot with keys instead of refs, so that snapshots
// of different lineages compare.
func describe(s *Snapshot) map[string]any {
	out := map[string]any{"links": s.LinkCount()}
	key := func(r Ref) string {
		if r == noRef {
			return "-"
		}
		return s.recs.get(r).Key
	}
	edges := func(es []Edge) []string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%s %s %s", s.preds.iris[e.Pred], key(e.Other), key(e.Src)))
		}
		slices.Sort(out)
		return out
	}
	for i := range s.recs.len() {
		rec := s.recs.get(Ref(i))
		if rec.empty() {
			continue
		}
		var lits []string
		for _, l := range rec.Lits {
			lits = append(lits, fmt.Sprintf("%s %q %s", s.preds.iris[l.Pred], l.Val, key(l.Src)))
		}
		slices.Sort(lits)
		var srcs []string
		for _, r := range rec.Sources {
			srcs = append(srcs, key(r))
		}
		out[rec.Key] = []any{edges(rec.Out), edges(rec.In), lits, rec.Type, rec.NameKey, srcs, s.Node(Ref(i)), rec.source}
	}
	for _, t := range graph.NodeTypes {
		var ids []string
		for _, r := range s.ByType(t) {
			ids = append(ids, key(r))
		}
		out["type "+string(t)] = ids
	}
	var srcs []string
	for _, src := range s.Sources() {
		srcs = append(srcs, src.ID)
	}
	out["sources"] = srcs
	for _, q := range []string{"name", "name 3", "n1"} {
		out["search "+q] = s.Search().Match(q, false, 0, nil)
	}
	return out
}
