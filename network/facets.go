package network

import (
	"cmp"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// Facets counts the organizations that pass the filter by theme, policy
// level, place and event, largest count first, then by name; a nil filter
// counts every organization, from the whole-graph counts computed once per
// snapshot. first > 0 keeps that many entries per list, 0 every one. names
// answers f.NameContains as in Organizations.
func Facets(s *view.Snapshot, f *graph.OrganizationFilter, first int, names NameMatcher) (*graph.Facets, error) {
	const op = "facets"
	if first < 0 {
		return nil, graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	}
	var refs []view.Ref
	if f != nil {
		var err error
		if refs, err = filtered(s, op, *f, names); err != nil {
			return nil, err
		}
	}
	d := wholeGraph.get(s)
	switch {
	case f != nil && f.StatedOnly: // includeDerived: false
		stated := statedProfiles(s, d.profiles, refs)
		counts := count(func(r view.Ref) *profile { return stated[r] }, refs)
		return loadFacets(s, rankFacets(s, counts, first), counts.total, first), nil
	case f != nil:
		counts := count(d.profiles.get, refs)
		return loadFacets(s, rankFacets(s, counts, first), counts.total, first), nil
	}
	// The whole graph's counts are ranked once per snapshot (each write
	// makes new counts): a page of them then costs its own size, not that
	// of every event and place counted.
	return loadFacets(s, d.counts.top(s, first), d.counts.total, first), nil
}

// rankedFacets are the entries of facet counts in the answer's order
// (largest count first, then by name): all of them, or the first k.
type rankedFacets struct {
	themes, levels, places, events []item
	matrix                         []facetCell
}

// facetCell is the count of one theme and policy level.
type facetCell struct {
	tl [2]view.Ref
	n  int
}

// rankFacets orders the entries of c, keeping the first k of each list (0:
// every one) with a bounded heap.
func rankFacets(s *view.Snapshot, c *facetCounts, k int) *rankedFacets {
	rank := func(counts map[view.Ref]int) []item {
		list := make([]item, 0, len(counts))
		for r, n := range counts {
			list = append(list, item{r, n})
		}
		best, _ := firstK(list, cmpItems(s), nil, cmp.Or(k, len(list)))
		return best
	}
	r := &rankedFacets{themes: rank(c.themes), levels: rank(c.levels), places: rank(c.places), events: rank(c.events)}
	cells := make([]facetCell, 0, len(c.matrix))
	for tl, n := range c.matrix {
		cells = append(cells, facetCell{tl, n})
	}
	r.matrix, _ = firstK(cells, func(a, b facetCell) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		if c := cmpName(s, a.tl[0], b.tl[0]); c != 0 {
			return c
		}
		return cmpName(s, a.tl[1], b.tl[1])
	}, nil, cmp.Or(k, len(cells)))
	return r
}

// loadFacets loads the nodes of the first entries of each ranked list (0:
// every one): the cost is that of the answer.
func loadFacets(s *view.Snapshot, r *rankedFacets, total, first int) *graph.Facets {
	out := &graph.Facets{Total: total}
	load := func(list []item) []graph.FacetCount {
		if first > 0 && len(list) > first {
			list = list[:first]
		}
		fc := make([]graph.FacetCount, 0, len(list))
		for _, it := range list {
			if n := s.Node(it.ref); n != nil {
				fc = append(fc, graph.FacetCount{Node: n, Count: it.key})
			}
		}
		return fc
	}
	out.Themes = load(r.themes)
	out.PolicyLevels = load(r.levels)
	out.Places = load(r.places)
	out.Events = load(r.events)
	cells := r.matrix
	if first > 0 && len(cells) > first {
		cells = cells[:first]
	}
	out.ThemePolicyLevels = make([]graph.ThemeLevelCount, 0, len(cells))
	for _, x := range cells {
		t, _ := s.Node(x.tl[0]).(*graph.Theme)
		l, _ := s.Node(x.tl[1]).(*graph.PolicyLevel)
		if t != nil && l != nil {
			out.ThemePolicyLevels = append(out.ThemePolicyLevels, graph.ThemeLevelCount{Theme: t, PolicyLevel: l, Count: x.n})
		}
	}
	return out
}

// statedProfiles returns the profiles of orgs with only the themes and
// policy levels a source states for them (includeDerived: false).
func statedProfiles(s *view.Snapshot, profiles profileVec, orgs []view.Ref) map[view.Ref]*profile {
	out := make(map[view.Ref]*profile, len(orgs))
	for _, o := range orgs {
		p := profiles.get(o)
		if p == nil {
			continue
		}
		stated := *p
		stated.themes = s.LinkedRefs(o, true, graph.TypeTheme, graph.RelTheme)
		stated.levels = s.LinkedRefs(o, true, graph.TypePolicyLevel, graph.RelPolicyLevel)
		out[o] = &stated
	}
	return out
}
