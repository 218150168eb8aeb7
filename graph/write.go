package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// Import limits.
const (
	MaxNQuadsLine   = 1 << 20 // bytes in one N-Quads line
	maxImportErrors = 100
)

// quadsOf turns a batch into quads, each labelled with the batch's source.
func quadsOf(b *Batch) []quad.Quad {
	label := sourceIRI(b.Source.ID)
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

	src := sourceIRI(b.Source.ID)
	add(src, predType, classSource)
	addStr(src, predTitle, b.Source.Title)
	addOpt(src, predURL, b.Source.URL)
	addOpt(src, predPublisher, b.Source.Publisher)
	if b.Source.Published != nil {
		addDate(src, predPublished, *b.Source.Published)
	}
	addOpt(src, predDocument, b.Source.Document)
	addOpt(src, predNote, b.Source.Note)
	for _, a := range b.Source.Authors {
		add(src, predAuthor, nodeIRI(a))
	}

	for _, n := range b.Nodes {
		s := nodeIRI(n.ID)
		add(s, predType, classIRI(n.Type))
		addStr(s, predName, n.Name)
		for _, a := range n.Aliases {
			addStr(s, predAlias, a)
		}
		addStr(s, predDescription, n.Description)
		for _, k := range n.Kinds {
			addStr(s, predKind, k)
		}
		addStr(s, predKind, n.EventKind)
		if n.StartDate != "" {
			addDate(s, predStartDate, n.StartDate)
		}
		for _, q := range n.Questions {
			addStr(s, predQuestion, q)
		}
	}
	for _, l := range b.Links {
		add(nodeIRI(l.From), relIRI(l.Relation), nodeIRI(l.To))
	}
	for _, a := range b.Affiliations {
		add(nodeIRI(a.PersonID), relIRI(RelMemberOf), nodeIRI(a.OrganizationID))
		aff := affiliationIRI(a.PersonID, a.OrganizationID)
		add(aff, predType, classAffiliation)
		add(aff, predPerson, nodeIRI(a.PersonID))
		add(aff, predOrg, nodeIRI(a.OrganizationID))
		addOpt(aff, predJobTitle, a.Title)
	}
	for _, f := range b.Figures {
		fig := figureIRI(f.ID)
		add(fig, predType, classFigure)
		addStr(fig, predValue, f.Value)
		addStr(fig, predStatement, f.Statement)
		for _, a := range f.About {
			add(fig, predAbout, nodeIRI(a))
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
	var add []quad.Quad
	for _, b := range c.Add {
		add = append(add, quadsOf(b)...)
	}
	return s.write(ctx, "write", add, func() ([]quad.Quad, error) { return s.selectQuads(ctx, c) })
}

// selectQuads finds the quads a change removes. Callers hold s.mu.
func (s *CayleyStore) selectQuads(ctx context.Context, c Change) ([]quad.Quad, error) {
	var out []quad.Quad
	for _, src := range c.RemoveSources {
		if err := s.eachQuad(ctx, quad.Label, sourceIRI(src), func(q quad.Quad) { out = append(out, q) }); err != nil {
			return nil, err
		}
	}
	for _, sel := range c.RemoveNodes {
		keep := func(q quad.Quad) bool { return sel.Source == "" || sourceID(q.Label) == sel.Source }
		var affiliations []quad.Value
		collect := func(q quad.Quad) {
			if !keep(q) {
				return
			}
			out = append(out, q)
			if _, ns := idOf(q.Subject); ns == nsAffiliation {
				affiliations = append(affiliations, q.Subject)
			}
		}
		v := nodeIRI(sel.ID)
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

// write removes the quads remove() selects and adds add, in one transaction,
// and brings the catalog up to date.
func (s *CayleyStore) write(ctx context.Context, op string, add []quad.Quad, remove func() ([]quad.Quad, error)) (LoadResult, error) {
	if err := ctx.Err(); err != nil {
		return LoadResult{}, internal(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var removed []quad.Quad
	if remove != nil {
		var err error
		if removed, err = remove(); err != nil {
			return LoadResult{}, internal(op, err)
		}
	}
	adding := make(map[string]bool, len(add))
	for _, q := range add {
		adding[q.NQuad()] = true
	}
	tx := cgraph.NewTransactionN(len(add) + len(removed))
	seen := map[string]bool{}
	for _, q := range removed {
		if key := q.NQuad(); !adding[key] && !seen[key] {
			seen[key] = true
			tx.RemoveQuad(q)
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
		return LoadResult{}, internal(op, err)
	}
	if len(seen) > 0 {
		if err := s.refreshCatalog(ctx); err != nil {
			return LoadResult{}, internal(op, err)
		}
	} else {
		for _, q := range add {
			s.cat.addQuad(q)
		}
		s.cat.finish()
	}
	after := s.quadCount(ctx)
	return LoadResult{QuadsTotal: len(add), QuadsRemoved: len(seen), QuadsAdded: after - before + len(seen)}, nil
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
	st, err := s.qs.Stats(ctx, true)
	if err != nil {
		return 0
	}
	return int(st.Quads.Value)
}

// ImportNQuads reads N-Quads (as Export writes them) and writes them in one
// transaction. Every quad must carry a source label. All syntax errors, up
// to 100, are reported with their line; with any error nothing is written.
func (s *CayleyStore) ImportNQuads(ctx context.Context, r io.Reader, name string) (LoadResult, error) {
	const op = "import n-quads"
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxNQuadsLine)
	var (
		qs   []quad.Quad
		errs []string
		line int
	)
	fail := func(format string, args ...any) {
		if len(errs) < maxImportErrors {
			errs = append(errs, fmt.Sprintf("%s:%d: ", name, line)+fmt.Sprintf(format, args...))
		}
	}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, err := nquads.Parse(text)
		switch {
		case err != nil:
			fail("%v", err)
		case sourceID(q.Label) == "":
			fail("quad has no source: its graph label must be a %s… IRI", nsSource)
		default:
			qs = append(qs, q)
		}
	}
	if err := sc.Err(); err != nil {
		line++
		if err == bufio.ErrTooLong {
			fail("line longer than %d bytes", MaxNQuadsLine)
		} else {
			return LoadResult{}, internal(op, fmt.Errorf("%s: %w", name, err))
		}
	}
	if len(errs) > 0 {
		return LoadResult{}, Errorf(CodeInvalid, op, "%s", strings.Join(errs, "\n"))
	}
	return s.write(ctx, op, qs, nil)
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
		return internal(op, err)
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return internal(op, bw.Flush())
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
		if _, ok := relationOf(q.Predicate); ok {
			c.Links++
		}
		if id := sourceID(q.Label); id != "" {
			sources[id] = true
		}
	})
	c.Sources = len(sources)
	return c, internal("counts", err)
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
	return true, internal("empty", it.Err())
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
