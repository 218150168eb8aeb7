package network

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/view"
)

// readQuads parses N-Quads, skipping blank lines and # comments.
func readQuads(t *testing.T, r io.Reader) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, err := nquads.Parse(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// loadFile builds the snapshot of an N-Quads file.
func loadFile(t *testing.T, path string) *view.Snapshot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return view.Build(readQuads(t, f))
}

// networkGraph is testdata/network.nq (drawn there).
func networkGraph(t *testing.T) *view.Snapshot { return loadFile(t, "testdata/network.nq") }

// smallGraph is testdata/small.nq (drawn there).
func smallGraph(t *testing.T) *view.Snapshot { return loadFile(t, "testdata/small.nq") }

// write returns s after the quads of a batch are added, as a store's write
// would publish it.
func write(t *testing.T, s *view.Snapshot, b *graph.Batch) *view.Snapshot {
	t.Helper()
	qs := readQuads(t, strings.NewReader(strings.Join(loader.NQuadLines(b), "\n")))
	deltas := make([]view.Delta, len(qs))
	for i, q := range qs {
		deltas[i] = view.Delta{Quad: q}
	}
	return s.Apply(deltas)
}

func ids[T graph.Node](nodes []T) []string {
	out := []string{}
	for _, n := range nodes {
		out = append(out, n.NodeID())
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %v\n want %v", what, got, want)
	}
}

// pathString writes a path as "a -rel-> b -rel-> c".
func pathString(t *testing.T, p *graph.Path) string {
	t.Helper()
	var b strings.Builder
	for _, st := range p.Steps {
		b.WriteString(st.Node.NodeID())
		if st.Relation != "" {
			b.WriteString(" -" + st.Relation + "-> ")
			if st.Source == nil {
				t.Errorf("step from %s has no source", st.Node.NodeID())
			}
		}
	}
	if p.Length != len(p.Steps)-1 {
		t.Errorf("length %d for %d steps", p.Length, len(p.Steps))
	}
	return b.String()
}

func rels(names ...string) []graph.Relation {
	out := make([]graph.Relation, len(names))
	for i, n := range names {
		out[i] = graph.Relation(n)
	}
	return out
}

var eventRels = rels("hosted", "participatedIn", "presentedAt")

// sharedThemeString writes shared themes as "theme(a why; b why)".
func sharedThemeString(list []graph.SharedTheme) string {
	why := func(l graph.ThemeLink) string {
		var parts []string
		if l.Stated {
			parts = append(parts, "stated")
		}
		if len(l.Via) > 0 {
			parts = append(parts, "via "+strings.Join(l.Via, "+"))
		}
		return strings.Join(parts, ", ")
	}
	var out []string
	for _, st := range list {
		out = append(out, fmt.Sprintf("%s(a %s; b %s)", st.Theme.ID, why(st.A), why(st.B)))
	}
	return strings.Join(out, ", ")
}
