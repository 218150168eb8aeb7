package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"

	"github.com/thrivegraph/thrivegraph/graph"
)

// randomLoad returns n quads over few values, so that values repeat in
// every direction: repeated quads, a quad under two labels, quads without
// a label, a subject that is its own object, literals of several kinds,
// entity types and relations (the counts of a load).
func randomLoad(r *rand.Rand, n int) []quad.Quad {
	nodes := make([]quad.Value, 40)
	for i := range nodes {
		nodes[i] = graph.NodeIRI(fmt.Sprintf("n%02d", i))
	}
	preds := []quad.Value{graph.PredType, graph.PredName, graph.RelIRI(graph.Relations[0]), graph.RelIRI(graph.Relations[1]), quad.IRI("urn:p")}
	literals := []quad.Value{
		quad.String("a name"), quad.Int(42), quad.Float(2.5), quad.Bool(true),
		quad.LangString{Value: "nom", Lang: "fr"},
		quad.TypedString{Value: "2026-12-07", Type: "http://www.w3.org/2001/XMLSchema#date"},
		quad.Time(time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)),
	}
	labels := []quad.Value{nil, graph.SourceIRI("one"), graph.SourceIRI("two")}
	var out []quad.Quad
	for len(out) < n {
		if len(out) > 0 && r.IntN(6) == 0 { // a repeat, perhaps under another label
			q := out[r.IntN(len(out))]
			if r.IntN(2) == 0 {
				q.Label = labels[r.IntN(len(labels))]
			}
			out = append(out, q)
			continue
		}
		q := quad.Quad{Subject: nodes[r.IntN(len(nodes))], Predicate: preds[r.IntN(len(preds))], Label: labels[r.IntN(len(labels))]}
		switch {
		case q.Predicate == graph.PredType:
			q.Object = graph.ClassIRI(graph.NodeTypes[r.IntN(len(graph.NodeTypes))])
		case r.IntN(10) == 0:
			q.Object = q.Subject
		case r.IntN(3) == 0:
			q.Object = literals[r.IntN(len(literals))]
		default:
			q.Object = nodes[r.IntN(len(nodes))]
		}
		out = append(out, q)
	}
	return out
}

// openKV opens a new Cayley KV store on bbolt in dir.
func openKV(t *testing.T, path string) (*hbolt.DB, cgraph.QuadStore) {
	t.Helper()
	db, err := hbolt.Open(path, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	opts := cgraph.Options{kv.OptNoBloom: true}
	if err := kv.Init(db, opts); err != nil {
		t.Fatal(err)
	}
	qs, err := kv.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { qs.Close() })
	return db, qs
}

func apply(t *testing.T, qs cgraph.QuadStore, add, remove []quad.Quad) {
	t.Helper()
	tx := cgraph.NewTransaction()
	for _, q := range remove {
		tx.RemoveQuad(q)
	}
	for _, q := range add {
		tx.AddQuad(q)
	}
	if err := qs.ApplyDeltas(tx.Deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		t.Fatal(err)
	}
}

// contents is what Cayley reads of a store: its size, its quads, its
// values, and the quads it finds through each value in each direction
// (its indexes).
type contents struct {
	size   int64
	quads  []string
	values []string
	byDir  map[string][]string
}

func readContents(t *testing.T, qs cgraph.QuadStore) contents {
	t.Helper()
	ctx := context.Background()
	st, err := qs.Stats(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	c := contents{size: st.Quads.Value, byDir: map[string][]string{}}
	if err := scanQuads(ctx, qs, qs.QuadsAllIterator(), func(q quad.Quad) { c.quads = append(c.quads, q.NQuad()) }); err != nil {
		t.Fatal(err)
	}
	it := qs.NodesAllIterator().Iterate()
	defer it.Close()
	var vals []quad.Value
	for it.Next(ctx) {
		v, err := qs.NameOf(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, v)
		c.values = append(c.values, quad.StringOf(v))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		ref, err := qs.ValueOf(v)
		if err != nil || ref == nil {
			t.Fatalf("value %v is listed but not found: %v", v, err)
		}
		for _, d := range quad.Directions {
			key := d.String() + " " + quad.StringOf(v)
			if err := scanQuads(ctx, qs, qs.QuadIterator(d, ref), func(q quad.Quad) { c.byDir[key] = append(c.byDir[key], q.NQuad()) }); err != nil {
				t.Fatal(err)
			}
			slices.Sort(c.byDir[key])
		}
	}
	slices.Sort(c.quads)
	slices.Sort(c.values)
	return c
}

// distinct returns the N-Quads of quads, each once, sorted.
func distinct(quads []quad.Quad) []string {
	var out []string
	for _, q := range quads {
		out = append(out, q.NQuad())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkExactRefs checks that each value's reference count in the 'n' buckets is
// the number of quad directions that name it among quads.
func checkExactRefs(t *testing.T, db *bolt.DB, quads []quad.Quad) {
	t.Helper()
	want := map[refs.ValueHash]uint64{}
	seen := map[string]bool{}
	for _, q := range quads {
		if seen[q.NQuad()] {
			continue
		}
		seen[q.NQuad()] = true
		for _, d := range quad.Directions {
			if v := q.Get(d); v != nil {
				want[refs.HashOf(v)]++
			}
		}
	}
	got := map[refs.ValueHash]uint64{}
	if err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if len(name) != 3 || name[0] != 'n' {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				n, _ := binary.Uvarint(v)
				got[refs.ValueHash(k)] = n
				return nil
			})
		})
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d values have reference counts, want %d", len(got), len(want))
	}
	for h, n := range want {
		if got[h] != n {
			t.Errorf("value %x: %d references, want %d", h[:4], got[h], n)
		}
	}
}

// TestKVBuildMatchesCayley writes random loads into an empty store with
// the kvBuilder and with Cayley's own writer, and compares what Cayley
// reads of both (quads, values, what each index finds, size); then writes
// the same removals and additions into both with Cayley and compares them
// again: the built file is one Cayley can keep writing. Its reference
// counts are exact (Cayley's count a repeated quad of one write twice),
// and the log holds the quads in the order of the load.
func TestKVBuildMatchesCayley(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			load := randomLoad(r, 50+r.IntN(400))
			dir := t.TempDir()

			built, builtQS := openKV(t, filepath.Join(dir, "built.db"))
			k, err := newKVBuilder(built.DB())
			if err != nil || k == nil {
				t.Fatalf("no builder over a new store: %v", err)
			}
			for i := 0; i < len(load); i += 37 {
				if err := k.add(load[i:min(i+37, len(load))]); err != nil {
					t.Fatal(err)
				}
			}
			res, err := k.finish()
			if err != nil {
				t.Fatal(err)
			}
			_, cayleyQS := openKV(t, filepath.Join(dir, "cayley.db"))
			apply(t, cayleyQS, load, nil)

			want := distinct(load)
			if res.quads != len(want) {
				t.Errorf("builder wrote %d quads, want %d", res.quads, len(want))
			}
			got, ref := readContents(t, builtQS), readContents(t, cayleyQS)
			compareContents(t, "after the load", got, ref)
			if !slices.Equal(got.values, ref.values) {
				t.Errorf("built store lists %d values, Cayley's %d", len(got.values), len(ref.values))
			}
			if !slices.Equal(got.quads, want) {
				t.Errorf("built store holds %d quads, want the %d distinct ones of the load", len(got.quads), len(want))
			}
			checkExactRefs(t, built.DB(), load)

			var order []string
			s := &Cayley{qs: builtQS, rqs: builtQS, kvdb: built}
			if err := s.scanWhole(context.Background(), func(quad.Value) bool { return true }, func(q quad.Quad) { order = append(order, q.NQuad()) }); err != nil {
				t.Fatal(err)
			}
			var firsts []string
			seen := map[string]bool{}
			for _, q := range load {
				if !seen[q.NQuad()] {
					seen[q.NQuad()] = true
					firsts = append(firsts, q.NQuad())
				}
			}
			if !slices.Equal(order, firsts) {
				t.Errorf("the log does not hold the quads in the order of the load")
			}

			var entities, relations int
			typed := map[quad.Value]bool{}
			for _, q := range distinctQuads(load) {
				switch kindOf(q) {
				case kindType:
					if !typed[q.Subject] {
						typed[q.Subject] = true
						entities++
					}
				case kindRelation:
					relations++
				}
			}
			if res.entities != entities || res.relations != relations {
				t.Errorf("counted %d entities and %d relations, want %d and %d", res.entities, res.relations, entities, relations)
			}

			// Cayley writes on: remove some quads (all of some values),
			// add some again and some new.
			var remove []quad.Quad
			for _, q := range load {
				if r.IntN(2) == 0 || q.Subject == load[0].Subject || q.Object == load[0].Subject {
					remove = append(remove, q)
				}
			}
			add := append(randomLoad(r, 60), remove[:len(remove)/3]...)
			for _, qs := range []cgraph.QuadStore{builtQS, cayleyQS} {
				apply(t, qs, nil, remove)
				apply(t, qs, add, nil)
			}
			got = readContents(t, builtQS)
			compareContents(t, "after more writes", got, readContents(t, cayleyQS))
			final := distinctQuads(append(subtract(load, remove), add...))
			if !slices.Equal(got.quads, distinct(final)) {
				t.Errorf("after more writes the built store holds %d quads, want %d", len(got.quads), len(distinct(final)))
			}
			var values []string
			for _, q := range final {
				for _, d := range quad.Directions {
					if v := q.Get(d); v != nil {
						values = append(values, quad.StringOf(v))
					}
				}
			}
			slices.Sort(values)
			if values = slices.Compact(values); !slices.Equal(got.values, values) {
				t.Errorf("after more writes the built store lists %d values, want those of its quads, %d", len(got.values), len(values))
			}
		})
	}
}

func distinctQuads(quads []quad.Quad) []quad.Quad {
	seen := map[string]bool{}
	var out []quad.Quad
	for _, q := range quads {
		if !seen[q.NQuad()] {
			seen[q.NQuad()] = true
			out = append(out, q)
		}
	}
	return out
}

func subtract(quads, remove []quad.Quad) []quad.Quad {
	gone := map[string]bool{}
	for _, q := range remove {
		gone[q.NQuad()] = true
	}
	var out []quad.Quad
	for _, q := range quads {
		if !gone[q.NQuad()] {
			out = append(out, q)
		}
	}
	return out
}

// compareContents compares the quads, size and index answers of two
// stores (not their values: Cayley's own counts keep some values whose
// quads are gone).
func compareContents(t *testing.T, when string, got, want contents) {
	t.Helper()
	if got.size != want.size {
		t.Errorf("%s: size %d, Cayley's %d", when, got.size, want.size)
	}
	if !slices.Equal(got.quads, want.quads) {
		t.Errorf("%s: %d quads, Cayley's store %d", when, len(got.quads), len(want.quads))
	}
	for key, qs := range want.byDir {
		if !slices.Equal(got.byDir[key], qs) && len(qs) > 0 {
			t.Errorf("%s: %s finds %d quads, in Cayley's store %d", when, key, len(got.byDir[key]), len(qs))
		}
	}
	for key, qs := range got.byDir {
		if len(want.byDir[key]) == 0 && len(qs) > 0 {
			t.Errorf("%s: %s finds %d quads, none in Cayley's store", when, key, len(qs))
		}
	}
}
