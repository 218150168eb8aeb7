package graph

import (
	"context"
	"slices"
	"sort"

	"github.com/cayleygraph/quad"
)

// Batch reads answer one question for many ids in one call, under one read
// lock, so that the GraphQL layer can resolve a nested list for every item
// of a page at once (dataloaders) instead of asking once per item. Result i
// belongs to ids[i]; ids may repeat. Within one call every node, source and
// relation list is read at most once however many ids share it (two
// organizations at one event read the event's themes once), so the work is
// proportional to what the batch touches, not to the batch times its
// neighbourhood.

// Hop is one relation walked from a node: Forward when the node is the
// subject of the relation; To is the type of node kept at the other end.
type Hop struct {
	Relation Relation
	Forward  bool
	To       NodeType
}

// The hops of the plain relation lists of the API.
var (
	HopOrganizationPlaces = Hop{RelPlace, true, TypePlace}
	HopEventParent        = Hop{RelPartOf, true, TypeEvent}
	HopEventParts         = Hop{RelPartOf, false, TypeEvent}
	HopEventHosts         = Hop{RelHosted, false, TypeOrganization}
	HopEventSpeakers      = Hop{RelSpokeAt, false, TypePerson}
	HopEventThemes        = Hop{RelTheme, true, TypeTheme}
	HopEventPlaces        = Hop{RelPlace, true, TypePlace}
	HopPersonEvents       = Hop{RelSpokeAt, true, TypeEvent}
	HopThemeEvents        = Hop{RelTheme, false, TypeEvent}
	HopThemePolicyLevels  = Hop{RelPolicyLevel, true, TypePolicyLevel}
	HopPolicyLevelThemes  = Hop{RelPolicyLevel, false, TypeTheme}
	HopPlaceOrganizations = Hop{RelPlace, false, TypeOrganization}
	HopPlaceEvents        = Hop{RelPlace, false, TypeEvent}
)

// batchReader memoises what one batch call reads. It lives for one call;
// callers hold s.mu.
type batchReader struct {
	s       *CayleyStore
	ctx     context.Context
	nodes   map[string]Node
	sources map[string]*Source
	links   map[linkKey][]string
	themes  map[string][]ThemeLink
}

type linkKey struct {
	id      string
	rel     Relation
	forward bool
	to      NodeType
}

func (s *CayleyStore) newBatchReader(ctx context.Context) *batchReader {
	return &batchReader{
		s: s, ctx: ctx,
		nodes:   map[string]Node{},
		sources: map[string]*Source{},
		links:   map[linkKey][]string{},
		themes:  map[string][]ThemeLink{},
	}
}

// source loads a source once per batch (nil when missing).
func (b *batchReader) source(id string) (*Source, error) {
	if src, ok := b.sources[id]; ok {
		return src, nil
	}
	src, err := b.s.source(b.ctx, id)
	if err != nil {
		return nil, err
	}
	b.sources[id] = src
	return src, nil
}

// node loads an entity once per batch (nil when missing).
func (b *batchReader) node(id string) (Node, error) {
	if n, ok := b.nodes[id]; ok {
		return n, nil
	}
	var n Node
	if b.s.cat.get(id) != nil {
		f, err := b.s.factsOf(b.ctx, NodeIRI(id))
		if err != nil {
			return nil, err
		}
		if f.typ != "" {
			sources := make([]Source, 0, len(f.sourceIDs))
			for _, sid := range f.sourceIDs {
				src, err := b.source(sid)
				if err != nil {
					return nil, err
				}
				if src != nil {
					sources = append(sources, *src)
				}
			}
			n = entityOf(id, f, sources)
		}
	}
	b.nodes[id] = n
	return n, nil
}

// load loads the entities ids of Go type T, in order, skipping missing ones.
func batchLoad[T Node](b *batchReader, ids []string) ([]T, error) {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		n, err := b.node(id)
		if err != nil {
			return nil, err
		}
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// linked is CayleyStore.linked, each relation list read once per batch.
// The result is the caller's to change.
func (b *batchReader) linked(id string, forward bool, t NodeType, rels ...Relation) ([]string, error) {
	var ids []string
	for _, rel := range rels {
		k := linkKey{id, rel, forward, t}
		got, ok := b.links[k]
		if !ok {
			var err error
			if got, err = b.s.linked(b.ctx, id, forward, t, rel); err != nil {
				return nil, err
			}
			b.links[k] = got
		}
		ids = append(ids, got...)
	}
	if len(rels) == 1 {
		return slices.Clone(ids), nil // linked orders and dedupes already
	}
	return b.s.cat.ofType(ids, t), nil
}

// eachEvent calls fn with the events org took part in until fn returns
// false. It streams them from the store rather than reading the whole list
// into the memo: its callers stop early, and a hub's list is long.
func (b *batchReader) eachEvent(org string, fn func(ev string) bool) error {
	return b.s.eachEventOf(b.ctx, org, fn)
}

// themeLinks is CayleyStore.themeLinks over the batch's memo.
func (b *batchReader) themeLinks(org string) ([]ThemeLink, error) {
	if links, ok := b.themes[org]; ok {
		return links, nil
	}
	out, err := b.s.themeLinksWith(org, b.linked)
	if err != nil {
		return nil, err
	}
	b.themes[org] = out
	return out, nil
}

// lockedBatch runs fn for every id under one read lock with one memo, and
// collects the results in the order of ids.
func lockedBatch[T any](ctx context.Context, s *CayleyStore, op string, ids []string, fn func(b *batchReader, id string) (T, error)) ([]T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.newBatchReader(ctx)
	out := make([]T, len(ids))
	for i, id := range ids {
		v, err := fn(b, id)
		if err != nil {
			return nil, Internal(op, err)
		}
		out[i] = v
	}
	return out, nil
}

// Nodes loads the entities ids; nil for an id that is no entity.
func (s *CayleyStore) Nodes(ctx context.Context, ids []string) ([]Node, error) {
	return lockedBatch(ctx, s, "nodes", ids, (*batchReader).node)
}

// RelatedBatch lists, for every id, the entities of type hop.To linked to
// it by hop.Relation in hop's direction, by name.
func (s *CayleyStore) RelatedBatch(ctx context.Context, ids []string, hop Hop) ([][]Node, error) {
	return lockedBatch(ctx, s, "related", ids, func(b *batchReader, id string) ([]Node, error) {
		linked, err := b.linked(id, hop.Forward, hop.To, hop.Relation)
		if err != nil {
			return nil, err
		}
		return batchLoad[Node](b, linked)
	})
}

// OrganizationThemesBatch is OrganizationThemes for many organizations.
func (s *CayleyStore) OrganizationThemesBatch(ctx context.Context, ids []string) ([][]ThemeLink, error) {
	return lockedBatch(ctx, s, "organization themes", ids, (*batchReader).themeLinks)
}

// OrganizationPolicyLevelsBatch is OrganizationPolicyLevels for many
// organizations.
func (s *CayleyStore) OrganizationPolicyLevelsBatch(ctx context.Context, ids []string) ([][]*PolicyLevel, error) {
	return lockedBatch(ctx, s, "organization policy levels", ids, func(b *batchReader, org string) ([]*PolicyLevel, error) {
		levels, err := b.linked(org, true, TypePolicyLevel, RelPolicyLevel)
		if err != nil {
			return nil, err
		}
		links, err := b.themeLinks(org)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			more, err := b.linked(l.ThemeID, true, TypePolicyLevel, RelPolicyLevel)
			if err != nil {
				return nil, err
			}
			levels = append(levels, more...)
		}
		return batchLoad[*PolicyLevel](b, b.s.cat.ofType(levels, TypePolicyLevel))
	})
}

// OrganizationParticipationsBatch is OrganizationParticipations for many
// organizations.
func (s *CayleyStore) OrganizationParticipationsBatch(ctx context.Context, ids []string) ([][]Participation, error) {
	return lockedBatch(ctx, s, "organization events", ids, func(b *batchReader, org string) ([]Participation, error) {
		ps, err := b.s.participations(b.ctx, org, true)
		if err != nil {
			return nil, err
		}
		dates := make(map[string]string, len(ps))
		for _, p := range ps {
			n, err := b.node(p.EventID)
			if err != nil {
				return nil, err
			}
			if ev, ok := n.(*Event); ok && ev.StartDate != nil {
				dates[p.EventID] = *ev.StartDate
			} else {
				dates[p.EventID] = "9999" // undated last
			}
		}
		sort.SliceStable(ps, func(i, j int) bool {
			a, c := ps[i], ps[j]
			if dates[a.EventID] != dates[c.EventID] {
				return dates[a.EventID] < dates[c.EventID]
			}
			if a.EventID != c.EventID {
				return b.s.cat.less(a.EventID, c.EventID)
			}
			return a.Role < c.Role
		})
		return ps, nil
	})
}

// EventParticipationsBatch is EventParticipations for many events.
func (s *CayleyStore) EventParticipationsBatch(ctx context.Context, ids []string) ([][]Participation, error) {
	return lockedBatch(ctx, s, "event participations", ids, func(b *batchReader, ev string) ([]Participation, error) {
		ps, err := b.s.participations(b.ctx, ev, false)
		if err != nil {
			return nil, err
		}
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].OrganizationID != ps[j].OrganizationID {
				return b.s.cat.less(ps[i].OrganizationID, ps[j].OrganizationID)
			}
			return ps[i].Role < ps[j].Role
		})
		return ps, nil
	})
}

// OrganizationAffiliationsBatch is OrganizationAffiliations for many
// organizations.
func (s *CayleyStore) OrganizationAffiliationsBatch(ctx context.Context, ids []string) ([][]Affiliation, error) {
	return lockedBatch(ctx, s, "organization people", ids, func(b *batchReader, org string) ([]Affiliation, error) {
		return b.s.affiliations(b.ctx, org, false)
	})
}

// PersonAffiliationsBatch is PersonAffiliations for many people.
func (s *CayleyStore) PersonAffiliationsBatch(ctx context.Context, ids []string) ([][]Affiliation, error) {
	return lockedBatch(ctx, s, "person affiliations", ids, func(b *batchReader, person string) ([]Affiliation, error) {
		return b.s.affiliations(b.ctx, person, true)
	})
}

// SourceAuthorsBatch is SourceAuthors for many sources.
func (s *CayleyStore) SourceAuthorsBatch(ctx context.Context, ids []string) ([][]*Person, error) {
	return lockedBatch(ctx, s, "source authors", ids, func(b *batchReader, id string) ([]*Person, error) {
		src, err := b.source(id)
		if err != nil || src == nil {
			return []*Person{}, err
		}
		return batchLoad[*Person](b, b.s.cat.ofType(src.Authors, TypePerson))
	})
}

// FiguresBatch is Figures(about) for many nodes; "" stands for every figure.
func (s *CayleyStore) FiguresBatch(ctx context.Context, about []string) ([][]*Figure, error) {
	return lockedBatch(ctx, s, "figures", about, func(b *batchReader, id string) ([]*Figure, error) {
		var ids []string
		var err error
		if id == "" {
			ids, err = b.s.subjectsOfClass(b.ctx, ClassFigure)
		} else {
			err = b.s.eachQuad(b.ctx, quad.Object, NodeIRI(id), func(q quad.Quad) {
				if fid, ns := IDOf(q.Subject); q.Predicate == PredAbout && ns == NSFigure {
					ids = append(ids, fid)
				}
			})
		}
		if err != nil {
			return nil, err
		}
		sort.Strings(ids)
		out := make([]*Figure, 0, len(ids))
		for _, fid := range dedupe(ids) {
			f, err := b.s.factsOf(b.ctx, FigureIRI(fid))
			if err != nil {
				return nil, err
			}
			if f.class != ClassFigure {
				continue
			}
			fig := &Figure{ID: fid, About: []string{}, Sources: []Source{}}
			if v := f.attr(PredValue); v != nil {
				fig.Value = *v
			}
			if v := f.attr(PredStatement); v != nil {
				fig.Statement = *v
			}
			for _, a := range f.attrs[PredAbout] {
				if nid := NodeIDOf(a); nid != "" {
					fig.About = append(fig.About, nid)
				}
			}
			sort.Strings(fig.About)
			for _, sid := range f.sourceIDs {
				src, err := b.source(sid)
				if err != nil {
					return nil, err
				}
				if src != nil {
					fig.Sources = append(fig.Sources, *src)
				}
			}
			out = append(out, fig)
		}
		return out, nil
	})
}

// pagedBatch computes, under one read lock, an ordered id list per id and
// loads the page p of each. An error that concerns one id only (a cursor
// that does not point into its list) is that id's; errs is nil when every
// id succeeded, else has one slot per id.
func pagedBatch[T any](ctx context.Context, s *CayleyStore, op string, ids []string, p Page,
	list func(b *batchReader, id string) ([]string, error),
	item func(b *batchReader, id, itemID string) (T, bool, error),
) (out []Connection[T], errs []error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.newBatchReader(ctx)
	out = make([]Connection[T], len(ids))
	fail := func(i int, err error) {
		if errs == nil {
			errs = make([]error, len(ids))
		}
		errs[i] = err
	}
	for i, id := range ids {
		all, err := list(b, id)
		if err != nil {
			fail(i, Internal(op, err))
			continue
		}
		start, end, err := Window(op, all, p)
		if err != nil {
			fail(i, err)
			continue
		}
		c := Connection[T]{TotalCount: len(all), HasNextPage: end < len(all)}
		for _, itemID := range all[start:end] {
			v, ok, err := item(b, id, itemID)
			if err != nil {
				fail(i, Internal(op, err))
				break
			}
			if ok {
				c.Items = append(c.Items, v)
				c.Cursors = append(c.Cursors, Cursor(itemID))
			}
		}
		out[i] = c
	}
	return out, errs
}

// loadOrganization is the item loader of organization pages.
func loadOrganization(b *batchReader, _, id string) (*Organization, bool, error) {
	n, err := b.node(id)
	o, ok := n.(*Organization)
	return o, ok, err
}

// EventParticipantsBatch is EventParticipants for many events, one page each.
func (s *CayleyStore) EventParticipantsBatch(ctx context.Context, ids []string, p Page) ([]Connection[*Organization], []error) {
	return pagedBatch(ctx, s, "event participants", ids, p, func(b *batchReader, ev string) ([]string, error) {
		return b.linked(ev, false, TypeOrganization, participationRels...)
	}, loadOrganization)
}

// ThemeOrganizationsBatch is ThemeOrganizations for many themes.
func (s *CayleyStore) ThemeOrganizationsBatch(ctx context.Context, ids []string, p Page) ([]Connection[*Organization], []error) {
	return pagedBatch(ctx, s, "theme organizations", ids, p, func(b *batchReader, theme string) ([]string, error) {
		return b.s.orgsWithTheme(b.ctx, theme)
	}, loadOrganization)
}

// PolicyLevelOrganizationsBatch is PolicyLevelOrganizations for many
// policy levels.
func (s *CayleyStore) PolicyLevelOrganizationsBatch(ctx context.Context, ids []string, p Page) ([]Connection[*Organization], []error) {
	return pagedBatch(ctx, s, "policy level organizations", ids, p, func(b *batchReader, level string) ([]string, error) {
		return b.s.orgsAtLevel(b.ctx, level)
	}, loadOrganization)
}

// PartnersBatch is Partners for many organizations, one page each.
func (s *CayleyStore) PartnersBatch(ctx context.Context, ids []string, p Page) ([]Connection[Partner], []error) {
	// shared[org] maps each partner of org to the events they share.
	shared := map[string]map[string][]string{}
	return pagedBatch(ctx, s, "partners", ids, p, func(b *batchReader, org string) ([]string, error) {
		events, err := b.linked(org, true, TypeEvent, participationRels...)
		if err != nil {
			return nil, err
		}
		ties := map[string][]string{}
		for _, ev := range events {
			orgs, err := b.linked(ev, false, TypeOrganization, participationRels...)
			if err != nil {
				return nil, err
			}
			for _, o := range orgs {
				if o != org {
					ties[o] = append(ties[o], ev)
				}
			}
		}
		shared[org] = ties
		order := make([]string, 0, len(ties))
		for o := range ties {
			order = append(order, o)
		}
		sort.Slice(order, func(i, j int) bool {
			a, c := order[i], order[j]
			if len(ties[a]) != len(ties[c]) {
				return len(ties[a]) > len(ties[c])
			}
			return b.s.cat.less(a, c)
		})
		return order, nil
	}, func(b *batchReader, org, id string) (Partner, bool, error) {
		var p Partner
		n, err := b.node(id)
		if err != nil {
			return p, false, err
		}
		o, ok := n.(*Organization)
		if !ok {
			return p, false, nil
		}
		p.Organization = o
		events := slices.Clone(shared[org][id])
		b.s.cat.sortByName(events)
		if p.SharedEvents, err = batchLoad[*Event](b, events); err != nil {
			return p, false, err
		}
		mine, err := b.themeLinks(org)
		if err != nil {
			return p, false, err
		}
		set := make(map[string]bool, len(mine))
		for _, l := range mine {
			set[l.ThemeID] = true
		}
		both, err := sharedThemeIDs(id, set, b.linked, b.eachEvent)
		if err != nil {
			return p, false, err
		}
		b.s.cat.sortByName(both)
		p.SharedThemes, err = batchLoad[*Theme](b, both)
		return p, true, err
	})
}
