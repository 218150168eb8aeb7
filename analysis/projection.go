package analysis

import (
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Network is the organization network of a set of organizations: node i is
// Orgs[i] (by name); two are tied when they took part in a same event (any
// role), weighted by the number of such events. The ties are held as
// compressed rows: the partners of i are Adj[Off[i]:Off[i+1]], in node
// order, with their weights in W. Events are the events of the set's
// organizations (the bipartite organization–event network): OrgEvents[i]
// are the events of node i, indexes into Events.
type Network struct {
	S         *view.Snapshot
	Orgs      []view.Ref
	Off       []int64
	Adj       []int32
	W         []int32
	Events    []view.Ref
	OrgEvents [][]int32
	index     map[view.Ref]int32
}

// N returns the number of organizations.
func (n *Network) N() int { return len(n.Orgs) }

// Ties returns the number of ties (each counted once).
func (n *Network) Ties() int { return len(n.Adj) / 2 }

// Partners returns the partners of node i, in node order, and their weights.
func (n *Network) Partners(i int) ([]int32, []int32) {
	return n.Adj[n.Off[i]:n.Off[i+1]], n.W[n.Off[i]:n.Off[i+1]]
}

// Index returns the node of an organization.
func (n *Network) Index(r view.Ref) (int, bool) {
	i, ok := n.index[r]
	return int(i), ok
}

// Weight returns the weight of the tie between nodes i and j, 0 when none.
func (n *Network) Weight(i, j int) int {
	adj, w := n.Partners(i)
	if k, ok := slices.BinarySearch(adj, int32(j)); ok {
		return int(w[k])
	}
	return 0
}

// Project builds the organization network of orgs (organizations of s,
// by name): only events that two organizations of the set took part in tie
// them. It costs the participations of the set's organizations and, per
// event, the square of its participants in the set.
func Project(s *view.Snapshot, orgs []view.Ref) *Network {
	n := &Network{S: s, Orgs: orgs, index: make(map[view.Ref]int32, len(orgs)), OrgEvents: make([][]int32, len(orgs))}
	for i, o := range orgs {
		n.index[o] = int32(i)
	}
	evIndex := map[view.Ref]int32{}
	var members [][]int32 // per event, the nodes that took part, in node order
	for i, o := range orgs {
		var evs []int32
		for _, rel := range view.ParticipationRels {
			for _, e := range s.LinkRefs(o, rel, true) {
				if rec := s.Record(e.Other); rec == nil || rec.Type != graph.TypeEvent {
					continue
				}
				k, ok := evIndex[e.Other]
				if !ok {
					k = int32(len(n.Events))
					evIndex[e.Other] = k
					n.Events = append(n.Events, e.Other)
					members = append(members, nil)
				}
				evs = append(evs, k)
			}
		}
		slices.Sort(evs)
		evs = slices.Compact(evs)
		n.OrgEvents[i] = evs
		for _, k := range evs {
			members[k] = append(members[k], int32(i))
		}
	}
	// The rows hold at most one entry per ordered pair of members of an
	// event (exactly that many when no two organizations share two
	// events): allocated once, not grown by copying.
	var bound int
	for _, m := range members {
		bound += len(m) * (len(m) - 1)
	}
	n.Adj, n.W = make([]int32, 0, bound), make([]int32, 0, bound)
	// One row per node: the weights gathered in acc, the partners met in
	// touched.
	acc := make([]int32, len(orgs))
	var touched []int32
	n.Off = make([]int64, len(orgs)+1)
	for i := range orgs {
		touched = touched[:0]
		for _, k := range n.OrgEvents[i] {
			for _, j := range members[k] {
				if int(j) == i {
					continue
				}
				if acc[j] == 0 {
					touched = append(touched, j)
				}
				acc[j]++
			}
		}
		slices.Sort(touched)
		for _, j := range touched {
			n.Adj = append(n.Adj, j)
			n.W = append(n.W, acc[j])
			acc[j] = 0
		}
		n.Off[i+1] = int64(len(n.Adj))
	}
	if len(n.Adj) < bound*4/5 { // many shared events per tie: give the room back
		n.Adj, n.W = slices.Clip(slices.Clone(n.Adj)), slices.Clip(slices.Clone(n.W))
	}
	return n
}

// FromEdges builds a network of n nodes from ties (i, j, weight), for
// textbook graphs in tests and benchmarks; its nodes have no snapshot refs
// and no events. A tie given twice adds up its weights; self ties are
// dropped.
func FromEdges(size int, edges [][3]int) *Network {
	n := &Network{Orgs: make([]view.Ref, size), Off: make([]int64, size+1), OrgEvents: make([][]int32, size), index: map[view.Ref]int32{}}
	rows := make([]map[int32]int32, size)
	for _, e := range edges {
		i, j, w := e[0], e[1], e[2]
		if i == j || i < 0 || j < 0 || i >= size || j >= size {
			continue
		}
		for _, p := range [2][2]int{{i, j}, {j, i}} {
			if rows[p[0]] == nil {
				rows[p[0]] = map[int32]int32{}
			}
			rows[p[0]][int32(p[1])] += int32(w)
		}
	}
	for i := range size {
		keys := make([]int32, 0, len(rows[i]))
		for k := range rows[i] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			n.Adj = append(n.Adj, k)
			n.W = append(n.W, rows[i][k])
		}
		n.Off[i+1] = int64(len(n.Adj))
	}
	return n
}
