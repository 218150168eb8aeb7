package live_test

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
)

// generatedNetwork opens a memory store holding a generated network.
func generatedNetwork(t testing.TB, orgs int, seed uint64) *live.Graph {
	t.Helper()
	ctx := context.Background()
	res, err := generate.Write(ctx, t.TempDir(), generate.Options{Orgs: orgs, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f, err := os.Open(res.NQuads)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := loader.ImportNQuads(ctx, s, f, generate.NQuadsName); err != nil {
		t.Fatal(err)
	}
	return s
}

// idsOf lists the ids of every entity of a type, by name.
func idsOf(t *testing.T, s *live.Graph, typ graph.NodeType) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	switch typ {
	case graph.TypeOrganization:
		for p := (graph.Page{First: graph.MaxPageSize}); ; {
			c, err := s.Organizations(ctx, graph.OrganizationFilter{}, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range c.Items {
				ids = append(ids, o.ID)
			}
			if !c.HasNextPage {
				return ids
			}
			p.After = c.Cursors[len(c.Cursors)-1]
		}
	case graph.TypeEvent:
		for p := (graph.Page{First: graph.MaxPageSize}); ; {
			c, err := s.Events(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range c.Items {
				ids = append(ids, o.ID)
			}
			if !c.HasNextPage {
				return ids
			}
			p.After = c.Cursors[len(c.Cursors)-1]
		}
	case graph.TypeTheme:
		ts, err := s.Themes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range ts {
			ids = append(ids, th.ID)
		}
	}
	return ids
}

// TestNodesMatchesNode checks the one list lookup of the store, Nodes,
// against Node for every id, on the seed graph and on a generated network,
// with repeated ids and ids that are not entities.
func TestNodesMatchesNode(t *testing.T) {
	t.Run("generated", func(t *testing.T) { checkNodes(t, generatedNetwork(t, 250, 5), 30) })
	t.Run("seed", func(t *testing.T) { checkNodes(t, seedNetwork(t), 30) })
	small(t, func(t *testing.T, s *live.Graph) { checkNodes(t, s, 1) })
}

// seedNetwork opens a memory store holding the built-in seed data set.
func seedNetwork(t *testing.T) *live.Graph {
	t.Helper()
	ctx := context.Background()
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(ctx, s, loader.FromFS(data.Seed, names...)...); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkNodes compares Nodes with Node for every organization, event and
// theme of s, a repeated id and an id that names nothing.
func checkNodes(t *testing.T, s *live.Graph, minOrgs int) {
	ctx := context.Background()
	orgs := idsOf(t, s, graph.TypeOrganization)
	events := idsOf(t, s, graph.TypeEvent)
	themes := idsOf(t, s, graph.TypeTheme)
	if len(orgs) < minOrgs || len(events) == 0 || len(themes) == 0 {
		t.Fatalf("%d organizations, %d events, %d themes", len(orgs), len(events), len(themes))
	}
	orgs = append(orgs, orgs[0], "no-such-node")
	all := append(append(append([]string{}, orgs...), events...), themes...)
	nodes, err := s.Nodes(ctx, all)
	if err != nil {
		t.Fatalf("Nodes: %v", err)
	}
	if len(nodes) != len(all) {
		t.Fatalf("Nodes: %d results for %d ids", len(nodes), len(all))
	}
	for i, id := range all {
		want, err := s.Node(ctx, id)
		if err != nil {
			t.Fatalf("Node(%s): %v", id, err)
		}
		if !reflect.DeepEqual(nodes[i], want) {
			t.Fatalf("Node(%s):\nNodes %+v\nNode  %+v", id, nodes[i], want)
		}
	}
	if nodes[len(orgs)-1] != nil {
		t.Errorf("no-such-node: %+v, want nil", nodes[len(orgs)-1])
	}
}
