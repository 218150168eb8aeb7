package graph

import (
	"context"
	"slices"
	"sort"
	"strings"
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
	// (facets.go); every write replaces it, updated or dropped.
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
	err := s.scanWhole(ctx, isCatalogPredicate, c.addQuad)
	if err != nil {
		return nil, err
	}
	c.finish()
	return c, nil
}

// isCatalogPredicate tells the predicates whose quads the catalog takes.
func isCatalogPredicate(p quad.Value) bool {
	switch p {
	case PredType, PredName, PredAlias, PredDescription:
		return true
	}
	return false
}

// addQuad takes what the catalog needs from one quad.
func (c *catalog) addQuad(q quad.Quad) {
	id := NodeIDOf(q.Subject)
	if id == "" || !isCatalogPredicate(q.Predicate) {
		return
	}
	e := c.byID[id]
	if e == nil {
		e = &entry{id: id}
		c.byID[id] = e
	}
	e.take(q)
}

// take adds what one catalog quad about e says.
func (e *entry) take(q quad.Quad) {
	switch q.Predicate {
	case PredType:
		if iri, ok := q.Object.(quad.IRI); ok {
			if t, ok := TypeByClass[iri]; ok {
				e.typ = t
			}
		}
	case PredName:
		e.names = appendUnique(e.names, Literal(q.Object))
	case PredAlias:
		e.aliases = appendUnique(e.aliases, Literal(q.Object))
	case PredDescription:
		e.desc = appendUnique(e.desc, Literal(q.Object))
	}
}

// normalize orders the entry's texts and computes its name key.
func (e *entry) normalize() {
	sort.Strings(e.names)
	sort.Strings(e.aliases)
	sort.Strings(e.desc)
	e.key = Fold(e.name())
}

// finish orders names and rebuilds the type lists and the search index.
func (c *catalog) finish() {
	c.byType = map[NodeType][]string{}
	c.derived = &derivedCache{}
	for id, e := range c.byID {
		if e.typ == "" { // facts about a node whose type no source states
			continue
		}
		e.normalize()
		c.byType[e.typ] = append(c.byType[e.typ], id)
	}
	for t, ids := range c.byType {
		c.sortByName(ids)
		c.byType[t] = ids
	}
	c.search = buildSearchIndex(c)
}

// maxEntryUpdates bounds how many entries a write may change for the
// catalog to be updated entry by entry; a larger write (a bulk load) has it
// rebuilt.
const maxEntryUpdates = 5000

// updateCatalog brings the catalog up to date after a write that added the
// quads add and removed the quads removed, and counts the entities the
// write created and deleted. Only the entries those quads are about change,
// with their places in the type lists and the search index; a write adding
// facts takes them from the quads, a write removing facts reads its
// entries' facts again from the store (another source may state the same
// name). Callers hold s.mu for writing.
func (s *CayleyStore) updateCatalog(ctx context.Context, add, removed []quad.Quad) (created, deleted int, err error) {
	c := s.cat
	wasEntity := map[string]bool{}
	for _, qs := range [][]quad.Quad{add, removed} {
		for _, q := range qs {
			if id := NodeIDOf(q.Subject); id != "" && isCatalogPredicate(q.Predicate) {
				wasEntity[id] = c.get(id) != nil
			}
		}
	}
	countChanges := func() {
		for id, was := range wasEntity {
			switch is := s.cat.get(id) != nil; {
			case is && !was:
				created++
			case was && !is:
				deleted++
			}
		}
	}
	if len(wasEntity) > maxEntryUpdates {
		if len(removed) > 0 {
			if err := s.refreshCatalog(ctx); err != nil {
				return 0, 0, err
			}
		} else {
			for _, q := range add {
				c.addQuad(q)
			}
			c.finish()
		}
		countChanges()
		return created, deleted, nil
	}

	// Take the changed entries out of the type lists while their keys
	// still order them, change them, then put them back.
	ids := make([]string, 0, len(wasEntity))
	for id := range wasEntity {
		ids = append(ids, id)
		c.unlist(id)
	}
	if len(removed) > 0 {
		for _, id := range ids {
			e := &entry{id: id}
			err := s.eachQuad(ctx, quad.Subject, NodeIRI(id), func(q quad.Quad) {
				if isCatalogPredicate(q.Predicate) {
					e.take(q)
				}
			})
			if err != nil {
				return 0, 0, err
			}
			c.byID[id] = e
		}
	} else {
		for _, q := range add {
			c.addQuad(q)
		}
	}
	for _, id := range ids {
		e := c.byID[id]
		if e.typ == "" && len(e.names)+len(e.aliases)+len(e.desc) == 0 {
			delete(c.byID, id) // no fact about it is left
			continue
		}
		e.normalize()
		c.list(id)
	}
	c.search.update(c, ids)
	c.derived = &derivedCache{}
	countChanges()
	return created, deleted, nil
}

// position returns where id belongs in the name-ordered list ids.
func (c *catalog) position(ids []string, id string) int {
	return sort.Search(len(ids), func(i int) bool { return !c.less(ids[i], id) })
}

// unlist takes the entity id out of its type's list.
func (c *catalog) unlist(id string) {
	e := c.get(id)
	if e == nil {
		return
	}
	list := c.byType[e.typ]
	if i := c.position(list, id); i < len(list) && list[i] == id {
		c.byType[e.typ] = slices.Delete(list, i, i+1)
	}
}

// list puts the entity id into its type's list.
func (c *catalog) list(id string) {
	e := c.get(id)
	if e == nil {
		return
	}
	list := c.byType[e.typ]
	c.byType[e.typ] = slices.Insert(list, c.position(list, id), id)
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

// sortByName orders ids as less does, looking each key up once rather than
// at every comparison.
func (c *catalog) sortByName(ids []string) {
	if len(ids) < 2 {
		return
	}
	type keyed struct {
		id, key string
		known   bool
	}
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		ks[i].id = id
		if e := c.byID[id]; e != nil {
			ks[i].key, ks[i].known = e.key, true
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.known && b.known && a.key != b.key {
			return strings.Compare(a.key, b.key)
		}
		return strings.Compare(a.id, b.id)
	})
	for i := range ks {
		ids[i] = ks[i].id
	}
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
