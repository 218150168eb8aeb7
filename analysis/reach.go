package analysis

import (
	"math"
	"math/bits"
	"runtime"
	"sync"
)

// reachShare is the share of an analysis' budget the exact two-step reach
// may take (organizations stamped, counted per event within reach); past
// it, reach is estimated with HyperLogLog sketches.
const reachShare = 0.1

// sketchBits is log2 of the registers of a reach sketch: 1,024 registers,
// a relative standard error of 1.04/sqrt(1024) = 3.25%.
const sketchBits = 10

// ReachError is the relative standard error of an estimated reach.
var ReachError = 1.04 / math.Sqrt(1<<sketchBits)

// reachOf counts every node's two-step reach: exactly (reach) when the
// count fits budget, else estimated (reachSketched); exact says which.
func reachOf(n *Network, budget float64) (out []int, exact bool) {
	if len(n.Events) == 0 || reachCost(n) <= budget {
		return reach(n), true
	}
	return reachSketched(n), false
}

// eventMembers returns the participants of every event of the network and,
// per event, the events that share a participant with it (itself too).
func eventMembers(n *Network) (members, near [][]int32) {
	members = make([][]int32, len(n.Events))
	for i, evs := range n.OrgEvents {
		for _, e := range evs {
			members[e] = append(members[e], int32(i))
		}
	}
	near = make([][]int32, len(n.Events))
	stamp := make([]int32, len(n.Events))
	for e := range near {
		mark := int32(e + 1)
		for _, i := range members[e] {
			for _, f := range n.OrgEvents[i] {
				if stamp[f] != mark {
					stamp[f] = mark
					near[e] = append(near[e], f)
				}
			}
		}
	}
	return members, near
}

// reachCost bounds the work of the exact reach, in linear time: per
// organization i, the participants of every event of every organization
// met at an event of i (reach dedupes the events, so it does less).
func reachCost(n *Network) float64 {
	size := make([]float64, len(n.Events)) // participants per event
	for _, evs := range n.OrgEvents {
		for _, e := range evs {
			size[e]++
		}
	}
	far := make([]float64, n.N()) // per organization, the participants of its events
	for j, evs := range n.OrgEvents {
		for _, e := range evs {
			far[j] += size[e]
		}
	}
	through := make([]float64, len(n.Events)) // per event, far of its participants
	for j, evs := range n.OrgEvents {
		for _, e := range evs {
			through[e] += far[j]
		}
	}
	cost := 0.0
	for e := range through {
		cost += size[e] * through[e]
	}
	return cost
}

// reachSketched estimates every node's two-step reach with HyperLogLog
// (Flajolet et al. 2007), in three unions of sketches, each over the
// participations: the participants of every event (P); per organization j,
// the union of P over its events, which is merged into every event of j,
// so that W(e) holds the organizations within one event of a participant
// of e; per organization i, the union of W over its events: the
// organizations within two ties of i (and i), counted.
func reachSketched(n *Network) []int {
	const m = 1 << sketchBits
	ev := len(n.Events)
	part := make([]uint8, ev*m)
	for i, evs := range n.OrgEvents {
		h := mix(uint64(i))
		k, r := h>>(64-sketchBits), uint8(bits.LeadingZeros64(h<<sketchBits|1<<(sketchBits-1))+1)
		for _, e := range evs {
			reg := part[int(e)*m : int(e)*m+m]
			reg[k] = max(reg[k], r)
		}
	}
	// W, one copy per worker (workers write the events of their own
	// organizations), merged after.
	workers := max(1, min(runtime.GOMAXPROCS(0), n.N()/1024))
	ws := make([][]uint8, workers)
	var wg sync.WaitGroup
	for w := range workers {
		ws[w] = make([]uint8, ev*m)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var t [m]uint8
			within := ws[w]
			for j := w; j < n.N(); j += workers {
				evs := n.OrgEvents[j]
				if len(evs) == 0 {
					continue
				}
				t = [m]uint8{}
				for _, e := range evs {
					union(t[:], part[int(e)*m:int(e)*m+m])
				}
				for _, e := range evs {
					union(within[int(e)*m:int(e)*m+m], t[:])
				}
			}
		}(w)
	}
	wg.Wait()
	within := ws[0]
	for _, o := range ws[1:] {
		union(within, o)
	}
	out := make([]int, n.N())
	parallel(n.N(), func(i int) {
		if len(n.OrgEvents[i]) == 0 {
			return
		}
		var reg [m]uint8
		for _, e := range n.OrgEvents[i] {
			union(reg[:], within[int(e)*m:int(e)*m+m])
		}
		out[i] = max(0, int(math.Round(estimate(reg[:])))-1) // not itself
	})
	return out
}

// union makes dst the union of the sketches dst and src (register-wise
// maximum).
func union(dst, src []uint8) {
	src = src[:len(dst)]
	for k, r := range src {
		if r > dst[k] {
			dst[k] = r
		}
	}
}

// estimate is the HyperLogLog estimate of a sketch, with the small-range
// correction (linear counting); 64-bit hashes need no large-range one.
func estimate(reg []uint8) float64 {
	m := float64(len(reg))
	sum, zeros := 0.0, 0
	for _, r := range reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return e
}

// mix is splitmix64's finalizer: a node index hashed for a sketch.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// parallel calls fn for every index below size on every core.
func parallel(size int, fn func(int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), size/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < size; i += workers {
				fn(i)
			}
		}(w)
	}
	wg.Wait()
}
