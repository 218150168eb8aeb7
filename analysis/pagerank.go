package analysis

import (
	"math"
	"runtime"
	"sync"
)

// pageRank is PageRank over the ties, weighted by shared events (damping
// 0.85; an organization without ties spreads its rank evenly, as NetworkX's
// pagerank does), by node: power iteration from the uniform vector until
// the ranks move by less than tol in total (L1). Ours, over the compressed
// rows and on every core: gonum's PageRankSparse took 12.4 s on 100,000
// generated organizations (7 million ties: it copies the graph through its
// interface, a weight looked up per pair) and starts from a vector drawn
// from the global random source, so that its ranks differed from run to
// run within its tolerance.
func pageRank(n *Network, tol float64) []float64 {
	const damp = 0.85
	size := n.N()
	x := make([]float64, size)
	if size == 0 {
		return x
	}
	strength := make([]float64, size)
	for i := range size {
		_, w := n.Partners(i)
		for _, v := range w {
			strength[i] += float64(v)
		}
	}
	for i := range x {
		x[i] = 1 / float64(size)
	}
	next := make([]float64, size)
	share := make([]float64, size) // x[i] / strength[i]
	workers := max(1, min(runtime.GOMAXPROCS(0), size/4096))
	for iter := 0; iter < 1000; iter++ {
		dangling := 0.0
		for i := range size {
			if strength[i] == 0 {
				dangling += x[i]
				share[i] = 0
			} else {
				share[i] = x[i] / strength[i]
			}
		}
		base := (damp*dangling + 1 - damp) / float64(size)
		// Pull: the ties are symmetric, so node j gathers from its own row.
		var wg sync.WaitGroup
		diffs := make([]float64, workers)
		chunk := (size + workers - 1) / workers
		for w := range workers {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				d := 0.0
				for j := w * chunk; j < min(size, (w+1)*chunk); j++ {
					adj, wt := n.Partners(j)
					s := 0.0
					for k, i := range adj {
						s += share[i] * float64(wt[k])
					}
					next[j] = base + damp*s
					d += math.Abs(next[j] - x[j])
				}
				diffs[w] = d
			}(w)
		}
		wg.Wait()
		x, next = next, x
		diff := 0.0
		for _, d := range diffs {
			diff += d
		}
		if diff < tol {
			break
		}
	}
	return x
}
