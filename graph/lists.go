package graph

import (
	"context"
	"strings"
)

// pageOf computes an ordered id list under the read lock and loads one page
// of it.
func pageOf[T Node](ctx context.Context, s *CayleyStore, op string, p Page, list func() ([]string, error)) (Connection[T], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, err := list()
	if err != nil {
		return Connection[T]{}, Internal(op, err)
	}
	start, end, err := Window(op, ids, p)
	if err != nil {
		return Connection[T]{}, err
	}
	items, err := loadAs[T](ctx, s, ids[start:end])
	if err != nil {
		return Connection[T]{}, Internal(op, err)
	}
	c := Connection[T]{TotalCount: len(ids), Items: items, HasNextPage: end < len(ids)}
	for _, it := range items {
		c.Cursors = append(c.Cursors, Cursor(it.NodeID()))
	}
	return c, nil
}

// allOf lists every entity of a type, by name.
func allOf[T Node](ctx context.Context, s *CayleyStore, op string, t NodeType) ([]T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out, err := loadAs[T](ctx, s, s.cat.byType[t])
	return out, Internal(op, err)
}

// Events pages through every event, by name.
func (s *CayleyStore) Events(ctx context.Context, p Page) (Connection[*Event], error) {
	return pageOf[*Event](ctx, s, "events", p, func() ([]string, error) { return s.cat.byType[TypeEvent], nil })
}

// People pages through every person, by name.
func (s *CayleyStore) People(ctx context.Context, p Page) (Connection[*Person], error) {
	return pageOf[*Person](ctx, s, "people", p, func() ([]string, error) { return s.cat.byType[TypePerson], nil })
}

// Themes lists every theme, by name.
func (s *CayleyStore) Themes(ctx context.Context) ([]*Theme, error) {
	return allOf[*Theme](ctx, s, "themes", TypeTheme)
}

// PolicyLevels lists the policy levels, by name.
func (s *CayleyStore) PolicyLevels(ctx context.Context) ([]*PolicyLevel, error) {
	return allOf[*PolicyLevel](ctx, s, "policy levels", TypePolicyLevel)
}

// Places lists every place, by name.
func (s *CayleyStore) Places(ctx context.Context) ([]*Place, error) {
	return allOf[*Place](ctx, s, "places", TypePlace)
}

// Organizations pages through the organizations that pass every field of
// the filter, by name or in p.Order. Each filter field starts from an index
// (a relation quad index or the catalog), never from a scan of every node.
func (s *CayleyStore) Organizations(ctx context.Context, f OrganizationFilter, p Page) (Connection[*Organization], error) {
	const op = "organizations"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, err := s.filtered(ctx, op, f)
	if err != nil {
		return Connection[*Organization]{}, Internal(op, err)
	}
	return s.orderedPage(ctx, op, ids, p)
}

// filterSets returns one id set per filter condition. Callers hold s.mu.
func (s *CayleyStore) filterSets(ctx context.Context, op string, f OrganizationFilter) ([]map[string]bool, error) {
	var sets []map[string]bool
	check := func(field string, ids []string, t NodeType) error {
		for _, id := range ids {
			if s.cat.typeOf(id) != t {
				return Errorf(CodeInvalid, op, "filter.%s: no %s with id %q", field, strings.ToLower(string(t)), id)
			}
		}
		return nil
	}
	each := func(field string, ids []string, t NodeType, fn func(context.Context, string) ([]string, error)) error {
		if err := check(field, ids, t); err != nil {
			return err
		}
		for _, id := range ids {
			got, err := fn(ctx, id)
			if err != nil {
				return err
			}
			sets = append(sets, toSet(got))
		}
		return nil
	}
	if err := each("themes", f.Themes, TypeTheme, s.orgsWithThemeTree); err != nil {
		return nil, err
	}
	if f.AnyThemes != nil {
		if err := check("anyThemes", f.AnyThemes, TypeTheme); err != nil {
			return nil, err
		}
		union := map[string]bool{}
		for _, id := range f.AnyThemes {
			got, err := s.orgsWithThemeTree(ctx, id)
			if err != nil {
				return nil, err
			}
			for _, o := range got {
				union[o] = true
			}
		}
		sets = append(sets, union)
	}
	if err := each("policyLevels", f.PolicyLevels, TypePolicyLevel, s.orgsAtLevel); err != nil {
		return nil, err
	}
	if err := each("events", f.Events, TypeEvent, s.participantsOf); err != nil {
		return nil, err
	}
	inPlace := func(ctx context.Context, id string) ([]string, error) {
		return s.linked(ctx, id, false, TypeOrganization, RelPlace)
	}
	if err := each("places", f.Places, TypePlace, inPlace); err != nil {
		return nil, err
	}
	if f.NameContains != "" {
		set := map[string]bool{}
		for _, m := range s.cat.match(f.NameContains, true, 0, TypeOrganization) {
			set[m.id] = true
		}
		sets = append(sets, set)
	}
	return sets, nil
}

func toSet(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// intersect returns the ids of all (ordered by name) that are in every set,
// ordered by name; with no sets, all. It walks and sorts the smallest set,
// or, when that set is large enough that sorting it costs more, walks all.
func (c *catalog) intersect(all []string, sets []map[string]bool) []string {
	if len(sets) == 0 {
		return all
	}
	smallest := sets[0]
	for _, set := range sets[1:] {
		if len(set) < len(smallest) {
			smallest = set
		}
	}
	inAll := func(id string) bool {
		for _, set := range sets {
			if !set[id] {
				return false
			}
		}
		return true
	}
	var out []string
	if len(smallest)*16 >= len(all) {
		// A large set: walking the ordered list costs less than sorting.
		for _, id := range all {
			if inAll(id) {
				out = append(out, id)
			}
		}
		return out
	}
	for id := range smallest {
		if inAll(id) {
			out = append(out, id)
		}
	}
	c.sortByName(out)
	return out
}
