package graph

import (
	"slices"
	"sort"

	"github.com/cayleygraph/quad"
)

// BatchesOf reads a whole graph, given as its quads, back as one batch per
// source, the inverse
// of writing batches: Apply of the batches into an empty store gives the
// same quads. Batches, their nodes, links, affiliations and figures are
// sorted. Quads that a batch cannot hold (linked data outside ThriveGraph's
// vocabulary, facts about a node whose type the source does not state) are
// an error with code BAD_USER_INPUT that counts them and shows one.
func BatchesOf(all []quad.Quad) ([]*Batch, error) {
	const op = "batches"
	SortQuads(all)
	type sourceFacts struct {
		batch   *Batch
		nodes   map[string]*NodeRecord
		affs    map[string]*Affiliation
		figs    map[string]*Figure
		members map[[2]string]bool
		orders  map[orderKey][]string
	}
	bySource := map[string]*sourceFacts{}
	var foreign []quad.Quad
	// Types first: the other facts about a subject need its type.
	for _, q := range all {
		src := SourceIDOf(q.Label)
		if src == "" {
			foreign = append(foreign, q)
			continue
		}
		sf := bySource[src]
		if sf == nil {
			sf = &sourceFacts{batch: &Batch{Source: Source{ID: src}}, nodes: map[string]*NodeRecord{},
				affs: map[string]*Affiliation{}, figs: map[string]*Figure{}, members: map[[2]string]bool{},
				orders: map[orderKey][]string{}}
			bySource[src] = sf
		}
		if q.Predicate != PredType {
			continue
		}
		id, ns := IDOf(q.Subject)
		iri, _ := q.Object.(quad.IRI)
		switch {
		case ns == NSID && TypeByClass[iri] != "":
			sf.nodes[id] = &NodeRecord{ID: id, Type: TypeByClass[iri]}
		case ns == NSAffiliation && iri == ClassAffiliation:
			sf.affs[id] = &Affiliation{}
		case ns == NSFigure && iri == ClassFigure:
			sf.figs[id] = &Figure{ID: id}
		}
	}
	for _, q := range all {
		src := SourceIDOf(q.Label)
		if src == "" {
			continue
		}
		sf := bySource[src]
		b := sf.batch
		id, ns := IDOf(q.Subject)
		p, _ := q.Predicate.(quad.IRI)
		ok := true
		switch {
		case isOrderPred(p) && (ns == NSID || (ns == NSSource && id == src)):
			ok = orderFact(sf.orders, q.Subject, p, q.Object)
		case ns == NSSource && id == src:
			ok = sourceFact(&b.Source, p, q.Object)
		case ns == NSID && isRelation(p) && NodeIDOf(q.Object) != "":
			// A link may start at a node another source describes.
			r, _ := RelationOf(p)
			if to := NodeIDOf(q.Object); r == RelMemberOf {
				sf.members[[2]string{id, to}] = true
			} else {
				b.Links = append(b.Links, Link{From: id, Relation: r, To: to})
			}
		case ns == NSID && sf.nodes[id] != nil:
			ok = nodeFact(sf.nodes[id], p, q.Object)
		case ns == NSAffiliation && sf.affs[id] != nil:
			ok = affiliationFact(sf.affs[id], p, q.Object)
		case ns == NSFigure && sf.figs[id] != nil:
			ok = figureFact(sf.figs[id], p, q.Object)
		default:
			ok = false
		}
		if !ok {
			foreign = append(foreign, q)
		}
	}
	if len(foreign) > 0 {
		return nil, Errorf(CodeInvalid, op, "%d quads are not facts of ThriveGraph's sources that CSV can hold, such as %s; export them as nquads or jsonld",
			len(foreign), foreign[0].NQuad())
	}
	ids := make([]string, 0, len(bySource))
	for id := range bySource {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*Batch, 0, len(ids))
	for _, id := range ids {
		sf := bySource[id]
		b := sf.batch
		for _, n := range sortedValues(sf.nodes) {
			b.Nodes = append(b.Nodes, *n)
		}
		for _, a := range sortedValues(sf.affs) {
			if a.PersonID == "" || a.OrganizationID == "" || !sf.members[[2]string{a.PersonID, a.OrganizationID}] {
				return nil, Errorf(CodeInvalid, op, "source %q has an incomplete affiliation (%s to %s); export it as nquads or jsonld", id, a.PersonID, a.OrganizationID)
			}
			delete(sf.members, [2]string{a.PersonID, a.OrganizationID})
			b.Affiliations = append(b.Affiliations, *a)
		}
		for m := range sf.members { // memberOf without an affiliation record
			return nil, Errorf(CodeInvalid, op, "source %q says %s is a member of %s without an affiliation record; export it as nquads or jsonld", id, m[0], m[1])
		}
		for _, f := range sortedValues(sf.figs) {
			b.Figures = append(b.Figures, *f)
		}
		slices.SortFunc(b.Links, func(x, y Link) int {
			return compareStrings([]string{x.From, string(x.Relation), x.To}, []string{y.From, string(y.Relation), y.To})
		})
		b.applyOrders(sf.orders)
		out = append(out, b)
	}
	return out, nil
}

func isRelation(p quad.IRI) bool {
	_, ok := relByIRI[p]
	return ok
}

func compareStrings(a, b []string) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// sortedValues returns the values of m by key.
func sortedValues[T any](m map[string]*T) []*T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// str returns the text of a plain literal, ok false for other values.
func str(v quad.Value) (string, bool) {
	s, ok := v.(quad.String)
	return string(s), ok
}

func sourceFact(s *Source, p quad.IRI, o quad.Value) bool {
	opt := func(dst **string) bool {
		v, ok := str(o)
		if ok && *dst == nil {
			*dst = &v
			return true
		}
		return false
	}
	switch p {
	case PredType:
		return o == ClassSource
	case PredTitle:
		v, ok := str(o)
		if ok && s.Title == "" {
			s.Title = v
		}
		return ok && s.Title == v
	case PredURL:
		return opt(&s.URL)
	case PredPublisher:
		return opt(&s.Publisher)
	case PredDocument:
		return opt(&s.Document)
	case PredNote:
		return opt(&s.Note)
	case PredPublished:
		t, ok := o.(quad.Time)
		if ok && s.Published == nil {
			d := dateString(t)
			s.Published = &d
			return mustDate(d) == t
		}
		return false
	case PredAuthor:
		if id := NodeIDOf(o); id != "" {
			s.Authors = append(s.Authors, id)
			return true
		}
	}
	return false
}

// mustDate parses a date made by dateString.
func mustDate(d string) quad.Time {
	t, _ := ParseDate(d)
	return quad.Time(t.UTC())
}

func nodeFact(n *NodeRecord, p quad.IRI, o quad.Value) bool {
	if p == PredType {
		return true
	}
	v, isStr := str(o)
	switch {
	case p == PredName && isStr && n.Name == "":
		n.Name = v
	case p == PredAlias && isStr:
		n.Aliases = append(n.Aliases, v)
	case p == PredDescription && isStr && n.Description == "":
		n.Description = v
	case p == PredKind && isStr && n.Type == TypeOrganization:
		n.Kinds = append(n.Kinds, v)
	case p == PredKind && isStr && n.Type == TypeEvent && n.EventKind == "":
		n.EventKind = v
	case p == PredQuestion && isStr && n.Type == TypeEvent:
		n.Questions = append(n.Questions, v)
	case p == PredStartDate && n.Type == TypeEvent && n.StartDate == "":
		t, ok := o.(quad.Time)
		if !ok {
			return false
		}
		n.StartDate = dateString(t)
		return mustDate(n.StartDate) == t
	default:
		return false
	}
	return true
}

func affiliationFact(a *Affiliation, p quad.IRI, o quad.Value) bool {
	switch p {
	case PredType:
		return true
	case PredPerson:
		a.PersonID = NodeIDOf(o)
		return a.PersonID != ""
	case PredOrganization:
		a.OrganizationID = NodeIDOf(o)
		return a.OrganizationID != ""
	case PredJobTitle:
		v, ok := str(o)
		if ok && a.Title == nil {
			a.Title = &v
			return true
		}
	}
	return false
}

func figureFact(f *Figure, p quad.IRI, o quad.Value) bool {
	v, isStr := str(o)
	switch {
	case p == PredType:
		return true
	case p == PredValue && isStr && f.Value == "":
		f.Value = v
	case p == PredStatement && isStr && f.Statement == "":
		f.Statement = v
	case p == PredAbout && NodeIDOf(o) != "":
		f.About = append(f.About, NodeIDOf(o))
	default:
		return false
	}
	return true
}
