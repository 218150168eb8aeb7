package analysis

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// pathMetrics are the shortest-path metrics of every node, by hops.
type pathMetrics struct {
	betweenness, closeness, harmonic []float64
	exact                            bool
	errorBound                       float64 // at confidence, when not exact
}

// Confidence is the probability with which a sampled value is within the
// stated error bound.
const Confidence = 0.9

// smallPart is the size up to which a part (connected component) of the
// network is always computed from every source.
const smallPart = 64

// components returns the part of every node and the nodes of each part.
func components(n *Network) (comp []int32, parts [][]int32) {
	comp = make([]int32, n.N())
	for i := range comp {
		comp[i] = -1
	}
	for i := range comp {
		if comp[i] >= 0 {
			continue
		}
		c := int32(len(parts))
		part := []int32{int32(i)}
		comp[i] = c
		for k := 0; k < len(part); k++ {
			adj, _ := n.Partners(int(part[k]))
			for _, j := range adj {
				if comp[j] < 0 {
					comp[j] = c
					part = append(part, j)
				}
			}
		}
		parts = append(parts, part)
	}
	return comp, parts
}

// brandes is the workspace of one Brandes pass (breadth first, since ties
// are unweighted), reused across sources.
type brandes struct {
	dist         []int32
	sigma, delta []float64
	order        []int32
	// Sums over the sources of this worker.
	betw, dsum, hsum []float64
}

func newBrandes(size int) *brandes {
	b := &brandes{dist: make([]int32, size), sigma: make([]float64, size), delta: make([]float64, size),
		betw: make([]float64, size), dsum: make([]float64, size), hsum: make([]float64, size)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// from runs one pass from source s, adding scale times its dependencies,
// distances and inverse distances to the sums.
func (b *brandes) from(n *Network, s int32, scale float64) {
	b.order = append(b.order[:0], s)
	b.dist[s], b.sigma[s] = 0, 1
	for k := 0; k < len(b.order); k++ {
		v := b.order[k]
		adj, _ := n.Partners(int(v))
		for _, w := range adj {
			if b.dist[w] < 0 {
				b.dist[w] = b.dist[v] + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == b.dist[v]+1 {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	for k := len(b.order) - 1; k > 0; k-- {
		w := b.order[k]
		adj, _ := n.Partners(int(w))
		coef := (1 + b.delta[w]) / b.sigma[w]
		for _, v := range adj {
			if b.dist[v] == b.dist[w]-1 {
				b.delta[v] += b.sigma[v] * coef
			}
		}
		d := float64(b.dist[w])
		b.betw[w] += scale * b.delta[w]
		b.dsum[w] += scale * d
		b.hsum[w] += scale / d
	}
	for _, v := range b.order {
		b.dist[v], b.sigma[v], b.delta[v] = -1, 0, 0
	}
}

// job is one source and the weight of its pass.
type job struct {
	s     int32
	scale float64
}

// shortestPaths computes betweenness, closeness and harmonic centrality by
// Brandes passes. When every source fits the budget (passes times the
// network's nodes and ties) they are exact; else each part larger than
// smallPart gets a seeded sample of sources in proportion to its size
// (Brandes & Pich 2007, uniform pivots) and every sum is scaled by the
// part's size over its sample. Hoeffding's inequality with a union bound
// over the part's nodes bounds the error of the normalized betweenness
// and of harmonic/(part size): with k sources from a part of r nodes,
// sqrt(ln(2r/δ)/(2k)) with probability 1−δ (δ = 1−Confidence).
func shortestPaths(n *Network, budget float64, seed uint64) pathMetrics {
	size := n.N()
	_, parts := components(n)
	work := float64(size + len(n.Adj))
	var jobs []job
	pm := pathMetrics{exact: true}
	if float64(size)*work <= budget {
		for i := range size {
			jobs = append(jobs, job{int32(i), 1})
		}
	} else {
		pm.exact = false
		var large int
		for _, p := range parts {
			if len(p) > smallPart {
				large += len(p)
			}
		}
		k := math.Max(budget/work, 1)
		rng := rand.New(rand.NewPCG(seed, 0x7468726976656772))
		for _, p := range parts {
			r := len(p)
			if r <= smallPart {
				for _, s := range p {
					jobs = append(jobs, job{s, 1})
				}
				continue
			}
			kp := min(r, max(smallPart, int(math.Ceil(k*float64(r)/float64(large)))))
			if kp == r {
				for _, s := range p {
					jobs = append(jobs, job{s, 1})
				}
				continue
			}
			// A sample without replacement: a partial Fisher–Yates shuffle of
			// a copy of the part.
			sample := append([]int32(nil), p...)
			for i := range kp {
				j := i + rng.IntN(r-i)
				sample[i], sample[j] = sample[j], sample[i]
			}
			scale := float64(r) / float64(kp)
			for _, s := range sample[:kp] {
				jobs = append(jobs, job{s, scale})
			}
			bound := math.Sqrt(math.Log(2*float64(r)/(1-Confidence)) / (2 * float64(kp)))
			pm.errorBound = math.Max(pm.errorBound, bound)
		}
	}
	if pm.errorBound == 0 { // every part got all its sources: exact after all
		pm.exact = true
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(jobs)/16))
	ws := make([]*brandes, workers)
	var wg sync.WaitGroup
	for w := range workers {
		ws[w] = newBrandes(size)
		wg.Add(1)
		go func(b *brandes, w int) {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				b.from(n, jobs[i].s, jobs[i].scale)
			}
		}(ws[w], w)
	}
	wg.Wait()
	betw, dsum, hsum := ws[0].betw, ws[0].dsum, ws[0].hsum
	for _, b := range ws[1:] {
		for i := range size {
			betw[i] += b.betw[i]
			dsum[i] += b.dsum[i]
			hsum[i] += b.hsum[i]
		}
	}
	// NetworkX's normalizations: betweenness over (n−1)(n−2) ordered pairs
	// (each pair is counted from both ends); closeness (r−1)/Σd scaled by
	// (r−1)/(n−1), r the nodes of the part (Wasserman–Faust).
	comp, _ := components(n)
	pm.closeness = make([]float64, size)
	norm := 0.0
	if size > 2 {
		norm = 1 / float64((size-1)*(size-2))
	}
	for i := range size {
		betw[i] *= norm
		r := float64(len(parts[comp[i]]))
		if dsum[i] > 0 && size > 1 {
			pm.closeness[i] = (r - 1) / dsum[i] * (r - 1) / float64(size-1)
		}
	}
	pm.betweenness, pm.harmonic = betw, hsum
	return pm
}

// reach counts, for every node, the nodes within two ties of it, through
// the bipartite network rather than the ties: the organizations within two
// ties of i are the participants of the events that share a participant
// with an event of i. Walking ties would cost the sum over organizations of
// their degree squared (153 s at 100k generated organizations, whose hub
// events tie thousands); this costs, per organization, the events within
// its reach and their participants (each organization once per event it
// took part in), and organizations with the same events share one count.
func reach(n *Network) []int {
	if len(n.Events) == 0 { // a network of ties only (FromEdges)
		return reachTies(n)
	}
	size := n.N()
	members, near := eventMembers(n)
	out := make([]int, size)
	// Organizations with the same events have the same reach: one count per
	// set of events, the first organization's.
	first := make(map[string]int, size)
	key := func(evs []int32) string {
		b := make([]byte, 4*len(evs))
		for k, e := range evs {
			b[4*k], b[4*k+1], b[4*k+2], b[4*k+3] = byte(e), byte(e>>8), byte(e>>16), byte(e>>24)
		}
		return string(b)
	}
	var todo []int
	for i, evs := range n.OrgEvents {
		if len(evs) == 0 {
			continue
		}
		k := key(evs)
		if _, ok := first[k]; !ok {
			first[k] = i
			todo = append(todo, i)
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(todo)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			evStamp := make([]int32, len(n.Events))
			orgStamp := make([]int32, size)
			for t := w; t < len(todo); t += workers {
				i := todo[t]
				mark := int32(t + 1)
				count := 0
				for _, e := range n.OrgEvents[i] {
					for _, f := range near[e] {
						if evStamp[f] == mark {
							continue
						}
						evStamp[f] = mark
						for _, j := range members[f] {
							if orgStamp[j] != mark {
								orgStamp[j] = mark
								count++
							}
						}
					}
				}
				out[i] = count - 1 // not itself
			}
		}(w)
	}
	wg.Wait()
	for i, evs := range n.OrgEvents {
		if len(evs) > 0 {
			out[i] = out[first[key(evs)]]
		}
	}
	return out
}

// reachTies counts, for every node, the nodes within two ties of it by
// walking the ties: the sum over nodes of the square of their degree.
func reachTies(n *Network) []int {
	size := n.N()
	out := make([]int, size)
	stamp := make([]int32, size)
	for i := range size {
		mark := int32(i + 1)
		stamp[i] = mark
		adj, _ := n.Partners(i)
		for _, j := range adj {
			for _, k := range append([]int32{j}, n.Adj[n.Off[j]:n.Off[j+1]]...) {
				if stamp[k] != mark {
					stamp[k] = mark
					out[i]++
				}
			}
		}
	}
	return out
}

// WholeBudget is the work (sources times nodes and ties) the whole
// network's shortest-path metrics may take before they are sampled.
const WholeBudget = 2e9
