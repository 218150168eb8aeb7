package graph

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// IRIs of ThriveGraph. They are names, not addresses: nothing is served there.
const (
	nsID          = "https://thrivegraph.org/id/"
	nsSource      = "https://thrivegraph.org/source/"
	nsFigure      = "https://thrivegraph.org/figure/"
	nsAffiliation = "https://thrivegraph.org/affiliation/"
	nsVocab       = "https://thrivegraph.org/ns#"
)

// Predicates and classes.
var (
	predType        = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
	predName        = quad.IRI("http://schema.org/name")
	predDescription = quad.IRI("http://schema.org/description")
	predAlias       = quad.IRI("http://www.w3.org/2004/02/skos/core#altLabel")
	predKind        = quad.IRI(nsVocab + "kind")
	predStartDate   = quad.IRI(nsVocab + "startDate")
	predQuestion    = quad.IRI(nsVocab + "question")
	predValue       = quad.IRI(nsVocab + "value")
	predStatement   = quad.IRI(nsVocab + "statement")
	predAbout       = quad.IRI(nsVocab + "about")
	predTitle       = quad.IRI(nsVocab + "title")
	predURL         = quad.IRI(nsVocab + "url")
	predPublisher   = quad.IRI(nsVocab + "publisher")
	predPublished   = quad.IRI(nsVocab + "published")
	predDocument    = quad.IRI(nsVocab + "document")
	predNote        = quad.IRI(nsVocab + "note")
	predAuthor      = quad.IRI(nsVocab + "author")
	predPerson      = quad.IRI(nsVocab + "person")
	predOrg         = quad.IRI(nsVocab + "organization")
	predJobTitle    = quad.IRI(nsVocab + "jobTitle")

	classSource      = quad.IRI(nsVocab + "Source")
	classFigure      = quad.IRI(nsVocab + "Figure")
	classAffiliation = quad.IRI(nsVocab + "Affiliation")
)

func nodeIRI(id string) quad.IRI   { return quad.IRI(nsID + id) }
func sourceIRI(id string) quad.IRI { return quad.IRI(nsSource + id) }
func figureIRI(id string) quad.IRI { return quad.IRI(nsFigure + id) }
func classIRI(t NodeType) quad.IRI { return quad.IRI(nsVocab + string(t)) }
func relIRI(r Relation) quad.IRI   { return quad.IRI(nsVocab + string(r)) }
func affiliationIRI(person, org string) quad.IRI {
	return quad.IRI(nsAffiliation + person + "/" + org)
}

// idOf returns the id of a node, source or figure IRI, and its namespace.
func idOf(v quad.Value) (id, ns string) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", ""
	}
	s := string(iri)
	for _, ns := range []string{nsID, nsSource, nsFigure, nsAffiliation} {
		if strings.HasPrefix(s, ns) {
			return s[len(ns):], ns
		}
	}
	return "", ""
}

// nodeID returns the entity id of v, or "" if v is not an entity IRI.
func nodeID(v quad.Value) string {
	id, ns := idOf(v)
	if ns != nsID {
		return ""
	}
	return id
}

// sourceID returns the source id of a quad label, or "".
func sourceID(label quad.Value) string {
	id, ns := idOf(label)
	if ns != nsSource {
		return ""
	}
	return id
}

var (
	relByIRI  = map[quad.IRI]Relation{}
	typeByIRI = map[quad.IRI]NodeType{}
)

func init() {
	for _, r := range Relations {
		relByIRI[relIRI(r)] = r
	}
	for _, t := range NodeTypes {
		typeByIRI[classIRI(t)] = t
	}
}

// relationOf returns the relation a predicate stands for.
func relationOf(p quad.Value) (Relation, bool) {
	iri, ok := p.(quad.IRI)
	if !ok {
		return "", false
	}
	r, ok := relByIRI[iri]
	return r, ok
}

// literal returns the string form of a literal value.
func literal(v quad.Value) string {
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
