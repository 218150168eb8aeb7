package network

import (
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// commonGroundPathHops bounds the path of CommonGround (the default of path).
const commonGroundPathHops = 6

// Neighborhood walks breadth-first from id over the allowed relations in
// both directions, up to q.Depth relations away. It keeps every relation
// walked from a node nearer than q.Depth (so relations between two nodes of
// the outermost ring are not part of it). It stops, with Truncated set, as
// soon as one more node or edge would exceed q.Limit; its cost is that of
// the nodes it walks from, never of the whole graph.
func Neighborhood(s *view.Snapshot, id string, q graph.NeighborhoodQuery) (*graph.Neighborhood, error) {
	return neighborhood(s, id, q, hoodEdges)
}

// edgeChooser gives the allowed edges of n a neighbourhood walks, in the
// order of neighbours, as far as one with room for room more edges can
// take them (kept tells the edges whose key it holds already): hoodEdges.
type edgeChooser func(s *view.Snapshot, n view.Ref, allow map[graph.Relation]bool, kept func(nbr) bool, room int) []nbr

// neighborhood is Neighborhood with the edges of each node from edges.
func neighborhood(s *view.Snapshot, id string, q graph.NeighborhoodQuery, edges edgeChooser) (*graph.Neighborhood, error) {
	const op = "neighborhood"
	switch {
	case q.Depth < 0:
		return nil, graph.Errorf(graph.CodeInvalid, op, "depth must not be negative")
	case q.Depth > graph.MaxNeighborhoodDepth:
		return nil, graph.Errorf(graph.CodeLimit, op, "depth must be at most %d", graph.MaxNeighborhoodDepth)
	case q.Limit < 1:
		return nil, graph.Errorf(graph.CodeInvalid, op, "limit must be at least 1")
	case q.Limit > graph.MaxNeighborhoodLimit:
		return nil, graph.Errorf(graph.CodeLimit, op, "limit must be at most %d", graph.MaxNeighborhoodLimit)
	}
	allow, err := relationFilter(op, q.Relations)
	if err != nil {
		return nil, err
	}
	center, ok := s.EntityRef(id)
	if !ok || s.Record(center).Type == "" {
		return nil, graph.Suggested(graph.CodeNotFound, op, s.Suggest(id), "no node with id %q", id)
	}
	depth := map[view.Ref]int{center: 0}
	order := []view.Ref{center}
	sources := map[hoodKey]view.Ref{}
	var edgeOrder []hoodKey
	truncated := false
	frontier := []view.Ref{center}
walk:
	for d := 0; d < q.Depth && len(frontier) > 0; d++ {
		var next []view.Ref
		for _, n := range frontier {
			for _, e := range edges(s, n, allow, func(e nbr) bool { _, seen := sources[keyOf(n, e)]; return seen }, q.Limit-len(edgeOrder)) {
				k := keyOf(n, e)
				if src, seen := sources[k]; seen {
					if s.SourceID(e.src) < s.SourceID(src) {
						sources[k] = e.src
					}
					continue
				}
				_, known := depth[e.other]
				if (!known && len(order) >= q.Limit) || len(edgeOrder) >= q.Limit {
					truncated = true
					break walk
				}
				if !known {
					depth[e.other] = d + 1
					order = append(order, e.other)
					next = append(next, e.other)
				}
				sources[k] = e.src
				edgeOrder = append(edgeOrder, k)
			}
		}
		frontier = next
	}
	nodes := make(map[view.Ref]graph.Node, len(order))
	hood := &graph.Neighborhood{Truncated: truncated, Nodes: []graph.NeighborhoodNode{}, Edges: []graph.NetworkEdge{}}
	for _, n := range order {
		node := s.Node(n)
		nodes[n] = node
		hood.Nodes = append(hood.Nodes, graph.NeighborhoodNode{Node: node, Depth: depth[n]})
	}
	hood.Center = nodes[center]
	for _, k := range edgeOrder {
		hood.Edges = append(hood.Edges, graph.NetworkEdge{
			From: nodes[k.from], To: nodes[k.to], Relation: string(k.rel),
			Outgoing: depth[k.from] <= depth[k.to], Source: s.SourceOfRef(sources[k]),
		})
	}
	return hood, nil
}

// hoodKey is an edge of a neighbourhood.
type hoodKey struct {
	from view.Ref
	rel  graph.Relation
	to   view.Ref
}

// keyOf returns the neighbourhood edge of e, an edge of n.
func keyOf(n view.Ref, e nbr) hoodKey {
	if e.forward {
		return hoodKey{n, e.rel, e.other}
	}
	return hoodKey{e.other, e.rel, n}
}

// hoodEdges returns the allowed edges of n in the order of neighbours
// (relation name, then id; one per neighbour and relation, with its first
// source by id), as far as a neighbourhood with room for room more edges
// can take them: each edge whose key kept does not report either is taken
// or ends the walk, so of each relation's edges only the first room+1
// plus those kept need their order, which a heap selects without sorting
// a hub's edges.
func hoodEdges(s *view.Snapshot, n view.Ref, allow map[graph.Relation]bool, kept func(nbr) bool, room int) []nbr {
	byID := byNeighbourID(s)
	var out []nbr
	for k, dr := range dirRels {
		if allow != nil && !allow[dr.rel] {
			continue
		}
		es := edgesOf(s, n, k, nil)
		need := room + 1
		for _, e := range es {
			if kept(e) || e.other == n { // a loop's edge comes from both ends, the second kept
				need++
			}
		}
		if need < len(es) {
			es, _ = firstK(es, byID, nil, need)
		} else {
			slices.SortFunc(es, byID)
		}
		out = append(out, es...)
	}
	return out
}

// organization returns the ref of an organization id, or a NOT_FOUND error.
func organization(s *view.Snapshot, op, id string) (view.Ref, error) {
	r, ok := s.EntityRef(id)
	if !ok || s.Record(r).Type != graph.TypeOrganization {
		return 0, graph.Suggested(graph.CodeNotFound, op, s.Suggest(id, graph.TypeOrganization), "no organization with id %q", id)
	}
	return r, nil
}

// CommonGround tells what organizations a and b share: events, themes,
// policy levels, places, partners in common (organizations that took part
// in an event with each of them), and a shortest path between them.
func CommonGround(s *view.Snapshot, a, b string) (*graph.CommonGround, error) {
	const op = "common ground"
	if a == b {
		return nil, graph.Errorf(graph.CodeInvalid, op, "a and b must be two different organizations")
	}
	ra, err := organization(s, op, a)
	if err != nil {
		return nil, err
	}
	rb, err := organization(s, op, b)
	if err != nil {
		return nil, err
	}
	cg := &graph.CommonGround{}
	cg.A, _ = s.Node(ra).(*graph.Organization)
	cg.B, _ = s.Node(rb).(*graph.Organization)
	tiesA, tiesB := partnerTies(s, ra), partnerTies(s, rb)
	cg.Events = view.LoadRefs[*graph.Event](s, both(s, tiesA.events, tiesB.events))
	cg.Themes = pairThemes(s, s.ThemeLinks(a), s.ThemeLinks(b))
	cg.PolicyLevels = view.Load[*graph.PolicyLevel](s, s.IDs(both(s, s.Refs(s.LevelsOf(a)), s.Refs(s.LevelsOf(b)))))
	cg.Places = view.LoadRefs[*graph.Place](s, both(s,
		s.LinkedRefs(ra, true, graph.TypePlace, graph.RelPlace), s.LinkedRefs(rb, true, graph.TypePlace, graph.RelPlace)))
	pa, pb := make([]view.Ref, len(tiesA.ties)), make([]view.Ref, len(tiesB.ties))
	for i, t := range tiesA.ties {
		pa[i] = t.ref
	}
	for i, t := range tiesB.ties {
		pb[i] = t.ref
	}
	common := slices.DeleteFunc(both(s, pa, pb), func(r view.Ref) bool { return r == ra || r == rb })
	cg.Partners = view.LoadRefs[*graph.Organization](s, common)
	w := newWalker(s, nil)
	if hops := w.shortest(ra, rb, commonGroundPathHops, nil, nil); hops != nil {
		cg.Path = w.path(ra, hops)
	}
	return cg, nil
}

// both returns the refs that are in both lists, once each, by name.
func both(s *view.Snapshot, a, b []view.Ref) []view.Ref {
	in := make(map[view.Ref]bool, len(b))
	for _, r := range b {
		in[r] = true
	}
	out := []view.Ref{}
	for _, r := range a {
		if in[r] {
			out = append(out, r)
		}
	}
	return s.SortRefs(out)
}

// pairThemes pairs the theme links two organizations have in common, by
// theme name (both lists come ordered by theme name).
func pairThemes(s *view.Snapshot, a, b []graph.ThemeLink) []graph.SharedTheme {
	byID := make(map[string]graph.ThemeLink, len(b))
	for _, l := range b {
		byID[l.ThemeID] = l
	}
	out := []graph.SharedTheme{}
	for _, la := range a {
		lb, ok := byID[la.ThemeID]
		if !ok {
			continue
		}
		if t, ok := s.NodeByID(la.ThemeID).(*graph.Theme); ok {
			out = append(out, graph.SharedTheme{Theme: t, A: la, B: lb})
		}
	}
	return out
}

// Introductions lists the organizations that share a theme or a policy
// level (stated or derived) with org and never took part in an event with
// it, highest score first, then by name.
//
// It reads the whole-graph profiles and their theme → organizations and
// level → organizations indexes, computed once per snapshot (derived.go);
// after that the cost is that of org's events and of the organizations
// sharing a theme with it, plus, while they may still rank, the
// organizations sharing only policy levels: those it takes from the
// levels' lists (by name, so it stops as soon as no later one can enter the
// first) into a heap of the best first.
func Introductions(s *view.Snapshot, org string, first int) ([]graph.Introduction, error) {
	const op = "introductions"
	if first < 0 {
		return nil, graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	}
	if first > graph.MaxIntroductions {
		return nil, graph.Errorf(graph.CodeLimit, op, "first must be at most %d", graph.MaxIntroductions)
	}
	me, err := organization(s, op, org)
	if err != nil {
		return nil, err
	}
	if first == 0 {
		return []graph.Introduction{}, nil
	}
	d := wholeGraph.get(s)
	mine := d.profiles.get(me)
	if mine == nil {
		return []graph.Introduction{}, nil
	}
	met := map[view.Ref]bool{me: true}
	for _, t := range partnerTies(s, me).ties {
		met[t.ref] = true
	}
	myThemes, myLevels := refSet(mine.themes), refSet(mine.levels)
	cmpf := cmpItems(s)
	var cands []item

	// Everyone sharing a theme, ranked from their profiles.
	themed := map[view.Ref]bool{}
	for _, t := range mine.themes {
		for _, o := range d.themeOrgs[t] {
			if themed[o] || met[o] {
				continue
			}
			themed[o] = true
			p := d.profiles.get(o)
			sc := 0
			for _, x := range p.themes {
				if myThemes[x] {
					sc += graph.IntroductionThemeWeight
				}
			}
			for _, x := range p.levels {
				if myLevels[x] {
					sc += graph.IntroductionLevelWeight
				}
			}
			cands = append(cands, item{o, sc})
		}
	}
	cands, _ = firstK(cands, cmpf, nil, first)

	// Those sharing only levels score one per level they are in: merge the
	// levels' lists by name, counting each organization's lists, and stop
	// when even a score of every level could not enter the first.
	lists := make([][]view.Ref, 0, len(mine.levels))
	for _, l := range mine.levels {
		lists = append(lists, d.levelOrgs[l])
	}
	best := graph.IntroductionLevelWeight * len(mine.levels)
	for {
		head := view.Ref(-1)
		for _, li := range lists {
			if len(li) > 0 && (head < 0 || cmpName(s, li[0], head) < 0) {
				head = li[0]
			}
		}
		if head < 0 || len(cands) >= first && cmpf(item{head, best}, cands[len(cands)-1]) >= 0 {
			break
		}
		n := 0
		for i, li := range lists {
			if len(li) > 0 && li[0] == head {
				lists[i] = li[1:]
				n++
			}
		}
		if !themed[head] && !met[head] {
			c := item{head, graph.IntroductionLevelWeight * n}
			i, _ := slices.BinarySearchFunc(cands, c, cmpf)
			if i < first {
				cands = slices.Insert(cands, i, c)
				cands = cands[:min(len(cands), first)]
			}
		}
	}

	myLinks := s.ThemeLinks(org)
	out := make([]graph.Introduction, 0, len(cands))
	for _, c := range cands {
		o, ok := s.Node(c.ref).(*graph.Organization)
		if !ok {
			continue
		}
		theirLevels := refSet(d.profiles.get(c.ref).levels)
		var shared []view.Ref
		for _, l := range mine.levels { // by name
			if theirLevels[l] {
				shared = append(shared, l)
			}
		}
		out = append(out, graph.Introduction{
			Organization: o, Score: c.key,
			Themes:       pairThemes(s, myLinks, s.ThemeLinks(o.ID)),
			PolicyLevels: view.LoadRefs[*graph.PolicyLevel](s, shared),
		})
	}
	return out, nil
}

func refSet(refs []view.Ref) map[view.Ref]bool {
	set := make(map[view.Ref]bool, len(refs))
	for _, r := range refs {
		set[r] = true
	}
	return set
}
