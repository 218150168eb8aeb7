package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/pgtest"
)

// TestAppendNQuad checks that the change log's encoder writes what
// quad.Quad.NQuad writes, a line each.
func TestAppendNQuad(t *testing.T) {
	s, p := quad.IRI("https://thrivegraph.org/id/a"), quad.IRI("http://schema.org/name")
	for _, q := range []quad.Quad{
		quad.Make(s, p, quad.String("A \"quoted\"\nname\\"), quad.IRI("https://thrivegraph.org/source/s")),
		quad.Make(s, p, quad.LangString{Value: "Él", Lang: "es"}, nil),
		quad.Make(quad.BNode("b1"), p, quad.TypedString{Value: "x", Type: "http://example.org/t"}, quad.BNode("g")),
		quad.Make(s, p, quad.Time(time.Date(2020, 6, 23, 1, 2, 3, 0, time.UTC)), quad.IRI("")),
		quad.Make(s, p, quad.Int(-7), quad.String("")),
		quad.Make(s, p, quad.Float(0.83), nil),
		quad.Make(s, p, quad.Bool(true), nil),
		{Subject: s, Predicate: p}, // no object: not a quad a store holds, still no panic
	} {
		if got, want := string(appendNQuad(nil, q)), q.NQuad()+"\n"; got != want {
			t.Errorf("appendNQuad: %q, want %q", got, want)
		}
	}
}

// testPostgres is pgtest.Database; without a server the test is skipped
// (failed when THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set).
func testPostgres(t *testing.T) string {
	t.Helper()
	dsn := pgtest.Database(t)
	if dsn == "" {
		t.Skip("no PostgreSQL server: set THRIVEGRAPH_TEST_POSTGRES (eval \"$(scripts/start-postgres.sh)\")")
	}
	return dsn
}

// testQuads returns n quads from first on, with values of every type
// Cayley's SQL schema has a column for, triples without a label and, with
// nul, strings holding a NUL byte (which Cayley's tables take, escaped, and
// the change log's text does not).
func testQuads(first, n int, nul bool) []quad.Quad {
	var out []quad.Quad
	for i := first; i < first+n; i++ {
		s := quad.IRI(fmt.Sprintf("https://thrivegraph.org/id/org-%d", i%17))
		var o quad.Value
		switch i % 9 {
		case 0:
			o = quad.String(fmt.Sprintf("name %d \"quoted\"\nwith a NUL", i))
			if nul {
				o = quad.String(strings.Replace(string(o.(quad.String)), " NUL", "\x00NUL", 1))
			}
		case 1:
			o = quad.LangString{Value: quad.String(fmt.Sprintf("nom %d", i)), Lang: "fr"}
		case 2:
			o = quad.TypedString{Value: quad.String(fmt.Sprint(i)), Type: "http://example.org/type"}
		case 3:
			o = quad.Int(i)
		case 4:
			o = quad.Float(float64(i) / 7)
		case 5:
			o = quad.Bool(i%2 == 0)
		case 6:
			o = quad.Time(time.Date(2021, 1, 2, 3, 4, 5, i*1000, time.FixedZone("x", 3600)).UTC())
		case 7:
			o = quad.BNode(fmt.Sprintf("b%d", i))
		default:
			o = quad.IRI(fmt.Sprintf("https://thrivegraph.org/id/theme-%d", i%5))
		}
		var label quad.Value = quad.IRI(fmt.Sprintf("https://thrivegraph.org/source/s%d", i%3))
		if i%11 == 0 {
			label = nil
		}
		out = append(out, quad.Make(s, quad.IRI(fmt.Sprintf("https://thrivegraph.org/ns#p%d", i%4)), o, label))
	}
	return out
}

func deltas(action cgraph.Procedure, qs ...quad.Quad) []cgraph.Delta {
	out := make([]cgraph.Delta, len(qs))
	for i, q := range qs {
		out[i] = cgraph.Delta{Quad: q, Action: action}
	}
	return out
}

// dumpTables returns Cayley's two tables, every column but the quads'
// horizon and time, as JSON text, and the definitions of their indexes
// and constraints.
func dumpTables(t *testing.T, dsn string) (nodes, quads, schema string) {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []struct {
		dst  *string
		stmt string
	}{
		{&nodes, `SELECT coalesce(json_agg(t ORDER BY t.h), '[]')::text FROM (SELECT encode(hash, 'hex') h, refs, encode(value, 'hex') v, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time FROM nodes) t`},
		{&quads, `SELECT coalesce(json_agg(t ORDER BY t.s, t.p, t.o, t.l), '[]')::text FROM (SELECT encode(subject_hash, 'hex') s, encode(predicate_hash, 'hex') p, encode(object_hash, 'hex') o, encode(label_hash, 'hex') l FROM quads) t`},
		{&schema, `SELECT string_agg(d, E'\n' ORDER BY d) FROM (SELECT indexdef d FROM pg_indexes WHERE tablename IN ('nodes', 'quads')
			UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('nodes'::regclass, 'quads'::regclass)) t`},
	} {
		if err := db.QueryRow(q.stmt).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.stmt, err)
		}
	}
	return nodes, quads, schema
}

// cayleyReads returns the quads Cayley's own SQL quad store reads from the
// database, as sorted N-Quads.
func cayleyReads(t *testing.T, dsn string) []string {
	t.Helper()
	qs, err := cgraph.NewQuadStore(graph.BackendPostgres, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer qs.Close()
	var out []string
	if err := scanQuads(context.Background(), qs, qs.QuadsAllIterator(), func(q quad.Quad) { out = append(out, q.NQuad()) }); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestCopyMatchesCayley writes the same deltas with Cayley's own
// ApplyDeltas into one database and with applyDeltas into another, through
// each of its paths (statements of rows, COPY, COPY with the indexes
// rebuilt into an empty table and into one holding quads), and checks that
// the two databases hold the same rows, reference counts included, the
// same indexes and constraints, and that Cayley reads the same quads from
// both.
func TestCopyMatchesCayley(t *testing.T) {
	set1 := testQuads(0, 40, true)
	set2 := testQuads(30, 90, true) // ten quads of set1 again
	missing := quad.Make(quad.IRI("https://thrivegraph.org/id/none"), quad.IRI("https://thrivegraph.org/ns#p0"), quad.IRI("https://thrivegraph.org/id/org-1"), quad.IRI("https://thrivegraph.org/source/s0"))
	writes := [][]cgraph.Delta{
		append(deltas(cgraph.Add, set1...), deltas(cgraph.Add, set1[3], set1[11])...), // an add twice in one write
		append(deltas(cgraph.Delete, append(set1[:20:20], missing)...), deltas(cgraph.Add, set2...)...),
		deltas(cgraph.Delete, set2[50:]...),
	}
	opts := cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}
	for _, c := range []struct {
		name                 string
		copyRows, rebuildRow int
	}{
		{"rows a statement", 1 << 30, 1 << 30},
		{"copy", 1, 1 << 30},
		{"copy, indexes rebuilt", 1, 1},
		{"copy from 50 rows, rebuilt from 60 quads", 50, 60},
	} {
		t.Run(c.name, func(t *testing.T) {
			oldCopy, oldRebuild := copyRows, rebuildRows
			copyRows, rebuildRows = c.copyRows, c.rebuildRow
			t.Cleanup(func() { copyRows, rebuildRows = oldCopy, oldRebuild })
			ctx := context.Background()
			want, got := testPostgres(t), testPostgres(t)
			if err := cgraph.InitQuadStore(graph.BackendPostgres, want, nil); err != nil {
				t.Fatal(err)
			}
			ref, err := cgraph.NewQuadStore(graph.BackendPostgres, want, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			s, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: got})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i, w := range writes {
				if err := ref.ApplyDeltas(w, opts); err != nil {
					t.Fatalf("write %d, Cayley: %v", i, err)
				}
				tx, err := s.sql.db.BeginTx(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.sql.applyDeltas(ctx, tx, w, opts); err != nil {
					tx.Rollback()
					t.Fatalf("write %d: %v", i, err)
				}
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
				wn, wq, ws := dumpTables(t, want)
				gn, gq, gs := dumpTables(t, got)
				if gn != wn {
					t.Errorf("write %d: nodes\n%s\nwant (Cayley)\n%s", i, gn, wn)
				}
				if gq != wq {
					t.Errorf("write %d: quads\n%s\nwant (Cayley)\n%s", i, gq, wq)
				}
				if gs != ws {
					t.Errorf("write %d: indexes and constraints\n%s\nwant (Cayley)\n%s", i, gs, ws)
				}
				if g, w := strings.Join(cayleyReads(t, got), "\n"), strings.Join(cayleyReads(t, want), "\n"); g != w || g == "" {
					t.Errorf("write %d: Cayley reads\n%s\nwant\n%s", i, g, w)
				}
			}
		})
	}
}

// TestBulkWriteAllOrNothing checks that a write that rebuilt the quads
// table's indexes and then fails (here: its change-log row breaks a
// constraint the test adds) leaves the quads, the indexes and the
// constraints as they were, and that the next write goes through.
func TestBulkWriteAllOrNothing(t *testing.T) {
	oldCopy, oldRebuild := copyRows, rebuildRows
	copyRows, rebuildRows = 1, 1
	t.Cleanup(func() { copyRows, rebuildRows = oldCopy, oldRebuild })
	ctx := context.Background()
	dsn := testPostgres(t)
	s, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write := func(qs []quad.Quad) (graph.LoadResult, error) {
		return s.Apply(ctx, graph.Change{Quads: []*graph.Quads{graph.NewQuads(qs, nil)}}, nil)
	}
	if _, err := write(testQuads(0, 20, false)); err != nil {
		t.Fatal(err)
	}
	nodes, quads, schema := dumpTables(t, dsn)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`ALTER TABLE ` + logTable + ` ADD CONSTRAINT test_one_entry CHECK (version < 2)`); err != nil {
		t.Fatal(err)
	}
	if _, err := write(testQuads(20, 60, false)); err == nil {
		t.Fatal("the write whose log row breaks the constraint succeeded")
	}
	n, q, sc := dumpTables(t, dsn)
	if n != nodes || q != quads || sc != schema {
		t.Errorf("a failed write changed the tables:\nnodes %v, quads %v, schema %v\n%s\nwas\n%s", n != nodes, q != quads, sc != schema, sc, schema)
	}
	if _, err := db.Exec(`ALTER TABLE ` + logTable + ` DROP CONSTRAINT test_one_entry`); err != nil {
		t.Fatal(err)
	}
	res, err := write(testQuads(20, 60, false))
	if err != nil || res.QuadsAdded != 60 {
		t.Fatalf("the write again: %+v, %v", res, err)
	}
	if _, _, sc := dumpTables(t, dsn); sc != schema {
		t.Errorf("indexes and constraints after a bulk write:\n%s\nwant\n%s", sc, schema)
	}
}
