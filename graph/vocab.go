package graph

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// IRIs of ThriveGraph. They are names, not addresses: nothing is served there.
const (
	NSID          = "https://thrivegraph.org/id/"
	NSSource      = "https://thrivegraph.org/source/"
	NSFigure      = "https://thrivegraph.org/figure/"
	NSAffiliation = "https://thrivegraph.org/affiliation/"
	NSVocab       = "https://thrivegraph.org/ns#"
)

// Predicates and classes.
var (
	PredType         = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	PredName         = quad.IRI("http://schema.org/name")
	PredDescription  = quad.IRI("http://schema.org/description")
	PredAlias        = quad.IRI("http://www.w3.org/2004/02/skos/core#altLabel")
	PredKind         = quad.IRI(NSVocab + "kind")
	PredStartDate    = quad.IRI(NSVocab + "startDate")
	PredQuestion     = quad.IRI(NSVocab + "question")
	PredValue        = quad.IRI(NSVocab + "value")
	PredStatement    = quad.IRI(NSVocab + "statement")
	PredAbout        = quad.IRI(NSVocab + "about")
	PredTitle        = quad.IRI(NSVocab + "title")
	PredURL          = quad.IRI(NSVocab + "url")
	PredPublisher    = quad.IRI(NSVocab + "publisher")
	PredPublished    = quad.IRI(NSVocab + "published")
	PredDocument     = quad.IRI(NSVocab + "document")
	PredNote         = quad.IRI(NSVocab + "note")
	PredAuthor       = quad.IRI(NSVocab + "author")
	PredPerson       = quad.IRI(NSVocab + "person")
	PredOrganization = quad.IRI(NSVocab + "organization")
	PredJobTitle     = quad.IRI(NSVocab + "jobTitle")

	ClassSource      = quad.IRI(NSVocab + "Source")
	ClassFigure      = quad.IRI(NSVocab + "Figure")
	ClassAffiliation = quad.IRI(NSVocab + "Affiliation")
)

// NodeIRI is the IRI of the entity id.
func NodeIRI(id string) quad.IRI { return quad.IRI(NSID + id) }

// SourceIRI is the IRI of the source id, the label of its facts.
func SourceIRI(id string) quad.IRI { return quad.IRI(NSSource + id) }

// FigureIRI is the IRI of the figure id.
func FigureIRI(id string) quad.IRI { return quad.IRI(NSFigure + id) }

// ClassIRI is the class of the entities of type t.
func ClassIRI(t NodeType) quad.IRI { return quad.IRI(NSVocab + string(t)) }

// RelIRI is the predicate of the relation r.
func RelIRI(r Relation) quad.IRI { return quad.IRI(NSVocab + string(r)) }

// AffiliationIRI is the IRI of a person's affiliation to an organization,
// the subject of its title.
func AffiliationIRI(person, org string) quad.IRI {
	return quad.IRI(NSAffiliation + person + "/" + org)
}

// IDOf returns the id of a node, source or figure IRI, and its namespace.
func IDOf(v quad.Value) (id, ns string) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", ""
	}
	s := string(iri)
	for _, ns := range []string{NSID, NSSource, NSFigure, NSAffiliation} {
		if strings.HasPrefix(s, ns) {
			return s[len(ns):], ns
		}
	}
	return "", ""
}

// NodeIDOf returns the entity id of v, or "" if v is not an entity IRI.
func NodeIDOf(v quad.Value) string {
	id, ns := IDOf(v)
	if ns != NSID {
		return ""
	}
	return id
}

// SourceIDOf returns the source id of a quad label, or "".
func SourceIDOf(label quad.Value) string {
	id, ns := IDOf(label)
	if ns != NSSource {
		return ""
	}
	return id
}

var relByIRI = map[quad.IRI]Relation{}

// TypeByClass maps the class IRIs to the entity types.
var TypeByClass = map[quad.IRI]NodeType{}

func init() {
	for _, r := range Relations {
		relByIRI[RelIRI(r)] = r
	}
	for _, t := range NodeTypes {
		TypeByClass[ClassIRI(t)] = t
	}
}

// RelationOf returns the relation a predicate stands for.
func RelationOf(p quad.Value) (Relation, bool) {
	iri, ok := p.(quad.IRI)
	if !ok {
		return "", false
	}
	r, ok := relByIRI[iri]
	return r, ok
}

// Literal returns the string form of a literal value.
func Literal(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.Time:
		return dateString(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	case nil:
		return ""
	default:
		return quad.StringOf(v)
	}
}
