package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"
)

// facts is everything the store holds about one subject.
type facts struct {
	typ       NodeType
	class     quad.IRI
	names     []string
	aliases   []string
	descs     []string
	kinds     []string
	questions []string
	startDate string
	sourceIDs []string                  // labels of the subject's quads, sorted
	out       []edge                    // relations from this subject
	attrs     map[quad.IRI][]quad.Value // every other predicate
}

// edge is one relation quad seen from one of its ends.
type edge struct {
	rel     Relation
	other   string // id of the node at the other end
	forward bool   // true when seen from the subject
	source  string // source id (the quad's label)
}

// factsOf reads every quad whose subject is v. Callers hold s.mu.
func (s *CayleyStore) factsOf(ctx context.Context, v quad.Value) (*facts, error) {
	f := &facts{attrs: map[quad.IRI][]quad.Value{}}
	labels := map[string]bool{}
	err := s.eachQuad(ctx, quad.Subject, v, func(q quad.Quad) {
		if src := SourceIDOf(q.Label); src != "" {
			labels[src] = true
		}
		if r, ok := RelationOf(q.Predicate); ok {
			if other := NodeIDOf(q.Object); other != "" {
				f.out = append(f.out, edge{rel: r, other: other, forward: true, source: SourceIDOf(q.Label)})
			}
			return
		}
		p, _ := q.Predicate.(quad.IRI)
		switch p {
		case PredType:
			if iri, ok := q.Object.(quad.IRI); ok {
				f.class = iri
				if t, ok := TypeByClass[iri]; ok {
					f.typ = t
				}
			}
		case PredName:
			f.names = appendUnique(f.names, Literal(q.Object))
		case PredAlias:
			f.aliases = appendUnique(f.aliases, Literal(q.Object))
		case PredDescription:
			f.descs = appendUnique(f.descs, Literal(q.Object))
		case PredKind:
			f.kinds = appendUnique(f.kinds, Literal(q.Object))
		case PredQuestion:
			f.questions = appendUnique(f.questions, Literal(q.Object))
		case PredStartDate:
			f.startDate = Literal(q.Object)
		default:
			f.attrs[p] = append(f.attrs[p], q.Object)
		}
	})
	if err != nil {
		return nil, err
	}
	for id := range labels {
		f.sourceIDs = append(f.sourceIDs, id)
	}
	sort.Strings(f.sourceIDs)
	for _, list := range [][]string{f.names, f.aliases, f.descs, f.kinds, f.questions} {
		sort.Strings(list)
	}
	return f, nil
}

// attr returns the first literal of predicate p, or nil.
func (f *facts) attr(p quad.IRI) *string {
	vals := f.attrs[p]
	if len(vals) == 0 {
		return nil
	}
	strs := make([]string, len(vals))
	for i, v := range vals {
		strs[i] = Literal(v)
	}
	sort.Strings(strs)
	return &strs[0]
}

func first(list []string) *string {
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

// node loads entity id, or returns nil when there is none. Callers hold s.mu.
func (s *CayleyStore) node(ctx context.Context, id string) (Node, error) {
	return s.nodeWith(ctx, id, sourceCache{})
}

// nodeWith is node reading sources through a cache shared by the entities
// of one answer, which mostly share their sources. Callers hold s.mu.
func (s *CayleyStore) nodeWith(ctx context.Context, id string, srcs sourceCache) (Node, error) {
	if s.cat.get(id) == nil {
		return nil, nil
	}
	f, err := s.factsOf(ctx, NodeIRI(id))
	if err != nil || f.typ == "" {
		return nil, err
	}
	sources, err := s.sourcesByID(ctx, f.sourceIDs, srcs)
	if err != nil {
		return nil, err
	}
	return entityOf(id, f, sources), nil
}

// entityOf builds the entity id from its facts and sources; nil when the
// facts give it no entity type.
func entityOf(id string, f *facts, sources []Source) Node {
	e := Entity{ID: id, Type: f.typ, Name: id, Aliases: f.aliases, Description: first(f.descs), Sources: sources}
	if len(f.names) > 0 {
		e.Name = f.names[0]
	}
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	switch f.typ {
	case TypeOrganization:
		return &Organization{Entity: e, Kinds: nonNil(f.kinds)}
	case TypeEvent:
		ev := &Event{Entity: e, Questions: nonNil(f.questions)}
		if len(f.kinds) > 0 {
			ev.Kind = f.kinds[0]
		}
		if f.startDate != "" {
			d := f.startDate
			ev.StartDate = &d
		}
		return ev
	case TypePerson:
		return &Person{Entity: e}
	case TypeTheme:
		return &Theme{Entity: e}
	case TypePolicyLevel:
		return &PolicyLevel{Entity: e}
	case TypePlace:
		return &Place{Entity: e}
	}
	return nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// loadAs loads the entities ids of Go type T, in the order given, skipping
// ids that are missing or of another type. Callers hold s.mu.
func loadAs[T Node](ctx context.Context, s *CayleyStore, ids []string) ([]T, error) {
	out := make([]T, 0, len(ids))
	srcs := sourceCache{}
	for _, id := range ids {
		n, err := s.nodeWith(ctx, id, srcs)
		if err != nil {
			return nil, err
		}
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// getAs is the locked single-entity form of loadAs.
func getAs[T Node](ctx context.Context, s *CayleyStore, op, id string) (T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var zero T
	n, err := s.node(ctx, id)
	if err != nil {
		return zero, Internal(op, err)
	}
	t, _ := n.(T)
	return t, nil
}

// Node loads any entity by id; nil when there is none.
func (s *CayleyStore) Node(ctx context.Context, id string) (Node, error) {
	return getAs[Node](ctx, s, "node", id)
}

// Organization loads an organization; nil when there is none.
func (s *CayleyStore) Organization(ctx context.Context, id string) (*Organization, error) {
	return getAs[*Organization](ctx, s, "organization", id)
}

// Event loads an event; nil when there is none.
func (s *CayleyStore) Event(ctx context.Context, id string) (*Event, error) {
	return getAs[*Event](ctx, s, "event", id)
}

// Person loads a person; nil when there is none.
func (s *CayleyStore) Person(ctx context.Context, id string) (*Person, error) {
	return getAs[*Person](ctx, s, "person", id)
}

// Theme loads a theme; nil when there is none.
func (s *CayleyStore) Theme(ctx context.Context, id string) (*Theme, error) {
	return getAs[*Theme](ctx, s, "theme", id)
}

// links returns the relation edges of id over rel in one direction
// (forward: id is the subject). Callers hold s.mu.
func (s *CayleyStore) links(ctx context.Context, id string, rel Relation, forward bool) ([]edge, error) {
	var out []edge
	d, pick := quad.Subject, quad.Object
	if !forward {
		d, pick = quad.Object, quad.Subject
	}
	err := s.eachQuadPred(ctx, d, NodeIRI(id), RelIRI(rel), func(q quad.Quad) {
		if other := NodeIDOf(q.Get(pick)); other != "" {
			out = append(out, edge{rel: rel, other: other, forward: forward, source: SourceIDOf(q.Label)})
		}
	})
	return out, err
}

// linked returns the ids of type t linked to id by any of rels in one
// direction, ordered by name. Callers hold s.mu.
func (s *CayleyStore) linked(ctx context.Context, id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
	var ids []string
	for _, rel := range rels {
		es, err := s.links(ctx, id, rel, forward)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			ids = append(ids, e.other)
		}
	}
	return s.cat.ofType(ids, t), nil
}

// related is the locked form of linked followed by loading the entities.
func related[T Node](ctx context.Context, s *CayleyStore, op, id string, forward bool, t NodeType, rels ...Relation) ([]T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, err := s.linked(ctx, id, forward, t, rels...)
	if err != nil {
		return nil, Internal(op, err)
	}
	out, err := loadAs[T](ctx, s, ids)
	return out, Internal(op, err)
}

var participationRels = []Relation{RelHosted, RelParticipatedIn, RelPresentedAt}

// OrganizationPlaces lists the places of an organization.
func (s *CayleyStore) OrganizationPlaces(ctx context.Context, id string) ([]*Place, error) {
	return related[*Place](ctx, s, "organization places", id, true, TypePlace, RelPlace)
}

// EventParent returns the event an event is part of, or nil.
func (s *CayleyStore) EventParent(ctx context.Context, id string) (*Event, error) {
	parents, err := related[*Event](ctx, s, "event parent", id, true, TypeEvent, RelPartOf)
	if err != nil || len(parents) == 0 {
		return nil, err
	}
	return parents[0], nil
}

// EventParts lists the events that are part of an event.
func (s *CayleyStore) EventParts(ctx context.Context, id string) ([]*Event, error) {
	return related[*Event](ctx, s, "event parts", id, false, TypeEvent, RelPartOf)
}

// EventHosts lists the organizations that hosted an event.
func (s *CayleyStore) EventHosts(ctx context.Context, id string) ([]*Organization, error) {
	return related[*Organization](ctx, s, "event hosts", id, false, TypeOrganization, RelHosted)
}

// EventSpeakers lists the people who spoke at an event.
func (s *CayleyStore) EventSpeakers(ctx context.Context, id string) ([]*Person, error) {
	return related[*Person](ctx, s, "event speakers", id, false, TypePerson, RelSpokeAt)
}

// EventThemes lists the themes an event discussed.
func (s *CayleyStore) EventThemes(ctx context.Context, id string) ([]*Theme, error) {
	return related[*Theme](ctx, s, "event themes", id, true, TypeTheme, RelTheme)
}

// EventPlaces lists the places an event is tied to.
func (s *CayleyStore) EventPlaces(ctx context.Context, id string) ([]*Place, error) {
	return related[*Place](ctx, s, "event places", id, true, TypePlace, RelPlace)
}

// PersonEvents lists the events a person spoke at.
func (s *CayleyStore) PersonEvents(ctx context.Context, id string) ([]*Event, error) {
	return related[*Event](ctx, s, "person events", id, true, TypeEvent, RelSpokeAt)
}

// ThemeEvents lists the events that discussed a theme.
func (s *CayleyStore) ThemeEvents(ctx context.Context, id string) ([]*Event, error) {
	return related[*Event](ctx, s, "theme events", id, false, TypeEvent, RelTheme)
}

// ThemePolicyLevels lists the policy levels a theme is tied to.
func (s *CayleyStore) ThemePolicyLevels(ctx context.Context, id string) ([]*PolicyLevel, error) {
	return related[*PolicyLevel](ctx, s, "theme policy levels", id, true, TypePolicyLevel, RelPolicyLevel)
}

// PolicyLevelThemes lists the themes tied to a policy level.
func (s *CayleyStore) PolicyLevelThemes(ctx context.Context, id string) ([]*Theme, error) {
	return related[*Theme](ctx, s, "policy level themes", id, false, TypeTheme, RelPolicyLevel)
}

// PlaceOrganizations lists the organizations in a place.
func (s *CayleyStore) PlaceOrganizations(ctx context.Context, id string) ([]*Organization, error) {
	return related[*Organization](ctx, s, "place organizations", id, false, TypeOrganization, RelPlace)
}

// PlaceEvents lists the events tied to a place.
func (s *CayleyStore) PlaceEvents(ctx context.Context, id string) ([]*Event, error) {
	return related[*Event](ctx, s, "place events", id, false, TypeEvent, RelPlace)
}
