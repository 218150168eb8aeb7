package analysis

import (
	"slices"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	gnetwork "gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// gonumGraph shows a Network to gonum as a weighted graph, directed with every
// tie both ways (for PageRank). Node
// ids are node indexes; nodes and partners come in index order, so that a
// seeded computation is deterministic.
type gonumGraph struct{ n *Network }

func (g gonumGraph) Node(id int64) gg.Node {
	if id < 0 || id >= int64(g.n.N()) {
		return nil
	}
	return simple.Node(id)
}

func (g gonumGraph) Nodes() gg.Nodes {
	nodes := make([]gg.Node, g.n.N())
	for i := range nodes {
		nodes[i] = simple.Node(i)
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g gonumGraph) From(id int64) gg.Nodes {
	if g.Node(id) == nil {
		return gg.Empty
	}
	adj, _ := g.n.Partners(int(id))
	nodes := make([]gg.Node, len(adj))
	for i, j := range adj {
		nodes[i] = simple.Node(j)
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g gonumGraph) To(id int64) gg.Nodes { return g.From(id) }

func (g gonumGraph) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	if g.Node(x) == nil || g.Node(y) == nil {
		return 0, false
	}
	adj, w := g.n.Partners(int(x))
	if k, ok := slices.BinarySearch(adj, int32(y)); ok {
		return float64(w[k]), true
	}
	return 0, false
}

func (g gonumGraph) WeightedEdge(x, y int64) gg.WeightedEdge {
	w, ok := g.Weight(x, y)
	if !ok || x == y {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(x), T: simple.Node(y), W: w}
}

func (g gonumGraph) WeightedEdgeBetween(x, y int64) gg.WeightedEdge { return g.WeightedEdge(x, y) }

func (g gonumGraph) Edge(x, y int64) gg.Edge {
	if e := g.WeightedEdge(x, y); e != nil {
		return e
	}
	return nil
}

func (g gonumGraph) EdgeBetween(x, y int64) gg.Edge { return g.Edge(x, y) }

func (g gonumGraph) HasEdgeBetween(x, y int64) bool { return g.WeightedEdge(x, y) != nil }

func (g gonumGraph) HasEdgeFromTo(x, y int64) bool { return g.WeightedEdge(x, y) != nil }

// pageRank is gonum's sparse, edge-weighted PageRank (damping 0.85, dangling
// nodes spread evenly, as NetworkX's pagerank), by node.
func pageRank(n *Network, tol float64) []float64 {
	out := make([]float64, n.N())
	if n.N() == 0 {
		return out
	}
	for id, v := range gnetwork.PageRankSparse(gonumGraph{n}, 0.85, tol) {
		out[id] = v
	}
	return out
}
