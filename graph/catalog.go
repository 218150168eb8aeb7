package graph

import (
	"context"
	"sort"
	"time"

	"github.com/cayleygraph/quad"
)

// catalog is an in-memory index of every entity: its type, names and
// description. It orders lists by name, tells types without a store round
// trip, and holds the search index. It is read from the store at open and
// updated by every write; relations are never cached here.
type catalog struct {
	byID   map[string]*entry
	byType map[NodeType][]string // ids ordered by name
	search *searchIndex
	// derived is what the network questions derive from the whole graph
	// (facets.go); finish, run by every write, drops it.
	derived *derivedCache
}

// entry is what the catalog knows of one entity.
type entry struct {
	id      string
	typ     NodeType
	names   []string // every name a source gives; the first in order is shown
	aliases []string
	desc    []string
	key     string // folded name, for ordering
}

func (e *entry) name() string {
	if len(e.names) == 0 {
		return e.id
	}
	return e.names[0]
}

func newCatalog() *catalog {
	return &catalog{byID: map[string]*entry{}, byType: map[NodeType][]string{}, derived: &derivedCache{}}
}

// readCatalog scans the store once. Callers need not hold s.mu (Open).
func (s *CayleyStore) readCatalog(ctx context.Context) (*catalog, error) {
	c := newCatalog()
	err := s.eachAll(ctx, func(q quad.Quad) { c.addQuad(q) })
	if err != nil {
		return nil, err
	}
	c.finish()
	return c, nil
}

// addQuad takes what the catalog needs from one quad.
func (c *catalog) addQuad(q quad.Quad) {
	id := nodeID(q.Subject)
	if id == "" {
		return
	}
	p, _ := q.Predicate.(quad.IRI)
	switch p {
	case predType, predName, predAlias, predDescription:
	default:
		return
	}
	e := c.byID[id]
	if e == nil {
		e = &entry{id: id}
		c.byID[id] = e
	}
	switch p {
	case predType:
		if iri, ok := q.Object.(quad.IRI); ok {
			if t, ok := typeByIRI[iri]; ok {
				e.typ = t
			}
		}
	case predName:
		e.names = appendUnique(e.names, literal(q.Object))
	case predAlias:
		e.aliases = appendUnique(e.aliases, literal(q.Object))
	case predDescription:
		e.desc = appendUnique(e.desc, literal(q.Object))
	}
}

// finish orders names and rebuilds the type lists and the search index.
func (c *catalog) finish() {
	c.byType = map[NodeType][]string{}
	c.derived = &derivedCache{}
	for id, e := range c.byID {
		if e.typ == "" { // facts about a node whose type no source states
			continue
		}
		sort.Strings(e.names)
		sort.Strings(e.aliases)
		sort.Strings(e.desc)
		e.key = Fold(e.name())
		c.byType[e.typ] = append(c.byType[e.typ], id)
	}
	for t, ids := range c.byType {
		c.sortByName(ids)
		c.byType[t] = ids
	}
	c.search = buildSearchIndex(c)
}

// get returns the entry of id when it is an entity with a type.
func (c *catalog) get(id string) *entry {
	e := c.byID[id]
	if e == nil || e.typ == "" {
		return nil
	}
	return e
}

// typeOf returns the type of id, or "" when there is no such entity.
func (c *catalog) typeOf(id string) NodeType {
	if e := c.get(id); e != nil {
		return e.typ
	}
	return ""
}

// less orders ids by folded name, then id.
func (c *catalog) less(a, b string) bool {
	ea, eb := c.byID[a], c.byID[b]
	if ea != nil && eb != nil && ea.key != eb.key {
		return ea.key < eb.key
	}
	return a < b
}

func (c *catalog) sortByName(ids []string) {
	sort.Slice(ids, func(i, j int) bool { return c.less(ids[i], ids[j]) })
}

// ofType keeps the ids that are entities of type t, ordered by name and
// without repeats.
func (c *catalog) ofType(ids []string, t NodeType) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] && c.typeOf(id) == t {
			seen[id] = true
			out = append(out, id)
		}
	}
	c.sortByName(out)
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// dateString formats a stored date as YYYY-MM-DD.
func dateString(t quad.Time) string {
	return time.Time(t).UTC().Format(time.DateOnly)
}
