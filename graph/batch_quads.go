package graph

import (
	"time"

	"github.com/cayleygraph/quad"
)

// Quads turns the batch into quads, each labelled with the batch's source:
// what a store holds for it.
func (b *Batch) Quads() []quad.Quad {
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
	for _, o := range b.orders() { // the document's order of its lists (order.go)
		add(o.key.owner, o.key.pred, quad.String(EncodeOrder(o.list)))
	}
	return qs
}

// QuadCount returns the number of quads the batch is written as.
func (b *Batch) QuadCount() int { return len(b.Quads()) }

// dateString is the ISO 8601 date of a time value.
func dateString(t quad.Time) string {
	return time.Time(t).UTC().Format(time.DateOnly)
}
