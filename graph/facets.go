package graph

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Order is the order of a list of organizations. The zero Order is the
// list's own order: by name, or for partners strongest tie first.
type Order string

// The orders of organization lists. DEGREE and EVENTS put the largest
// number first; ties go by name.
const (
	OrderName   Order = "NAME"
	OrderDegree Order = "DEGREE" // number of partners
	OrderEvents Order = "EVENTS" // number of events taken part in, any role
)

// FacetCount is a node and the number of organizations that have it.
type FacetCount struct {
	Node  Node
	Count int
}

// ThemeLevelCount is one cell of the theme × policy level matrix: the
// number of organizations that have both the theme and the level.
type ThemeLevelCount struct {
	Theme       *Theme
	PolicyLevel *PolicyLevel
	Count       int
}

// Facets counts a set of organizations by theme, policy level, place and
// event (themes and levels stated or derived, events in any role), largest
// count first, then by name. Nodes no organization of the set has are left
// out, and so are empty cells of the matrix.
type Facets struct {
	Total             int
	Themes            []FacetCount
	PolicyLevels      []FacetCount
	Places            []FacetCount
	Events            []FacetCount
	ThemePolicyLevels []ThemeLevelCount
}

// profile is what the network questions count about one organization.
type profile struct {
	themes, levels, places, events []string
	degree                         int // number of partners
}

// derived holds what is derived from the whole graph: every organization's
// profile and the counts of the whole-graph facets. It is built once from
// one scan of the graph (derived_build.go), on first use or by Warm, and
// cached in the catalog; a small write updates it in place
// (derived_update.go), a bulk write drops it. So the facets of the whole
// graph cost the size of the answer, and an ordered or faceted list the
// size of the list.
type derived struct {
	profiles map[string]*profile
	counts   *facetCounts // of every organization
	// themeOrgs, levelOrgs, placeOrgs and eventOrgs list, per theme,
	// policy level, place and event, the organizations whose profile names
	// it (themes and levels stated or derived), by name.
	themeOrgs, levelOrgs, placeOrgs, eventOrgs map[string][]string
}

// derivedCache is the catalog's slot for derived; mu serialises its
// computation among concurrent readers.
type derivedCache struct {
	mu sync.Mutex
	v  *derived
}

// ready returns the derived data when they are computed, without waiting
// for a computation under way.
func (c *derivedCache) ready() *derived {
	if !c.mu.TryLock() {
		return nil
	}
	defer c.mu.Unlock()
	return c.v
}

// facetCounts are Facets before the nodes are loaded.
type facetCounts struct {
	total                          int
	themes, levels, places, events map[string]int
	matrix                         map[[2]string]int // theme, level
}

// derived returns the cached derived data, computing it when a write has
// dropped it. Callers hold s.mu (read).
func (s *CayleyStore) derived(ctx context.Context) (*derived, error) {
	c := s.cat.derived
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v != nil {
		return c.v, nil
	}
	d, err := s.buildDerived(ctx)
	if err != nil {
		return nil, err
	}
	c.v = d
	return d, nil
}

// index computes the counts and the per-node lists from the profiles of
// orgs (ordered by name, so each list is by name).
func (d *derived) index(orgs []string) {
	d.counts = count(d.profiles, orgs)
	d.themeOrgs, d.levelOrgs, d.placeOrgs, d.eventOrgs = map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}
	for _, id := range orgs {
		if p := d.profiles[id]; p != nil {
			d.eachList(p, func(lists map[string][]string, node string) {
				lists[node] = append(lists[node], id)
			})
		}
	}
}

// eachList calls fn with every per-node list the profile p belongs in.
func (d *derived) eachList(p *profile, fn func(lists map[string][]string, node string)) {
	for _, group := range []struct {
		lists map[string][]string
		nodes []string
	}{{d.themeOrgs, p.themes}, {d.levelOrgs, p.levels}, {d.placeOrgs, p.places}, {d.eventOrgs, p.events}} {
		for _, n := range group.nodes {
			fn(group.lists, n)
		}
	}
}

// drop takes the profile of organization id out of the counts and lists,
// in place: a cost of the profile, not of the graph. An organization
// renamed or deleted since its profile was listed is found by a walk of
// the list.
func (d *derived) drop(c *catalog, id string) {
	old := d.profiles[id]
	if old == nil {
		return
	}
	d.counts.add(old, -1)
	d.eachList(old, func(lists map[string][]string, node string) {
		list := lists[node]
		i := c.position(list, id)
		if i >= len(list) || list[i] != id {
			i = slices.Index(list, id)
		}
		if i < 0 {
			return
		}
		if list = slices.Delete(list, i, i+1); len(list) == 0 {
			delete(lists, node)
		} else {
			lists[node] = list
		}
	})
	delete(d.profiles, id)
}

// put adds the profile p of organization id to the counts and lists, in
// place. The lists must hold no organization renamed or deleted since they
// were ordered (drop those first), or c would not find the place of id.
func (d *derived) put(c *catalog, id string, p *profile) {
	d.profiles[id] = p
	d.counts.add(p, 1)
	d.eachList(p, func(lists map[string][]string, node string) {
		list := lists[node]
		lists[node] = slices.Insert(list, c.position(list, id), id)
	})
}

// profileMemo computes profiles through a linkFunc (the store's, or a link
// table's), reading each event's and theme's relations once.
type profileMemo struct {
	cat         *catalog
	linked      linkFunc
	eventThemes map[string][]string
	eventOrgs   map[string][]string
	themeLevels map[string][]string
	seen        map[string]int // partner → the last profile that counted it
	profiles    int            // profiles computed so far
}

func newProfileMemo(cat *catalog, linked linkFunc) *profileMemo {
	return &profileMemo{cat: cat, linked: linked, eventThemes: map[string][]string{}, eventOrgs: map[string][]string{}, themeLevels: map[string][]string{}, seen: map[string]int{}}
}

// storeProfiles returns a profileMemo reading the store. Callers hold s.mu.
func (s *CayleyStore) storeProfiles(ctx context.Context) *profileMemo {
	return newProfileMemo(s.cat, func(id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
		return s.linked(ctx, id, forward, t, rels...)
	})
}

func (m *profileMemo) of(memo map[string][]string, id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
	if ids, ok := memo[id]; ok {
		return ids, nil
	}
	ids, err := m.linked(id, forward, t, rels...)
	memo[id] = ids
	return ids, err
}

// profile computes one organization's profile.
func (m *profileMemo) profile(org string) (*profile, error) {
	p := &profile{}
	var err error
	if p.events, err = m.linked(org, true, TypeEvent, participationRels...); err != nil {
		return nil, err
	}
	if p.places, err = m.linked(org, true, TypePlace, RelPlace); err != nil {
		return nil, err
	}
	themes, err := m.linked(org, true, TypeTheme, RelTheme)
	if err != nil {
		return nil, err
	}
	// Partners are counted with a stamp per organization rather than a set
	// per profile: a hub event's participants are walked once per
	// participant, so the walk must not allocate.
	m.profiles++
	for _, ev := range p.events {
		more, err := m.of(m.eventThemes, ev, true, TypeTheme, RelTheme)
		if err != nil {
			return nil, err
		}
		themes = append(themes, more...)
		orgs, err := m.of(m.eventOrgs, ev, false, TypeOrganization, participationRels...)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if o != org && m.seen[o] != m.profiles {
				m.seen[o] = m.profiles
				p.degree++
			}
		}
	}
	p.themes = m.cat.ofType(themes, TypeTheme)
	levels, err := m.linked(org, true, TypePolicyLevel, RelPolicyLevel)
	if err != nil {
		return nil, err
	}
	for _, t := range p.themes {
		more, err := m.of(m.themeLevels, t, true, TypePolicyLevel, RelPolicyLevel)
		if err != nil {
			return nil, err
		}
		levels = append(levels, more...)
	}
	p.levels = m.cat.ofType(levels, TypePolicyLevel)
	return p, nil
}

// count adds up the profiles of orgs.
func count(profiles map[string]*profile, orgs []string) *facetCounts {
	c := &facetCounts{themes: map[string]int{}, levels: map[string]int{}, places: map[string]int{}, events: map[string]int{}, matrix: map[[2]string]int{}}
	for _, o := range orgs {
		if p := profiles[o]; p != nil {
			c.add(p, 1)
		}
	}
	return c
}

// add counts the profile p once more (by 1) or once less (by -1); a count
// that falls to zero leaves its map.
func (c *facetCounts) add(p *profile, by int) {
	c.total += by
	bump := func(m map[string]int, k string) {
		if m[k] += by; m[k] == 0 {
			delete(m, k)
		}
	}
	for _, t := range p.themes {
		bump(c.themes, t)
		for _, l := range p.levels {
			cell := [2]string{t, l}
			if c.matrix[cell] += by; c.matrix[cell] == 0 {
				delete(c.matrix, cell)
			}
		}
	}
	for _, l := range p.levels {
		bump(c.levels, l)
	}
	for _, pl := range p.places {
		bump(c.places, pl)
	}
	for _, ev := range p.events {
		bump(c.events, ev)
	}
}

// Facets counts the organizations that pass the filter by theme, policy
// level, place and event; a nil filter counts every organization, from the
// cached whole-graph counts.
func (s *CayleyStore) Facets(ctx context.Context, f *OrganizationFilter, first int) (*Facets, error) {
	const op = "facets"
	if first < 0 {
		return nil, Errorf(CodeInvalid, op, "first must not be negative")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, err := s.derived(ctx)
	if err != nil {
		return nil, Internal(op, err)
	}
	counts := d.counts
	if f != nil {
		ids, err := s.filtered(ctx, op, *f)
		if err != nil {
			return nil, Internal(op, err)
		}
		counts = count(d.profiles, ids)
	}
	out, err := s.loadFacets(ctx, counts, first)
	return out, Internal(op, err)
}

// filtered lists the organizations that pass a filter, by name. Callers hold s.mu.
func (s *CayleyStore) filtered(ctx context.Context, op string, f OrganizationFilter) ([]string, error) {
	if len(f.NameContains) > 200 {
		return nil, Errorf(CodeLimit, op, "nameContains must be at most 200 bytes")
	}
	sets, err := s.filterSets(ctx, op, f)
	if err != nil {
		return nil, err
	}
	return s.cat.intersect(s.cat.byType[TypeOrganization], sets), nil
}

// loadFacets loads the nodes of the counts. Callers hold s.mu.
func (s *CayleyStore) loadFacets(ctx context.Context, c *facetCounts, first int) (*Facets, error) {
	out := &Facets{Total: c.total}
	var err error
	nodes := map[string]Node{}
	srcs := sourceCache{}
	node := func(id string) (Node, error) {
		if n, ok := nodes[id]; ok {
			return n, nil
		}
		n, err := s.nodeWith(ctx, id, srcs)
		nodes[id] = n
		return n, err
	}
	// Only the entries kept are loaded: with first, the cost is that of the
	// answer (and of sorting the counts), not of every node counted.
	load := func(counts map[string]int) ([]FacetCount, error) {
		k := first
		if k == 0 {
			k = len(counts)
		}
		top := &topRanked{c: s.cat}
		for id, n := range counts {
			top.offer(ranked{id, n}, k)
		}
		best := top.best()
		list := make([]FacetCount, 0, len(best))
		for _, r := range best {
			n, err := node(r.id)
			if err != nil {
				return nil, err
			}
			if n != nil {
				list = append(list, FacetCount{Node: n, Count: r.score})
			}
		}
		return list, nil
	}
	if out.Themes, err = load(c.themes); err != nil {
		return nil, err
	}
	if out.PolicyLevels, err = load(c.levels); err != nil {
		return nil, err
	}
	if out.Places, err = load(c.places); err != nil {
		return nil, err
	}
	if out.Events, err = load(c.events); err != nil {
		return nil, err
	}
	cells := make([][2]string, 0, len(c.matrix))
	for k := range c.matrix {
		cells = append(cells, k)
	}
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if c.matrix[a] != c.matrix[b] {
			return c.matrix[a] > c.matrix[b]
		}
		if a[0] != b[0] {
			return s.cat.less(a[0], b[0])
		}
		return s.cat.less(a[1], b[1])
	})
	out.ThemePolicyLevels = make([]ThemeLevelCount, 0, len(cells))
	for _, k := range cells {
		if first > 0 && len(out.ThemePolicyLevels) == first {
			break
		}
		tn, err := node(k[0])
		if err != nil {
			return nil, err
		}
		ln, err := node(k[1])
		if err != nil {
			return nil, err
		}
		t, _ := tn.(*Theme)
		l, _ := ln.(*PolicyLevel)
		if t != nil && l != nil {
			out.ThemePolicyLevels = append(out.ThemePolicyLevels, ThemeLevelCount{Theme: t, PolicyLevel: l, Count: c.matrix[k]})
		}
	}
	return out, nil
}

// --- Ordering ------------------------------------------------------------

const orderedCursorPrefix = "tg2:"

// orderedCursor is the cursor of id in a list ordered by o, where its sort
// key is key: it holds the order, the key and the id, so that a page
// continues after the place the item had even when a write has moved or
// removed it.
func orderedCursor(o Order, key int, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s%s:%d:%s", orderedCursorPrefix, o, key, id)))
}

// parseOrderedCursor decodes a cursor made by orderedCursor for order o.
func parseOrderedCursor(op string, o Order, cursor string) (key int, id string, err error) {
	bad := Errorf(CodeInvalid, op, "invalid cursor %q for order %s", cursor, o)
	b, derr := base64.RawURLEncoding.DecodeString(cursor)
	rest, ok := strings.CutPrefix(string(b), orderedCursorPrefix)
	if derr != nil || !ok {
		return 0, "", bad
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 || Order(parts[0]) != o {
		return 0, "", bad
	}
	key, perr := strconv.Atoi(parts[1])
	if perr != nil {
		return 0, "", bad
	}
	return key, parts[2], nil
}

// checkOrder validates an order.
func checkOrder(op string, o Order) error {
	switch o {
	case "", OrderName, OrderDegree, OrderEvents:
		return nil
	}
	return Errorf(CodeInvalid, op, "unknown order %q (known: NAME, DEGREE, EVENTS)", o)
}

// orderedWindow orders a list of organization ids (given by name) by
// p.Order and returns it with the range p asks for and the cursor of each
// id. Under NAME (or no order) the cursors are those of every list
// (Cursor); under DEGREE and EVENTS they carry the sort key. Callers hold
// s.mu.
func (s *CayleyStore) orderedWindow(ctx context.Context, op string, ids []string, p Page) (sorted []string, start, end int, cursor func(string) string, err error) {
	if err := checkOrder(op, p.Order); err != nil {
		return nil, 0, 0, nil, err
	}
	if p.Order == "" || p.Order == OrderName {
		start, end, err := Window(op, ids, p)
		return ids, start, end, Cursor, err
	}
	if p.First < 0 {
		return nil, 0, 0, nil, Errorf(CodeInvalid, op, "first must not be negative")
	}
	if p.First > MaxPageSize {
		return nil, 0, 0, nil, Errorf(CodeLimit, op, "first must be at most %d", MaxPageSize)
	}
	d, err := s.derived(ctx)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	keyOf := func(id string) int {
		pr := d.profiles[id]
		switch {
		case pr == nil:
			return 0
		case p.Order == OrderDegree:
			return pr.degree
		default:
			return len(pr.events)
		}
	}
	// before reports whether (ka, a) comes before (kb, b).
	before := func(ka int, a string, kb int, b string) bool {
		if ka != kb {
			return ka > kb
		}
		return s.cat.less(a, b)
	}
	sorted = append([]string(nil), ids...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return before(keyOf(sorted[i]), sorted[i], keyOf(sorted[j]), sorted[j])
	})
	if p.After != "" {
		key, after, err := parseOrderedCursor(op, p.Order, p.After)
		if err != nil {
			return nil, 0, 0, nil, err
		}
		start = sort.Search(len(sorted), func(i int) bool {
			return before(key, after, keyOf(sorted[i]), sorted[i])
		})
	}
	end = min(start+p.First, len(sorted))
	return sorted, start, end, func(id string) string { return orderedCursor(p.Order, keyOf(id), id) }, nil
}

// --- Theme hierarchy ------------------------------------------------------

// ThemeBroader lists the themes a theme is narrower than (its direct
// broader themes), by name.
func (s *CayleyStore) ThemeBroader(ctx context.Context, id string) ([]*Theme, error) {
	return related[*Theme](ctx, s, "theme broader", id, true, TypeTheme, RelBroader)
}

// ThemeNarrower lists the themes that are directly narrower than a theme,
// by name.
func (s *CayleyStore) ThemeNarrower(ctx context.Context, id string) ([]*Theme, error) {
	return related[*Theme](ctx, s, "theme narrower", id, false, TypeTheme, RelBroader)
}

// themeAndNarrower returns a theme and every theme narrower than it,
// transitively (a cycle of broader relations ends the walk). Callers hold s.mu.
func (s *CayleyStore) themeAndNarrower(ctx context.Context, theme string) ([]string, error) {
	seen := map[string]bool{theme: true}
	out := []string{theme}
	for i := 0; i < len(out); i++ {
		narrower, err := s.linked(ctx, out[i], false, TypeTheme, RelBroader)
		if err != nil {
			return nil, err
		}
		for _, n := range narrower {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// orgsWithThemeTree returns the organizations with a theme or with any
// theme narrower than it, stated or derived. Callers hold s.mu.
func (s *CayleyStore) orgsWithThemeTree(ctx context.Context, theme string) ([]string, error) {
	themes, err := s.themeAndNarrower(ctx, theme)
	if err != nil {
		return nil, err
	}
	var orgs []string
	for _, t := range themes {
		more, err := s.orgsWithTheme(ctx, t)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, more...)
	}
	return s.cat.ofType(orgs, TypeOrganization), nil
}

// orderedPage loads one page of a list of organization ids (given by name)
// in p.Order. Callers hold s.mu.
func (s *CayleyStore) orderedPage(ctx context.Context, op string, ids []string, p Page) (Connection[*Organization], error) {
	sorted, start, end, cursor, err := s.orderedWindow(ctx, op, ids, p)
	if err != nil {
		return Connection[*Organization]{}, Internal(op, err)
	}
	items, err := loadAs[*Organization](ctx, s, sorted[start:end])
	if err != nil {
		return Connection[*Organization]{}, Internal(op, err)
	}
	c := Connection[*Organization]{TotalCount: len(sorted), Items: items, HasNextPage: end < len(sorted)}
	for _, it := range items {
		c.Cursors = append(c.Cursors, cursor(it.ID))
	}
	return c, nil
}
