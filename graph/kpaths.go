package graph

import (
	"context"
	"sort"
	"strings"
)

// Bounds of Paths.
const (
	DefaultPaths = 3
	MaxPaths     = 10
)

// PathQuery asks for the First shortest simple paths of at most MaxHops
// relations, walking only Relations (none: every relation).
type PathQuery struct {
	MaxHops   int
	First     int
	Relations []Relation
}

// hop is one relation of a walk: the node it leaves and the edge it takes.
type hop struct {
	from string
	e    edge
}

// walker walks the graph for one request: it reads the relations of each
// node once and keeps, per neighbour, the first relation in the order of
// neighbours (relation name, then id, then source). Paths are therefore
// sequences of nodes; between two nodes a path names that first relation.
// Callers hold s.mu for the walker's lifetime.
type walker struct {
	ctx     context.Context
	s       *CayleyStore
	allow   map[Relation]bool // nil: every relation
	adj     map[string][]edge
	sources sourceCache
}

func (s *CayleyStore) newWalker(ctx context.Context, allow map[Relation]bool) *walker {
	return &walker{ctx: ctx, s: s, allow: allow, adj: map[string][]edge{}, sources: sourceCache{}}
}

// next returns the allowed edges of n, one per neighbour.
func (w *walker) next(n string) ([]edge, error) {
	if es, ok := w.adj[n]; ok {
		return es, nil
	}
	all, err := w.s.neighbours(w.ctx, n)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var es []edge
	for _, e := range all {
		if (w.allow != nil && !w.allow[e.rel]) || seen[e.other] {
			continue
		}
		seen[e.other] = true
		es = append(es, e)
	}
	w.adj[n] = es
	return es, nil
}

// shortest finds a shortest walk from one node to another of at most
// maxHops relations, avoiding the banned nodes and the banned relations
// (from → to pairs). It returns the hops of the walk (none when from is to)
// or nil when there is none.
//
// The search is bidirectional: a breadth-first search from each end, one
// whole level at a time, always growing the side whose frontier is smaller,
// until a level of one side reaches a node the other side has seen (or the
// two radii add up to maxHops). It reads the relations of the nodes of the
// two balls it grows, not of everything within the distance of from.
//
// Among the shortest walks it returns the first by the order of neighbours
// (relation name, then id) at each step from `from` — the walk a plain
// breadth-first search from `from` finds (the first node to reach a node is
// its parent) — so the answer does not depend on which side grew when:
// each step takes the first neighbour that still lies on a shortest walk.
func (w *walker) shortest(from, to string, maxHops int, bannedNodes map[string]bool, bannedEdges map[[2]string]bool) ([]hop, error) {
	if from == to {
		return []hop{}, nil
	}
	// usable reports whether the walk may go from a to b.
	usable := func(a, b string) bool { return !bannedNodes[b] && !bannedEdges[[2]string{a, b}] }
	df := map[string]int{from: 0} // distance from `from`, within the forward ball
	dt := map[string]int{to: 0}   // distance to `to`, within the backward ball
	fFront, tFront := []string{from}, []string{to}
	rf, rt := 0, 0 // radii of the two balls
	length := -1
	for rf+rt < maxHops && len(fFront) > 0 && len(tFront) > 0 {
		forward := len(fFront) <= len(tFront)
		front, mine, theirs, r := tFront, dt, df, rt
		if forward {
			front, mine, theirs, r = fFront, df, dt, rf
		}
		var next []string
		met := false
		for _, n := range front {
			if err := w.ctx.Err(); err != nil {
				return nil, err
			}
			es, err := w.next(n)
			if err != nil {
				return nil, err
			}
			for _, e := range es {
				o := e.other
				if _, seen := mine[o]; seen {
					continue
				}
				// Forward, the walk goes n → o; backward, o → n.
				if forward && !usable(n, o) || !forward && (bannedNodes[o] || bannedEdges[[2]string{o, n}]) {
					continue
				}
				mine[o] = r + 1
				next = append(next, o)
				if _, ok := theirs[o]; ok {
					met = true
				}
			}
		}
		if forward {
			fFront, rf = next, rf+1
		} else {
			tFront, rt = next, rt+1
		}
		if met {
			// Every node both balls hold lies on a shortest walk of
			// length rf+rt: the balls are whole up to their radii.
			length = rf + rt
			break
		}
	}
	if length < 0 {
		return nil, nil
	}
	// onPath reports whether n, at distance d from `from` (d ≤ rf), lies on
	// a shortest walk: at d = rf it is in the backward ball, nearer it has
	// a usable neighbour one level further out that does.
	memo := map[string]bool{}
	var onPath func(n string, d int) (bool, error)
	onPath = func(n string, d int) (bool, error) {
		if d == rf {
			k, ok := dt[n]
			return ok && k == length-d, nil
		}
		if v, ok := memo[n]; ok {
			return v, nil
		}
		es, err := w.next(n)
		if err != nil {
			return false, err
		}
		v := false
		for _, e := range es {
			if k, ok := df[e.other]; !ok || k != d+1 || !usable(n, e.other) {
				continue
			}
			if v, err = onPath(e.other, d+1); err != nil {
				return false, err
			}
			if v {
				break
			}
		}
		memo[n] = v
		return v, nil
	}
	hops := make([]hop, 0, length)
	for n, d := from, 0; d < length; d++ {
		es, err := w.next(n)
		if err != nil {
			return nil, err
		}
		var step *edge
		for i, e := range es {
			o := e.other
			if !usable(n, o) {
				continue
			}
			ok := false
			if d+1 <= rf {
				if k, in := df[o]; in && k == d+1 {
					if ok, err = onPath(o, d+1); err != nil {
						return nil, err
					}
				}
			} else {
				k, in := dt[o]
				ok = in && k == length-d-1
			}
			if ok {
				step = &es[i]
				break
			}
		}
		if step == nil { // cannot happen: n lies on a shortest walk
			return nil, nil
		}
		hops = append(hops, hop{from: n, e: *step})
		n = step.other
	}
	return hops, nil
}

// nodesOf lists the nodes of a walk from start.
func nodesOf(start string, hops []hop) []string {
	ids := []string{start}
	for _, h := range hops {
		ids = append(ids, h.e.other)
	}
	return ids
}

// path loads a walk as a Path with its nodes and sources.
func (w *walker) path(start string, hops []hop) (*Path, error) {
	ids := nodesOf(start, hops)
	p := &Path{Length: len(hops)}
	for i, id := range ids {
		n, err := w.s.node(w.ctx, id)
		if err != nil {
			return nil, err
		}
		step := PathStep{Node: n}
		if i < len(hops) {
			e := hops[i].e
			step.Relation = e.rel.Name(e.forward)
			if step.Source, err = w.sources.get(w.ctx, w.s, e.source); err != nil {
				return nil, err
			}
		}
		p.Steps = append(p.Steps, step)
	}
	return p, nil
}

// checkPathEnds validates maxHops and the two ends of a path question.
// Callers hold s.mu.
func (s *CayleyStore) checkPathEnds(op, from, to string, maxHops int) error {
	if maxHops < 0 {
		return Errorf(CodeInvalid, op, "maxHops must not be negative")
	}
	if maxHops > MaxPathHops {
		return Errorf(CodeLimit, op, "maxHops must be at most %d", MaxPathHops)
	}
	for _, id := range []string{from, to} {
		if s.cat.get(id) == nil {
			return Errorf(CodeNotFound, op, "no node with id %q", id)
		}
	}
	return nil
}

// Paths finds the q.First shortest simple paths (no node twice) from one
// node to another, each at most q.MaxHops relations long, over q.Relations
// in both directions (Yen's algorithm over bidirectional breadth-first
// searches, walker.shortest). The first is the path Path returns; the
// others follow by length (among paths of one length, in the fixed order
// Yen's algorithm finds them: of the candidates known at each step, by the
// ids of their nodes). Two paths differ in their nodes: between two nodes a
// path takes the first relation by name. The cost grows with First, the
// length of the paths and the nodes within about half that length of
// either end, not with the whole graph.
func (s *CayleyStore) Paths(ctx context.Context, from, to string, q PathQuery) ([]*Path, error) {
	const op = "paths"
	if q.First < 0 {
		return nil, Errorf(CodeInvalid, op, "first must not be negative")
	}
	if q.First > MaxPaths {
		return nil, Errorf(CodeLimit, op, "first must be at most %d", MaxPaths)
	}
	allow, err := relationFilter(op, q.Relations)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.checkPathEnds(op, from, to, q.MaxHops); err != nil {
		return nil, err
	}
	w := s.newWalker(ctx, allow)
	walks, err := w.kShortest(from, to, q.MaxHops, q.First)
	if err != nil {
		return nil, Internal(op, err)
	}
	out := make([]*Path, 0, len(walks))
	for _, hops := range walks {
		p, err := w.path(from, hops)
		if err != nil {
			return nil, Internal(op, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// kShortest is Yen's algorithm: each next path leaves a previous one at a
// spur node, with the relations the earlier paths took from there banned
// and the nodes before the spur avoided.
func (w *walker) kShortest(from, to string, maxHops, k int) ([][]hop, error) {
	if k == 0 {
		return [][]hop{}, nil
	}
	first, err := w.shortest(from, to, maxHops, nil, nil)
	if err != nil || first == nil {
		return [][]hop{}, err
	}
	if from == to {
		return [][]hop{first}, nil
	}
	type candidate struct {
		hops []hop
		key  string
	}
	keyOf := func(hops []hop) string { return strings.Join(nodesOf(from, hops), "\x00") }
	found := [][]hop{first}
	seen := map[string]bool{keyOf(first): true}
	var cands []candidate
	for len(found) < k {
		last := found[len(found)-1]
		lastNodes := nodesOf(from, last)
		for i := 0; i < len(last); i++ {
			spur, root := lastNodes[i], lastNodes[:i+1]
			bannedEdges := map[[2]string]bool{}
			for _, p := range found {
				nodes := nodesOf(from, p)
				if len(nodes) > i+1 && equalIDs(nodes[:i+1], root) {
					bannedEdges[[2]string{spur, nodes[i+1]}] = true
				}
			}
			bannedNodes := toSet(root[:i])
			tail, err := w.shortest(spur, to, maxHops-i, bannedNodes, bannedEdges)
			if err != nil {
				return nil, err
			}
			if tail == nil {
				continue
			}
			hops := append(append([]hop{}, last[:i]...), tail...)
			if key := keyOf(hops); !seen[key] {
				seen[key] = true
				cands = append(cands, candidate{hops, key})
			}
		}
		if len(cands) == 0 {
			break
		}
		sort.Slice(cands, func(i, j int) bool {
			if len(cands[i].hops) != len(cands[j].hops) {
				return len(cands[i].hops) < len(cands[j].hops)
			}
			return cands[i].key < cands[j].key
		})
		found = append(found, cands[0].hops)
		cands = cands[1:]
	}
	return found, nil
}

func equalIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
