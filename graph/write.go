package graph

import (
	"bufio"
	"context"
	"io"
	"sort"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// quadsOf turns a batch into quads, each labelled with the batch's source.
func quadsOf(b *Batch) []quad.Quad {
	label := SourceIRI(b.Source.ID)
	var qs []quad.Quad
	add := func(s quad.Value, p quad.IRI, o quad.Value) {
		qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: o, Label: label})
	}
	addStr := func(s quad.Value, p quad.IRI, o string) {
		if o != "" {
			add(s, p, quad.String(o))
		}
	}
	addOpt := func(s quad.Value, p quad.IRI, o *string) {
		if o != nil {
			addStr(s, p, *o)
		}
	}
	addDate := func(s quad.Value, p quad.IRI, d string) {
		if t, err := ParseDate(d); err == nil {
			add(s, p, quad.Time(t.UTC()))
		}
	}

	src := SourceIRI(b.Source.ID)
	add(src, PredType, ClassSource)
	addStr(src, PredTitle, b.Source.Title)
	addOpt(src, PredURL, b.Source.URL)
	addOpt(src, PredPublisher, b.Source.Publisher)
	if b.Source.Published != nil {
		addDate(src, PredPublished, *b.Source.Published)
	}
	addOpt(src, PredDocument, b.Source.Document)
	addOpt(src, PredNote, b.Source.Note)
	for _, a := range b.Source.Authors {
		add(src, PredAuthor, NodeIRI(a))
	}

	for _, n := range b.Nodes {
		s := NodeIRI(n.ID)
		add(s, PredType, ClassIRI(n.Type))
		addStr(s, PredName, n.Name)
		for _, a := range n.Aliases {
			addStr(s, PredAlias, a)
		}
		addStr(s, PredDescription, n.Description)
		for _, k := range n.Kinds {
			addStr(s, PredKind, k)
		}
		addStr(s, PredKind, n.EventKind)
		if n.StartDate != "" {
			addDate(s, PredStartDate, n.StartDate)
		}
		for _, q := range n.Questions {
			addStr(s, PredQuestion, q)
		}
	}
	for _, l := range b.Links {
		add(NodeIRI(l.From), RelIRI(l.Relation), NodeIRI(l.To))
	}
	for _, a := range b.Affiliations {
		add(NodeIRI(a.PersonID), RelIRI(RelMemberOf), NodeIRI(a.OrganizationID))
		aff := AffiliationIRI(a.PersonID, a.OrganizationID)
		add(aff, PredType, ClassAffiliation)
		add(aff, PredPerson, NodeIRI(a.PersonID))
		add(aff, PredOrganization, NodeIRI(a.OrganizationID))
		addOpt(aff, PredJobTitle, a.Title)
	}
	for _, f := range b.Figures {
		fig := FigureIRI(f.ID)
		add(fig, PredType, ClassFigure)
		addStr(fig, PredValue, f.Value)
		addStr(fig, PredStatement, f.Statement)
		for _, a := range f.About {
			add(fig, PredAbout, NodeIRI(a))
		}
	}
	return qs
}

// Load writes the batches in one transaction: all of them or, on error,
// nothing. Quads already in the store are skipped, so loading the same
// batch twice gives the same graph as loading it once.
func (s *CayleyStore) Load(ctx context.Context, batches ...*Batch) (LoadResult, error) {
	return s.Apply(ctx, Change{Add: batches})
}

// Change is one all-or-nothing write: facts to remove, then batches to add.
// A fact that is both removed and added stays.
type Change struct {
	RemoveSources []string       // every fact these sources state
	RemoveNodes   []NodeSelector // facts about these nodes
	Add           []*Batch
	Quads         []*Quads // linked data to add (ReadNQuads, ReadJSONLD)
}

// NodeSelector selects the facts about one entity: every quad whose subject
// or object it is, and the affiliations it is part of; only those stated by
// Source, or by every source when Source is "".
type NodeSelector struct {
	ID     string
	Source string
}

// Apply makes a change in one transaction. Removing a source's facts reads
// every quad of that source; removing a node's facts reads only its quads.
func (s *CayleyStore) Apply(ctx context.Context, c Change) (LoadResult, error) {
	n := 0
	for _, q := range c.Quads {
		n += len(q.quads)
	}
	add := make([]quad.Quad, 0, n)
	for _, b := range c.Add {
		add = append(add, quadsOf(b)...)
	}
	for _, q := range c.Quads {
		add = append(add, q.quads...)
	}
	return s.write(ctx, "write", add, func() ([]quad.Quad, error) { return s.selectQuads(ctx, c) })
}

// selectQuads finds the quads a change removes. Callers hold s.mu.
func (s *CayleyStore) selectQuads(ctx context.Context, c Change) ([]quad.Quad, error) {
	var out []quad.Quad
	for _, src := range c.RemoveSources {
		if err := s.eachQuad(ctx, quad.Label, SourceIRI(src), func(q quad.Quad) { out = append(out, q) }); err != nil {
			return nil, err
		}
	}
	for _, sel := range c.RemoveNodes {
		keep := func(q quad.Quad) bool { return sel.Source == "" || SourceIDOf(q.Label) == sel.Source }
		var affiliations []quad.Value
		collect := func(q quad.Quad) {
			if !keep(q) {
				return
			}
			out = append(out, q)
			if _, ns := IDOf(q.Subject); ns == NSAffiliation {
				affiliations = append(affiliations, q.Subject)
			}
		}
		v := NodeIRI(sel.ID)
		if err := s.eachQuad(ctx, quad.Subject, v, collect); err != nil {
			return nil, err
		}
		if err := s.eachQuad(ctx, quad.Object, v, collect); err != nil {
			return nil, err
		}
		for _, aff := range affiliations {
			if err := s.eachQuad(ctx, quad.Subject, aff, collect); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// write removes the quads remove() selects and adds add, in one
// transaction, and brings the catalog up to date. A backend transaction is
// all or nothing (bbolt: one bolt transaction), so a process killed while it
// runs leaves the store as before it.
func (s *CayleyStore) write(ctx context.Context, op string, add []quad.Quad, remove func() ([]quad.Quad, error)) (LoadResult, error) {
	if err := ctx.Err(); err != nil {
		return LoadResult{}, Internal(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var removed []quad.Quad
	if remove != nil {
		var err error
		if removed, err = remove(); err != nil {
			return LoadResult{}, Internal(op, err)
		}
	}
	var adding map[string]bool // only needed to keep removed quads that are added again
	if len(removed) > 0 {
		adding = make(map[string]bool, len(add))
		for _, q := range add {
			adding[q.NQuad()] = true
		}
	}
	res := LoadResult{QuadsTotal: len(add)}
	edgesBefore, err := s.edgesBefore(ctx, add)
	if err != nil {
		return LoadResult{}, Internal(op, err)
	}
	newEdges := map[string]bool{}
	for _, q := range add {
		if _, ok := RelationOf(q.Predicate); ok {
			if key := q.NQuad(); !edgesBefore[key] {
				newEdges[key] = true
			}
		}
	}
	if len(add) >= bulkThreshold {
		if err := s.prepareBuckets(); err != nil {
			return LoadResult{}, Internal(op, err)
		}
	}

	cached := s.cat.derived.v // derived data before the write, to update in place
	var changed []quad.Quad   // the quads the write changes, when cached is to be updated
	if cached != nil {
		changed = add[:len(add):len(add)] // appending copies: add stays as it is
	}
	tx := cgraph.NewTransactionN(len(add) + len(removed))
	seen := map[string]bool{}
	var removing []quad.Quad
	for _, q := range removed {
		if key := q.NQuad(); !adding[key] && !seen[key] {
			seen[key] = true
			removing = append(removing, q)
			if cached != nil {
				changed = append(changed, q)
			}
			tx.RemoveQuad(q)
			if _, ok := RelationOf(q.Predicate); ok {
				res.EdgesRemoved++
			}
		}
	}
	for _, q := range add {
		tx.AddQuad(q)
	}
	before := s.quadCount(ctx)
	if err := s.qs.ApplyDeltas(tx.Deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		if len(seen) > 0 { // the catalog may no longer match a half-known state
			s.refreshCatalog(ctx)
		}
		return LoadResult{}, Internal(op, err)
	}
	created, deleted, err := s.updateCatalog(ctx, add, removing)
	if err != nil {
		s.refreshCatalog(ctx) // the catalog may be half updated: read it again
		return LoadResult{}, Internal(op, err)
	}
	if err := s.updateDerived(ctx, cached, changed); err != nil {
		s.cat.derived = &derivedCache{} // the next read rebuilds it
	}
	if cached != nil && s.cat.derived.v == nil {
		s.rewarm()
	}
	after := s.quadCount(ctx)
	res.QuadsRemoved = len(seen)
	res.QuadsAdded = after - before + len(seen)
	res.EdgesAdded = len(newEdges)
	res.NodesAdded, res.NodesRemoved = created, deleted
	return res, nil
}

// edgesBefore returns the relation quads the store holds among those of
// add, looked up by their subjects (nil when add holds none). Callers hold
// s.mu.
func (s *CayleyStore) edgesBefore(ctx context.Context, add []quad.Quad) (map[string]bool, error) {
	subjects := map[quad.Value]bool{}
	for _, q := range add {
		if _, ok := RelationOf(q.Predicate); ok {
			subjects[q.Subject] = true
		}
	}
	if len(subjects) == 0 {
		return nil, nil
	}
	out := map[string]bool{}
	for subj := range subjects {
		err := s.eachQuad(ctx, quad.Subject, subj, func(q quad.Quad) {
			if _, ok := RelationOf(q.Predicate); ok {
				out[q.NQuad()] = true
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// refreshCatalog reads the catalog again from the store. Callers hold s.mu
// for writing.
func (s *CayleyStore) refreshCatalog(ctx context.Context) error {
	cat, err := s.readCatalog(ctx)
	if err != nil {
		return err
	}
	s.cat = cat
	return nil
}

// quadCount returns the number of quads in the store (0 for a fresh KV
// store, whose Stats fail until the first write).
func (s *CayleyStore) quadCount(ctx context.Context) int {
	// The quad count is exact on every backend without exact=true, which
	// on KV backends counts every node; SQL gives an estimate without it.
	st, err := s.qs.Stats(ctx, s.backend == BackendPostgres)
	if err != nil {
		return 0
	}
	return int(st.Quads.Value)
}

// Export writes every quad as N-Quads, sorted, so that the output is the same
// for the same graph and ImportNQuads of it gives the graph back.
func (s *CayleyStore) Export(ctx context.Context, w io.Writer) error {
	const op = "export"
	s.mu.RLock()
	var lines []string
	err := s.eachAll(ctx, func(q quad.Quad) { lines = append(lines, q.NQuad()) })
	s.mu.RUnlock()
	if err != nil {
		return Internal(op, err)
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return Internal(op, bw.Flush())
}

// Counts sizes the graph: entities by type from the catalog, relations and
// quads by one scan.
func (s *CayleyStore) Counts(ctx context.Context) (Counts, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := Counts{Nodes: map[NodeType]int{}}
	for t, ids := range s.cat.byType {
		c.Nodes[t] = len(ids)
	}
	sources := map[string]bool{}
	err := s.eachAll(ctx, func(q quad.Quad) {
		c.Quads++
		if _, ok := RelationOf(q.Predicate); ok {
			c.Links++
		}
		if id := SourceIDOf(q.Label); id != "" {
			sources[id] = true
		}
	})
	c.Sources = len(sources)
	return c, Internal("counts", err)
}

// Empty reports whether the store holds no quad at all.
func (s *CayleyStore) Empty(ctx context.Context) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	if it.Next(ctx) {
		return false, nil
	}
	return true, Internal("empty", it.Err())
}

// TypesOf returns the types of the ids that are entities in the store.
func (s *CayleyStore) TypesOf(ctx context.Context, ids []string) (map[string]NodeType, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]NodeType{}
	for _, id := range ids {
		if t := s.cat.typeOf(id); t != "" {
			out[id] = t
		}
	}
	return out, nil
}

// QuadCount returns the number of quads the batch is written as.
func (b *Batch) QuadCount() int { return len(quadsOf(b)) }
