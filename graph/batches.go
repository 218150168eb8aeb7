package graph

import (
	"context"
	"slices"
	"sort"

	"github.com/cayleygraph/quad"
)

// Batches reads the whole graph back as one batch per source, the inverse
// of writing batches: Apply of the batches into an empty store gives the
// same quads. Batches, their nodes, links, affiliations and figures are
// sorted. Quads that a batch cannot hold (linked data outside ThriveGraph's
// vocabulary, facts about a node whose type the source does not state) are
// an error with code BAD_USER_INPUT that counts them and shows one.
func (s *CayleyStore) Batches(ctx context.Context) ([]*Batch, error) {
	const op = "batches"
	s.mu.RLock()
	var all []quad.Quad
	err := s.eachAll(ctx, func(q quad.Quad) { all = append(all, q) })
	s.mu.RUnlock()
	if err != nil {
		return nil, internal(op, err)
	}
	sortQuads(all)
	type sourceFacts struct {
		batch   *Batch
		nodes   map[string]*NodeRecord
		affs    map[string]*Affiliation
		figs    map[string]*Figure
		members map[[2]string]bool
	}
	bySource := map[string]*sourceFacts{}
	var foreign []quad.Quad
	// Types first: the other facts about a subject need its type.
	for _, q := range all {
		src := sourceID(q.Label)
		if src == "" {
			foreign = append(foreign, q)
			continue
		}
		sf := bySource[src]
		if sf == nil {
			sf = &sourceFacts{batch: &Batch{Source: Source{ID: src}}, nodes: map[string]*NodeRecord{},
				affs: map[string]*Affiliation{}, figs: map[string]*Figure{}, members: map[[2]string]bool{}}
			bySource[src] = sf
		}
		if q.Predicate != predType {
			continue
		}
		id, ns := idOf(q.Subject)
		iri, _ := q.Object.(quad.IRI)
		switch {
		case ns == nsID && typeByIRI[iri] != "":
			sf.nodes[id] = &NodeRecord{ID: id, Type: typeByIRI[iri]}
		case ns == nsAffiliation && iri == classAffiliation:
			sf.affs[id] = &Affiliation{}
		case ns == nsFigure && iri == classFigure:
			sf.figs[id] = &Figure{ID: id}
		}
	}
	for _, q := range all {
		src := sourceID(q.Label)
		if src == "" {
			continue
		}
		sf := bySource[src]
		b := sf.batch
		id, ns := idOf(q.Subject)
		p, _ := q.Predicate.(quad.IRI)
		ok := true
		switch {
		case ns == nsSource && id == src:
			ok = sourceFact(&b.Source, p, q.Object)
		case ns == nsID && isRelation(p) && nodeID(q.Object) != "":
			// A link may start at a node another source describes.
			r, _ := relationOf(p)
			if to := nodeID(q.Object); r == RelMemberOf {
				sf.members[[2]string{id, to}] = true
			} else {
				b.Links = append(b.Links, Link{From: id, Relation: r, To: to})
			}
		case ns == nsID && sf.nodes[id] != nil:
			ok = nodeFact(sf.nodes[id], p, q.Object)
		case ns == nsAffiliation && sf.affs[id] != nil:
			ok = affiliationFact(sf.affs[id], p, q.Object)
		case ns == nsFigure && sf.figs[id] != nil:
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
	case predType:
		return o == classSource
	case predTitle:
		v, ok := str(o)
		if ok && s.Title == "" {
			s.Title = v
		}
		return ok && s.Title == v
	case predURL:
		return opt(&s.URL)
	case predPublisher:
		return opt(&s.Publisher)
	case predDocument:
		return opt(&s.Document)
	case predNote:
		return opt(&s.Note)
	case predPublished:
		t, ok := o.(quad.Time)
		if ok && s.Published == nil {
			d := dateString(t)
			s.Published = &d
			return mustDate(d) == t
		}
		return false
	case predAuthor:
		if id := nodeID(o); id != "" {
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
	if p == predType {
		return true
	}
	v, isStr := str(o)
	switch {
	case p == predName && isStr && n.Name == "":
		n.Name = v
	case p == predAlias && isStr:
		n.Aliases = append(n.Aliases, v)
	case p == predDescription && isStr && n.Description == "":
		n.Description = v
	case p == predKind && isStr && n.Type == TypeOrganization:
		n.Kinds = append(n.Kinds, v)
	case p == predKind && isStr && n.Type == TypeEvent && n.EventKind == "":
		n.EventKind = v
	case p == predQuestion && isStr && n.Type == TypeEvent:
		n.Questions = append(n.Questions, v)
	case p == predStartDate && n.Type == TypeEvent && n.StartDate == "":
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
	case predType:
		return true
	case predPerson:
		a.PersonID = nodeID(o)
		return a.PersonID != ""
	case predOrg:
		a.OrganizationID = nodeID(o)
		return a.OrganizationID != ""
	case predJobTitle:
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
	case p == predType:
		return true
	case p == predValue && isStr && f.Value == "":
		f.Value = v
	case p == predStatement && isStr && f.Statement == "":
		f.Statement = v
	case p == predAbout && nodeID(o) != "":
		f.About = append(f.About, nodeID(o))
	default:
		return false
	}
	return true
}
