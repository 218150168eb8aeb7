package network

import (
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// NameMatcher returns the ids of the organizations whose name or an alias
// contains q (case- and accent-insensitive), in any order: the search
// index's answer to a nameContains filter. The matcher must read the same
// snapshot as the question it serves.
type NameMatcher func(q string) []string

// Organizations pages through the organizations that pass every field of
// the filter, by name or in p.Order (NAME, DEGREE, EVENTS). names answers
// f.NameContains; nil scans the names and aliases of every organization of
// s (ScanNames).
func Organizations(s *view.Snapshot, f graph.OrganizationFilter, p graph.Page, names NameMatcher) (graph.Connection[*graph.Organization], error) {
	const op = "organizations"
	if err := checkOrder(op, p.Order); err != nil {
		return graph.Connection[*graph.Organization]{}, err
	}
	refs, err := filtered(s, op, f, names)
	if err != nil {
		return graph.Connection[*graph.Organization]{}, err
	}
	var page []item
	var cursors []string
	var hasNext bool
	total := len(refs)
	if p.Order == "" || p.Order == graph.OrderName {
		// refs are by name already: only the page is wrapped.
		page, cursors, hasNext, err = pageByName(s, op, refs, p)
	} else {
		list := items(refs)
		keyed := orderKeys(s, list, p.Order)
		page, cursors, hasNext, err = window(s, op, list, keyed == "", keyed, p)
	}
	if err != nil {
		return graph.Connection[*graph.Organization]{}, err
	}
	c := graph.Connection[*graph.Organization]{TotalCount: total, HasNextPage: hasNext, Items: []*graph.Organization{}}
	for i, it := range page {
		if o, ok := s.Node(it.ref).(*graph.Organization); ok {
			c.Items = append(c.Items, o)
			c.Cursors = append(c.Cursors, cursors[i])
		}
	}
	return c, nil
}

// FilterRefs lists the organizations of s that pass every field of the
// filter, by name: the list Organizations pages through (names as there).
// op names the operation in errors.
func FilterRefs(s *view.Snapshot, op string, f graph.OrganizationFilter, names NameMatcher) ([]view.Ref, error) {
	return filtered(s, op, f, names)
}

// filtered lists the organizations that pass a filter, by name.
func filtered(s *view.Snapshot, op string, f graph.OrganizationFilter, names NameMatcher) ([]view.Ref, error) {
	if len(f.NameContains) > 200 {
		return nil, graph.Errorf(graph.CodeLimit, op, "nameContains must be at most 200 bytes")
	}
	sets, err := filterSets(s, op, f, names)
	if err != nil {
		return nil, err
	}
	return intersect(s, s.ByType(graph.TypeOrganization), sets), nil
}

// cond is the organizations one filter condition selects: as a set, and,
// when the derived data lists them, by name too (byName, whose set is made
// only if asked for).
type cond struct {
	set    map[view.Ref]bool
	byName []view.Ref
}

func (c *cond) size() int {
	if c.byName != nil {
		return len(c.byName)
	}
	return len(c.set)
}

// has reports whether the condition selects r.
func (c *cond) has(r view.Ref) bool {
	if c.set == nil {
		c.set = make(map[view.Ref]bool, len(c.byName))
		for _, x := range c.byName {
			c.set[x] = true
		}
	}
	return c.set[r]
}

// filterSets returns one condition per filter field value. Each starts
// from the snapshot's relations or the derived data (its organizations of
// each theme and policy level, by name), never from a scan of every node
// (but for nameContains without a matcher).
func filterSets(s *view.Snapshot, op string, f graph.OrganizationFilter, names NameMatcher) ([]*cond, error) {
	var conds []*cond
	check := func(field string, ids []string, t graph.NodeType) error {
		for _, id := range ids {
			if s.TypeOf(id) != t {
				return graph.Suggested(graph.CodeInvalid, op, s.Suggest(id, t), "filter.%s: no %s with id %q", field, typeWords(t), id)
			}
		}
		return nil
	}
	add := func(set map[view.Ref]bool, refs []view.Ref) map[view.Ref]bool {
		if set == nil {
			set = make(map[view.Ref]bool, len(refs))
		}
		for _, r := range refs {
			set[r] = true
		}
		return set
	}
	each := func(field string, ids []string, t graph.NodeType, fn func(string) *cond) error {
		if err := check(field, ids, t); err != nil {
			return err
		}
		for _, id := range ids {
			conds = append(conds, fn(id))
		}
		return nil
	}
	refsOf := func(list func(string) []string) func(string) *cond {
		return func(id string) *cond { return &cond{set: add(nil, s.Refs(list(id)))} }
	}
	withTheme, atLevel := refsOf(s.StatedOrgsWithThemeTree), refsOf(s.StatedOrgsAtLevel)
	if !f.StatedOnly && (len(f.Themes) > 0 || len(f.AnyThemes) > 0 || len(f.PolicyLevels) > 0) {
		d := wholeGraph.get(s)
		withTheme = func(id string) *cond {
			tree := s.Refs(s.ThemeAndNarrower(id))
			if len(tree) == 1 {
				return &cond{byName: d.themeOrgs[tree[0]]}
			}
			var set map[view.Ref]bool
			for _, t := range tree {
				set = add(set, d.themeOrgs[t])
			}
			return &cond{set: set}
		}
		atLevel = func(id string) *cond {
			r, _ := s.EntityRef(id)
			return &cond{byName: d.levelOrgs[r]}
		}
	}
	if err := each("themes", f.Themes, graph.TypeTheme, withTheme); err != nil {
		return nil, err
	}
	if f.AnyThemes != nil {
		if err := check("anyThemes", f.AnyThemes, graph.TypeTheme); err != nil {
			return nil, err
		}
		union := map[view.Ref]bool{}
		for _, id := range f.AnyThemes {
			c := withTheme(id)
			if c.set == nil {
				union = add(union, c.byName)
			}
			for r := range c.set {
				union[r] = true
			}
		}
		conds = append(conds, &cond{set: union})
	}
	if err := each("policyLevels", f.PolicyLevels, graph.TypePolicyLevel, atLevel); err != nil {
		return nil, err
	}
	if err := each("events", f.Events, graph.TypeEvent, refsOf(s.ParticipantsOf)); err != nil {
		return nil, err
	}
	inPlace := func(id string) []string { return s.Linked(id, false, graph.TypeOrganization, graph.RelPlace) }
	if err := each("places", f.Places, graph.TypePlace, refsOf(inPlace)); err != nil {
		return nil, err
	}
	if f.NameContains != "" {
		if names == nil {
			names = func(q string) []string { return ScanNames(s, q) }
		}
		set := map[view.Ref]bool{}
		for _, r := range s.Refs(names(f.NameContains)) {
			if s.Record(r).Type == graph.TypeOrganization {
				set[r] = true
			}
		}
		conds = append(conds, &cond{set: set})
	}
	return conds, nil
}

// typeWords names a node type in a message: "policy level", "theme".
func typeWords(t graph.NodeType) string {
	if t == graph.TypePolicyLevel {
		return "policy level"
	}
	return strings.ToLower(string(t))
}

// intersect returns the refs of all (ordered by name) that every condition
// selects, ordered by name; with no conditions, all. It walks the smallest
// condition: in order when the derived data lists it by name (a single
// such condition is its own answer); otherwise sorting what passes, or,
// when the set is large enough that sorting it costs more, walking all.
func intersect(s *view.Snapshot, all []view.Ref, conds []*cond) []view.Ref {
	if len(conds) == 0 {
		return all
	}
	smallest := conds[0]
	for _, c := range conds[1:] {
		if c.size() < smallest.size() {
			smallest = c
		}
	}
	inAll := func(r view.Ref) bool {
		for _, c := range conds {
			if c != smallest && !c.has(r) {
				return false
			}
		}
		return true
	}
	out := []view.Ref{}
	switch {
	case smallest.byName != nil && len(conds) == 1:
		return slices.Clip(smallest.byName) // shared with the derived data: callers never change it
	case smallest.byName != nil:
		for _, r := range smallest.byName {
			if inAll(r) {
				out = append(out, r)
			}
		}
		return out
	case smallest.size()*16 >= len(all):
		// A large set: walking the ordered list costs less than sorting.
		for _, r := range all {
			if smallest.set[r] && inAll(r) {
				out = append(out, r)
			}
		}
		return out
	}
	for r := range smallest.set {
		if inAll(r) {
			out = append(out, r)
		}
	}
	return s.SortRefs(out)
}

// ScanNames returns the organizations of s whose name or an alias contains
// q as the search index matches names (graph.Fold of both; a query shorter
// than three characters matches the start of a word), by name. It reads
// every organization: O(organizations), the stand-in for the search index.
func ScanNames(s *view.Snapshot, q string) []string {
	q = graph.Fold(q)
	if q == "" {
		return nil
	}
	match := func(text string) bool {
		if len(q) >= 3 {
			return strings.Contains(text, q)
		}
		return strings.Contains(" "+text, " "+q)
	}
	var out []string
	for _, r := range s.ByType(graph.TypeOrganization) {
		rec := s.Record(r)
		if match(rec.NameKey) {
			out = append(out, rec.Key)
			continue
		}
		o, _ := s.Node(r).(*graph.Organization)
		if o == nil {
			continue
		}
		for _, a := range o.Aliases {
			if match(graph.Fold(a)) {
				out = append(out, rec.Key)
				break
			}
		}
	}
	return out
}
