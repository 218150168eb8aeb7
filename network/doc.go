// Package network answers ThriveGraph's network questions — partners,
// paths, neighbourhoods, common ground, introductions, facets and the
// filtered, ordered list of organizations — as plain functions over one
// immutable *view.Snapshot.
//
// Nothing here locks or reads a store: every function reads the snapshot it
// is given, from start to end. What is derived from the whole graph (every
// organization's profile, the whole-graph facet counts) is computed on
// demand and cached per snapshot (derived.go): a request on a newer snapshot
// recomputes it.
package network
