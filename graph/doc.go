// Package graph is the centre of ThriveGraph: the domain types (organizations,
// events, people, themes, policy levels, places, figures and the sources that
// state them), the application error type, and the Cayley-backed store with
// every traversal the API answers (filters, search, partners, paths).
//
// Only this package imports Cayley. Each fact is one quad whose label is the
// IRI of the source that states it, so provenance and per-source replacement
// need no extra bookkeeping.
package graph
