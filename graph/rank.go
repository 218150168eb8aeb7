package graph

import "container/heap"

// ranked is an id and its score: an introduction candidate, a facet entry.
type ranked struct {
	id    string
	score int
}

// topRanked keeps the best ranked ids offered so far (higher score first,
// ties by name), the worst on top: the top k of n in O(n log k).
type topRanked struct {
	items []ranked
	c     *catalog
}

// better orders ranked ids: higher score first, then by name.
func (h *topRanked) better(a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return h.c.less(a.id, b.id)
}

func (h *topRanked) Len() int           { return len(h.items) }
func (h *topRanked) Less(i, j int) bool { return h.better(h.items[j], h.items[i]) }
func (h *topRanked) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topRanked) Push(x any)         { h.items = append(h.items, x.(ranked)) }
func (h *topRanked) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// offer keeps c when it is among the best k seen.
func (h *topRanked) offer(c ranked, k int) {
	switch {
	case len(h.items) < k:
		heap.Push(h, c)
	case h.better(c, h.items[0]):
		h.items[0] = c
		heap.Fix(h, 0)
	}
}

// full reports whether the heap holds k candidates and none of them would
// give way to c.
func (h *topRanked) full(c ranked, k int) bool {
	return len(h.items) >= k && !h.better(c, h.items[0])
}

// best empties the heap into a list, best first.
func (h *topRanked) best() []ranked {
	out := make([]ranked, len(h.items))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(ranked)
	}
	return out
}
