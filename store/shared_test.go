package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
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
