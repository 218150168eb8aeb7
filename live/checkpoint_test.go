package live_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/store"
)

// TestCheckpoint: a bbolt store reopened unchanged starts from the
// checkpoint Close wrote, with the same answers; a store written by another
// process since (here: without the checkpoint being saved) or a damaged
// checkpoint is not trusted, and the read model is built from the store.
func TestCheckpoint(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath, cpPath := filepath.Join(dir, "g.db"), filepath.Join(dir, "g.db.view")
	open := func() *live.Graph {
		t.Helper()
		log, err := store.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: dbPath})
		if err != nil {
			t.Fatal(err)
		}
		g, err := live.OpenCheckpointed(ctx, log, cpPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	orgs := func(g *live.Graph) []string {
		t.Helper()
		c, err := g.Organizations(ctx, graph.OrganizationFilter{}, graph.Page{First: 100})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range c.Items {
			ids = append(ids, o.ID+" "+o.Name)
		}
		return ids
	}
	write := func(g *live.Graph, id string) {
		t.Helper()
		b := &graph.Batch{Source: graph.Source{ID: "s", Title: "S"}, Nodes: []graph.NodeRecord{{ID: id, Type: graph.TypeOrganization, Name: "Org " + id}}}
		if _, err := g.Load(ctx, b); err != nil {
			t.Fatal(err)
		}
	}

	g := open()
	write(g, "a")
	want := orgs(g)
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cpPath); err != nil {
		t.Fatalf("no checkpoint after Close: %v", err)
	}
	g = open()
	if got := orgs(g); !reflect.DeepEqual(got, want) {
		t.Fatalf("from the checkpoint: %v, want %v", got, want)
	}
	write(g, "b")
	want = orgs(g)
	g.Close()

	// A write the checkpoint does not hold: the store is written by
	// another graph whose checkpoint goes elsewhere.
	cp, _ := os.ReadFile(cpPath)
	log, err := store.Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	other, err := live.Open(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	write(other, "c")
	want = orgs(other)
	other.Close()
	if now, _ := os.ReadFile(cpPath); string(now) != string(cp) {
		t.Fatal("a graph opened without a checkpoint wrote one")
	}
	g = open()
	if got := orgs(g); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a write the checkpoint lacks: %v, want %v (a stale checkpoint was used)", got, want)
	}
	g.Close()

	// A damaged checkpoint: built from the store instead.
	data, _ := os.ReadFile(cpPath)
	data[len(data)/2] ^= 1
	if err := os.WriteFile(cpPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	g = open()
	defer g.Close()
	if got := orgs(g); !reflect.DeepEqual(got, want) {
		t.Fatalf("with a damaged checkpoint: %v, want %v", got, want)
	}
}
