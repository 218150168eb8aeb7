package graph

import (
	"context"
	"sort"
	"strings"
)

// Bounds of the network questions.
const (
	MaxNeighborhoodDepth     = 3
	DefaultNeighborhoodLimit = 200
	MaxNeighborhoodLimit     = 1000
	DefaultIntroductions     = 10
	MaxIntroductions         = 100
	commonGroundPathHops     = 6 // the default of path
)

// Introduction scores: a shared theme weighs more than a shared policy level
// (levels are few and broad, themes are specific).
const (
	IntroductionThemeWeight = 2
	IntroductionLevelWeight = 1
)

// relationFilter validates a list of relation names (stored or inverse
// names, such as participatedIn or hadParticipant) and returns the set of
// relations they name; nil (every relation) for an empty list.
func relationFilter(op string, rels []Relation) (map[Relation]bool, error) {
	if len(rels) == 0 {
		return nil, nil
	}
	set := make(map[Relation]bool, len(rels))
	for _, r := range rels {
		rel, ok := RelationNamed(string(r))
		if !ok {
			names := make([]string, len(Relations))
			for i, k := range Relations {
				names[i] = string(k)
			}
			return nil, Errorf(CodeInvalid, op, "unknown relation %q (known: %s, or their inverse names)", r, strings.Join(names, ", "))
		}
		set[rel] = true
	}
	return set, nil
}

// RelationNamed returns the relation a name stands for: its stored name or
// its inverse name (hadParticipant is participatedIn walked backwards).
func RelationNamed(name string) (Relation, bool) {
	for _, r := range Relations {
		if name == string(r) || name == inverseNames[r] {
			return r, true
		}
	}
	return "", false
}

// NeighborhoodQuery bounds a neighborhood: how many relations away from the
// center (Depth, 0–3), through which relations (none: every one), and how
// many nodes and edges at most (Limit, 1–1000).
type NeighborhoodQuery struct {
	Depth     int
	Relations []Relation
	Limit     int
}

// NeighborhoodNode is a node of a neighborhood and its distance from the
// center in relations.
type NeighborhoodNode struct {
	Node  Node
	Depth int
}

// NetworkEdge is one relation between two nodes of a neighborhood, in its
// stored direction (From is the subject). Outgoing is true when From is at
// most as far from the center as To: the edge points away from the center.
type NetworkEdge struct {
	From     Node
	To       Node
	Relation string
	Outgoing bool
	Source   *Source // the first source (by id) that states the relation
}

// Neighborhood is the part of the graph around a node: its nodes, ordered by
// depth and then as the walk met them, and the relations between them.
type Neighborhood struct {
	Center    Node
	Nodes     []NeighborhoodNode
	Edges     []NetworkEdge
	Truncated bool // the limit cut nodes or edges off
}

// Neighborhood walks breadth-first from id over the allowed relations in
// both directions, up to q.Depth relations away. It keeps every relation
// walked from a node nearer than q.Depth (so relations between two nodes of
// the outermost ring are not part of it). It stops, with Truncated set, as
// soon as one more node or edge would exceed q.Limit; its cost is that of
// the nodes it returns, never of the whole graph.
func (s *CayleyStore) Neighborhood(ctx context.Context, id string, q NeighborhoodQuery) (*Neighborhood, error) {
	const op = "neighborhood"
	switch {
	case q.Depth < 0:
		return nil, Errorf(CodeInvalid, op, "depth must not be negative")
	case q.Depth > MaxNeighborhoodDepth:
		return nil, Errorf(CodeLimit, op, "depth must be at most %d", MaxNeighborhoodDepth)
	case q.Limit < 1:
		return nil, Errorf(CodeInvalid, op, "limit must be at least 1")
	case q.Limit > MaxNeighborhoodLimit:
		return nil, Errorf(CodeLimit, op, "limit must be at most %d", MaxNeighborhoodLimit)
	}
	allow, err := relationFilter(op, q.Relations)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.cat.get(id) == nil {
		return nil, Errorf(CodeNotFound, op, "no node with id %q", id)
	}
	type key struct{ from, rel, to string }
	depth := map[string]int{id: 0}
	order := []string{id}
	sources := map[key]string{}
	var edgeOrder []key
	truncated := false
	frontier := []string{id}
walk:
	for d := 0; d < q.Depth && len(frontier) > 0; d++ {
		var next []string
		for _, n := range frontier {
			es, err := s.neighbours(ctx, n)
			if err != nil {
				return nil, Internal(op, err)
			}
			for _, e := range es {
				if allow != nil && !allow[e.rel] {
					continue
				}
				from, to := n, e.other
				if !e.forward {
					from, to = e.other, n
				}
				k := key{from, string(e.rel), to}
				if src, seen := sources[k]; seen {
					if e.source < src {
						sources[k] = e.source
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
				sources[k] = e.source
				edgeOrder = append(edgeOrder, k)
			}
		}
		frontier = next
	}
	nodes := make(map[string]Node, len(order))
	hood := &Neighborhood{Truncated: truncated, Nodes: []NeighborhoodNode{}, Edges: []NetworkEdge{}}
	srcs := sourceCache{}
	for _, n := range order {
		node, err := s.nodeWith(ctx, n, srcs)
		if err != nil {
			return nil, Internal(op, err)
		}
		nodes[n] = node
		hood.Nodes = append(hood.Nodes, NeighborhoodNode{Node: node, Depth: depth[n]})
	}
	hood.Center = nodes[id]
	for _, k := range edgeOrder {
		src, err := srcs.get(ctx, s, sources[k])
		if err != nil {
			return nil, Internal(op, err)
		}
		hood.Edges = append(hood.Edges, NetworkEdge{
			From: nodes[k.from], To: nodes[k.to], Relation: k.rel,
			Outgoing: depth[k.from] <= depth[k.to], Source: src,
		})
	}
	return hood, nil
}

// SharedTheme is a theme two organizations have, with why each has it
// (stated by a source, or derived from the events in Via).
type SharedTheme struct {
	Theme *Theme
	A, B  ThemeLink
}

// CommonGround is what two organizations share.
type CommonGround struct {
	A, B         *Organization
	Events       []*Event       // both took part in, in any role; by name
	Themes       []SharedTheme  // both have, stated or derived; by theme name
	PolicyLevels []*PolicyLevel // both work at, stated or derived
	Places       []*Place       // both are in
	Partners     []*Organization
	Path         *Path // a shortest path between them (at most 6 relations), or nil
}

// CommonGround tells what organizations a and b share: events, themes,
// policy levels, places, partners in common (organizations that took part
// in an event with each of them), and a shortest path between them.
func (s *CayleyStore) CommonGround(ctx context.Context, a, b string) (*CommonGround, error) {
	const op = "common ground"
	if a == b {
		return nil, Errorf(CodeInvalid, op, "a and b must be two different organizations")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range []string{a, b} {
		if s.cat.typeOf(id) != TypeOrganization {
			return nil, Errorf(CodeNotFound, op, "no organization with id %q", id)
		}
	}
	cg, err := s.commonGround(ctx, a, b)
	return cg, Internal(op, err)
}

// commonGround is CommonGround under the read lock.
func (s *CayleyStore) commonGround(ctx context.Context, a, b string) (*CommonGround, error) {
	cg := &CommonGround{}
	orgs, err := loadAs[*Organization](ctx, s, []string{a, b})
	if err != nil || len(orgs) != 2 {
		return nil, err
	}
	cg.A, cg.B = orgs[0], orgs[1]

	evA, err := s.eventsOf(ctx, a)
	if err != nil {
		return nil, err
	}
	evB, err := s.eventsOf(ctx, b)
	if err != nil {
		return nil, err
	}
	if cg.Events, err = loadAs[*Event](ctx, s, s.cat.both(evA, evB)); err != nil {
		return nil, err
	}

	linksA, err := s.themeLinks(ctx, a)
	if err != nil {
		return nil, err
	}
	linksB, err := s.themeLinks(ctx, b)
	if err != nil {
		return nil, err
	}
	if cg.Themes, err = s.sharedThemes(ctx, linksA, linksB); err != nil {
		return nil, err
	}

	lvA, err := s.levelsOf(ctx, a)
	if err != nil {
		return nil, err
	}
	lvB, err := s.levelsOf(ctx, b)
	if err != nil {
		return nil, err
	}
	if cg.PolicyLevels, err = loadAs[*PolicyLevel](ctx, s, s.cat.both(lvA, lvB)); err != nil {
		return nil, err
	}

	plA, err := s.linked(ctx, a, true, TypePlace, RelPlace)
	if err != nil {
		return nil, err
	}
	plB, err := s.linked(ctx, b, true, TypePlace, RelPlace)
	if err != nil {
		return nil, err
	}
	if cg.Places, err = loadAs[*Place](ctx, s, s.cat.both(plA, plB)); err != nil {
		return nil, err
	}

	_, pA, err := s.partnerTies(ctx, a)
	if err != nil {
		return nil, err
	}
	_, pB, err := s.partnerTies(ctx, b)
	if err != nil {
		return nil, err
	}
	var common []string
	for _, id := range s.cat.both(pA, pB) {
		if id != a && id != b {
			common = append(common, id)
		}
	}
	if cg.Partners, err = loadAs[*Organization](ctx, s, common); err != nil {
		return nil, err
	}

	w := s.newWalker(ctx, nil)
	steps, err := w.shortest(a, b, commonGroundPathHops, nil, nil)
	if err != nil || steps == nil {
		return cg, err
	}
	cg.Path, err = w.path(a, steps)
	return cg, err
}

// both returns the ids that are in both lists, once each, ordered by name.
func (c *catalog) both(a, b []string) []string {
	in := toSet(b)
	seen := map[string]bool{}
	out := []string{}
	for _, id := range a {
		if in[id] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	c.sortByName(out)
	return out
}

// sharedThemes pairs the theme links two organizations have in common, by
// theme name (both lists come ordered by theme name). Callers hold s.mu.
func (s *CayleyStore) sharedThemes(ctx context.Context, a, b []ThemeLink) ([]SharedTheme, error) {
	byID := make(map[string]ThemeLink, len(b))
	for _, l := range b {
		byID[l.ThemeID] = l
	}
	out := []SharedTheme{}
	for _, la := range a {
		lb, ok := byID[la.ThemeID]
		if !ok {
			continue
		}
		themes, err := loadAs[*Theme](ctx, s, []string{la.ThemeID})
		if err != nil {
			return nil, err
		}
		if len(themes) == 1 {
			out = append(out, SharedTheme{Theme: themes[0], A: la, B: lb})
		}
	}
	return out, nil
}

// Introduction is an organization that shares themes or policy levels with
// another but was never at an event with it: someone it should meet.
type Introduction struct {
	Organization *Organization
	// Score is IntroductionThemeWeight (2) per shared theme plus
	// IntroductionLevelWeight (1) per shared policy level.
	Score        int
	Themes       []SharedTheme  // A: the organization asked about; B: this one
	PolicyLevels []*PolicyLevel // shared policy levels, stated or derived
}

// Introductions lists the organizations that share a theme or a policy
// level (stated or derived) with org and never took part in an event with
// it, highest score first, then by name.
//
// It reads the whole-graph profiles and their theme → organizations and
// level → organizations indexes, computed once per write and cached with
// the facets (facets.go); after that the cost is that of org's events and
// of the organizations sharing a theme with it, plus, while they may still
// rank, the organizations sharing only policy levels: those it takes from
// the levels' lists (by name, so it stops as soon as no later one can
// enter the first) into a heap of the best first.
func (s *CayleyStore) Introductions(ctx context.Context, org string, first int) ([]Introduction, error) {
	const op = "introductions"
	if first < 0 {
		return nil, Errorf(CodeInvalid, op, "first must not be negative")
	}
	if first > MaxIntroductions {
		return nil, Errorf(CodeLimit, op, "first must be at most %d", MaxIntroductions)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.cat.typeOf(org) != TypeOrganization {
		return nil, Errorf(CodeNotFound, op, "no organization with id %q", org)
	}
	out, err := s.introductions(ctx, org, first)
	return out, Internal(op, err)
}

func (s *CayleyStore) introductions(ctx context.Context, org string, first int) ([]Introduction, error) {
	if first == 0 {
		return []Introduction{}, nil
	}
	d, err := s.derived(ctx)
	if err != nil {
		return nil, err
	}
	me := d.profiles[org]
	if me == nil {
		return []Introduction{}, nil
	}
	met, _, err := s.partnerTies(ctx, org)
	if err != nil {
		return nil, err
	}
	skip := func(o string) bool {
		_, partner := met[o]
		return partner || o == org
	}
	myThemes, myLevels := toSet(me.themes), toSet(me.levels)
	top := &topRanked{c: s.cat}

	// Everyone sharing a theme, ranked from their profiles.
	themed := map[string]bool{}
	for _, t := range me.themes {
		for _, o := range d.themeOrgs[t] {
			if themed[o] || skip(o) {
				continue
			}
			themed[o] = true
			p := d.profiles[o]
			sc := 0
			for _, x := range p.themes {
				if myThemes[x] {
					sc += IntroductionThemeWeight
				}
			}
			for _, x := range p.levels {
				if myLevels[x] {
					sc += IntroductionLevelWeight
				}
			}
			top.offer(ranked{o, sc}, first)
		}
	}

	// Those sharing only levels score one per level they are in: merge the
	// levels' lists by name, counting each organization's lists, and stop
	// when even a score of every level could not enter the heap.
	lists := make([][]string, 0, len(me.levels))
	for _, l := range me.levels {
		lists = append(lists, d.levelOrgs[l])
	}
	best := IntroductionLevelWeight * len(me.levels)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		head := ""
		for _, li := range lists {
			if len(li) > 0 && (head == "" || s.cat.less(li[0], head)) {
				head = li[0]
			}
		}
		if head == "" || top.full(ranked{head, best}, first) {
			break
		}
		n := 0
		for i, li := range lists {
			if len(li) > 0 && li[0] == head {
				lists[i] = li[1:]
				n++
			}
		}
		if !themed[head] && !skip(head) {
			top.offer(ranked{head, IntroductionLevelWeight * n}, first)
		}
	}

	cands := top.items
	sort.Slice(cands, func(i, j int) bool { return top.better(cands[i], cands[j]) })
	mine, err := s.themeLinks(ctx, org)
	if err != nil {
		return nil, err
	}
	out := make([]Introduction, 0, len(cands))
	for _, c := range cands {
		orgs, err := loadAs[*Organization](ctx, s, []string{c.id})
		if err != nil {
			return nil, err
		}
		if len(orgs) == 0 {
			continue
		}
		theirs, err := s.themeLinks(ctx, c.id)
		if err != nil {
			return nil, err
		}
		shared, err := s.sharedThemes(ctx, mine, theirs)
		if err != nil {
			return nil, err
		}
		theirLevels := toSet(d.profiles[c.id].levels)
		var both []string
		for _, l := range me.levels { // by name
			if theirLevels[l] {
				both = append(both, l)
			}
		}
		lvs, err := loadAs[*PolicyLevel](ctx, s, both)
		if err != nil {
			return nil, err
		}
		out = append(out, Introduction{Organization: orgs[0], Score: c.score, Themes: shared, PolicyLevels: lvs})
	}
	return out, nil
}
