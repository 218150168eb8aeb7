package network

import (
	"cmp"
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// nbr is one relation quad of a node, seen from it: the relation, whether
// the node is its subject, the node at the other end and the source.
type nbr struct {
	rel     graph.Relation
	forward bool
	other   view.Ref
	src     view.Ref
	dir     uint8 // the index of (rel, forward) in dirRels
}

// dirRel is a relation walked in one direction.
type dirRel struct {
	rel     graph.Relation
	forward bool
}

// dirRels are the relations in both directions, by the name they are
// walked under (theme, then themeOf…).
var dirRels = func() []dirRel {
	var out []dirRel
	for _, r := range graph.Relations {
		out = append(out, dirRel{r, true}, dirRel{r, false})
	}
	slices.SortFunc(out, func(a, b dirRel) int { return strings.Compare(a.rel.Name(a.forward), b.rel.Name(b.forward)) })
	return out
}()

// edgesOf returns the edges of r over dirRels[k] with an entity at the
// other end that keep (nil: any) keeps, one per neighbour with its first
// source by id, in ref order (the order LinkRefs gives; not by id).
func edgesOf(s *view.Snapshot, r view.Ref, k int, keep func(view.Ref) bool) []nbr {
	dr := dirRels[k]
	links := s.LinkRefs(r, dr.rel, dr.forward) // in ref order: the quads of one neighbour are together
	var out []nbr
	for i := 0; i < len(links); {
		e := links[i]
		src := e.Src
		for i++; i < len(links) && links[i].Other == e.Other; i++ {
			if s.SourceID(links[i].Src) < s.SourceID(src) {
				src = links[i].Src
			}
		}
		if (keep == nil || keep(e.Other)) && s.Record(e.Other).Type != "" { // keep before the record: its lookups cost less
			out = append(out, nbr{rel: dr.rel, forward: dr.forward, other: e.Other, src: src, dir: uint8(k)})
		}
	}
	return out
}

// byNeighbourID orders edges of one relation by the other node's id.
func byNeighbourID(s *view.Snapshot) func(a, b nbr) int {
	return func(a, b nbr) int { return strings.Compare(s.Record(a.other).Key, s.Record(b.other).Key) }
}

// hop is one relation of a walk: the node it leaves and the edge it takes.
type hop struct {
	from view.Ref
	e    nbr
}

// walker walks the snapshot for one request over the allowed relations,
// reading each node's relation quads as it needs them (no copy of a hub's
// edges). Between two nodes a path names their first relation in the order
// of neighbours (relation name, then id, then source): paths are
// sequences of nodes.
type walker struct {
	s     *view.Snapshot
	allow map[graph.Relation]bool // nil: every relation
	hub   int                     // a node with more relation quads is a hub (hubsLast)
}

// hubQuads is the walker's hub bound: a hub's quads are many times an
// ordinary node's.
const hubQuads = 256

func newWalker(s *view.Snapshot, allow map[graph.Relation]bool) *walker {
	return &walker{s: s, allow: allow, hub: hubQuads}
}

// each calls fn with the node at the other end of every allowed relation
// quad of n that has an entity there (a neighbour twice when two quads tie
// them), until fn returns false.
func (w *walker) each(n view.Ref, fn func(o view.Ref) bool) {
	w.eachOther(n, func(o view.Ref) bool { return w.s.Record(o).Type == "" || fn(o) })
}

// eachOther is each without the look at the other end's record: fn sees
// every node at the other end, entity or not (for a caller that only looks
// the node up among entities it holds).
func (w *walker) eachOther(n view.Ref, fn func(o view.Ref) bool) {
	for _, dr := range dirRels {
		if w.allow != nil && !w.allow[dr.rel] {
			continue
		}
		for _, e := range w.s.LinkRefs(n, dr.rel, dr.forward) {
			if !fn(e.Other) {
				return
			}
		}
	}
}

// cost is what growing a ball by the nodes of front reads: their relation
// quads (all of them; the allowed ones are fewer).
func (w *walker) cost(front []view.Ref) int {
	c := 0
	for _, n := range front {
		c += w.quads(n)
	}
	return c
}

// quads is the number of relation quads of n, in both directions.
func (w *walker) quads(n view.Ref) int {
	rec := w.s.Record(n)
	return len(rec.Out) + len(rec.In)
}

// hubsLast puts the nodes of front with many relation quads after the
// others, keeping the order within each part: a level that meets the other
// ball most often meets it through a small node, and once it has, the rest
// of the level is only looked up (walker.shortest).
func (w *walker) hubsLast(front []view.Ref) []view.Ref {
	small := make([]view.Ref, 0, len(front))
	var big []view.Ref
	for _, n := range front {
		if w.quads(n) > w.hub {
			big = append(big, n)
		} else {
			small = append(small, n)
		}
	}
	return append(small, big...)
}

// edges returns the allowed edges of n to the neighbours keep keeps (nil:
// every one), one per neighbour (its first relation and source), in the
// order of neighbours: only those are sorted, not all of a hub's.
func (w *walker) edges(n view.Ref, keep func(view.Ref) bool) []nbr {
	var es []nbr
	var seen map[view.Ref]bool
	for k, dr := range dirRels {
		if w.allow != nil && !w.allow[dr.rel] {
			continue
		}
		for _, e := range edgesOf(w.s, n, k, keep) {
			if seen == nil {
				seen = map[view.Ref]bool{}
			}
			if !seen[e.other] {
				seen[e.other] = true
				es = append(es, e)
			}
		}
	}
	byID := byNeighbourID(w.s)
	slices.SortFunc(es, func(a, b nbr) int { return cmp.Or(cmp.Compare(a.dir, b.dir), byID(a, b)) })
	return es
}

// shortest finds a shortest walk from one node to another of at most
// maxHops relations, avoiding the banned nodes and the banned relations
// (from → to pairs). It returns the hops of the walk (none when from is to)
// or nil when there is none.
//
// The search is bidirectional: a breadth-first search from each end, one
// whole level at a time, always growing the side whose frontier has fewer
// relation quads to read, until a level of one side reaches a node the
// other side has seen (or the two radii add up to maxHops). It reads the
// relations of the nodes of the two balls it grows, not of everything
// within the distance of from; of the last level, once it has met the
// other ball, it only looks the rest up in that ball and keeps nothing else.
//
// Among the shortest walks it returns the first by the order of neighbours
// (relation name, then id) at each step from `from` — the walk a plain
// breadth-first search from `from` finds (the first node to reach a node is
// its parent) — so the answer does not depend on which side grew when:
// each step takes the first neighbour that still lies on a shortest walk.
func (w *walker) shortest(from, to view.Ref, maxHops int, bannedNodes map[view.Ref]bool, bannedEdges map[[2]view.Ref]bool) []hop {
	if from == to {
		return []hop{}
	}
	// usable reports whether the walk may go from a to b.
	usable := func(a, b view.Ref) bool { return !bannedNodes[b] && !bannedEdges[[2]view.Ref{a, b}] }
	// walkable reports whether a ball may grow from n to o: forward, the
	// walk goes n → o; backward, o → n.
	walkable := func(forward bool, n, o view.Ref) bool {
		if forward {
			return usable(n, o)
		}
		return !bannedNodes[o] && !bannedEdges[[2]view.Ref{o, n}]
	}
	df := map[view.Ref]int{from: 0} // distance from `from`, within the forward ball
	dt := map[view.Ref]int{to: 0}   // distance to `to`, within the backward ball
	fFront, tFront := []view.Ref{from}, []view.Ref{to}
	rf, rt := 0, 0 // radii of the two balls
	length := -1
	for rf+rt < maxHops && len(fFront) > 0 && len(tFront) > 0 {
		forward := w.cost(fFront) <= w.cost(tFront)
		front, mine, theirs, r := tFront, dt, df, rt
		if forward {
			front, mine, theirs, r = fFront, df, dt, rf
		}
		var next []view.Ref
		met := false
		for _, n := range w.hubsLast(front) {
			if met {
				// This level is the last: of the rest of it, only the
				// nodes the other ball holds (entities all) matter.
				w.eachOther(n, func(o view.Ref) bool {
					if _, ok := theirs[o]; !ok {
						return true
					}
					if _, seen := mine[o]; seen {
						return true
					}
					if !walkable(forward, n, o) {
						return true
					}
					mine[o] = r + 1
					return true
				})
				continue
			}
			w.each(n, func(o view.Ref) bool {
				if _, seen := mine[o]; seen {
					return true
				}
				if !walkable(forward, n, o) {
					return true
				}
				mine[o] = r + 1
				next = append(next, o)
				if _, ok := theirs[o]; ok {
					met = true
				}
				return true
			})
		}
		if forward {
			fFront, rf = next, rf+1
		} else {
			tFront, rt = next, rt+1
		}
		if met {
			// Every node both balls hold lies on a shortest walk of
			// length rf+rt: the balls are whole up to their radii, but
			// for the last level, which holds every node of the other
			// ball it reaches (and some others).
			length = rf + rt
			break
		}
	}
	if length < 0 {
		return nil
	}
	// onPath reports whether n, at distance d from `from` (d ≤ rf), lies on
	// a shortest walk: at d = rf it is in the backward ball, nearer it has
	// a usable neighbour one level further out that does.
	memo := map[view.Ref]bool{}
	var onPath func(n view.Ref, d int) bool
	onPath = func(n view.Ref, d int) bool {
		if d == rf {
			k, ok := dt[n]
			return ok && k == length-d
		}
		if v, ok := memo[n]; ok {
			return v
		}
		v := false
		w.each(n, func(o view.Ref) bool {
			if k, ok := df[o]; ok && k == d+1 && usable(n, o) && onPath(o, d+1) {
				v = true
			}
			return !v
		})
		memo[n] = v
		return v
	}
	hops := make([]hop, 0, length)
	for n, d := from, 0; d < length; d++ {
		// The neighbours one level further out, in the order of
		// neighbours.
		cands := w.edges(n, func(o view.Ref) bool {
			if !usable(n, o) {
				return false
			}
			if d+1 <= rf {
				k, ok := df[o]
				return ok && k == d+1
			}
			k, ok := dt[o]
			return ok && k == length-d-1
		})
		var step *nbr
		for i, e := range cands {
			if d+1 > rf || onPath(e.other, d+1) {
				step = &cands[i]
				break
			}
		}
		if step == nil { // cannot happen: n lies on a shortest walk
			return nil
		}
		hops = append(hops, hop{from: n, e: *step})
		n = step.other
	}
	return hops
}

// nodesOf lists the nodes of a walk from start.
func nodesOf(start view.Ref, hops []hop) []view.Ref {
	refs := []view.Ref{start}
	for _, h := range hops {
		refs = append(refs, h.e.other)
	}
	return refs
}

// path makes a walk a Path with its nodes and sources.
func (w *walker) path(start view.Ref, hops []hop) *graph.Path {
	p := &graph.Path{Length: len(hops)}
	for i, r := range nodesOf(start, hops) {
		step := graph.PathStep{Node: w.s.Node(r)}
		if i < len(hops) {
			e := hops[i].e
			step.Relation = e.rel.Name(e.forward)
			step.Source = w.s.SourceOfRef(e.src)
		}
		p.Steps = append(p.Steps, step)
	}
	return p
}

// pathEnds validates maxHops and the two ends of a path question and
// returns the ends' refs.
func pathEnds(s *view.Snapshot, op, from, to string, maxHops int) (view.Ref, view.Ref, error) {
	if maxHops < 0 {
		return 0, 0, graph.Errorf(graph.CodeInvalid, op, "maxHops must not be negative")
	}
	if maxHops > graph.MaxPathHops {
		return 0, 0, graph.Errorf(graph.CodeLimit, op, "maxHops must be at most %d", graph.MaxPathHops)
	}
	var refs [2]view.Ref
	for i, id := range []string{from, to} {
		r, ok := s.EntityRef(id)
		if !ok || s.Record(r).Type == "" {
			return 0, 0, graph.Suggested(graph.CodeNotFound, op, s.Suggest(id), "no node with id %q", id)
		}
		refs[i] = r
	}
	return refs[0], refs[1], nil
}

// Path finds a shortest path from one entity to another over every relation
// in both directions, at most maxHops long, by a breadth-first search from
// both ends (walker.shortest): of the shortest paths, the first by relation
// name and then id at each step from `from`. It returns nil when there is
// none. Paths with First 1 gives the same path.
func Path(s *view.Snapshot, from, to string, maxHops int) (*graph.Path, error) {
	a, b, err := pathEnds(s, "path", from, to, maxHops)
	if err != nil {
		return nil, err
	}
	w := newWalker(s, nil)
	hops := w.shortest(a, b, maxHops, nil, nil)
	if hops == nil {
		return nil, nil
	}
	return w.path(a, hops), nil
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
func Paths(s *view.Snapshot, from, to string, q graph.PathQuery) ([]*graph.Path, error) {
	const op = "paths"
	if q.First < 0 {
		return nil, graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	}
	if q.First > graph.MaxPaths {
		return nil, graph.Errorf(graph.CodeLimit, op, "first must be at most %d", graph.MaxPaths)
	}
	allow, err := relationFilter(op, q.Relations)
	if err != nil {
		return nil, err
	}
	a, b, err := pathEnds(s, op, from, to, q.MaxHops)
	if err != nil {
		return nil, err
	}
	w := newWalker(s, allow)
	walks := w.kShortest(a, b, q.MaxHops, q.First)
	out := make([]*graph.Path, 0, len(walks))
	for _, hops := range walks {
		out = append(out, w.path(a, hops))
	}
	return out, nil
}

// kShortest is Yen's algorithm: each next path leaves a previous one at a
// spur node, with the relations the earlier paths took from there banned
// and the nodes before the spur avoided.
func (w *walker) kShortest(from, to view.Ref, maxHops, k int) [][]hop {
	if k == 0 {
		return [][]hop{}
	}
	first := w.shortest(from, to, maxHops, nil, nil)
	if first == nil {
		return [][]hop{}
	}
	if from == to {
		return [][]hop{first}
	}
	type candidate struct {
		hops []hop
		key  string
	}
	keyOf := func(hops []hop) string {
		ids := w.s.IDs(nodesOf(from, hops))
		return strings.Join(ids, "\x00")
	}
	found := [][]hop{first}
	seen := map[string]bool{keyOf(first): true}
	var cands []candidate
	for len(found) < k {
		last := found[len(found)-1]
		lastNodes := nodesOf(from, last)
		for i := range last {
			spur, root := lastNodes[i], lastNodes[:i+1]
			bannedEdges := map[[2]view.Ref]bool{}
			for _, p := range found {
				nodes := nodesOf(from, p)
				if len(nodes) > i+1 && slices.Equal(nodes[:i+1], root) {
					bannedEdges[[2]view.Ref{spur, nodes[i+1]}] = true
				}
			}
			bannedNodes := make(map[view.Ref]bool, i)
			for _, n := range root[:i] {
				bannedNodes[n] = true
			}
			tail := w.shortest(spur, to, maxHops-i, bannedNodes, bannedEdges)
			if tail == nil {
				continue
			}
			hops := append(slices.Clone(last[:i]), tail...)
			if key := keyOf(hops); !seen[key] {
				seen[key] = true
				cands = append(cands, candidate{hops, key})
			}
		}
		if len(cands) == 0 {
			break
		}
		slices.SortFunc(cands, func(a, b candidate) int {
			if len(a.hops) != len(b.hops) {
				return len(a.hops) - len(b.hops)
			}
			return strings.Compare(a.key, b.key)
		})
		found = append(found, cands[0].hops)
		cands = cands[1:]
	}
	return found
}

// relationFilter validates a list of relation names (stored or inverse
// names, such as participatedIn or hadParticipant) and returns the set of
// relations they name; nil (every relation) for an empty list.
func relationFilter(op string, rels []graph.Relation) (map[graph.Relation]bool, error) {
	if len(rels) == 0 {
		return nil, nil
	}
	set := make(map[graph.Relation]bool, len(rels))
	for _, r := range rels {
		rel, ok := graph.RelationNamed(string(r))
		if !ok {
			names := make([]string, len(graph.Relations))
			for i, k := range graph.Relations {
				names[i] = string(k)
			}
			return nil, graph.Errorf(graph.CodeInvalid, op, "unknown relation %q (known: %s, or their inverse names)", r, strings.Join(names, ", "))
		}
		set[rel] = true
	}
	return set, nil
}
