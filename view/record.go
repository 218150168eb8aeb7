package view

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Pred is the number of a predicate in a snapshot's predicate table.
type Pred uint16

// predTable numbers the predicates a lineage of snapshots has seen. It only
// grows, and a snapshot that adds a predicate gets a copy.
type predTable struct {
	iris []quad.IRI
	num  map[quad.IRI]Pred
}

// The predicates every table starts with, at fixed numbers.
var knownPreds = func() []quad.IRI {
	ps := []quad.IRI{
		graph.PredType, graph.PredName, graph.PredAlias, graph.PredDescription, graph.PredKind,
		graph.PredStartDate, graph.PredQuestion, graph.PredValue, graph.PredStatement, graph.PredAbout,
		graph.PredTitle, graph.PredURL, graph.PredPublisher, graph.PredPublished, graph.PredDocument,
		graph.PredNote, graph.PredAuthor, graph.PredPerson, graph.PredOrganization, graph.PredJobTitle,
	}
	for _, r := range graph.Relations {
		ps = append(ps, graph.RelIRI(r))
	}
	return append(ps, graph.OrderPreds...) // order.go
}()

// Numbers of the known predicates, in knownPreds' order.
const (
	pType Pred = iota
	pName
	pAlias
	pDescription
	pKind
	pStartDate
	pQuestion
	pValue
	pStatement
	pAbout
	pTitle
	pURL
	pPublisher
	pPublished
	pDocument
	pNote
	pAuthor
	pPerson
	pOrganization
	pJobTitle
	pFirstRelation // graph.Relations follow, in their order, then graph.OrderPreds
)

// Numbers of the order predicates, after the relations.
var (
	pAuthorOrder   = pFirstRelation + Pred(len(graph.Relations))
	pSpeakerOrder  = pAuthorOrder + 1
	pThemeOrder    = pAuthorOrder + 2
	pQuestionOrder = pAuthorOrder + 3
)

// relPred returns the predicate number of a relation.
func relPred(r graph.Relation) Pred {
	return pFirstRelation + Pred(slices.Index(graph.Relations, r))
}

// predRelation returns the relation a predicate stands for.
func predRelation(p Pred) (graph.Relation, bool) {
	if p < pFirstRelation || int(p-pFirstRelation) >= len(graph.Relations) {
		return "", false
	}
	return graph.Relations[p-pFirstRelation], true
}

func newPredTable() *predTable {
	t := &predTable{num: map[quad.IRI]Pred{}}
	for _, p := range knownPreds {
		t.num[p] = Pred(len(t.iris))
		t.iris = append(t.iris, p)
	}
	return t
}

// Namespaces of records.
const (
	nsEntity byte = iota + 1
	nsSource
	nsFigure
	nsAffiliation
)

// keyOf returns the index key and namespace of an IRI of ThriveGraph's
// namespaces: the entity id for entities, the IRI itself otherwise.
func keyOf(v quad.Value) (string, byte) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", 0
	}
	s := string(iri)
	switch {
	case strings.HasPrefix(s, graph.NSID):
		return s[len(graph.NSID):], nsEntity
	case strings.HasPrefix(s, graph.NSSource):
		return s, nsSource
	case strings.HasPrefix(s, graph.NSFigure):
		return s, nsFigure
	case strings.HasPrefix(s, graph.NSAffiliation):
		return s, nsAffiliation
	}
	return "", 0
}

// Edge is one quad between two records, seen from one end: its predicate,
// the record at the other end and the source that states it.
type Edge struct {
	Pred  Pred
	Other Ref
	Src   Ref
}

func compareEdges(a, b Edge) int {
	if c := cmp.Compare(a.Pred, b.Pred); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Other, b.Other); c != 0 {
		return c
	}
	return cmp.Compare(a.Src, b.Src)
}

// Lit is one quad from a record to a value that is not a record: a literal,
// or an IRI outside ThriveGraph's namespaces (a class, a foreign resource).
type Lit struct {
	Pred Pred
	Src  Ref
	Val  string
}

func compareLits(a, b Lit) int {
	if c := cmp.Compare(a.Pred, b.Pred); c != 0 {
		return c
	}
	if c := strings.Compare(a.Val, b.Val); c != 0 {
		return c
	}
	return cmp.Compare(a.Src, b.Src)
}

// Record is everything a snapshot holds about one IRI. Out, In and Lits are
// sorted and free of duplicates; the rest is derived from them when the
// record changes. A Record is never changed once a snapshot holds it.
type Record struct {
	Key  string // the entity id, or the IRI of a source, figure or affiliation
	NS   byte
	Out  []Edge // quads whose subject this is, to records
	In   []Edge // quads whose object this is
	Lits []Lit  // quads whose subject this is, to values

	Type    graph.NodeType // entities with a type a source states; "" otherwise
	NameKey string         // graph.Fold of the shown name: the order of lists
	Sources []Ref          // the sources of the quads whose subject this is, by id

	source *graph.Source // sources
	built  *builtNode    // entities: the node with its sources, made on first read
}

// builtNode keeps an entity with its sources, as made for the snapshots of
// one source epoch (Snapshot.srcEpoch): while no source record changes, every
// snapshot shares it. Readers race to fill it; any of their results is right.
type builtNode struct {
	p atomic.Pointer[epochNode]
}

type epochNode struct {
	epoch uint64
	node  graph.Node
}

// ID returns the entity, source or figure id of the record.
func (r *Record) ID() string {
	switch r.NS {
	case nsSource:
		return r.Key[len(graph.NSSource):]
	case nsFigure:
		return r.Key[len(graph.NSFigure):]
	case nsAffiliation:
		return r.Key[len(graph.NSAffiliation):]
	}
	return r.Key
}

// OutOf returns the edges of predicate p from the record.
func (r *Record) OutOf(p Pred) []Edge { return edgesOf(r.Out, p) }

// InOf returns the edges of predicate p into the record.
func (r *Record) InOf(p Pred) []Edge { return edgesOf(r.In, p) }

func edgesOf(es []Edge, p Pred) []Edge {
	lo, _ := slices.BinarySearchFunc(es, p, func(e Edge, p Pred) int { return cmp.Compare(e.Pred, p) })
	hi := lo
	for hi < len(es) && es[hi].Pred == p {
		hi++
	}
	return es[lo:hi]
}

// LitsOf returns the distinct values of predicate p, sorted.
func (r *Record) LitsOf(p Pred) []string {
	lo, _ := slices.BinarySearchFunc(r.Lits, p, func(l Lit, p Pred) int { return cmp.Compare(l.Pred, p) })
	var out []string
	for i := lo; i < len(r.Lits) && r.Lits[i].Pred == p; i++ {
		if len(out) == 0 || out[len(out)-1] != r.Lits[i].Val {
			out = append(out, r.Lits[i].Val)
		}
	}
	return out
}

// Lit returns the first value of predicate p, or nil.
func (r *Record) Lit(p Pred) *string {
	vals := r.LitsOf(p)
	if len(vals) == 0 {
		return nil
	}
	return &vals[0]
}

// empty reports whether no quad mentions the record any more.
func (r *Record) empty() bool { return len(r.Out)+len(r.In)+len(r.Lits) == 0 }

// mergeSorted returns (list without removes) with adds: a value both
// removed and added stays. Every argument is sorted by cmpf and free of
// duplicates. It returns list itself when nothing changes.
func mergeSorted[T any](list, adds, removes []T, cmpf func(a, b T) int) []T {
	if len(adds) == 0 && len(removes) == 0 {
		return list
	}
	out := make([]T, 0, len(list)+len(adds))
	i, j, k := 0, 0, 0
	for i < len(list) || j < len(adds) {
		switch {
		case j >= len(adds) || (i < len(list) && cmpf(list[i], adds[j]) < 0):
			for k < len(removes) && cmpf(removes[k], list[i]) < 0 {
				k++
			}
			if k >= len(removes) || cmpf(removes[k], list[i]) != 0 {
				out = append(out, list[i])
			}
			i++
		case i >= len(list) || cmpf(adds[j], list[i]) < 0:
			out = append(out, adds[j])
			j++
		default: // in both: it stays
			out = append(out, list[i])
			i++
			j++
		}
	}
	return out
}

// sortUnique sorts list by cmp and drops duplicates, in place.
func sortUnique[T any](list []T, cmpf func(a, b T) int) []T {
	slices.SortFunc(list, cmpf)
	return slices.CompactFunc(list, func(a, b T) bool { return cmpf(a, b) == 0 })
}
