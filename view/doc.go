// Package view is ThriveGraph's read model: one immutable, in-memory
// snapshot of the whole graph that answers every query.
//
// A Snapshot is built from one pass over the store's quads (Build) and
// advanced by the deltas of every committed write (Snapshot.Apply), which
// copies only the records, type lists and index entries the write touches
// and shares everything else with the snapshot before it. Live publishes the
// newest snapshot through an atomic pointer: a request takes one snapshot and
// reads it from start to end without locks, whatever writes commit meanwhile.
//
// Inside a snapshot every IRI of ThriveGraph's namespaces (entities,
// sources, figures, affiliations) is a dense Ref. Each record keeps its
// outgoing and incoming edges and its literals, sorted, each with the Ref of
// the source that states it; quads about IRIs outside those namespaces are
// not kept (the store keeps them, and export reads the store).
package view
