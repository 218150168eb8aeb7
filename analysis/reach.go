package analysis

import (
	"math"
	"math/bits"
	"runtime"
	"sync"
)

// reachBudget is the most work (organizations stamped, counted per event
// within reach) the exact two-step reach may take; past it, reach is
// estimated with HyperLogLog sketches.
const reachBudget = 3e8

// sketchBits is log2 of the registers of a reach sketch: 1,024 registers,
// a relative standard error of 1.04/sqrt(1024) = 3.25%.
const sketchBits = 10

// ReachError is the relative standard error of an estimated reach.
var ReachError = 1.04 / math.Sqrt(1<<sketchBits)

// reachOf counts every node's two-step reach: exactly (reach) when the
// count fits reachBudget, else estimated (reachSketched); exact says which.
func reachOf(n *Network) (out []int, exact bool) {
	if len(n.Events) == 0 || reachCost(n) <= reachBudget {
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

// reachCost bounds the work of the exact reach: per organization, the
// participants of the events near each of its events.
func reachCost(n *Network) float64 {
	members, near := eventMembers(n)
	cost := 0.0
	for e := range near {
		w := 0
		for _, f := range near[e] {
			w += len(members[f])
		}
		cost += float64(len(members[e])) * float64(w)
	}
	return cost
}

// reachSketched estimates every node's two-step reach with HyperLogLog
// (Flajolet et al. 2007): a sketch of the participants of every event, the
// union of the sketches of the events near each event, and per
// organization the union over its events, counted. It costs the pairs of
// events sharing a participant times the registers.
func reachSketched(n *Network) []int {
	const m = 1 << sketchBits
	members, near := eventMembers(n)
	part := make([]uint8, len(n.Events)*m) // per event, its participants
	for e, ms := range members {
		reg := part[e*m : (e+1)*m]
		for _, i := range ms {
			h := mix(uint64(i))
			k, r := h>>(64-sketchBits), uint8(bits.LeadingZeros64(h<<sketchBits|1<<(sketchBits-1))+1)
			reg[k] = max(reg[k], r)
		}
	}
	within := make([]uint8, len(n.Events)*m) // per event, the participants of the events near it
	parallel(len(n.Events), func(e int) {
		reg := within[e*m : (e+1)*m]
		for _, f := range near[e] {
			for k, r := range part[f*m : (f+1)*m] {
				reg[k] = max(reg[k], r)
			}
		}
	})
	out := make([]int, n.N())
	parallel(n.N(), func(i int) {
		if len(n.OrgEvents[i]) == 0 {
			return
		}
		var reg [m]uint8
		for _, e := range n.OrgEvents[i] {
			for k, r := range within[int(e)*m : (int(e)+1)*m] {
				reg[k] = max(reg[k], r)
			}
		}
		out[i] = max(0, int(math.Round(estimate(reg[:])))-1) // not itself
	})
	return out
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
