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
	counts := d.counts
	switch {
	case f != nil && f.StatedOnly: // includeDerived: false
		stated := statedProfiles(s, d.profiles, refs)
		counts = count(func(r view.Ref) *profile { return stated[r] }, refs)
	case f != nil:
		counts = count(d.profiles.get, refs)
	}
	return loadFacets(s, counts, first), nil
}

// loadFacets loads the nodes of the counts. Only the entries kept are
// loaded: with first, the cost is that of the answer (and of a bounded
// heap over the counts), not of every node counted.
func loadFacets(s *view.Snapshot, c *facetCounts, first int) *graph.Facets {
	out := &graph.Facets{Total: c.total}
	load := func(counts map[view.Ref]int) []graph.FacetCount {
		list := make([]item, 0, len(counts))
		for r, n := range counts {
			list = append(list, item{r, n})
		}
		k := first
		if k == 0 {
			k = len(list)
		}
		best, _ := firstK(list, cmpItems(s), nil, k)
		fc := make([]graph.FacetCount, 0, len(best))
		for _, it := range best {
			if n := s.Node(it.ref); n != nil {
				fc = append(fc, graph.FacetCount{Node: n, Count: it.key})
			}
		}
		return fc
	}
	out.Themes = load(c.themes)
	out.PolicyLevels = load(c.levels)
	out.Places = load(c.places)
	out.Events = load(c.events)

	type cell struct {
		tl [2]view.Ref
		n  int
	}
	cells := make([]cell, 0, len(c.matrix))
	for tl, n := range c.matrix {
		cells = append(cells, cell{tl, n})
	}
	k := first
	if k == 0 {
		k = len(cells)
	}
	best, _ := firstK(cells, func(a, b cell) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		if c := cmpName(s, a.tl[0], b.tl[0]); c != 0 {
			return c
		}
		return cmpName(s, a.tl[1], b.tl[1])
	}, nil, k)
	out.ThemePolicyLevels = make([]graph.ThemeLevelCount, 0, len(best))
	for _, x := range best {
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
