package graph

import (
	"context"
	"sort"
)

// Partners pages through the organizations that took part in at least one
// same event as org, strongest tie (most shared events) first, then by name;
// or in p.Order (NAME, DEGREE, EVENTS) when it is set.
func (s *CayleyStore) Partners(ctx context.Context, org string, p Page) (Connection[Partner], error) {
	const op = "partners"
	s.mu.RLock()
	defer s.mu.RUnlock()
	shared, order, err := s.partnerTies(ctx, org)
	if err != nil {
		return Connection[Partner]{}, Internal(op, err)
	}
	var (
		start, end int
		cursor     = Cursor
	)
	if p.Order == "" {
		start, end, err = Window(op, order, p)
	} else {
		order = append([]string(nil), order...)
		s.cat.sortByName(order)
		order, start, end, cursor, err = s.orderedWindow(ctx, op, order, p)
	}
	if err != nil {
		return Connection[Partner]{}, Internal(op, err)
	}
	conn := Connection[Partner]{TotalCount: len(order), HasNextPage: end < len(order)}
	if start == end {
		return conn, nil
	}
	mine, err := s.themeIDs(ctx, org)
	if err != nil {
		return Connection[Partner]{}, Internal(op, err)
	}
	for _, id := range order[start:end] {
		partner, err := s.partner(ctx, id, shared[id], mine)
		if err != nil {
			return Connection[Partner]{}, Internal(op, err)
		}
		conn.Items = append(conn.Items, partner)
		conn.Cursors = append(conn.Cursors, cursor(id))
	}
	return conn, nil
}

// partnerTies maps each partner of org to the events they share, and orders
// the partners. Callers hold s.mu.
func (s *CayleyStore) partnerTies(ctx context.Context, org string) (map[string][]string, []string, error) {
	events, err := s.eventsOf(ctx, org)
	if err != nil {
		return nil, nil, err
	}
	shared := map[string][]string{}
	for _, ev := range events {
		orgs, err := s.participantsOf(ctx, ev)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range orgs {
			if o != org {
				shared[o] = append(shared[o], ev)
			}
		}
	}
	order := make([]string, 0, len(shared))
	for o := range shared {
		order = append(order, o)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if len(shared[a]) != len(shared[b]) {
			return len(shared[a]) > len(shared[b])
		}
		return s.cat.less(a, b)
	})
	return shared, order, nil
}

// partner loads one partner with its shared events and the themes it shares
// with an organization whose theme ids are mine. Callers hold s.mu.
func (s *CayleyStore) partner(ctx context.Context, id string, events []string, mine map[string]bool) (Partner, error) {
	p := Partner{}
	orgs, err := loadAs[*Organization](ctx, s, []string{id})
	if err != nil || len(orgs) == 0 {
		return p, err
	}
	p.Organization = orgs[0]
	s.cat.sortByName(events)
	if p.SharedEvents, err = loadAs[*Event](ctx, s, events); err != nil {
		return p, err
	}
	linked := func(id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
		return s.linked(ctx, id, forward, t, rels...)
	}
	eachEvent := func(org string, fn func(string) bool) error { return s.eachEventOf(ctx, org, fn) }
	both, err := sharedThemeIDs(id, mine, linked, eachEvent)
	if err != nil {
		return p, err
	}
	s.cat.sortByName(both)
	p.SharedThemes, err = loadAs[*Theme](ctx, s, both)
	return p, err
}

// sharedThemeIDs returns the themes of mine that org has too, stated or
// derived (in no order), reading relations with linked and org's events
// with eachEvent. It reads org's events only until every theme of mine is
// found: a hub partner with thousands of events usually has them all after
// a few, and a page of partners then costs its partners, not their degrees.
func sharedThemeIDs(org string, mine map[string]bool,
	linked func(id string, forward bool, t NodeType, rels ...Relation) ([]string, error),
	eachEvent func(org string, fn func(ev string) bool) error,
) ([]string, error) {
	found := map[string]bool{}
	var both []string
	add := func(themes []string) {
		for _, t := range themes {
			if mine[t] && !found[t] {
				found[t] = true
				both = append(both, t)
			}
		}
	}
	stated, err := linked(org, true, TypeTheme, RelTheme)
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	add(stated)
	if len(found) == len(mine) {
		return both, nil
	}
	var linkErr error
	err = eachEvent(org, func(ev string) bool {
		var themes []string
		if themes, linkErr = linked(ev, true, TypeTheme, RelTheme); linkErr != nil {
			return false
		}
		add(themes)
		return len(found) < len(mine)
	})
	if err == nil {
		err = linkErr
	}
	return both, err
}

// themeIDs returns the set of an organization's themes, stated or derived.
// Callers hold s.mu.
func (s *CayleyStore) themeIDs(ctx context.Context, org string) (map[string]bool, error) {
	links, err := s.themeLinks(ctx, org)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(links))
	for _, l := range links {
		set[l.ThemeID] = true
	}
	return set, nil
}
