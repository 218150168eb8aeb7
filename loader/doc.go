// Package loader reads, checks and writes ThriveGraph data.
//
// It reads the project's data files (docs/FORMAT.md: one YAML or JSON
// document per source), CSV sheets (one per kind of node and relation; the
// sheets of a directory are one source), and linked data: N-Quads
// (ReadNQuads, ImportNQuads) and JSON-LD (ReadJSONLD), read into
// graph.Quads through github.com/cayleygraph/quad. It writes JSON-LD
// (WriteJSONLD, ExportJSONLD), CSV (ExportCSV) and the N-Quads lines of a
// batch (NQuadLines); the store writes N-Quads itself (graph.Log.Export).
// It writes the analysed network for network tools as GraphML
// (WriteGraphML) and GEXF (WriteGEXF) from a graph.NetworkExport, which
// package analysis makes: loader does not import analysis (analysis's own
// tests load the seed through loader), so the export value is the domain
// type between them. Gzipped files are read transparently.
//
// LoadWith parses a set of files, checks them against each other and the
// store, and writes them in one store.Apply call — one transaction, all or
// nothing — optionally replacing the facts of their sources (Options.Replace)
// or only reporting (Options.DryRun). Remove deletes sources; CheckBatch
// checks a batch built elsewhere with the same rules; ExportCSV writes the
// graph back as sheets. Every problem is reported at once as a
// *ValidationError, one line per problem in the form
// "FILE:LINE:COLUMN: FIELD: message".
//
// The loader talks to the store only through interfaces: graph.Store, and
// the narrower Applier, Scanner and Batcher.
package loader
