// Package loader reads, checks and writes ThriveGraph data files.
//
// A data file (docs/FORMAT.md) is one YAML or JSON document holding the facts
// of one source. Parse turns one file into a graph.Batch, checking all that
// can be checked within the file; Load parses a set of files, checks them
// against each other and the store, and writes them in one store.Load call,
// all or nothing. Every problem is reported at once as a *ValidationError,
// one line per problem in the form "FILE:LINE:COLUMN: FIELD: message".
//
// The loader talks to the store only through the graph.Store interface.
package loader
