package network

import (
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
	list := items(refs)
	keyed := orderKeys(s, list, p.Order)
	page, cursors, hasNext, err := window(s, op, list, keyed == "", keyed, p)
	if err != nil {
		return graph.Connection[*graph.Organization]{}, err
	}
	c := graph.Connection[*graph.Organization]{TotalCount: len(list), HasNextPage: hasNext, Items: []*graph.Organization{}}
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

// filterSets returns one set of organizations per filter condition. Each
// starts from the snapshot's relations, never from a scan of every node
// (but for nameContains without a matcher).
func filterSets(s *view.Snapshot, op string, f graph.OrganizationFilter, names NameMatcher) ([]map[view.Ref]bool, error) {
	var sets []map[view.Ref]bool
	check := func(field string, ids []string, t graph.NodeType) error {
		for _, id := range ids {
			if s.TypeOf(id) != t {
				return graph.Suggested(graph.CodeInvalid, op, s.Suggest(id, t), "filter.%s: no %s with id %q", field, typeWords(t), id)
			}
		}
		return nil
	}
	add := func(set map[view.Ref]bool, ids []string) map[view.Ref]bool {
		if set == nil {
			set = make(map[view.Ref]bool, len(ids))
		}
		for _, r := range s.Refs(ids) {
			set[r] = true
		}
		return set
	}
	each := func(field string, ids []string, t graph.NodeType, fn func(string) []string) error {
		if err := check(field, ids, t); err != nil {
			return err
		}
		for _, id := range ids {
			sets = append(sets, add(nil, fn(id)))
		}
		return nil
	}
	withTheme, atLevel := s.OrgsWithThemeTree, s.OrgsAtLevel
	if f.StatedOnly { // includeDerived: false
		withTheme, atLevel = s.StatedOrgsWithThemeTree, s.StatedOrgsAtLevel
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
			union = add(union, withTheme(id))
		}
		sets = append(sets, union)
	}
	if err := each("policyLevels", f.PolicyLevels, graph.TypePolicyLevel, atLevel); err != nil {
		return nil, err
	}
	if err := each("events", f.Events, graph.TypeEvent, s.ParticipantsOf); err != nil {
		return nil, err
	}
	inPlace := func(id string) []string { return s.Linked(id, false, graph.TypeOrganization, graph.RelPlace) }
	if err := each("places", f.Places, graph.TypePlace, inPlace); err != nil {
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
		sets = append(sets, set)
	}
	return sets, nil
}

// typeWords names a node type in a message: "policy level", "theme".
func typeWords(t graph.NodeType) string {
	if t == graph.TypePolicyLevel {
		return "policy level"
	}
	return strings.ToLower(string(t))
}

// intersect returns the refs of all (ordered by name) that are in every
// set, ordered by name; with no sets, all. It walks and sorts the smallest
// set, or, when that set is large enough that sorting it costs more, walks
// all.
func intersect(s *view.Snapshot, all []view.Ref, sets []map[view.Ref]bool) []view.Ref {
	if len(sets) == 0 {
		return all
	}
	smallest := sets[0]
	for _, set := range sets[1:] {
		if len(set) < len(smallest) {
			smallest = set
		}
	}
	inAll := func(r view.Ref) bool {
		for _, set := range sets {
			if !set[r] {
				return false
			}
		}
		return true
	}
	out := []view.Ref{}
	if len(smallest)*16 >= len(all) {
		// A large set: walking the ordered list costs less than sorting.
		for _, r := range all {
			if inAll(r) {
				out = append(out, r)
			}
		}
		return out
	}
	for r := range smallest {
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
