package network

import (
	"cmp"
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// ties are an organization's partners (the organizations that took part
// in at least one same event), each with the number of events shared.
type ties struct {
	events []view.Ref // the organization's events, by name
	ties   []item     // partner and number of shared events, in no order
}

// partnerTies reads the ties of org: its events, and each event's
// participants once. It allocates per partner, not per participation.
func partnerTies(s *view.Snapshot, org view.Ref) ties {
	t := ties{events: s.LinkedRefs(org, true, graph.TypeEvent, view.ParticipationRels...)}
	index := map[view.Ref]int{}
	last := []view.Ref{} // per tie, the last event that counted it
	for _, ev := range t.events {
		for _, rel := range view.ParticipationRels {
			for _, e := range s.LinkRefs(ev, rel, false) {
				o := e.Other
				if o == org || s.Record(o).Type != graph.TypeOrganization {
					continue
				}
				i, ok := index[o]
				if !ok {
					i = len(t.ties)
					index[o] = i
					t.ties = append(t.ties, item{ref: o})
					last = append(last, -1)
				}
				if last[i] != ev {
					last[i] = ev
					t.ties[i].key++
				}
			}
		}
	}
	return t
}

// Partners pages through the organizations that took part in at least one
// same event as org, strongest tie (most shared events) first, then by
// name; or in p.Order (NAME, DEGREE, EVENTS) when it is set. An id that is
// no organization has no partners. The cost is that of org's events and
// their participants (a page is taken from them by a bounded heap, without
// sorting them all), plus, per partner on the page, what p.Shared asks:
// its events (SharedEvents) and, until every theme of org's is found, their
// themes (SharedThemes).
func Partners(s *view.Snapshot, id string, p graph.Page) (graph.Connection[graph.Partner], error) {
	const op = "partners"
	if err := checkOrder(op, p.Order); err != nil {
		return graph.Connection[graph.Partner]{}, err
	}
	var t ties
	org, ok := s.EntityRef(id)
	if ok && s.Record(org).Type == graph.TypeOrganization {
		t = partnerTies(s, org)
	}
	keyed := graph.Order("")
	if p.Order != "" {
		keyed = orderKeys(s, t.ties, p.Order)
	}
	page, cursors, hasNext, err := window(s, op, t.ties, false, keyed, p)
	if err != nil {
		return graph.Connection[graph.Partner]{}, err
	}
	conn := graph.Connection[graph.Partner]{TotalCount: len(t.ties), HasNextPage: hasNext}
	if len(page) == 0 {
		return conn, nil
	}
	var myEvents, mine map[view.Ref]bool
	if p.Shared&graph.SharedEvents != 0 {
		myEvents = make(map[view.Ref]bool, len(t.events))
		for _, ev := range t.events {
			myEvents[ev] = true
		}
	}
	if p.Shared&graph.SharedThemes != 0 {
		mine = themeSet(s, org, t.events)
	}
	conn.Items = make([]graph.Partner, 0, len(page))
	conn.Cursors = make([]string, 0, len(page))
	for i, it := range page {
		o, _ := s.Node(it.ref).(*graph.Organization)
		if o == nil {
			continue
		}
		partner := graph.Partner{Organization: o}
		if myEvents != nil {
			partner.SharedEvents = view.LoadRefs[*graph.Event](s, sharedEvents(s, it.ref, t.events, myEvents))
		}
		if mine != nil {
			partner.SharedThemes = view.LoadRefs[*graph.Theme](s, s.SortRefs(sharedThemes(s, it.ref, mine)))
		}
		conn.Items = append(conn.Items, partner)
		conn.Cursors = append(conn.Cursors, cursors[i])
	}
	return conn, nil
}

// eachEvent calls fn with every event org took part in, in any role (an
// event may come more than once), until fn returns false.
func eachEvent(s *view.Snapshot, org view.Ref, fn func(ev view.Ref) bool) {
	for _, rel := range view.ParticipationRels {
		for _, e := range s.LinkRefs(org, rel, true) {
			if s.Record(e.Other).Type == graph.TypeEvent && !fn(e.Other) {
				return
			}
		}
	}
}

// themesOf calls fn with the themes a source states for r (an
// organization or an event).
func themesOf(s *view.Snapshot, r view.Ref, fn func(t view.Ref)) {
	for _, e := range s.LinkRefs(r, graph.RelTheme, true) {
		if s.Record(e.Other).Type == graph.TypeTheme {
			fn(e.Other)
		}
	}
}

// themeSet returns the set of an organization's themes, stated or derived
// from its events.
func themeSet(s *view.Snapshot, org view.Ref, events []view.Ref) map[view.Ref]bool {
	set := map[view.Ref]bool{}
	add := func(t view.Ref) { set[t] = true }
	themesOf(s, org, add)
	for _, ev := range events {
		themesOf(s, ev, add)
	}
	return set
}

// participationCount counts the participation quads of an organization:
// the cost of walking its events.
func participationCount(s *view.Snapshot, org view.Ref) int {
	n := 0
	for _, rel := range view.ParticipationRels {
		n += len(s.LinkRefs(org, rel, true))
	}
	return n
}

// participated reports whether org took part in ev, in any role: a binary
// search of its participations (LinkRefs come in ref order).
func participated(s *view.Snapshot, org, ev view.Ref) bool {
	for _, rel := range view.ParticipationRels {
		if _, ok := slices.BinarySearchFunc(s.LinkRefs(org, rel, true), ev, func(e view.Edge, r view.Ref) int { return cmp.Compare(e.Other, r) }); ok {
			return true
		}
	}
	return false
}

// sharedEvents returns the events of mine (by name; set: the same as a set)
// that partner took part in too, by name. It walks the shorter side: the
// partner's events, or mine with a binary search of the partner's each, so
// a hub partner costs no more than the organization asked about.
func sharedEvents(s *view.Snapshot, partner view.Ref, mine []view.Ref, set map[view.Ref]bool) []view.Ref {
	var out []view.Ref
	if participationCount(s, partner) <= len(mine) {
		eachEvent(s, partner, func(ev view.Ref) bool {
			if set[ev] {
				out = append(out, ev)
			}
			return true
		})
		return s.SortRefs(out)
	}
	for _, ev := range mine {
		if participated(s, partner, ev) {
			out = append(out, ev)
		}
	}
	return out
}

// sharedThemes returns the themes of mine that org has too, stated or
// derived (in no order). For the themes a source does not state for org it
// walks the shorter side: org's events until every theme of mine is found
// (a hub partner usually has them all after a few), or the subjects of
// each theme missing, checking those that are events org took part in.
func sharedThemes(s *view.Snapshot, org view.Ref, mine map[view.Ref]bool) []view.Ref {
	if len(mine) == 0 {
		return nil
	}
	var both []view.Ref
	found := map[view.Ref]bool{}
	add := func(t view.Ref) {
		if mine[t] && !found[t] {
			found[t] = true
			both = append(both, t)
		}
	}
	themesOf(s, org, add)
	if len(both) == len(mine) {
		return both
	}
	byTheme := 0
	for t := range mine {
		if !found[t] {
			byTheme += len(s.LinkRefs(t, graph.RelTheme, false))
		}
	}
	if participationCount(s, org) <= byTheme {
		eachEvent(s, org, func(ev view.Ref) bool {
			themesOf(s, ev, add)
			return len(both) < len(mine)
		})
		return both
	}
	for t := range mine {
		if found[t] {
			continue
		}
		for _, e := range s.LinkRefs(t, graph.RelTheme, false) {
			if s.Record(e.Other).Type == graph.TypeEvent && participated(s, org, e.Other) {
				add(t)
				break
			}
		}
	}
	return both
}

// uniqueRefs sorts refs by number and drops duplicates, in place.
func uniqueRefs(refs []view.Ref) []view.Ref {
	slices.Sort(refs)
	return slices.Compact(refs)
}
