package live

import (
	"context"
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// one returns the entity id as a T, or nil.
func one[T graph.Node](g *Graph, ctx context.Context, id string) (T, error) {
	t, _ := g.snap(ctx).NodeByID(id).(T)
	return t, nil
}

// Node returns any entity by id; nil when there is none.
func (g *Graph) Node(ctx context.Context, id string) (graph.Node, error) {
	return one[graph.Node](g, ctx, id)
}

// Organization returns an organization; nil when there is none.
func (g *Graph) Organization(ctx context.Context, id string) (*graph.Organization, error) {
	return one[*graph.Organization](g, ctx, id)
}

// Event returns an event; nil when there is none.
func (g *Graph) Event(ctx context.Context, id string) (*graph.Event, error) {
	return one[*graph.Event](g, ctx, id)
}

// Person returns a person; nil when there is none.
func (g *Graph) Person(ctx context.Context, id string) (*graph.Person, error) {
	return one[*graph.Person](g, ctx, id)
}

// Theme returns a theme; nil when there is none.
func (g *Graph) Theme(ctx context.Context, id string) (*graph.Theme, error) {
	return one[*graph.Theme](g, ctx, id)
}

// Source returns a source; nil when there is none.
func (g *Graph) Source(ctx context.Context, id string) (*graph.Source, error) {
	return g.snap(ctx).Source(id), nil
}

// Sources lists every source, by id.
func (g *Graph) Sources(ctx context.Context) ([]*graph.Source, error) {
	return g.snap(ctx).Sources(), nil
}

// SourceAuthors lists the people who wrote a source.
func (g *Graph) SourceAuthors(ctx context.Context, id string) ([]*graph.Person, error) {
	s := g.snap(ctx)
	src := s.Source(id)
	if src == nil {
		return []*graph.Person{}, nil
	}
	return view.Load[*graph.Person](s, src.Authors), nil // in the document's order
}

// PersonAuthored lists the sources a person wrote, first those they are
// the first author of (view.Snapshot.Authored).
func (g *Graph) PersonAuthored(ctx context.Context, id string) ([]*graph.Source, error) {
	return g.snap(ctx).Authored(id), nil
}

// Figures lists the figures about a node, or every figure when about is "".
func (g *Graph) Figures(ctx context.Context, about string) ([]*graph.Figure, error) {
	return g.snap(ctx).Figures(about), nil
}

// page returns one page of an ordered list of ids.
func page[T graph.Node](s *view.Snapshot, op string, ids []string, p graph.Page) (graph.Connection[T], error) {
	start, end, err := graph.Window(op, ids, p)
	if err != nil {
		return graph.Connection[T]{}, err
	}
	items := view.Load[T](s, ids[start:end])
	c := graph.Connection[T]{TotalCount: len(ids), Items: items, HasNextPage: end < len(ids)}
	for _, it := range items {
		c.Cursors = append(c.Cursors, graph.Cursor(it.NodeID()))
	}
	return c, nil
}

// pageOfType returns one page of every entity of a type, by name.
func pageOfType[T graph.Node](s *view.Snapshot, op string, t graph.NodeType, p graph.Page) (graph.Connection[T], error) {
	refs := s.ByType(t)
	start := 0
	if p.After != "" {
		after, err := graph.ParseCursor(op, p.After)
		if err != nil {
			return graph.Connection[T]{}, err
		}
		r, ok := s.EntityRef(after)
		at := -1
		if ok && s.TypeOf(after) == t {
			at, _ = slices.BinarySearchFunc(refs, r, func(a, b view.Ref) int { return s.CompareByName(a, b) })
		}
		if at < 0 || at >= len(refs) || refs[at] != r {
			return graph.Connection[T]{}, graph.Errorf(graph.CodeInvalid, op, "cursor %q does not point into this list", p.After)
		}
		start = at + 1
	}
	if p.First < 0 {
		return graph.Connection[T]{}, graph.Errorf(graph.CodeInvalid, op, "first must not be negative")
	}
	if p.First > graph.MaxPageSize {
		return graph.Connection[T]{}, graph.Errorf(graph.CodeLimit, op, "first must be at most %d", graph.MaxPageSize)
	}
	end := min(start+p.First, len(refs))
	items := view.LoadRefs[T](s, refs[start:end])
	c := graph.Connection[T]{TotalCount: len(refs), Items: items, HasNextPage: end < len(refs)}
	for _, it := range items {
		c.Cursors = append(c.Cursors, graph.Cursor(it.NodeID()))
	}
	return c, nil
}

// Events pages through every event, by name.
func (g *Graph) Events(ctx context.Context, p graph.Page) (graph.Connection[*graph.Event], error) {
	return pageOfType[*graph.Event](g.snap(ctx), "events", graph.TypeEvent, p)
}

// People pages through every person, by name.
func (g *Graph) People(ctx context.Context, p graph.Page) (graph.Connection[*graph.Person], error) {
	return pageOfType[*graph.Person](g.snap(ctx), "people", graph.TypePerson, p)
}

func allOf[T graph.Node](g *Graph, ctx context.Context, t graph.NodeType) ([]T, error) {
	s := g.snap(ctx)
	return view.LoadRefs[T](s, s.ByType(t)), nil
}

// Themes lists every theme, by name.
func (g *Graph) Themes(ctx context.Context) ([]*graph.Theme, error) {
	return allOf[*graph.Theme](g, ctx, graph.TypeTheme)
}

// PolicyLevels lists the policy levels, by name.
func (g *Graph) PolicyLevels(ctx context.Context) ([]*graph.PolicyLevel, error) {
	return allOf[*graph.PolicyLevel](g, ctx, graph.TypePolicyLevel)
}

// Places lists every place, by name.
func (g *Graph) Places(ctx context.Context) ([]*graph.Place, error) {
	return allOf[*graph.Place](g, ctx, graph.TypePlace)
}

// related lists the entities of Go type T linked to id by hop.
func related[T graph.Node](g *Graph, ctx context.Context, id string, hop graph.Hop) ([]T, error) {
	s := g.snap(ctx)
	r, ok := s.EntityRef(id)
	if !ok {
		return []T{}, nil
	}
	return view.LoadRefs[T](s, s.LinkedInOrder(r, hop.Forward, hop.To, hop.Relation)), nil
}

// OrganizationPlaces lists the places of an organization.
func (g *Graph) OrganizationPlaces(ctx context.Context, id string) ([]*graph.Place, error) {
	return related[*graph.Place](g, ctx, id, graph.HopOrganizationPlaces)
}

// EventParent returns the event an event is part of, or nil.
func (g *Graph) EventParent(ctx context.Context, id string) (*graph.Event, error) {
	parents, err := related[*graph.Event](g, ctx, id, graph.HopEventParent)
	if len(parents) == 0 {
		return nil, err
	}
	return parents[0], err
}

// EventParts lists the events that are part of an event.
func (g *Graph) EventParts(ctx context.Context, id string) ([]*graph.Event, error) {
	return related[*graph.Event](g, ctx, id, graph.HopEventParts)
}

// EventHosts lists the organizations that hosted an event.
func (g *Graph) EventHosts(ctx context.Context, id string) ([]*graph.Organization, error) {
	return related[*graph.Organization](g, ctx, id, graph.HopEventHosts)
}

// EventSpeakers lists the people who spoke at an event.
func (g *Graph) EventSpeakers(ctx context.Context, id string) ([]*graph.Person, error) {
	return related[*graph.Person](g, ctx, id, graph.HopEventSpeakers)
}

// EventThemes lists the themes an event discussed.
func (g *Graph) EventThemes(ctx context.Context, id string) ([]*graph.Theme, error) {
	return related[*graph.Theme](g, ctx, id, graph.HopEventThemes)
}

// EventPlaces lists the places an event is tied to.
func (g *Graph) EventPlaces(ctx context.Context, id string) ([]*graph.Place, error) {
	return related[*graph.Place](g, ctx, id, graph.HopEventPlaces)
}

// PersonEvents lists the events a person spoke at.
func (g *Graph) PersonEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	return related[*graph.Event](g, ctx, id, graph.HopPersonEvents)
}

// ThemeEvents lists the events that discussed a theme.
func (g *Graph) ThemeEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	return related[*graph.Event](g, ctx, id, graph.HopThemeEvents)
}

// ThemePolicyLevels lists the policy levels a theme is tied to.
func (g *Graph) ThemePolicyLevels(ctx context.Context, id string) ([]*graph.PolicyLevel, error) {
	return related[*graph.PolicyLevel](g, ctx, id, graph.HopThemePolicyLevels)
}

// PolicyLevelThemes lists the themes tied to a policy level.
func (g *Graph) PolicyLevelThemes(ctx context.Context, id string) ([]*graph.Theme, error) {
	return related[*graph.Theme](g, ctx, id, graph.HopPolicyLevelThemes)
}

// PlaceOrganizations lists the organizations in a place.
func (g *Graph) PlaceOrganizations(ctx context.Context, id string) ([]*graph.Organization, error) {
	return related[*graph.Organization](g, ctx, id, graph.HopPlaceOrganizations)
}

// PlaceEvents lists the events tied to a place.
func (g *Graph) PlaceEvents(ctx context.Context, id string) ([]*graph.Event, error) {
	return related[*graph.Event](g, ctx, id, graph.HopPlaceEvents)
}

// ThemeBroader lists the themes a theme is narrower than.
func (g *Graph) ThemeBroader(ctx context.Context, id string) ([]*graph.Theme, error) {
	return related[*graph.Theme](g, ctx, id, graph.Hop{Relation: graph.RelBroader, Forward: true, To: graph.TypeTheme})
}

// ThemeNarrower lists the themes narrower than a theme.
func (g *Graph) ThemeNarrower(ctx context.Context, id string) ([]*graph.Theme, error) {
	return related[*graph.Theme](g, ctx, id, graph.Hop{Relation: graph.RelBroader, Forward: false, To: graph.TypeTheme})
}

// OrganizationThemes lists an organization's themes, stated and derived,
// by theme name.
func (g *Graph) OrganizationThemes(ctx context.Context, id string) ([]graph.ThemeLink, error) {
	return g.snap(ctx).ThemeLinks(id), nil
}

// OrganizationPolicyLevels lists an organization's policy levels, stated or
// derived through its themes.
func (g *Graph) OrganizationPolicyLevels(ctx context.Context, id string) ([]*graph.PolicyLevel, error) {
	s := g.snap(ctx)
	return view.Load[*graph.PolicyLevel](s, s.LevelsOf(id)), nil
}

// OrganizationPolicyLevelLinks lists an organization's policy levels, each
// stated or derived through its themes.
func (g *Graph) OrganizationPolicyLevelLinks(ctx context.Context, id string) ([]graph.PolicyLevelLink, error) {
	return g.snap(ctx).LevelLinks(id), nil
}

// OrganizationParticipations lists an organization's parts in events, by
// event date (undated last), then event name, then role.
func (g *Graph) OrganizationParticipations(ctx context.Context, id string) ([]graph.Participation, error) {
	s := g.snap(ctx)
	ps := s.Participations(id, true)
	date := func(ev string) string {
		if e, ok := s.NodeByID(ev).(*graph.Event); ok && e.StartDate != nil {
			return *e.StartDate
		}
		return "9999" // undated last
	}
	slices.SortStableFunc(ps, func(a, b graph.Participation) int {
		if da, db := date(a.EventID), date(b.EventID); da != db {
			return strings.Compare(da, db)
		}
		if a.EventID != b.EventID {
			return byName(s, a.EventID, b.EventID)
		}
		return strings.Compare(string(a.Role), string(b.Role))
	})
	return ps, nil
}

func byName(s *view.Snapshot, a, b string) int {
	switch {
	case s.Less(a, b):
		return -1
	case s.Less(b, a):
		return 1
	}
	return 0
}

// EventParticipations lists every organization's part in an event, by
// organization name, then role.
func (g *Graph) EventParticipations(ctx context.Context, id string) ([]graph.Participation, error) {
	s := g.snap(ctx)
	ps := s.Participations(id, false)
	slices.SortStableFunc(ps, func(a, b graph.Participation) int {
		if a.OrganizationID != b.OrganizationID {
			return byName(s, a.OrganizationID, b.OrganizationID)
		}
		return strings.Compare(string(a.Role), string(b.Role))
	})
	return ps, nil
}

// EventParticipants pages through the organizations that took part in an
// event in the role p.Role (every role when it is ""), by name.
func (g *Graph) EventParticipants(ctx context.Context, id string, p graph.Page) (graph.Connection[*graph.Organization], error) {
	s := g.snap(ctx)
	if p.Role == "" {
		return page[*graph.Organization](s, "event participants", s.ParticipantsOf(id), p)
	}
	role, err := graph.ParseRole("event participants", "role", string(p.Role))
	if err != nil {
		return graph.Connection[*graph.Organization]{}, err
	}
	return page[*graph.Organization](s, "event participants", s.Linked(id, false, graph.TypeOrganization, graph.RoleRelation[role]), p)
}

// PersonAffiliations lists a person's organizations, with titles.
func (g *Graph) PersonAffiliations(ctx context.Context, id string) ([]graph.Affiliation, error) {
	return g.snap(ctx).Affiliations(id, true), nil
}

// OrganizationAffiliations lists the people of an organization, with titles.
func (g *Graph) OrganizationAffiliations(ctx context.Context, id string) ([]graph.Affiliation, error) {
	return g.snap(ctx).Affiliations(id, false), nil
}

// Suggest returns the ids of the given types that input, an id naming
// nothing, may have meant (view.Snapshot.Suggest).
func (g *Graph) Suggest(ctx context.Context, input string, types ...graph.NodeType) ([]string, error) {
	return g.snap(ctx).Suggest(input, types...), nil
}

// Nodes returns the entities ids, nil for a missing id, from one snapshot.
func (g *Graph) Nodes(ctx context.Context, ids []string) ([]graph.Node, error) {
	s := g.snap(ctx)
	out := make([]graph.Node, len(ids))
	for i, id := range ids {
		out[i] = s.NodeByID(id)
	}
	return out, nil
}
