package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/lib/pq"
)

// The PostgreSQL write path of large writes. Cayley's RunTx writes one
// row a statement (2.8k to 6.6k quads/s on the development machine); the
// multi-row INSERTs of insertNodes and insertQuads reach about 13k. From
// copyRows rows on, a write on PostgreSQL instead COPYs (lib/pq's CopyIn)
// its values, quads and removals into temporary tables of its
// transaction, dropped at its end, and writes each table with one
// statement: INSERT … SELECT … ON CONFLICT for the values (reference
// counts added as Cayley's RunTx adds them) and the quads, DELETE … USING
// for the removals, UPDATE … FROM for the reference counts they lower.
//
// Most of what is left is PostgreSQL's upkeep of Cayley's indexes and
// foreign keys on each quad row (four foreign keys, two unique and four
// other indexes, the rows arriving in hash order, which is no order). A
// write that adds at least rebuildRows quads to a table holding no more
// than it adds therefore drops the foreign keys and the non-unique
// indexes of the quads table (the unique ones too when the table is
// empty: the quads are then made distinct in the INSERT), inserts, and
// creates them again, from the definitions PostgreSQL gives
// (pg_get_indexdef, pg_get_constraintdef) so that the schema after the
// write is Cayley's, exactly as before. All of it is in the write's one
// transaction: a write that fails or is killed leaves the table, its
// indexes and its keys as they were. What that costs: the dropped
// constraint holds an ACCESS EXCLUSIVE lock on the quads table (and a
// lock on nodes) until the commit, so a reader of those tables (a server
// starting, an export, the quad count) waits for the load to end; the
// servers already running answer from their read models, and follow the
// change log, which is not locked.

// copyRows is the number of rows (values, quads and removals together)
// from which a write on PostgreSQL stages them with COPY: below it, the
// temporary tables cost more than they save.
var copyRows = 2000

// rebuildRows is the number of quads added from which a write on
// PostgreSQL rebuilds the quads table's indexes and foreign keys instead
// of updating them row by row, when the table holds no more quads than
// are added: building an index costs about a tenth of inserting into it
// row by row, per row, but over every row of the table.
var rebuildRows = 10000

// Staging tables, made in the write's transaction and dropped at its end.
const (
	stageNodes   = "thrivegraph_stage_nodes"
	stageQuads   = "thrivegraph_stage_quads"
	stageRemoved = "thrivegraph_stage_removed"
	stageRefs    = "thrivegraph_stage_refs"
)

// nodeColumns are the nodes table's columns, in the order the staging
// table has them.
var nodeColumns = []string{"refs", "hash", "value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

var quadColumns = []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}

// copyDeltas writes deltas in tx as applyDeltas does, with the statements
// described above; it returns the number of quads inserted. It needs
// IgnoreDup (a quad the table holds already is skipped) and lib/pq.
func copyDeltas(ctx context.Context, tx *sql.Tx, deltas *graphlog.Deltas, opts cgraph.IgnoreOpts) (int, error) {
	if err := copyNodes(ctx, tx, deltas.IncNode); err != nil {
		return 0, fmt.Errorf("values: %w", err)
	}
	inserted, err := copyQuads(ctx, tx, deltas.QuadAdd)
	if err != nil {
		return 0, fmt.Errorf("quads: %w", err)
	}
	if err := copyRemovals(ctx, tx, deltas, opts); err != nil {
		return 0, fmt.Errorf("removals: %w", err)
	}
	return inserted, nil
}

// copyIn COPYs rows into table, made first (or emptied, when an earlier
// write of tx made it) as a temporary table with the definition def,
// dropped when tx ends. row(i) gives the i-th row's values.
func copyIn(ctx context.Context, tx *sql.Tx, table, def string, columns []string, n int, row func(i int) ([]any, error)) error {
	if err := stage(ctx, tx, table, def); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `TRUNCATE `+table); err != nil {
		return err
	}
	return copyInto(ctx, tx, table, columns, n, row)
}

// stage makes the temporary table table, with the definition def, unless
// tx has it already; it is dropped when tx ends.
func stage(ctx context.Context, tx *sql.Tx, table, def string) error {
	_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+table+` `+def+` ON COMMIT DROP`)
	return err
}

// copyInto COPYs n rows into table, after the rows it holds. row(i) gives
// the i-th row's values.
func copyInto(ctx context.Context, tx *sql.Tx, table string, columns []string, n int, row func(i int) ([]any, error)) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range n {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		values, err := row(i)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, values...); err != nil {
			return err
		}
	}
	_, err = stmt.ExecContext(ctx) // ends the COPY
	return err
}

// copyNodes adds the values of new quads to the nodes table, or their
// reference counts to the rows there, as insertNodes does.
func copyNodes(ctx context.Context, tx *sql.Tx, nodes []graphlog.NodeUpdate) error {
	if len(nodes) == 0 {
		return nil
	}
	index := map[string]int{}
	for i, c := range nodeColumns {
		index[c] = i
	}
	err := copyIn(ctx, tx, stageNodes, `(LIKE nodes)`, nodeColumns, len(nodes), func(i int) ([]any, error) {
		n := nodes[i]
		if n.RefInc < 0 {
			return nil, fmt.Errorf("unexpected node update %+v", n)
		}
		typ, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return nil, err
		}
		row := make([]any, len(nodeColumns))
		row[0], row[1] = n.RefInc, values[0]
		for j, c := range typ.Columns() {
			row[index[c]] = values[j+1]
		}
		return row, nil
	})
	if err != nil {
		return err
	}
	cols := strings.Join(nodeColumns, ", ")
	_, err = tx.ExecContext(ctx, `INSERT INTO nodes (`+cols+`) SELECT `+cols+` FROM `+stageNodes+
		` ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`)
	return err
}

// hashValues gives a quad's hashes as the quads table's columns hold them.
func hashValues(q refs.QuadHash) []any {
	dirs := q.Dirs()
	out := make([]any, len(dirs))
	for i, h := range dirs {
		out[i] = csql.NodeHash{ValueHash: h}.SQLValue()
	}
	return out
}

// copyQuads inserts the quads not in the table yet and returns how many
// it inserted; from rebuildRows quads on, into a table holding no more,
// with the indexes and foreign keys rebuilt (see above).
func copyQuads(ctx context.Context, tx *sql.Tx, quads []graphlog.QuadUpdate) (int, error) {
	if len(quads) == 0 {
		return 0, nil
	}
	// In the order of the unique indexes, without repeats (two quads of
	// values of other Go types but the same hashes): the heap is then
	// written in index order, the indexes are built from sorted rows or
	// updated in order, and an INSERT into a table without its unique
	// indexes needs no DISTINCT.
	quads = slices.Clone(quads)
	slices.SortFunc(quads, func(a, b graphlog.QuadUpdate) int { return compareQuads(a.Quad, b.Quad) })
	quads = slices.CompactFunc(quads, func(a, b graphlog.QuadUpdate) bool { return a.Quad == b.Quad })
	err := copyIn(ctx, tx, stageQuads, quadHashesDef, quadColumns, len(quads), func(i int) ([]any, error) {
		if quads[i].Del {
			return nil, fmt.Errorf("unexpected quad delete %+v", quads[i])
		}
		return hashValues(quads[i].Quad), nil
	})
	if err != nil {
		return 0, err
	}
	n, err := insertStaged(ctx, tx, len(quads), []string{`SELECT ` + strings.Join(quadColumns, ", ") + ` FROM ` + stageQuads})
	if err != nil {
		return 0, err
	}
	return n[0], nil
}

// quadHashesDef defines a staging table of quads: their hashes, as the
// quads table has them.
const quadHashesDef = `(subject_hash BYTEA NOT NULL, predicate_hash BYTEA NOT NULL, object_hash BYTEA NOT NULL, label_hash BYTEA)`

// insertStaged inserts the quads that each query of selects gives (the
// columns of quadColumns, distinct, best in the order of the unique
// indexes), but those in the table already, and returns how many rows each
// inserted. A quad is given by one query at most. From rebuildRows quads
// on (staged: about how many the queries give), into a table holding no
// more, it drops and rebuilds the indexes and foreign keys (see above).
func insertStaged(ctx context.Context, tx *sql.Tx, staged int, selects []string) ([]int, error) {
	var (
		existing = -1 // not counted
		rebuilt  *quadConstraints
		err      error
	)
	if staged >= rebuildRows {
		// Counted up to one more than is added: bounded by the write's size.
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM quads LIMIT $1) t`, staged+1).Scan(&existing); err != nil {
			return nil, err
		}
		if existing <= staged {
			if rebuilt, err = dropQuadConstraints(ctx, tx, existing == 0); err != nil {
				return nil, fmt.Errorf("dropping the indexes to rebuild: %w", err)
			}
		}
	}
	cols := strings.Join(quadColumns, ", ")
	conflict := ` ON CONFLICT DO NOTHING`
	if rebuilt != nil && rebuilt.unique {
		// No unique index to conflict with, no quad in the table, and
		// the staged quads are distinct.
		conflict = ""
	}
	out := make([]int, len(selects))
	for i, sel := range selects {
		res, err := tx.ExecContext(ctx, `INSERT INTO quads (`+cols+`, ts) SELECT `+cols+`, now() FROM (`+sel+`) t`+conflict)
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, err
		}
		out[i] = int(n)
	}
	if rebuilt != nil {
		if err := rebuilt.restore(ctx, tx); err != nil {
			return nil, fmt.Errorf("rebuilding the indexes: %w", err)
		}
	}
	return out, nil
}

// quadConstraints are the indexes and foreign keys of the quads table a
// bulk write dropped, with the statements that make them again.
type quadConstraints struct {
	unique bool     // the unique indexes are among them
	create []string // CREATE INDEX and ALTER TABLE … ADD CONSTRAINT statements, in order
}

// dropQuadConstraints drops the foreign keys and the indexes of the quads
// table but its primary key, and but the unique indexes unless unique.
func dropQuadConstraints(ctx context.Context, tx *sql.Tx, unique bool) (*quadConstraints, error) {
	// Index builds sort; the default 64 MB sorts a million quads on disk,
	// and 1 GB sorts four million in memory (it is the most this
	// transaction may take for a sort, not what it takes).
	if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
		return nil, err
	}
	c := &quadConstraints{unique: unique}
	var drops []string
	rows, err := tx.QueryContext(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'quads'::regclass AND contype = 'f' ORDER BY conname`)
	if err != nil {
		return nil, err
	}
	var fks []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drops = append(drops, `ALTER TABLE quads DROP CONSTRAINT `+pq.QuoteIdentifier(name))
		fks = append(fks, `ALTER TABLE quads ADD CONSTRAINT `+pq.QuoteIdentifier(name)+` `+def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Indexes that back a constraint (the primary key) stay.
	rows, err = tx.QueryContext(ctx, `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'quads'::regclass AND (NOT i.indisunique OR $1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY i.indisunique DESC, c.relname`, unique)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drops = append(drops, `DROP INDEX `+pq.QuoteIdentifier(name))
		c.create = append(c.create, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.create = append(c.create, fks...) // the keys after the indexes
	for _, s := range drops {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// restore makes the dropped indexes and keys again.
func (c *quadConstraints) restore(ctx context.Context, tx *sql.Tx) error {
	for _, s := range c.create {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// copyRemovals deletes the removed quads and lowers the reference counts
// of their values, as removeDeltas does: a quad to remove that the table
// does not hold is an error unless opts.IgnoreMissing, and then gives its
// values back their counts.
func copyRemovals(ctx context.Context, tx *sql.Tx, deltas *graphlog.Deltas, opts cgraph.IgnoreOpts) error {
	lowered, err := lowerRemoved(ctx, tx, deltas, opts)
	if err != nil || !lowered {
		return err
	}
	return sweepNodes(ctx, tx)
}

// sweepNodes deletes the values whose reference count fell to nothing.
func sweepNodes(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM nodes WHERE refs <= 0`)
	return err
}

// lowerRemoved is copyRemovals but for the sweep of the values left
// without references (sweepNodes), which it leaves to the caller: it
// scans the nodes table. It reports whether it lowered any count.
func lowerRemoved(ctx context.Context, tx *sql.Tx, deltas *graphlog.Deltas, opts cgraph.IgnoreOpts) (bool, error) {
	fixNodes := map[refs.ValueHash]int{}
	if del := deltas.QuadDel; len(del) > 0 {
		err := copyIn(ctx, tx, stageRemoved, quadHashesDef,
			quadColumns, len(del), func(i int) ([]any, error) { return hashValues(del[i].Quad), nil })
		if err != nil {
			return false, err
		}
		// Two statements, so that each uses its unique index.
		deleted := map[refs.QuadHash]int{}
		for _, label := range []string{`q.label_hash = r.label_hash`, `q.label_hash IS NULL AND r.label_hash IS NULL`} {
			rows, err := tx.QueryContext(ctx, `DELETE FROM quads q USING `+stageRemoved+` r WHERE q.subject_hash = r.subject_hash AND q.predicate_hash = r.predicate_hash AND q.object_hash = r.object_hash AND `+label+
				` RETURNING q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash`)
			if err != nil {
				return false, err
			}
			for rows.Next() {
				var h [4]csql.NodeHash
				if err := rows.Scan(&h[0], &h[1], &h[2], &h[3]); err != nil {
					rows.Close()
					return false, err
				}
				deleted[refs.QuadHash{Subject: h[0].ValueHash, Predicate: h[1].ValueHash, Object: h[2].ValueHash, Label: h[3].ValueHash}]++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return false, err
			}
		}
		for _, d := range del {
			if deleted[d.Quad] > 0 {
				deleted[d.Quad]--
				continue
			}
			if err := notRemoved(d.Quad, opts, fixNodes); err != nil {
				return false, err
			}
		}
	}
	if len(deltas.DecNode) == 0 {
		return false, nil
	}
	var dec []graphlog.NodeUpdate
	for _, n := range deltas.DecNode {
		if n.RefInc += fixNodes[n.Hash]; n.RefInc != 0 {
			dec = append(dec, n)
		}
	}
	err := copyIn(ctx, tx, stageRefs, `(hash BYTEA NOT NULL, refs INT NOT NULL)`, []string{"hash", "refs"}, len(dec), func(i int) ([]any, error) {
		return []any{csql.NodeHash{ValueHash: dec[i].Hash}.SQLValue(), dec[i].RefInc}, nil
	})
	if err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE nodes SET refs = nodes.refs + r.refs FROM `+stageRefs+` r WHERE nodes.hash = r.hash`)
	return err == nil, err
}

// compareQuads orders quad hashes by subject, predicate, object and
// label, as the unique indexes do (but for a missing label, first here).
func compareQuads(a, b refs.QuadHash) int {
	if c := bytes.Compare(a.Subject[:], b.Subject[:]); c != 0 {
		return c
	}
	if c := bytes.Compare(a.Predicate[:], b.Predicate[:]); c != 0 {
		return c
	}
	if c := bytes.Compare(a.Object[:], b.Object[:]); c != 0 {
		return c
	}
	return bytes.Compare(a.Label[:], b.Label[:])
}

// notRemoved handles a quad to remove that the table does not hold, as
// Cayley's ApplyDeltas does: an error unless opts.IgnoreMissing, else its
// values get back the counts the removal took (in fix).
func notRemoved(q refs.QuadHash, opts cgraph.IgnoreOpts, fix map[refs.ValueHash]int) error {
	if !opts.IgnoreMissing {
		return &cgraph.DeltaError{Err: cgraph.ErrQuadNotExist}
	}
	for _, dir := range quad.Directions {
		if h := q.Get(dir); h.Valid() {
			fix[h]++
		}
	}
	return nil
}
