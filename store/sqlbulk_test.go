package store

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// bulkStep is one load of a case of TestBulk and TestBulkPostgres, made
// on the state the steps before it left.
type bulkStep struct {
	remove []string
	add    []quad.Quad
}

// bulkCases are the cases of TestBulk and TestBulkPostgres.
func bulkCases() []struct {
	name  string
	steps []bulkStep
} {
	one := bigBatch("one", 40).Quads()
	two := bigBatch("two", 15).Quads()
	oneAgain := append(append([]quad.Quad{}, one[:30]...), two[:5]...) // part of one, and some of two relabelled
	for i := range oneAgain[30:] {
		oneAgain[30+i].Label = graph.SourceIRI("one")
	}
	twice := append(append([]quad.Quad{}, two...), two[:20]...) // repeats within one load, across chunks
	// Values of every type Cayley's SQL schema has a column for (sources
	// s0 to s2, and triples without a label); no NUL bytes, which the
	// change log's text does not take.
	typed, typedAgain := testQuads(0, 60, false), testQuads(40, 60, false)
	return []struct {
		name  string
		steps []bulkStep
	}{
		{"into an empty store", []bulkStep{{add: one}}},
		{"into a store that holds quads", []bulkStep{{add: one}, {add: two}}},
		{"repeats in a load", []bulkStep{{add: twice}}},
		{"the same quads twice", []bulkStep{{add: one}, {add: one}}},
		{"replacing a source", []bulkStep{{add: one}, {add: two}, {remove: []string{"one"}, add: oneAgain}}},
		{"removing a source", []bulkStep{{add: one}, {add: two}, {remove: []string{"two"}}}},
		{"replacing sources of values of every type", []bulkStep{{add: typed}, {remove: []string{"s0", "s1"}, add: typedAgain}}},
	}
}

// bulkLoad runs one bulk load of step through bl, in Adds of 5 quads.
func bulkLoad(ctx context.Context, t *testing.T, bl graph.BulkLog, st bulkStep, hooks graph.BulkHooks) graph.LoadResult {
	t.Helper()
	bw, err := bl.BeginBulk(ctx, st.remove, hooks)
	if err != nil {
		t.Fatal(err)
	}
	defer bw.Abort()
	for j := 0; j < len(st.add); j += 5 {
		if err := bw.Add(ctx, st.add[j:min(j+5, len(st.add))]...); err != nil {
			t.Fatal(err)
		}
	}
	res, err := bw.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// exactRefs reports whether a bulk load of st gives its values the
// reference counts one Apply gives them: when it removes nothing (see
// nodeValues) and adds no quad twice (one Apply counts a quad repeated in
// the load once, a bulk load once per chunk that holds it). A load that
// changes nothing is rolled back, where one Apply raises the counts of the
// quads the store holds already.
func exactRefs(st bulkStep) bool {
	return len(st.remove) == 0 && len(nquadsOf(st.add)) == len(slices.Compact(nquadsOf(st.add)))
}

// nodeValues returns the nodes table without the reference counts, as
// JSON text: a bulk load that removes quads and adds them again counts
// their values' references as removed and added, one Apply (which keeps
// such quads) once more, as it counts any quad the store holds already.
func nodeValues(t *testing.T, dsn string) string {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out string
	if err := db.QueryRow(`SELECT coalesce(json_agg(t ORDER BY t.h), '[]')::text FROM (SELECT encode(hash, 'hex') h, encode(value, 'hex') v, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time FROM nodes) t`).Scan(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBulkPostgres makes loads with BulkChunk 7 (each load many chunks)
// as bulk loads on PostgreSQL and checks each against the same change made
// by one Apply on another database: the rows (reference counts included
// where they are the same, exactRefs), the indexes and constraints, what
// Cayley reads back; the counts against a bbolt bulk load's; and that the change log,
// read by another store on the database (a follower), holds the load as
// one version that appears at the commit and, applied, gives the store's
// new state.
func TestBulkPostgres(t *testing.T) {
	ctx := context.Background()
	for _, rebuild := range []bool{false, true} {
		for _, tc := range bulkCases() {
			name, rebuildFrom := tc.name, rebuildRows
			if rebuild {
				name, rebuildFrom = name+", indexes rebuilt", 1
			}
			t.Run(name, func(t *testing.T) {
				bulkSizes(t, 7, 1, rebuildFrom)
				bulkDSN, applyDSN := testPostgres(t), testPostgres(t)
				s, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: bulkDSN})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if s.BulkChunk() != 7 {
					t.Fatalf("BulkChunk on PostgreSQL: %d, want 7", s.BulkChunk())
				}
				follower, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: bulkDSN})
				if err != nil {
					t.Fatal(err)
				}
				defer follower.Close()
				ref, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: applyDSN})
				if err != nil {
					t.Fatal(err)
				}
				defer ref.Close()
				kv, err := Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: filepath.Join(t.TempDir(), "bulk.db")})
				if err != nil {
					t.Fatal(err)
				}
				defer kv.Close()
				for i, st := range tc.steps {
					head, err := follower.Head(ctx)
					if err != nil {
						t.Fatal(err)
					}
					var before []string
					if err := follower.Scan(ctx, func(q quad.Quad) { before = append(before, q.NQuad()) }); err != nil {
						t.Fatal(err)
					}
					var written, switched, seenMidway int
					got := bulkLoad(ctx, t, s, st, graph.BulkHooks{
						Written: func(removed, added []quad.Quad) {
							written += len(removed) + len(added)
							if h, err := follower.Head(ctx); err != nil || h != head {
								seenMidway++
							}
						},
						Switched: func() { switched++ },
					})
					want, err := ref.Apply(ctx, graph.Change{RemoveSources: st.remove, Quads: []*graph.Quads{graph.NewQuads(st.add, nil)}}, nil)
					if err != nil {
						t.Fatal(err)
					}
					kvRes := bulkLoad(ctx, t, kv, st, graph.BulkHooks{})
					if got.QuadsAdded != want.QuadsAdded || got.QuadsRemoved != want.QuadsRemoved || got.EdgesRemoved != want.EdgesRemoved || got.QuadsTotal != want.QuadsTotal {
						t.Errorf("step %d: bulk counts %+v, one Apply %+v", i, got, want)
					}
					if got.NodesAdded != kvRes.NodesAdded || got.NodesRemoved != kvRes.NodesRemoved || got.EdgesAdded != kvRes.EdgesAdded || got.EdgesRemoved != kvRes.EdgesRemoved {
						t.Errorf("step %d: bulk counts %+v, bbolt's bulk load %+v", i, got, kvRes)
					}
					gn, gq, gs := dumpTables(t, bulkDSN)
					wn, wq, ws := dumpTables(t, applyDSN)
					if gq != wq {
						t.Errorf("step %d: quads\n%s\nwant (one Apply)\n%s", i, gq, wq)
					}
					if gs != ws {
						t.Errorf("step %d: indexes and constraints\n%s\nwant (one Apply)\n%s", i, gs, ws)
					}
					if exactRefs(st) && got.QuadsAdded > 0 && gn != wn {
						t.Errorf("step %d: nodes\n%s\nwant (one Apply)\n%s", i, gn, wn)
					}
					if g, w := nodeValues(t, bulkDSN), nodeValues(t, applyDSN); g != w {
						t.Errorf("step %d: values\n%s\nwant (one Apply)\n%s", i, g, w)
					}
					if g, w := strings.Join(cayleyReads(t, bulkDSN), "\n"), strings.Join(cayleyReads(t, applyDSN), "\n"); g != w {
						t.Errorf("step %d: Cayley reads\n%s\nwant\n%s", i, g, w)
					}
					var a, b bytes.Buffer
					s.Export(ctx, &a)
					kv.Export(ctx, &b)
					if a.String() != b.String() {
						t.Errorf("step %d: the PostgreSQL bulk load's graph differs from bbolt's", i)
					}

					changed := got.QuadsAdded+got.QuadsRemoved > 0
					if seenMidway > 0 {
						t.Errorf("step %d: a follower saw a new version (or failed) %d times while the load ran", i, seenMidway)
					}
					if changed != (switched == 1) || (changed && written < len(st.add)) {
						t.Errorf("step %d: changed %v, switched %d times, the hooks told of %d quads of %d", i, changed, switched, written, len(st.add))
					}
					var entries []graph.LogEntry
					if err := follower.Entries(ctx, head, false, func(e graph.LogEntry) error { entries = append(entries, e); return nil }); err != nil {
						t.Fatal(err)
					}
					if !changed {
						if len(entries) != 0 || got.Version != 0 {
							t.Errorf("step %d: a load that changed nothing made version %d, entries %d", i, got.Version, len(entries))
						}
						continue
					}
					if len(entries) != 1 || entries[0].Version != head+1 || got.Version != head+1 {
						t.Fatalf("step %d: %d entries after %d, the load's version %d: want one, %d", i, len(entries), head, got.Version, head+1)
					}
					e := entries[0]
					if g, w := nquadsOf(e.Added), nquadsOf(st.add); !slices.Equal(g, w) {
						t.Errorf("step %d: the entry adds %d quads, the load has %d", i, len(g), len(w))
					}
					// The entry applied as a follower does, removals first.
					state := map[string]bool{}
					for _, l := range before {
						state[l] = true
					}
					for _, q := range e.Removed {
						delete(state, q.NQuad())
					}
					for _, q := range e.Added {
						state[q.NQuad()] = true
					}
					var after []string
					if err := follower.Scan(ctx, func(q quad.Quad) { after = append(after, q.NQuad()) }); err != nil {
						t.Fatal(err)
					}
					slices.Sort(after)
					var applied []string
					for l := range state {
						applied = append(applied, l)
					}
					slices.Sort(applied)
					if !slices.Equal(applied, after) {
						t.Errorf("step %d: the entry applied gives %d quads, the store holds %d", i, len(applied), len(after))
					}
				}
			})
		}
	}
}

// abortedLoad begins a bulk load that replaces the sources remove, adds
// qs and aborts it (twice: the second does nothing).
func abortedLoad(ctx context.Context, t *testing.T, bl graph.BulkLog, remove []string, qs []quad.Quad) {
	t.Helper()
	bw, err := bl.BeginBulk(ctx, remove, graph.BulkHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Add(ctx, qs...); err != nil {
		t.Fatal(err)
	}
	bw.Abort()
	bw.Abort()
}

// bulkSizes sets BulkChunk, copyRows and rebuildRows for the test.
func bulkSizes(t *testing.T, chunk, copyFrom, rebuildFrom int) {
	old, oldCopy, oldRebuild := BulkChunk, copyRows, rebuildRows
	BulkChunk, copyRows, rebuildRows = chunk, copyFrom, rebuildFrom
	t.Cleanup(func() { BulkChunk, copyRows, rebuildRows = old, oldCopy, oldRebuild })
}

// nquadsOf returns quads as sorted N-Quads lines.
func nquadsOf(qs []quad.Quad) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.NQuad()
	}
	slices.Sort(out)
	return out
}

// TestBulkPostgresAbort: a bulk load aborted after many chunks (its
// replaced source removed, its quads staged, its log entry half written),
// and one whose context ends midway, leave the tables, the schema and the
// change log exactly as before, and the store writable.
func TestBulkPostgresAbort(t *testing.T) {
	ctx := context.Background()
	bulkSizes(t, 5, 1, 1)
	dsn := testPostgres(t)
	s, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{bigBatch("one", 3)}}, nil); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logRows := func() string {
		var out string
		if err := db.QueryRow(`SELECT (SELECT version FROM ` + logHeadTable + `)::text || ' ' || (SELECT count(*) FROM ` + logTable + `)::text`).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	nodes, quads, schema := dumpTables(t, dsn)
	log := logRows()
	check := func(what string) {
		t.Helper()
		n, q, sc := dumpTables(t, dsn)
		if n != nodes || q != quads || sc != schema {
			t.Errorf("%s changed the tables: nodes %v, quads %v, schema %v", what, n != nodes, q != quads, sc != schema)
		}
		if l := logRows(); l != log {
			t.Errorf("%s changed the change log: head and rows %s, were %s", what, l, log)
		}
	}

	abortedLoad(ctx, t, s, []string{"one"}, bigBatch("two", 10).Quads())
	check("an aborted bulk load")

	cctx, cancel := context.WithCancel(ctx)
	bw, err := s.BeginBulk(cctx, []string{"one"}, graph.BulkHooks{})
	if err != nil {
		t.Fatal(err)
	}
	qs := bigBatch("two", 10).Quads()
	if err := bw.Add(cctx, qs[:20]...); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := bw.Add(cctx, qs[20:]...); err == nil {
		t.Error("an Add after the context ended succeeded")
	}
	if _, err := bw.Commit(cctx); err == nil {
		t.Error("the Commit of a load whose context ended succeeded")
	}
	bw.Abort()
	check("a bulk load whose context ended")

	// The lock is free, and a load goes through.
	res, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{bigBatch("two", 2)}}, nil)
	if err != nil || res.QuadsAdded == 0 {
		t.Fatalf("a write after the aborted loads: %+v, %v", res, err)
	}
}
