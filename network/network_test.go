package network

import (
	"fmt"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// The tests of this file run on testdata/network.nq, drawn at its top.

func TestNeighborhood(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		name      string
		id        string
		q         graph.NeighborhoodQuery
		nodes     string // id:depth
		edges     string // from -relation-> to (direction) [source]
		truncated bool
		code      graph.Code
	}{
		{name: "depth 0 is the node alone", id: "ada", q: graph.NeighborhoodQuery{Depth: 0, Limit: 10},
			nodes: "ada:0"},
		{name: "depth 1, every relation, by relation name", id: "ada", q: graph.NeighborhoodQuery{Depth: 1, Limit: 10},
			nodes: "ada:0 forum:1 ohio:1 federal:1 skills:1",
			edges: "ada -hosted-> forum (OUT) [net], ada -place-> ohio (OUT) [net], ada -policyLevel-> federal (OUT) [net], ada -theme-> skills (OUT) [net]"},
		{name: "depth 2 through events only; incoming edges; a source of its own", id: "ada", q: graph.NeighborhoodQuery{Depth: 2, Relations: eventRels, Limit: 10},
			nodes: "ada:0 forum:1 cal:2 dov:2",
			edges: "ada -hosted-> forum (OUT) [net], cal -participatedIn-> forum (IN) [other], dov -participatedIn-> forum (IN) [net]"},
		{name: "inverse relation names filter too", id: "forum", q: graph.NeighborhoodQuery{Depth: 1, Relations: rels("hadParticipant"), Limit: 10},
			nodes: "forum:0 cal:1 dov:1",
			edges: "cal -participatedIn-> forum (IN) [other], dov -participatedIn-> forum (IN) [net]"},
		{name: "depth 3 through events and membership", id: "pat", q: graph.NeighborhoodQuery{Depth: 3, Relations: append(rels("memberOf", "spokeAt"), eventRels...), Limit: 20},
			nodes: "pat:0 dov:1 summit:1 forum:2 bea:2 cal:3 ada:3",
			edges: "pat -memberOf-> dov (OUT) [net], pat -spokeAt-> summit (OUT) [net], dov -participatedIn-> forum (OUT) [net], dov -participatedIn-> summit (OUT) [net], bea -participatedIn-> summit (IN) [net], cal -participatedIn-> forum (IN) [other], ada -hosted-> forum (IN) [net]"},
		{name: "a limit that fits exactly; an edge between two nodes of one ring", id: "pat", q: graph.NeighborhoodQuery{Depth: 2, Relations: rels("memberOf", "spokeAt", "participatedIn"), Limit: 5},
			nodes: "pat:0 dov:1 summit:1 forum:2 bea:2",
			edges: "pat -memberOf-> dov (OUT) [net], pat -spokeAt-> summit (OUT) [net], dov -participatedIn-> forum (OUT) [net], dov -participatedIn-> summit (OUT) [net], bea -participatedIn-> summit (IN) [net]"},
		{name: "the limit cuts nodes", id: "ada", q: graph.NeighborhoodQuery{Depth: 2, Relations: eventRels, Limit: 3},
			nodes: "ada:0 forum:1 cal:2", edges: "ada -hosted-> forum (OUT) [net], cal -participatedIn-> forum (IN) [other]", truncated: true},
		{name: "the limit cuts at the first node too many", id: "dov", q: graph.NeighborhoodQuery{Depth: 1, Limit: 2},
			nodes: "dov:0 pat:1", edges: "pat -memberOf-> dov (IN) [net]", truncated: true},
		{name: "unknown node", id: "nope", q: graph.NeighborhoodQuery{Depth: 1, Limit: 10}, code: graph.CodeNotFound},
		{name: "depth too large", id: "ada", q: graph.NeighborhoodQuery{Depth: 4, Limit: 10}, code: graph.CodeLimit},
		{name: "negative depth", id: "ada", q: graph.NeighborhoodQuery{Depth: -1, Limit: 10}, code: graph.CodeInvalid},
		{name: "limit zero", id: "ada", q: graph.NeighborhoodQuery{Depth: 1, Limit: 0}, code: graph.CodeInvalid},
		{name: "limit too large", id: "ada", q: graph.NeighborhoodQuery{Depth: 1, Limit: 1001}, code: graph.CodeLimit},
		{name: "unknown relation", id: "ada", q: graph.NeighborhoodQuery{Depth: 1, Limit: 10, Relations: rels("knows")}, code: graph.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Neighborhood(s, tc.id, tc.q)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if tc.code != "" {
				return
			}
			eq(t, "center", h.Center.NodeID(), tc.id)
			var nodes, edges []string
			for _, n := range h.Nodes {
				nodes = append(nodes, fmt.Sprintf("%s:%d", n.Node.NodeID(), n.Depth))
			}
			for _, e := range h.Edges {
				dir, src := "IN", "none"
				if e.Outgoing {
					dir = "OUT"
				}
				if e.Source != nil {
					src = e.Source.ID
				}
				edges = append(edges, fmt.Sprintf("%s -%s-> %s (%s) [%s]", e.From.NodeID(), e.Relation, e.To.NodeID(), dir, src))
			}
			eq(t, "nodes", strings.Join(nodes, " "), tc.nodes)
			eq(t, "edges", strings.Join(edges, ", "), tc.edges)
			eq(t, "truncated", h.Truncated, tc.truncated)
		})
	}
}

func TestCommonGround(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		a, b                                   string
		events, themes, levels, places, shared string
		path                                   string
		code                                   graph.Code
	}{
		{a: "ada", b: "dov", events: "forum", themes: "jobs(a via forum; b via forum)", levels: "federal", places: "", shared: "cal",
			path: "ada -hosted-> forum -hadParticipant-> dov"},
		{a: "ada", b: "bea", events: "", themes: "", levels: "", places: "ohio", shared: "dov",
			path: "ada -place-> ohio -placeOf-> bea"},
		{a: "ada", b: "gus", events: "", themes: "jobs(a via forum; b stated), skills(a stated; b stated)", levels: "federal,state", places: "ohio", shared: "",
			path: "ada -place-> ohio -placeOf-> gus"},
		{a: "eli", b: "fay", path: "eli -participatedIn-> meetup -theme-> coding -broader-> skills -broader-> work -themeOf-> fay"},
		{a: "ada", b: "ada", code: graph.CodeInvalid},
		{a: "ada", b: "forum", code: graph.CodeNotFound},
		{a: "nope", b: "ada", code: graph.CodeNotFound},
	} {
		t.Run(tc.a+"+"+tc.b, func(t *testing.T) {
			cg, err := CommonGround(s, tc.a, tc.b)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if tc.code != "" {
				return
			}
			eq(t, "a, b", cg.A.ID+","+cg.B.ID, tc.a+","+tc.b)
			eq(t, "events", strings.Join(ids(cg.Events), ","), tc.events)
			eq(t, "themes", sharedThemeString(cg.Themes), tc.themes)
			eq(t, "policy levels", strings.Join(ids(cg.PolicyLevels), ","), tc.levels)
			eq(t, "places", strings.Join(ids(cg.Places), ","), tc.places)
			eq(t, "partners in common", strings.Join(ids(cg.Partners), ","), tc.shared)
			got := ""
			if cg.Path != nil {
				got = pathString(t, cg.Path)
			}
			eq(t, "path", got, tc.path)
		})
	}
}

func TestIntroductions(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		org   string
		first int
		want  []string // id score [themes] [levels]
		code  graph.Code
	}{
		// ada met cal and dov at the forum; gus shares two themes
		// (2×2) and two levels (2×1); nobody else shares anything.
		{org: "ada", first: 10, want: []string{"gus 6 [jobs(a via forum; b stated), skills(a stated; b stated)] [federal,state]"}},
		// dov met ada, bea and cal; gus shares jobs and federal
		// (2+1), fay shares local (1); eli shares nothing.
		{org: "dov", first: 10, want: []string{
			"gus 3 [jobs(a via forum; b stated)] [federal]",
			"fay 1 [] [local]",
		}},
		{org: "dov", first: 1, want: []string{"gus 3 [jobs(a via forum; b stated)] [federal]"}},
		// fay met nobody: bea and dov share local, equal scores by name.
		{org: "fay", first: 10, want: []string{"bea 1 [] [local]", "dov 1 [] [local]"}},
		// gus met nobody: ada and cal share everything with it (by
		// name), dov shares jobs and federal.
		{org: "gus", first: 10, want: []string{
			"ada 6 [jobs(a stated; b via forum), skills(a stated; b stated)] [federal,state]",
			"cal 6 [jobs(a stated; b via forum), skills(a stated; b stated)] [federal,state]",
			"dov 3 [jobs(a stated; b via forum)] [federal]",
		}},
		// eli's only theme, coding, is nobody else's (a narrower
		// theme does not make a shared one).
		{org: "eli", first: 10, want: nil},
		{org: "ada", first: 0, want: nil},
		{org: "forum", first: 10, code: graph.CodeNotFound},
		{org: "ada", first: 101, code: graph.CodeLimit},
		{org: "ada", first: -1, code: graph.CodeInvalid},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.org, tc.first), func(t *testing.T) {
			intros, err := Introductions(s, tc.org, tc.first)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			var got []string
			for _, in := range intros {
				got = append(got, fmt.Sprintf("%s %d [%s] [%s]", in.Organization.ID, in.Score, sharedThemeString(in.Themes), strings.Join(ids(in.PolicyLevels), ",")))
			}
			eq(t, "introductions", got, tc.want)
		})
	}
}

func TestPaths(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		name     string
		from, to string
		q        graph.PathQuery
		want     []string
		code     graph.Code
	}{
		{name: "k shortest: one of 2, then both of 4 by node ids", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 4, First: 5}, want: []string{
			"ada -place-> ohio -placeOf-> bea",
			"ada -hosted-> forum -hadParticipant-> dov -participatedIn-> summit -hadParticipant-> bea",
			"ada -theme-> skills -themeOf-> gus -place-> ohio -placeOf-> bea",
		}},
		{name: "first cuts", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 4, First: 2}, want: []string{
			"ada -place-> ohio -placeOf-> bea",
			"ada -hosted-> forum -hadParticipant-> dov -participatedIn-> summit -hadParticipant-> bea",
		}},
		{name: "maxHops cuts", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 3, First: 5}, want: []string{
			"ada -place-> ohio -placeOf-> bea",
		}},
		{name: "only through events", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 6, First: 5, Relations: eventRels}, want: []string{
			"ada -hosted-> forum -hadParticipant-> dov -participatedIn-> summit -hadParticipant-> bea",
		}},
		{name: "only through places", from: "bea", to: "gus", q: graph.PathQuery{MaxHops: 6, First: 5, Relations: rels("place")}, want: []string{
			"bea -place-> ohio -placeOf-> gus",
		}},
		{name: "no path within maxHops", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 1, First: 5}, want: nil},
		{name: "no path through these relations", from: "eli", to: "ada", q: graph.PathQuery{MaxHops: 10, First: 5, Relations: eventRels}, want: nil},
		{name: "a node to itself", from: "ada", to: "ada", q: graph.PathQuery{MaxHops: 6, First: 5}, want: []string{"ada"}},
		{name: "first 0", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 6, First: 0}, want: nil},
		{name: "first too large", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 6, First: 11}, code: graph.CodeLimit},
		{name: "negative first", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 6, First: -1}, code: graph.CodeInvalid},
		{name: "maxHops too large", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 11, First: 1}, code: graph.CodeLimit},
		{name: "unknown relation", from: "ada", to: "bea", q: graph.PathQuery{MaxHops: 6, First: 1, Relations: rels("likes")}, code: graph.CodeInvalid},
		{name: "unknown node", from: "ada", to: "nope", q: graph.PathQuery{MaxHops: 6, First: 1}, code: graph.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths, err := Paths(s, tc.from, tc.to, tc.q)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			var got []string
			for _, p := range paths {
				got = append(got, pathString(t, p))
			}
			eq(t, "paths", got, tc.want)
		})
	}
	// The first of Paths is the path of Path.
	for _, pair := range [][2]string{{"ada", "bea"}, {"pat", "cal"}, {"eli", "fay"}, {"iowa", "federal"}} {
		one, err := Path(s, pair[0], pair[1], 6)
		if err != nil || one == nil {
			t.Fatalf("path %v: %v %v", pair, one, err)
		}
		k, err := Paths(s, pair[0], pair[1], graph.PathQuery{MaxHops: 6, First: 3})
		if err != nil || len(k) == 0 {
			t.Fatalf("paths %v: %v %v", pair, k, err)
		}
		eq(t, "first of paths "+pair[0]+"→"+pair[1], pathString(t, k[0]), pathString(t, one))
		for i := 1; i < len(k); i++ {
			if k[i].Length < k[i-1].Length {
				t.Errorf("paths %v not by length: %d after %d", pair, k[i].Length, k[i-1].Length)
			}
		}
	}
}

// facetString writes facet counts as "id=count ...".
func facetString(list []graph.FacetCount) string {
	var out []string
	for _, f := range list {
		out = append(out, fmt.Sprintf("%s=%d", f.Node.NodeID(), f.Count))
	}
	return strings.Join(out, " ")
}

func matrixString(list []graph.ThemeLevelCount) string {
	var out []string
	for _, c := range list {
		out = append(out, fmt.Sprintf("%s×%s=%d", c.Theme.ID, c.PolicyLevel.ID, c.Count))
	}
	return strings.Join(out, " ")
}

func TestFacets(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		name                                   string
		filter                                 *graph.OrganizationFilter
		first                                  int
		total                                  int
		themes, levels, places, events, matrix string
		code                                   graph.Code
	}{
		{name: "whole graph", total: 7,
			themes: "jobs=4 skills=3 finance=2 coding=1 work=1",
			levels: "federal=4 local=3 state=3",
			places: "ohio=3 iowa=1",
			events: "forum=3 summit=2 meetup=1",
			matrix: "jobs×federal=4 jobs×state=3 skills×federal=3 skills×state=3 finance×local=2 finance×federal=1 jobs×local=1 work×local=1"},
		{name: "in ohio", filter: &graph.OrganizationFilter{Places: []string{"ohio"}}, total: 3,
			themes: "jobs=2 skills=2 finance=1",
			levels: "federal=2 state=2 local=1",
			places: "ohio=3",
			events: "forum=1 summit=1",
			matrix: "jobs×federal=2 jobs×state=2 skills×federal=2 skills×state=2 finance×local=1"},
		{name: "no filter field is the whole graph", filter: &graph.OrganizationFilter{}, total: 7,
			themes: "jobs=4 skills=3 finance=2 coding=1 work=1",
			levels: "federal=4 local=3 state=3",
			places: "ohio=3 iowa=1",
			events: "forum=3 summit=2 meetup=1",
			matrix: "jobs×federal=4 jobs×state=3 skills×federal=3 skills×state=3 finance×local=2 finance×federal=1 jobs×local=1 work×local=1"},
		{name: "whole graph, first 2 of each", first: 2, total: 7,
			themes: "jobs=4 skills=3",
			levels: "federal=4 local=3",
			places: "ohio=3 iowa=1",
			events: "forum=3 summit=2",
			matrix: "jobs×federal=4 jobs×state=3"},
		{name: "in ohio, first 1 of each", filter: &graph.OrganizationFilter{Places: []string{"ohio"}}, first: 1, total: 3,
			themes: "jobs=2", levels: "federal=2", places: "ohio=3", events: "forum=1", matrix: "jobs×federal=2"},
		{name: "negative first", first: -1, code: graph.CodeInvalid},
		{name: "nothing matches", filter: &graph.OrganizationFilter{NameContains: "zzz"}, total: 0},
		{name: "bad filter", filter: &graph.OrganizationFilter{Places: []string{"forum"}}, code: graph.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Facets(s, tc.filter, tc.first, nil)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if tc.code != "" {
				return
			}
			eq(t, "total", f.Total, tc.total)
			eq(t, "themes", facetString(f.Themes), tc.themes)
			eq(t, "levels", facetString(f.PolicyLevels), tc.levels)
			eq(t, "places", facetString(f.Places), tc.places)
			eq(t, "events", facetString(f.Events), tc.events)
			eq(t, "matrix", matrixString(f.ThemePolicyLevels), tc.matrix)
		})
	}
}
