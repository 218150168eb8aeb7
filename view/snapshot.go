package view

import (
	"cmp"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/search"
)

// Snapshot is the whole graph at one moment, immutable. Its methods may be
// called from any number of goroutines at once.
type Snapshot struct {
	entities keyIndex // entity id → ref
	others   keyIndex // IRI of a source, figure or affiliation → ref
	recs     records
	preds    *predTable
	byType   map[graph.NodeType][]Ref // entities of each type, by name
	sources  []Ref                    // source records with a source type, by id
	search   *search.Index            // the entities, by names and descriptions
	links    int                      // relation quads between entities
	srcEpoch uint64                   // counts the writes that changed a source record
	version  uint64                   // how many writes made it
	lineage  *lineage                 // the history it belongs to (changes.go)
	log      *changeLog               // the records the latest writes changed

	created, deleted int // entities the write that made it created and deleted
}

// Empty returns the snapshot of an empty graph.
func Empty() *Snapshot {
	return &Snapshot{preds: newPredTable(), byType: map[graph.NodeType][]Ref{}, lineage: &lineage{}}
}

// Version counts the writes that made the snapshot: a later snapshot of the
// same lineage has a larger version.
func (s *Snapshot) Version() uint64 { return s.version }

// Len returns the number of records: every IRI of ThriveGraph's
// namespaces the graph has mentioned.
func (s *Snapshot) Len() int { return s.recs.len() }

// Record returns the record of a ref, or nil.
func (s *Snapshot) Record(r Ref) *Record { return s.recs.get(r) }

// EntityRef returns the ref of an entity id, whether or not it has a type.
func (s *Snapshot) EntityRef(id string) (Ref, bool) { return s.entities.get(id) }

// Entity returns the record of the entity id when a source gives it a type,
// or nil.
func (s *Snapshot) Entity(id string) *Record {
	r, ok := s.entities.get(id)
	if !ok {
		return nil
	}
	rec := s.recs.get(r)
	if rec.Type == "" {
		return nil
	}
	return rec
}

// TypeOf returns the type of an entity id, or "".
func (s *Snapshot) TypeOf(id string) graph.NodeType {
	if rec := s.Entity(id); rec != nil {
		return rec.Type
	}
	return ""
}

// ByType returns the entities of a type, by name. The slice is the
// snapshot's: callers must not change it.
func (s *Snapshot) ByType(t graph.NodeType) []Ref { return s.byType[t] }

// LinkCount counts the relation quads between entities.
func (s *Snapshot) LinkCount() int { return s.links }

// Delta is one change a committed write made: a quad added, or removed.
type Delta struct {
	Quad   quad.Quad
	Remove bool
}

// change gathers what one Apply does to one record.
type change struct {
	outAdd, outDel, inAdd, inDel []Edge
	litAdd, litDel               []Lit
}

// Apply returns the snapshot after the deltas, which a write has committed:
// removals first, then additions (a quad both removed and added stays).
// Adding a quad the snapshot has, or removing one it lacks, changes
// nothing. The receiver is left as it was.
func (s *Snapshot) Apply(deltas []Delta) *Snapshot {
	b := newApplier(s)
	b.next.version++
	for _, d := range deltas {
		b.take(d)
	}
	b.finish()
	refs := make([]Ref, 0, len(b.changes)+b.next.recs.len()-int(b.base))
	for r := range b.changes {
		refs = append(refs, r)
	}
	for r := b.base; int(r) < b.next.recs.len(); r++ {
		refs = append(refs, r)
	}
	b.next.log = logged(s.log, b.next.version, refs)
	return b.next
}

// Created returns how many entities the write that made the snapshot
// created (a type stated for an id that had none) and deleted.
func (s *Snapshot) Created() (created, deleted int) { return s.created, s.deleted }

// Builder builds a snapshot from a stream of quads, in one pass.
type Builder struct {
	b *applier
}

// NewBuilder returns a builder of a snapshot of an empty graph.
func NewBuilder() *Builder { return &Builder{b: newApplier(Empty())} }

// Add takes one quad of the graph.
func (b *Builder) Add(q quad.Quad) { b.b.take(Delta{Quad: q}) }

// Snapshot returns the snapshot of every quad added. The builder must not
// be used after.
func (b *Builder) Snapshot() *Snapshot {
	b.b.finish()
	return b.b.next
}

// Build returns the snapshot of a graph given as its quads, all at once.
func Build(quads []quad.Quad) *Snapshot {
	b := NewBuilder()
	for _, q := range quads {
		b.Add(q)
	}
	return b.Snapshot()
}

// applier is the work of one Apply (or of a Builder): the changes to the
// records of s, and the records it creates, which get the refs from base on.
type applier struct {
	s, next  *Snapshot
	base     Ref
	changes  map[Ref]*change // changes to records of s
	fresh    []*Record       // records created, at base+i
	freshCh  changeChunks    // the changes to fresh[i]
	newEnts  map[string]Ref
	newOther map[string]Ref
	predsOwn bool          // next.preds is a copy of this Apply's own
	search   *search.Index // the search index of the result, when known (a checkpoint's)

	// The last subject and label looked up: a store lists the facts of one
	// subject, and of one source, together.
	lastSubj, lastLabel struct {
		key string
		ref Ref
	}
}

func newApplier(s *Snapshot) *applier {
	next := *s
	next.created, next.deleted, next.log = 0, 0, nil
	return &applier{s: s, next: &next, base: Ref(s.recs.len()), changes: map[Ref]*change{}}
}

// ref returns the ref of key, creating a record for it when create is set
// (and noRef when not).
func (b *applier) ref(key string, ns byte, create bool) Ref {
	idx, added := &b.s.others, &b.newOther
	if ns == nsEntity {
		idx, added = &b.s.entities, &b.newEnts
	}
	if r, ok := idx.get(key); ok {
		return r
	}
	if r, ok := (*added)[key]; ok {
		return r
	}
	if !create {
		return noRef
	}
	if *added == nil {
		*added = map[string]Ref{}
	}
	r := b.base + Ref(len(b.fresh))
	(*added)[key] = r
	b.fresh = append(b.fresh, &Record{Key: key, NS: ns})
	b.freshCh.grow(len(b.fresh))
	return r
}

func (b *applier) pred(p quad.Value, create bool) (Pred, bool) {
	iri, ok := p.(quad.IRI)
	if !ok {
		return 0, false
	}
	if n, ok := b.next.preds.num[iri]; ok {
		return n, true
	}
	if !create {
		return 0, false
	}
	if !b.predsOwn {
		t := &predTable{iris: slices.Clone(b.next.preds.iris), num: make(map[quad.IRI]Pred, len(b.next.preds.num)+1)}
		for k, v := range b.next.preds.num {
			t.num[k] = v
		}
		b.next.preds, b.predsOwn = t, true
	}
	n := Pred(len(b.next.preds.iris))
	b.next.preds.iris = append(b.next.preds.iris, iri)
	b.next.preds.num[iri] = n
	return n, true
}

// changeChunks holds the changes to created records in chunks that never
// move: growing it copies no change.
type changeChunks [][]change

const changeChunk = 4096

func (c *changeChunks) grow(n int) {
	for len(*c)*changeChunk < n {
		*c = append(*c, make([]change, changeChunk))
	}
}

func (c changeChunks) at(i int) *change { return &c[i/changeChunk][i%changeChunk] }

// changeOf returns the change to record r.
func (b *applier) changeOf(r Ref) *change {
	if r >= b.base {
		return b.freshCh.at(int(r - b.base))
	}
	c := b.changes[r]
	if c == nil {
		c = &change{}
		b.changes[r] = c
	}
	return c
}

// take records one delta. Quads whose subject is outside ThriveGraph's
// namespaces are not kept, and so are not recorded.
func (b *applier) take(d Delta) {
	q := d.Quad
	skey, sns := keyOf(q.Subject)
	if sns == 0 {
		return
	}
	add := !d.Remove
	subj := b.lastSubj.ref
	if b.lastSubj.key != skey || skey == "" {
		subj = b.ref(skey, sns, add)
		if subj != noRef {
			b.lastSubj.key, b.lastSubj.ref = skey, subj
		}
	}
	pred, ok := b.pred(q.Predicate, add)
	if subj == noRef || !ok {
		return
	}
	src := noRef
	if q.Label != nil {
		lkey, lns := keyOf(q.Label)
		if lns != nsSource {
			return // the store labels every fact with a source
		}
		if b.lastLabel.key == lkey && lkey != "" {
			src = b.lastLabel.ref
		} else if src = b.ref(lkey, lns, add); src == noRef {
			return
		} else {
			b.lastLabel.key, b.lastLabel.ref = lkey, src
		}
	}
	if okey, ons := keyOf(q.Object); ons != 0 {
		obj := b.ref(okey, ons, add)
		if obj == noRef {
			return
		}
		sc, oc := b.changeOf(subj), b.changeOf(obj)
		if add {
			sc.outAdd = append(sc.outAdd, Edge{pred, obj, src})
			oc.inAdd = append(oc.inAdd, Edge{pred, subj, src})
		} else {
			sc.outDel = append(sc.outDel, Edge{pred, obj, src})
			oc.inDel = append(oc.inDel, Edge{pred, subj, src})
		}
		return
	}
	sc := b.changeOf(subj)
	l := Lit{Pred: pred, Src: src, Val: literalOf(q.Object)}
	if add {
		sc.litAdd = append(sc.litAdd, l)
	} else {
		sc.litDel = append(sc.litDel, l)
	}
}

// literalOf is the string a value is kept as: graph.Literal's for
// literals, the IRI itself for IRIs.
func literalOf(v quad.Value) string {
	if iri, ok := v.(quad.IRI); ok {
		return string(iri)
	}
	return graph.Literal(v)
}

// apply returns old with the change made, sharing what it leaves alone.
func (c *change) apply(old *Record) *Record {
	rec := *old
	rec.Out = mergeSorted(old.Out, sortUnique(c.outAdd, compareEdges), sortUnique(c.outDel, compareEdges), compareEdges)
	rec.In = mergeSorted(old.In, sortUnique(c.inAdd, compareEdges), sortUnique(c.inDel, compareEdges), compareEdges)
	rec.Lits = mergeSorted(old.Lits, sortUnique(c.litAdd, compareLits), sortUnique(c.litDel, compareLits), compareLits)
	rec.built = &builtNode{}
	return &rec
}

// finish makes the changed records and the lists that depend on them.
func (b *applier) finish() {
	s, next := b.s, b.next
	updated := make(map[Ref]*Record, len(b.changes))
	linksDelta := 0
	for r, c := range b.changes {
		old := s.recs.get(r)
		rec := c.apply(old)
		linksDelta += relationCount(rec.Out) - relationCount(old.Out)
		updated[r] = rec
	}
	empty := &Record{}
	for i, rec := range b.fresh {
		c := b.freshCh.at(i)
		b.fresh[i] = c.apply(rec)
		*c = change{}
		linksDelta += relationCount(b.fresh[i].Out)
	}
	b.freshCh = nil
	// Records are derived once every record of the write is in place: an
	// entity's name does not depend on others, but a source's authors and a
	// node's source list refer to other records.
	next.recs = s.recs.with(updated, b.fresh)
	type retype struct {
		ref      Ref
		old, new *Record
	}
	var moved []retype
	var changed []*Record
	visit := func(r Ref, old, rec *Record) {
		next.derive(rec)
		changed = append(changed, rec)
		if rec.NS == nsEntity && (rec.Type != old.Type || rec.NameKey != old.NameKey) {
			moved = append(moved, retype{r, old, rec})
			switch {
			case old.Type == "" && rec.Type != "":
				next.created++
			case old.Type != "" && rec.Type == "":
				next.deleted++
			}
		}
	}
	for r, rec := range updated {
		visit(r, s.recs.get(r), rec)
	}
	for i, rec := range b.fresh {
		visit(b.base+Ref(i), empty, rec)
	}
	// The search index is made beside the lists below: it reads only the
	// changed records, derived above and no longer changed.
	searched := make(chan *search.Index, 1)
	if b.search != nil {
		searched <- b.search
	} else {
		go func() { searched <- next.searchAfter(s, changed) }()
	}
	defer func() { next.search = <-searched }()
	next.entities = s.entities.with(b.newEnts)
	next.others = s.others.with(b.newOther)
	next.links = s.links + linksDelta

	// Type lists: take out the moved entities where they were, put them
	// in where they are now.
	if len(moved) > 0 {
		next.byType = make(map[graph.NodeType][]Ref, len(s.byType))
		removed := map[graph.NodeType][]Ref{}
		added := map[graph.NodeType][]Ref{}
		for _, m := range moved {
			if m.old.Type != "" {
				removed[m.old.Type] = append(removed[m.old.Type], m.ref)
			}
			if m.new.Type != "" {
				added[m.new.Type] = append(added[m.new.Type], m.ref)
			}
		}
		for t, list := range s.byType {
			next.byType[t] = list
		}
		for _, t := range graph.NodeTypes {
			if len(removed[t])+len(added[t]) == 0 {
				continue
			}
			next.byType[t] = next.Relist(s.byType[t], removed[t], added[t])
		}
	}
	// Source list: when a source record changed, the sources with a source
	// type, by id.
	var srcs []Ref
	for _, rec := range changed {
		if rec.NS == nsSource {
			if r, ok := next.others.get(rec.Key); ok {
				srcs = append(srcs, r)
			}
		}
	}
	if len(srcs) > 0 {
		next.srcEpoch++ // every node's sources are made again on first read
		all := append(slices.Clone(s.sources), srcs...)
		all = slices.DeleteFunc(all, func(r Ref) bool { return next.recs.get(r).source == nil })
		slices.SortFunc(all, func(a, b Ref) int { return strings.Compare(next.recs.get(a).Key, next.recs.get(b).Key) })
		next.sources = slices.Compact(all)
	}
}

// Relist returns list (ordered by name, CompareByName, in an older snapshot)
// without the refs removed and with the refs added, ordered by name in s.
// The refs whose names changed must be among those removed (and added
// again). It sorts added in place; list is left as it was.
func (s *Snapshot) Relist(list, removed, added []Ref) []Ref {
	drop := make(map[Ref]bool, len(removed))
	for _, r := range removed {
		drop[r] = true
	}
	kept := make([]Ref, 0, len(list)+len(added))
	for _, r := range list {
		if !drop[r] {
			kept = append(kept, r)
		}
	}
	slices.SortFunc(added, s.CompareByName)
	out := make([]Ref, 0, len(kept)+len(added))
	i, j := 0, 0
	for i < len(kept) || j < len(added) {
		if j >= len(added) || (i < len(kept) && s.CompareByName(kept[i], added[j]) < 0) {
			out = append(out, kept[i])
			i++
		} else {
			out = append(out, added[j])
			j++
		}
	}
	return out
}

// CompareByName orders entities by folded name, then id.
func (s *Snapshot) CompareByName(a, b Ref) int {
	ra, rb := s.recs.get(a), s.recs.get(b)
	if c := strings.Compare(ra.NameKey, rb.NameKey); c != 0 {
		return c
	}
	return strings.Compare(ra.Key, rb.Key)
}

// relationCount counts the relation quads among es.
func relationCount(es []Edge) int {
	n := 0
	for _, e := range es {
		if _, ok := predRelation(e.Pred); ok {
			n++
		}
	}
	return n
}

// derive computes what a record's quads say: its type, name key, sources
// and built source.
func (s *Snapshot) derive(rec *Record) {
	rec.Type, rec.NameKey, rec.source, rec.Sources = "", "", nil, nil
	var srcs []Ref
	for _, e := range rec.Out {
		srcs = append(srcs, e.Src)
	}
	for _, l := range rec.Lits {
		srcs = append(srcs, l.Src)
	}
	srcs = slices.DeleteFunc(sortUnique(srcs, cmp.Compare[Ref]), func(r Ref) bool { return r == noRef })
	slices.SortFunc(srcs, func(a, b Ref) int { return strings.Compare(s.recs.get(a).Key, s.recs.get(b).Key) })
	rec.Sources = srcs
	switch rec.NS {
	case nsEntity:
		for _, class := range rec.LitsOf(pType) {
			if t, ok := graph.TypeByClass[quad.IRI(class)]; ok {
				rec.Type = t
				break
			}
		}
		if rec.Type == "" {
			return
		}
		rec.NameKey = graph.Fold(shownName(rec))
	case nsSource:
		if slices.Contains(rec.LitsOf(pType), string(graph.ClassSource)) {
			rec.source = s.sourceOf(rec)
		}
	}
}

// Search returns the search index of the snapshot's entities.
func (s *Snapshot) Search() *search.Index { return s.search }

// searchAfter returns the search index of old updated for the records of
// changed; from scratch when old has none.
func (s *Snapshot) searchAfter(old *Snapshot, changed []*Record) *search.Index {
	var docs []search.Doc
	var removed []string
	for _, rec := range changed {
		if rec.NS != nsEntity {
			continue
		}
		if rec.Type == "" {
			removed = append(removed, rec.Key)
			continue
		}
		docs = append(docs, searchDoc(rec))
	}
	if old.search == nil || old.search.Len() == 0 {
		return search.Build(docs)
	}
	return old.search.Update(docs, removed)
}

// searchDoc is what search knows of an entity: its shown name, its other
// names and aliases, and its descriptions.
func searchDoc(rec *Record) search.Doc {
	shown := shownName(rec)
	names := []string{shown}
	for _, n := range rec.LitsOf(pName) {
		if n != shown {
			names = append(names, n)
		}
	}
	names = append(names, rec.LitsOf(pAlias)...)
	return search.Doc{ID: rec.Key, Type: rec.Type, Names: names, Descriptions: rec.LitsOf(pDescription)}
}
