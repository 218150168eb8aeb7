package analysis

import "slices"

// articulation is an articulation point: a node whose removal cuts its part
// of the network, with the parts it leaves.
type articulation struct {
	node      int
	parts     int // parts its removal leaves of its part of the network
	separated int // nodes cut off from the largest remaining part
}

// articulationPoints finds the articulation points of the network, in node
// order: Tarjan's depth-first search with low points, iterative (a part of
// 100k nodes would overflow no stack, but recursion that deep is slow).
// Ours: gonum has none.
func articulationPoints(n *Network) []articulation {
	size := n.N()
	disc := make([]int32, size) // 0: not visited; else discovery time + 1
	low := make([]int32, size)
	sub := make([]int32, size) // nodes in the search subtree
	next := make([]int64, size)
	parent := make([]int32, size)
	cut := make([][]int32, size) // sizes of the child subtrees it cuts off
	var out []articulation
	var clock int32
	for root := range size {
		if disc[root] != 0 {
			continue
		}
		clock++
		disc[root], low[root], sub[root], next[root], parent[root] = clock, clock, 1, n.Off[root], -1
		stack := []int32{int32(root)}
		var comp []int32
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if next[v] < n.Off[v+1] {
				w := n.Adj[next[v]]
				next[v]++
				if disc[w] == 0 {
					clock++
					disc[w], low[w], sub[w], next[w], parent[w] = clock, clock, 1, n.Off[w], v
					stack = append(stack, w)
				} else if w != parent[v] {
					low[v] = min(low[v], disc[w])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			comp = append(comp, v)
			if p := parent[v]; p >= 0 {
				low[p] = min(low[p], low[v])
				sub[p] += sub[v]
				if low[v] >= disc[p] {
					cut[p] = append(cut[p], sub[v])
				}
			}
		}
		total := int32(len(comp))
		for _, v := range comp {
			parts := cut[v]
			rest := total - 1
			for _, c := range parts {
				rest -= c
			}
			if int(v) != root && rest > 0 {
				parts = append(parts, rest)
			}
			if len(parts) < 2 {
				continue
			}
			largest := int32(0)
			for _, c := range parts {
				largest = max(largest, c)
			}
			out = append(out, articulation{node: int(v), parts: len(parts), separated: int(total - 1 - largest)})
		}
	}
	// comp lists nodes in finishing order; give them in node order.
	slices.SortFunc(out, func(a, b articulation) int { return a.node - b.node })
	return out
}
