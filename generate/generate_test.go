package generate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/loader"
)

// write generates into a fresh directory and returns the result.
func write(t *testing.T, o Options) Result {
	t.Helper()
	res, err := Write(context.Background(), t.TempDir(), o)
	if err != nil {
		t.Fatalf("Write(%+v): %v", o, err)
	}
	return res
}

func readAll(t *testing.T, res Result) [][]byte {
	t.Helper()
	var out [][]byte
	for _, name := range append(append([]string{}, res.Files...), res.NQuads) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	o := Options{Orgs: 250, Seed: 7, PerFile: 100}
	a, b := write(t, o), write(t, Options{Orgs: 250, Seed: 7, PerFile: 100, Workers: 1})
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
	}
	fa, fb := readAll(t, a), readAll(t, b)
	for i := range fa {
		if !bytes.Equal(fa[i], fb[i]) {
			t.Errorf("file %d (%s) differs between two runs with the same seed", i, filepath.Base(a.Files[min(i, len(a.Files)-1)]))
		}
	}
	if a.Counts != b.Counts {
		t.Errorf("counts differ: %+v, then %+v", a.Counts, b.Counts)
	}
	// Another seed gives another network of the same size.
	c := write(t, Options{Orgs: 250, Seed: 8, PerFile: 100})
	if fc := readAll(t, c); bytes.Equal(fa[1], fc[1]) {
		t.Error("seeds 7 and 8 gave the same first part")
	}
	if c.Counts.Organizations != 250 {
		t.Errorf("seed 8: %d organizations, want 250", c.Counts.Organizations)
	}
}

// TestLoadable loads the data files with the real loader into an empty
// store: every file is accepted, the counts are those of the flags and of
// the result, and the store exports exactly the generated N-Quads.
func TestLoadable(t *testing.T) {
	ctx := context.Background()
	const orgs = 450
	res := write(t, Options{Orgs: orgs, Seed: 42, PerFile: 200})
	if want := 1 + 3; len(res.Files) != want { // taxonomy + ceil(450/200)
		t.Fatalf("%d data files, want %d", len(res.Files), want)
	}
	for _, name := range res.Files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = loader.Parse(name, f)
		f.Close()
		if err != nil {
			t.Errorf("Parse: %v", err)
		}
	}
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := loader.Load(ctx, store, loader.Paths(res.Files...)...); err != nil {
		t.Fatalf("load: %v", err)
	}
	counts, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	umbrellas := lastYear - firstYear + 1
	for typ, want := range map[graph.NodeType]int{
		graph.TypeOrganization: orgs,
		graph.TypePerson:       res.Counts.People,
		graph.TypeEvent:        res.Counts.Events + umbrellas,
		graph.TypeTheme:        len(themes),
		graph.TypePlace:        len(states) + len(cities),
		graph.TypePolicyLevel:  3,
	} {
		if got := counts.Nodes[typ]; got != want {
			t.Errorf("%s: %d in the store, want %d", typ, got, want)
		}
	}
	if res.Counts.Organizations != orgs || res.Counts.Events != (200*3+9)/10*2+(50*3+9)/10 {
		t.Errorf("result counts %+v", res.Counts)
	}
	if res.Counts.People == 0 || res.Counts.Participations < res.Counts.Events {
		t.Errorf("implausible counts %+v", res.Counts)
	}
	if counts.Quads != res.Counts.Quads {
		t.Errorf("store holds %d quads, graph.nq %d lines", counts.Quads, res.Counts.Quads)
	}
	var exported bytes.Buffer
	if err := store.Export(ctx, &exported); err != nil {
		t.Fatal(err)
	}
	nq, err := os.ReadFile(res.NQuads)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exported.Bytes(), nq) {
		t.Errorf("export of the loaded YAML (%d bytes) differs from %s (%d bytes)", exported.Len(), NQuadsName, len(nq))
	}
}

func TestNamesAreDistinct(t *testing.T) {
	seen := map[string]int{}
	for i := range 60000 {
		name, _ := orgName(i)
		id := graph.Slug(name)
		if j, dup := seen[id]; dup {
			t.Fatalf("organizations %d and %d share id %q", j, i, id)
		}
		seen[id] = i
	}
	for n := range 250000 {
		id := graph.Slug(personName(n))
		if j, dup := seen[id]; dup {
			t.Fatalf("person %d shares id %q with %d", n, id, j)
		}
		seen[id] = -n
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := Write(context.Background(), t.TempDir(), Options{Orgs: 0}); err == nil {
		t.Error("Write with 0 organizations: no error")
	}
}
