package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/lib/pq"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestLogEncoding checks that a change-log entry gives back the quads
// written, literals with newlines, quotes, languages and types included.
func TestLogEncoding(t *testing.T) {
	in := []quad.Quad{
		quad.Make(quad.IRI("https://thrivegraph.org/id/a"), quad.IRI("http://schema.org/name"), quad.String("A \"quoted\"\nname\\"), quad.IRI("https://thrivegraph.org/source/s")),
		quad.Make(quad.IRI("https://thrivegraph.org/id/a"), quad.IRI("http://schema.org/alternateName"), quad.LangString{Value: "Él", Lang: "es"}, quad.IRI("https://thrivegraph.org/source/s")),
		quad.Make(quad.IRI("https://thrivegraph.org/id/e"), quad.IRI("https://thrivegraph.org/ns#startDate"), quad.Time(time.Date(2020, 6, 23, 0, 0, 0, 0, time.UTC)), quad.IRI("https://thrivegraph.org/source/s")),
		quad.Make(quad.IRI("https://thrivegraph.org/id/f"), quad.IRI("https://thrivegraph.org/ns#value"), quad.Float(0.83), nil),
	}
	out, err := decodeQuads(encodeQuads(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d quads back, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i].NQuad() != in[i].NQuad() {
			t.Errorf("quad %d: %s, want %s", i, out[i].NQuad(), in[i].NQuad())
		}
	}
	if got, _ := decodeQuads(""); len(got) != 0 {
		t.Errorf("empty entry: %v", got)
	}
}

// TestUnavailable checks which database errors are UNAVAILABLE: those of a
// database that does not answer, not those of a statement.
func TestUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want graph.Code
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}, graph.CodeUnavailable},
		{fmt.Errorf("wrapped: %w", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}), graph.CodeUnavailable},
		{&pq.Error{Code: "57P03", Message: "the database system is starting up"}, graph.CodeUnavailable},
		{&pq.Error{Code: "08006"}, graph.CodeUnavailable},
		{&pq.Error{Code: "23505", Message: "duplicate key"}, graph.CodeInternal},
		{errors.New("syntax error at or near"), graph.CodeInternal},
	} {
		if got := graph.ErrorCode(dbError("op", c.err)); got != c.want {
			t.Errorf("%v: %s, want %s", c.err, got, c.want)
		}
	}
}

// TestOpenUnreachable checks that a PostgreSQL store whose server does not
// answer fails to open with UNAVAILABLE.
func TestOpenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = Open(context.Background(), graph.Config{Backend: graph.BackendPostgres, DSN: "postgres://postgres@" + addr + "/x?sslmode=disable&connect_timeout=2"})
	if graph.ErrorCode(err) != graph.CodeUnavailable {
		t.Errorf("open of an unreachable server: %v (code %s)", err, graph.ErrorCode(err))
	}
	if !reflect.DeepEqual(graph.ErrorMessage(err), "cannot open postgres store") {
		t.Errorf("message %q", graph.ErrorMessage(err))
	}
}

// TestLogParts writes entries in parts of a few quads each (a large
// write's entry spans rows) on PostgreSQL, when THRIVEGRAPH_TEST_POSTGRES
// names a server, and reads them back whole and in order.
func TestLogParts(t *testing.T) {
	base := os.Getenv("THRIVEGRAPH_TEST_POSTGRES")
	if base == "" {
		t.Skip("no PostgreSQL server: set THRIVEGRAPH_TEST_POSTGRES (eval \"$(scripts/start-postgres.sh)\")")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("tg_parts_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
	u, _ := url.Parse(base)
	u.Path = "/" + name
	ctx := context.Background()
	s, err := Open(ctx, graph.Config{Backend: graph.BackendPostgres, DSN: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.sql.partBytes = 300 // two or three quads a row
	org := func(i int) quad.Quad {
		return quad.Make(quad.IRI(fmt.Sprintf("https://thrivegraph.org/id/org-%d", i)), quad.IRI("http://schema.org/name"),
			quad.String(fmt.Sprintf("Organization number %d with a long enough name", i)), quad.IRI("https://thrivegraph.org/source/s"))
	}
	var first, second []quad.Quad
	for i := range 10 {
		first = append(first, org(i))
	}
	for i := 10; i < 13; i++ {
		second = append(second, org(i))
	}
	if _, err := s.Apply(ctx, graph.Change{Quads: []*graph.Quads{graph.NewQuads(first, nil)}}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := s.Apply(ctx, graph.Change{RemoveSources: []string{"s"}, Quads: []*graph.Quads{graph.NewQuads(second, nil)}}, nil)
	if err != nil || res.Version != 2 || res.QuadsRemoved != 10 || res.QuadsAdded != 3 {
		t.Fatalf("second write: %+v %v", res, err)
	}
	var rows int
	admin2, _ := sql.Open("postgres", u.String())
	defer admin2.Close()
	if err := admin2.QueryRow(`SELECT count(*) FROM thrivegraph_changes`).Scan(&rows); err != nil || rows < 6 {
		t.Fatalf("%d rows for two entries (%v): not written in parts", rows, err)
	}
	var got []graph.LogEntry
	if err := s.Entries(ctx, 0, true, func(e graph.LogEntry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	nq := func(qs []quad.Quad) (out []string) {
		for _, q := range qs {
			out = append(out, q.NQuad())
		}
		sort.Strings(out)
		return out
	}
	if len(got) != 2 || got[0].Version != 1 || got[1].Version != 2 ||
		!reflect.DeepEqual(nq(got[0].Added), nq(first)) || len(got[0].Removed) != 0 ||
		!reflect.DeepEqual(nq(got[1].Removed), nq(first)) || !reflect.DeepEqual(nq(got[1].Added), nq(second)) {
		t.Errorf("entries read back: %+v", got)
	}
	var after []graph.LogEntry
	if err := s.Entries(ctx, 1, false, func(e graph.LogEntry) error { after = append(after, e); return nil }); err != nil || len(after) != 1 || after[0].Version != 2 {
		t.Errorf("entries after 1: %+v %v", after, err)
	}
}
