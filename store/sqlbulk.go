package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// A bulk load on PostgreSQL (sqlBulk) is one transaction of the shared
// store, opened by BeginBulk and committed by Commit, so it is all or
// nothing as an Apply is, and it holds no more than a chunk in memory:
//
//   - BeginBulk takes the next version of the change log (sqlLog.begin:
//     the counter's row stays locked until the end, so no writer of any
//     server interleaves), and removes the quads of the replaced sources
//     in chunks read in the transaction, each deleted with COPY
//     (lowerRemoved; the values left without quads are deleted once, at
//     Commit) and logged as removed parts of the version's entry.
//   - Each chunk of BulkChunk quads added adds its values to the nodes
//     table (copyNodes, with the reference counts Cayley's ApplyDeltas
//     gives them: a quad the store holds already, or one repeated in
//     another chunk of the load, counts again, and keeps its values in the
//     table after its last quad goes; no read sees a value without a
//     quad), appends its quads' hashes, with their kind
//     (kindOf), to a staging table of the transaction, and is logged as
//     added parts of the entry.
//   - Commit inserts the staged quads into the quads table, one INSERT …
//     SELECT DISTINCT per kind (which counts the nodes and edges new to
//     the store as the bbolt bulk load counts them), rebuilding the
//     table's indexes and foreign keys when it holds no more quads than
//     the load adds (insertStaged); it completes the entry, notifies the
//     version and commits.
//
// The quads are inserted once at Commit rather than per chunk: the
// rebuild is then decided on the whole load, and a fresh database gets
// its quads table built in index order at once instead of updated row by
// row, chunk after chunk. The staging table grows with the load, in the
// database (temporary files), not in this process.
//
// A reader of the change log sees the whole load as one entry, at the
// commit: its removed quads (every quad of the replaced sources, also
// those the load adds again) and its added ones (the load's quads, as an
// Apply logs them). Applied in that order, removals first, they give the
// store's state after the load. A load that changes nothing is rolled
// back: no version, no entry for every server to apply.
//
// Abort, an error, or a process killed before the commit roll the
// transaction back: the store, its log and its schema are as before.

// The staging tables of a bulk load, kept until its transaction ends:
// the quads it adds and the quads it removed, each with its kind.
const (
	stageLoad = "thrivegraph_stage_load"
	stageGone = "thrivegraph_stage_gone"
)

// kindQuadsDef defines stageLoad and stageGone.
const kindQuadsDef = `(kind SMALLINT NOT NULL, subject_hash BYTEA NOT NULL, predicate_hash BYTEA NOT NULL, object_hash BYTEA NOT NULL, label_hash BYTEA)`

var kindColumns = append([]string{"kind"}, quadColumns...)

// sqlBulk is the state of a bulk load on PostgreSQL.
type sqlBulk struct {
	tx     *sql.Tx
	entry  *logEntry // the version's change-log entry
	staged int       // quads staged in stageLoad (repeats included)
	gone   [3]int    // quads removed, by kind
	sweep  bool      // removals lowered reference counts: sweepNodes at the commit
	closed bool      // tx ended
}

// bulkSQL reports whether bulk loads on s are sqlBulk loads.
func (s *Cayley) bulkSQL() bool { return s.sql != nil && s.sql.copy }

// beginSQL opens the load's transaction and removes the quads of
// removeSources in it.
func (b *Bulk) beginSQL(ctx context.Context, removeSources []string) error {
	tx, v, err := b.s.sql.begin(ctx)
	if err != nil {
		return err
	}
	b.sq = &sqlBulk{tx: tx}
	b.res.Version = v
	if b.sq.entry, err = b.s.sql.startEntry(ctx, tx, v, true); err != nil {
		return err
	}
	for _, table := range []string{stageLoad, stageGone} {
		if err := stage(ctx, tx, table, kindQuadsDef); err != nil {
			return err
		}
	}
	for _, src := range removeSources {
		if err := b.removeSourceSQL(ctx, src); err != nil {
			return err
		}
	}
	return nil
}

// removeSourceSQL removes every quad of one source in chunks, read in
// the load's transaction through a cursor, which sees the quads as they
// were when it was declared (before the chunks are deleted), each with its
// values (Cayley's iterators would look every value up with a query of
// its own, see sqlscan.go).
func (b *Bulk) removeSourceSQL(ctx context.Context, src string) error {
	tx := b.sq.tx
	label := graph.SourceIRI(src)
	hash := csql.NodeHash{ValueHash: refs.HashOf(label)}.SQLValue()
	// A literal (hex digits): a cursor's query takes no parameters here.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DECLARE %s NO SCROLL CURSOR FOR SELECT %s, %s, %s FROM quads q
		JOIN nodes s ON s.hash = q.subject_hash JOIN nodes p ON p.hash = q.predicate_hash JOIN nodes o ON o.hash = q.object_hash
		WHERE q.label_hash = '\x%x'::bytea`, goneCursor, nodeValueColumns("s"), nodeValueColumns("p"), nodeValueColumns("o"), hash)); err != nil {
		return err
	}
	var r [3]nodeRow
	dest := slices.Concat(r[0].dest(), r[1].dest(), r[2].dest())
	for {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(`FETCH %d FROM %s`, BulkChunk, goneCursor))
		if err != nil {
			return err
		}
		var chunk []quad.Quad
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			q := quad.Quad{Label: label}
			for i, d := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object} {
				v, err := r[i].value()
				if err != nil {
					rows.Close()
					return fmt.Errorf("quad of %s: %s: %w", src, d, err)
				}
				q.Set(d, v)
			}
			chunk = append(chunk, q)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(chunk) == 0 {
			break
		}
		if err := b.removeChunkSQL(ctx, chunk); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `CLOSE `+goneCursor)
	return err
}

// goneCursor names the cursor removeSourceSQL reads a source's quads
// with.
const goneCursor = "thrivegraph_gone"

// removeChunkSQL deletes quads of the store, stages them in stageGone
// and logs them.
func (b *Bulk) removeChunkSQL(ctx context.Context, chunk []quad.Quad) error {
	tx := b.sq.tx
	ct := cgraph.NewTransactionN(len(chunk))
	for _, q := range chunk {
		ct.RemoveQuad(q)
	}
	deltas := graphlog.SplitDeltas(ct.Deltas)
	lowered, err := lowerRemoved(ctx, tx, deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
	if err != nil {
		return fmt.Errorf("removals: %w", err)
	}
	b.sq.sweep = b.sq.sweep || lowered
	if err := b.stageKinds(ctx, stageGone, chunk, deltas.QuadDel); err != nil {
		return fmt.Errorf("removals: %w", err)
	}
	if err := b.sq.entry.write(ctx, chunk, nil); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	for _, q := range chunk {
		b.sq.gone[kindOf(q)]++
	}
	if b.hooks.Written != nil {
		b.hooks.Written(chunk, nil)
	}
	return nil
}

// stageKinds appends the hashes of quads (ups: their updates, in the
// order of quads), with their kinds, to table.
func (b *Bulk) stageKinds(ctx context.Context, table string, quads []quad.Quad, ups []graphlog.QuadUpdate) error {
	return copyInto(ctx, b.sq.tx, table, kindColumns, len(ups), func(i int) ([]any, error) {
		u := ups[i]
		return append([]any{int(kindOf(quads[u.Ind]))}, hashValues(u.Quad)...), nil
	})
}

// flushSQL writes the waiting chunk: its values, its staged quads, its
// parts of the log entry.
func (b *Bulk) flushSQL(ctx context.Context) error {
	if len(b.buf) == 0 {
		return nil
	}
	chunk := b.buf
	ct := cgraph.NewTransactionN(len(chunk))
	for _, q := range chunk {
		ct.AddQuad(q)
	}
	deltas := graphlog.SplitDeltas(ct.Deltas)
	if err := copyNodes(ctx, b.sq.tx, deltas.IncNode); err != nil {
		return b.failSQL(fmt.Errorf("values: %w", err))
	}
	if err := b.stageKinds(ctx, stageLoad, chunk, deltas.QuadAdd); err != nil {
		return b.failSQL(fmt.Errorf("quads: %w", err))
	}
	if err := b.sq.entry.write(ctx, nil, chunk); err != nil {
		return b.failSQL(fmt.Errorf("change log: %w", err))
	}
	b.sq.staged += len(chunk)
	b.txs++
	if b.hooks.Written != nil {
		b.hooks.Written(nil, chunk)
	}
	b.buf = make([]quad.Quad, 0, BulkChunk)
	return nil
}

// failSQL keeps the first failure of the load's transaction.
func (b *Bulk) failSQL(err error) error {
	if b.err == nil {
		b.err = dbError("bulk load", err)
	}
	return b.err
}

// commitSQL writes the staged quads, completes the log entry and commits.
func (b *Bulk) commitSQL(ctx context.Context) (graph.LoadResult, error) {
	const op = "bulk load"
	defer b.abort()
	if b.err == nil {
		if err := ctx.Err(); err != nil {
			b.err = graph.Internal(op, err)
		}
	}
	if b.err == nil {
		b.err = b.flushSQL(ctx)
	}
	if b.err != nil {
		return graph.LoadResult{}, b.err
	}
	res, err := b.insertSQL(ctx)
	if err != nil {
		return graph.LoadResult{}, dbError(op, err)
	}
	if res.QuadsAdded == 0 && res.QuadsRemoved == 0 {
		// Nothing changed: rolled back (abort), no version taken.
		res.NodesAdded, res.NodesRemoved, res.EdgesAdded, res.EdgesRemoved = 0, 0, 0, 0
		res.Version = 0
		return res, nil
	}
	if err := b.sq.entry.end(ctx, b.sq.tx); err != nil {
		return graph.LoadResult{}, dbError(op, err)
	}
	b.sq.closed = true
	if err := b.sq.tx.Commit(); err != nil {
		return graph.LoadResult{}, dbError(op, err)
	}
	if b.hooks.Switched != nil {
		b.hooks.Switched()
	}
	slog.Default().Info("load: committed", "version", res.Version, "chunks", b.txs, "quads", b.sq.staged)
	return res, nil
}

// insertSQL inserts the staged quads, a statement per kind, and counts the
// load: the quads (and of them the nodes and edges) new to the store, the
// quads removed, but those the load added again, which are neither.
func (b *Bulk) insertSQL(ctx context.Context) (graph.LoadResult, error) {
	tx := b.sq.tx
	cols := strings.Join(quadColumns, ", ")
	var added [3]int // by kind: kindOther, kindType, kindRelation
	if b.sq.staged > 0 {
		selects := make([]string, len(added))
		for k := range selects {
			selects[k] = fmt.Sprintf(`SELECT DISTINCT %s FROM %s WHERE kind = %d ORDER BY %s`, cols, stageLoad, k, cols)
		}
		n, err := insertStaged(ctx, tx, b.sq.staged, selects)
		if err != nil {
			return graph.LoadResult{}, fmt.Errorf("quads: %w", err)
		}
		copy(added[:], n)
	}
	if b.sq.sweep {
		// Once, after the load's values have their counts back: the
		// sweep scans the nodes table.
		if err := sweepNodes(ctx, tx); err != nil {
			return graph.LoadResult{}, fmt.Errorf("values: %w", err)
		}
	}
	var readded [3]int
	if b.sq.gone != [3]int{} && b.sq.staged > 0 {
		// Removed quads are distinct (rows of the table); the label is
		// compared through coalesce so that the join can hash.
		rows, err := tx.QueryContext(ctx, `SELECT g.kind, count(*) FROM `+stageGone+` g WHERE EXISTS (SELECT 1 FROM `+stageLoad+` l
			WHERE l.subject_hash = g.subject_hash AND l.predicate_hash = g.predicate_hash AND l.object_hash = g.object_hash
			AND coalesce(l.label_hash, ''::bytea) = coalesce(g.label_hash, ''::bytea)) GROUP BY g.kind`)
		if err != nil {
			return graph.LoadResult{}, fmt.Errorf("quads added again: %w", err)
		}
		for rows.Next() {
			var k, n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return graph.LoadResult{}, err
			}
			if k >= 0 && k < len(readded) {
				readded[k] = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return graph.LoadResult{}, err
		}
	}
	res := b.res
	for k := range added {
		res.QuadsAdded += added[k] - readded[k]
		res.QuadsRemoved += b.sq.gone[k] - readded[k]
	}
	res.NodesAdded = added[kindType] - readded[kindType]
	res.NodesRemoved = b.sq.gone[kindType] - readded[kindType]
	res.EdgesAdded = added[kindRelation] - readded[kindRelation]
	res.EdgesRemoved = b.sq.gone[kindRelation] - readded[kindRelation]
	return res, nil
}

// abortSQL rolls the load's transaction back, unless it ended.
func (b *Bulk) abortSQL() {
	if b.sq != nil && !b.sq.closed {
		b.sq.closed = true
		b.sq.entry.close()
		b.sq.tx.Rollback()
	}
}
