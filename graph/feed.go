package graph

import (
	"context"

	"github.com/cayleygraph/quad"
)

// Feed is a Log that several servers share (PostgreSQL, CockroachDB):
// every write it commits is also an entry of a change log kept in the same
// database and written in the same transaction, numbered 1, 2, 3… in
// commit order. A server keeps its read model in step with the other
// servers' writes by applying the entries after its own version
// (live.Graph.Follow).
type Feed interface {
	// Shared reports whether the store keeps a change log (its backend is
	// a SQL database); the other methods do nothing on one that does not.
	Shared() bool
	// Head returns the version of the newest entry (0: no entry yet), as
	// the database the server follows (its read DSN) has it.
	Head(ctx context.Context) (uint64, error)
	// Entries calls fn with each entry after version after, in order, up
	// to the newest, as the followed database has it (primary: as the
	// primary has it). An error of code CodeTruncated says entries after
	// after are no longer kept: the server must rebuild from a scan.
	Entries(ctx context.Context, after uint64, primary bool, fn func(LogEntry) error) error
	// Watch calls wake with the version of each entry committed while it
	// runs, as soon as the database tells (PostgreSQL LISTEN/NOTIFY), and
	// with 0 after a lost connection is back (entries may have been
	// missed). It returns when ctx ends; a backend that cannot tell
	// returns nil at once, and the follower polls.
	Watch(ctx context.Context, wake func(version uint64)) error
	// ScanAt calls fn for every quad of the followed database, as Scan
	// does, and returns the version of the change log those quads are
	// exactly the state of.
	ScanAt(ctx context.Context, fn func(quad.Quad)) (uint64, error)
	// Ping reports whether the followed database answers.
	Ping(ctx context.Context) error
}

// LogEntry is one write of a Feed's change log: the quads it removed and
// the quads it added (some of which the store may have held already).
type LogEntry struct {
	Version uint64
	Removed []quad.Quad
	Added   []quad.Quad
}

// CodeTruncated: the entries of a change log asked for are no longer kept.
const CodeTruncated Code = "LOG_TRUNCATED"
