// Package graph is the centre of ThriveGraph: the domain types
// (organizations, events, people, themes, policy levels, places, figures
// and the sources that state them), their vocabulary as quads, the
// application error type, and the narrow interfaces the adapters implement:
// Log (the store every write goes through, package store) and Store (every
// question the API asks, package live). It imports no adapter.
package graph
