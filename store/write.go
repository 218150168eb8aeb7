package store

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"slices"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Apply makes a change in one transaction: removals (every quad of the
// sources, the quads about the nodes) and additions. Quads already in the
// store are skipped, so adding the same batch twice gives the same graph as
// adding it once, and a quad both removed and added stays. A backend
// transaction is all or nothing (bbolt: one bolt transaction), so a process
// killed while it runs leaves the store as before it. Once committed, and
// still holding the write lock, it calls committed with the quads removed and
// added.
func (s *Cayley) Apply(ctx context.Context, c graph.Change, committed func(removed, added []quad.Quad)) (graph.LoadResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apply(ctx, c, committed)
}

// apply is Apply for callers that hold s.mu.
func (s *Cayley) apply(ctx context.Context, c graph.Change, committed func(removed, added []quad.Quad)) (graph.LoadResult, error) {
	const op = "write"
	if err := ctx.Err(); err != nil {
		return graph.LoadResult{}, graph.Internal(op, err)
	}
	n := 0
	for _, q := range c.Quads {
		n += q.Len()
	}
	add := make([]quad.Quad, 0, n)
	for _, b := range c.Add {
		add = append(add, b.Quads()...)
	}
	for _, q := range c.Quads {
		add = append(add, q.All()...)
	}
	var (
		sqlTx   *sql.Tx
		version uint64
		err     error
	)
	if s.sql != nil {
		// Taken before the selection below, so that what it removes is
		// what the previous write, by any server, left.
		if sqlTx, version, err = s.sql.begin(ctx); err != nil {
			return graph.LoadResult{}, dbError(op, err)
		}
		defer sqlTx.Rollback() // nothing once committed
	}
	removed, err := s.selectQuads(ctx, c)
	if err != nil {
		return graph.LoadResult{}, s.fail(op, err)
	}
	var adding map[string]bool // only needed to keep removed quads that are added again
	if len(removed) > 0 {
		adding = make(map[string]bool, len(add))
		for _, q := range add {
			adding[q.NQuad()] = true
		}
	}
	if len(add) >= bulkThreshold {
		if err := s.prepareBuckets(); err != nil {
			return graph.LoadResult{}, graph.Internal(op, err)
		}
	}
	res := graph.LoadResult{QuadsTotal: len(add)}
	tx := cgraph.NewTransactionN(len(add) + len(removed))
	seen := map[string]bool{}
	var removing []quad.Quad
	for _, q := range removed {
		if key := q.NQuad(); !adding[key] && !seen[key] {
			seen[key] = true
			removing = append(removing, q)
			tx.RemoveQuad(q)
			if _, ok := graph.RelationOf(q.Predicate); ok {
				res.EdgesRemoved++
			}
		}
	}
	for _, q := range add {
		tx.AddQuad(q)
	}
	opts := cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}
	var before, after int
	if sqlTx != nil {
		// The rows inserted are the quads new to the store, and every quad
		// of removing is in it (selected under the log's lock): no count
		// of the table, whose cost grows with the store, is needed.
		var inserted int
		inserted, err = s.sql.applyDeltas(ctx, sqlTx, tx.Deltas, opts)
		after = inserted - len(removing)
		if err == nil {
			err = s.sql.record(ctx, sqlTx, version, removing, add)
		}
		if err == nil {
			err = sqlTx.Commit()
		}
		if err != nil {
			return graph.LoadResult{}, dbError(op, err)
		}
		res.Version = version
	} else {
		before = s.quadCount(ctx)
		deltas := tx.Deltas
		if s.kvdb != nil {
			deltas = kvBalance(deltas)
		}
		if err := s.qs.ApplyDeltas(deltas, opts); err != nil {
			return graph.LoadResult{}, graph.Internal(op, err)
		}
		after = s.quadCount(ctx)
	}
	res.QuadsRemoved = len(removing)
	res.QuadsAdded = after - before + len(removing)
	if committed != nil {
		committed(removing, add)
	}
	return res, nil
}

// selectQuads finds the quads a change removes. Callers hold s.mu.
func (s *Cayley) selectQuads(ctx context.Context, c graph.Change) ([]quad.Quad, error) {
	var out []quad.Quad
	for _, src := range c.RemoveSources {
		if err := s.eachQuad(ctx, quad.Label, graph.SourceIRI(src), func(q quad.Quad) { out = append(out, q) }); err != nil {
			return nil, err
		}
	}
	for _, sel := range c.RemoveNodes {
		keep := func(q quad.Quad) bool { return sel.Source == "" || graph.SourceIDOf(q.Label) == sel.Source }
		var affiliations []quad.Value
		collect := func(q quad.Quad) {
			if !keep(q) {
				return
			}
			out = append(out, q)
			if _, ns := graph.IDOf(q.Subject); ns == graph.NSAffiliation {
				affiliations = append(affiliations, q.Subject)
			}
		}
		v := graph.NodeIRI(sel.ID)
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

// QuadCount returns the number of quads in the store.
func (s *Cayley) QuadCount(ctx context.Context) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quadCount(ctx)
}

// quadCount returns the number of quads in the store (0 for a fresh KV
// store, whose Stats fail until the first write). Callers hold s.mu.
func (s *Cayley) quadCount(ctx context.Context) int {
	// The quad count is exact on every backend without exact=true, which
	// on KV backends counts every node; SQL gives an estimate without it.
	if s.sql != nil { // Cayley caches its count, which other servers' writes make stale
		n, _ := count(ctx, s.sql.read)
		return n
	}
	st, err := s.qs.Stats(ctx, false)
	if err != nil {
		return 0
	}
	return int(st.Quads.Value)
}

// fail classifies an error of an operation: on a SQL backend, one of an
// unreachable database is UNAVAILABLE (dbError); the others are INTERNAL.
func (s *Cayley) fail(op string, err error) error {
	if s.sql != nil {
		return dbError(op, err)
	}
	return graph.Internal(op, err)
}

// Scan calls fn for every quad in the store, in one pass.
func (s *Cayley) Scan(ctx context.Context, fn func(quad.Quad)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.scanWhole(ctx, func(quad.Value) bool { return true }, fn)
	s.releaseMapped()
	return s.fail("scan", err)
}

// Export writes every quad as N-Quads, sorted, so that the output is the same
// for the same graph and a load of it gives the graph back.
func (s *Cayley) Export(ctx context.Context, w io.Writer) error {
	const op = "export"
	var lines []string
	if err := s.Scan(ctx, func(q quad.Quad) { lines = append(lines, q.NQuad()) }); err != nil {
		return s.fail(op, err)
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return graph.Internal(op, bw.Flush())
}

// Empty reports whether the store holds no quad at all.
func (s *Cayley) Empty(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	if it.Next(ctx) {
		return false, nil
	}
	return true, s.fail("empty", it.Err())
}

var fieldNames = map[quad.IRI]string{
	graph.PredType: "type", graph.PredName: "name", graph.PredAlias: "alias", graph.PredDescription: "description",
	graph.PredKind: "kind", graph.PredStartDate: "startDate", graph.PredQuestion: "question",
	graph.PredSpeakerOrder: "order", graph.PredThemeOrder: "order", graph.PredQuestionOrder: "order",
}

// factOf describes one quad selected for the node id.
func factOf(q quad.Quad) graph.Fact {
	subj, ns := graph.IDOf(q.Subject)
	switch ns {
	case graph.NSAffiliation:
		person, org, _ := strings.Cut(subj, "/")
		return graph.Fact{Field: "affiliation", From: person, To: org}
	case graph.NSFigure:
		return graph.Fact{Field: "about", From: subj, To: graph.NodeIDOf(q.Object)}
	case graph.NSSource:
		return graph.Fact{Field: "author", From: subj, To: graph.NodeIDOf(q.Object)}
	}
	if r, ok := graph.RelationOf(q.Predicate); ok {
		if r == graph.RelMemberOf { // part of the affiliation of From to To
			return graph.Fact{Field: "affiliation", From: subj, To: graph.NodeIDOf(q.Object)}
		}
		return graph.Fact{Relation: r, From: subj, To: graph.NodeIDOf(q.Object)}
	}
	if p, ok := q.Predicate.(quad.IRI); ok {
		if f, ok := fieldNames[p]; ok {
			return graph.Fact{Field: f, From: subj}
		}
	}
	return graph.Fact{Field: "other", From: subj}
}

// FactsKept returns the facts that graph.Change{RemoveNodes: []graph.NodeSelector{sel}}
// would remove for which keep returns true, ready to be added back by that
// same Apply (graph.Change.graph.Quads). An edit of part of what a source states about
// a node is then one transaction: remove what the source states about the
// node, add back what stays, add what is new. Callers serialize such
// read-then-write edits among themselves.
func (s *Cayley) FactsKept(ctx context.Context, sel graph.NodeSelector, keep func(graph.Fact) bool) (*graph.Quads, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	qs, err := s.selectQuads(ctx, graph.Change{RemoveNodes: []graph.NodeSelector{sel}})
	if err != nil {
		return nil, s.fail("facts", err)
	}
	var kept []quad.Quad
	seen := map[string]bool{}
	for _, q := range qs {
		if key := q.NQuad(); !seen[key] && keep(factOf(q)) {
			seen[key] = true
			kept = append(kept, q)
		}
	}
	var sources []string
	if sel.Source != "" {
		sources = []string{sel.Source}
	}
	return graph.NewQuads(kept, sources), nil
}

// kvBalance works around Cayley's KV writer, which counts every node's
// references once per ApplyDeltas, net of the quads removed and added
// (graphlog.SplitDeltas), and resolves the nodes of the quads added only
// among those whose net count does not fall: a node that loses more quads
// than it gains (the source label of a replaced source that shrinks, its
// subjects) is left out of each quad added with it, which is then stored
// without that node. kvBalance adds each such quad again (Cayley inserts a
// quad once per call) until no node of an added quad has a negative net
// count. The nodes it raises keep a reference count above their quads',
// as Cayley's own IgnoreDup leaves those of quads already stored: their
// values outlive their last quad by the extra count, and no read sees a
// value without a quad.
func kvBalance(deltas []cgraph.Delta) []cgraph.Delta {
	net := map[string]int{} // by the value's hash, as Cayley counts
	key := func(v quad.Value) string { return string(quad.HashOf(v)) }
	for _, d := range deltas {
		step := 1
		if d.Action == cgraph.Delete {
			step = -1
		}
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil {
				net[key(v)] += step
			}
		}
	}
	out := deltas
	for _, d := range deltas {
		if d.Action != cgraph.Add {
			continue
		}
		for _, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			for v != nil && net[key(v)] < 0 {
				if len(out) == len(deltas) {
					out = slices.Clone(deltas)
				}
				out = append(out, d)
				for _, dir := range quad.Directions {
					if w := d.Quad.Get(dir); w != nil {
						net[key(w)]++
					}
				}
			}
		}
	}
	return out
}
