package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
	"github.com/lib/pq"

	"github.com/thrivegraph/thrivegraph/graph"
)

// A shared SQL store (PostgreSQL, CockroachDB) keeps, beside Cayley's nodes
// and quads tables, a change log: one row per write, holding the quads it
// removed and added as N-Quads text, numbered by a counter in a one-row
// table. Each write runs in one transaction of ours: it first increments
// the counter (the row lock serialises every writer of every server, so
// versions are gapless and in commit order), then selects what it
// removes, applies the deltas with the statements Cayley's ApplyDeltas
// runs (Cayley opens its own transaction there, which cannot take our
// row), inserts the log row and, on PostgreSQL, NOTIFYs the version. The
// quads and their log row commit together or not at all, so a server
// killed mid-write leaves nothing for the others to half-apply.

// The change log's tables and channel.
const (
	logHeadTable = "thrivegraph_log_head"
	logTable     = "thrivegraph_changes"
	logChannel   = "thrivegraph_changes"
)

// defaultRetention is how long log entries are kept when the
// configuration does not say.
const defaultRetention = 7 * 24 * time.Hour

// sqlLog is the change log of a shared SQL store.
type sqlLog struct {
	dsn       string  // the primary, where LISTEN runs
	db        *sql.DB // the primary: write transactions
	read      *sql.DB // the followed database: a standby, or db itself
	notify    bool    // the backend has LISTEN/NOTIFY (PostgreSQL)
	retention time.Duration
	partBytes int  // the most N-Quads text one row of an entry holds
	copy      bool // writes may COPY (lib/pq, PostgreSQL): sqlcopy.go
}

// logPartBytes is how much N-Quads text one row of the change log holds:
// PostgreSQL takes at most 1 GB in a field, and a row is sent and held
// whole, so a large write is logged in several rows (parts) of one version.
const logPartBytes = 32 << 20

// openSQLLog connects to the primary (and the read DSN, when given) and
// creates the change log's tables where they are missing.
func openSQLLog(ctx context.Context, cfg graph.Config) (*sqlLog, error) {
	driverName := "postgres"
	if cfg.Backend == graph.BackendCockroach {
		driverName = "pgx"
	}
	db, err := sql.Open(driverName, cfg.DSN)
	if err != nil {
		return nil, err
	}
	l := &sqlLog{dsn: cfg.DSN, db: db, read: db, notify: cfg.Backend == graph.BackendPostgres, copy: cfg.Backend == graph.BackendPostgres, retention: cfg.LogRetention, partBytes: logPartBytes}
	if l.retention <= 0 {
		l.retention = defaultRetention
	}
	if err := l.create(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.ReadDSN != "" && cfg.ReadDSN != cfg.DSN {
		if l.read, err = sql.Open(driverName, cfg.ReadDSN); err == nil {
			err = l.waitReplica(ctx)
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	return l, nil
}

// waitReplica waits, up to 10 s, for the read DSN's database to hold the
// change log's tables, which a first start has just made on the primary.
func (l *sqlLog) waitReplica(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		err := l.read.QueryRowContext(ctx, `SELECT to_regclass('`+logHeadTable+`') IS NOT NULL AND to_regclass('`+logTable+`') IS NOT NULL`).Scan(&ok)
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return errors.New("read DSN: the database holds no change log 10 s after the primary made it: is it a replica of the primary?")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// create makes the log's tables if missing. Two servers starting at once
// may race on CREATE TABLE IF NOT EXISTS; the loser tries again.
func (l *sqlLog) create(ctx context.Context) error {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ` + logHeadTable + ` (id INT PRIMARY KEY, version BIGINT NOT NULL)`,
		`INSERT INTO ` + logHeadTable + ` (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
		`CREATE TABLE IF NOT EXISTS ` + logTable + ` (version BIGINT NOT NULL, part INT NOT NULL, removed TEXT NOT NULL, added TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (version, part))`,
	}
	var err error
	for range 3 {
		err = nil
		for _, s := range stmts {
			if _, err = l.db.ExecContext(ctx, s); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

func (l *sqlLog) close() error {
	err := l.db.Close()
	if l.read != l.db {
		err = errors.Join(err, l.read.Close())
	}
	return err
}

// begin starts a write transaction and takes the next version: the
// counter's row stays locked until the transaction ends, so the next
// writer, in any server, waits here until this one has committed.
func (l *sqlLog) begin(ctx context.Context) (*sql.Tx, uint64, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	var v uint64
	if err := tx.QueryRowContext(ctx, `UPDATE `+logHeadTable+` SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v); err != nil {
		tx.Rollback()
		return nil, 0, err
	}
	return tx, v, nil
}

// record inserts the log entry of version v in tx, deletes entries older
// than the retention (never the newest) and, on PostgreSQL, notifies the
// version (delivered when tx commits).
func (l *sqlLog) record(ctx context.Context, tx *sql.Tx, v uint64, removed, added []quad.Quad) error {
	e, err := l.startEntry(ctx, tx, v, len(removed)+len(added) >= copyRows)
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.write(ctx, removed, added); err != nil {
		return err
	}
	return e.end(ctx, tx)
}

// logEntry writes the log entry of one version in its transaction, part
// by part (a bulk load writes one or more parts per chunk).
type logEntry struct {
	l    *sqlLog
	ins  *sql.Stmt
	v    uint64
	part int // the next part's number
}

// startEntry starts the entry of version v in tx. A large entry is
// compressed (TOAST) with lz4 where the server has it: several times
// faster than its default, pglz.
func (l *sqlLog) startEntry(ctx context.Context, tx *sql.Tx, v uint64, large bool) (*logEntry, error) {
	if l.copy && large {
		var lz4 bool
		if err := tx.QueryRowContext(ctx, `SELECT coalesce('lz4' = ANY(enumvals), false) FROM pg_settings WHERE name = 'default_toast_compression'`).Scan(&lz4); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if lz4 {
			if _, err := tx.ExecContext(ctx, `SET LOCAL default_toast_compression = 'lz4'`); err != nil {
				return nil, err
			}
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO `+logTable+` (version, part, removed, added) VALUES ($1, $2, $3, $4)`)
	if err != nil {
		return nil, err
	}
	return &logEntry{l: l, ins: ins, v: v}, nil
}

// write adds parts holding removed and added to the entry: one part at a
// time (the N-Quads of a load of millions of quads are hundreds of
// megabytes), the next encoded while one is inserted.
func (e *logEntry) write(ctx context.Context, removed, added []quad.Quad) error {
	type logPart struct{ removed, added string }
	parts := make(chan logPart, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(parts)
		for i, side := range [][]quad.Quad{removed, added} {
			err := eachPart(side, e.l.partBytes, func(text string) error {
				p := logPart{removed: text} // removed quads first, then the added ones
				if i == 1 {
					p = logPart{added: text}
				}
				select {
				case parts <- p:
					return nil
				case <-stop:
					return context.Canceled
				}
			})
			if err != nil {
				return
			}
		}
	}()
	for p := range parts {
		if _, err := e.ins.ExecContext(ctx, int64(e.v), e.part, p.removed, p.added); err != nil {
			return err
		}
		e.part++
	}
	return nil
}

// end completes the entry (an entry has at least one row), deletes the
// entries older than the retention (never the newest) and, on
// PostgreSQL, notifies the version (delivered when tx commits).
func (e *logEntry) end(ctx context.Context, tx *sql.Tx) error {
	if e.part == 0 {
		if _, err := e.ins.ExecContext(ctx, int64(e.v), 0, "", ""); err != nil {
			return err
		}
		e.part++
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+logTable+` WHERE version < $1 AND at < now() - $2 * interval '1 second'`,
		int64(e.v), e.l.retention.Seconds()); err != nil {
		return err
	}
	if e.l.notify {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, logChannel, strconv.FormatUint(e.v, 10)); err != nil {
			return err
		}
	}
	return nil
}

// close releases the entry's prepared statement (a nil entry: nothing).
func (e *logEntry) close() {
	if e != nil {
		e.ins.Close()
	}
}

// count returns the number of quads, as q sees them (a scan of the table's
// index: the quad count of Counts and metrics, not of writes).
func count(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM quads`).Scan(&n)
	return n, err
}

// applyDeltas writes the deltas in tx as Cayley's sql.QuadStore.ApplyDeltas
// does (graph/sql/quadstore.go and the PostgreSQL dialect's RunTx, whose
// SQL CockroachDB also accepts), which cannot run in a transaction of
// ours. On PostgreSQL a write of copyRows rows or more goes through COPY
// (copyDeltas, sqlcopy.go); smaller writes, and every write on CockroachDB
// (whose driver has no CopyIn), are batched INSERTs and one statement per
// removal.
func (l *sqlLog) applyDeltas(ctx context.Context, tx *sql.Tx, in []cgraph.Delta, opts cgraph.IgnoreOpts) (inserted int, err error) {
	deltas := graphlog.SplitDeltas(in)
	if l.copy && opts.IgnoreDup && len(deltas.IncNode)+len(deltas.QuadAdd)+len(deltas.QuadDel) >= copyRows {
		return copyDeltas(ctx, tx, deltas, opts)
	}
	if err := insertNodes(ctx, tx, deltas.IncNode); err != nil {
		return 0, err
	}
	if inserted, err = insertQuads(ctx, tx, deltas.QuadAdd, opts); err != nil {
		return 0, err
	}
	return inserted, removeDeltas(ctx, tx, deltas, opts)
}

// removeDeltas deletes the removed quads one statement each and lowers the
// reference counts of their values, as Cayley's ApplyDeltas does.
func removeDeltas(ctx context.Context, tx *sql.Tx, deltas *graphlog.Deltas, opts cgraph.IgnoreOpts) error {
	fixNodes := map[refs.ValueHash]int{}
	if len(deltas.QuadDel) > 0 {
		delQuad, err := tx.PrepareContext(ctx, `DELETE FROM quads WHERE subject_hash=$1 and predicate_hash=$2 and object_hash=$3 and label_hash=$4`)
		if err != nil {
			return err
		}
		defer delQuad.Close()
		delTriple, err := tx.PrepareContext(ctx, `DELETE FROM quads WHERE subject_hash=$1 and predicate_hash=$2 and object_hash=$3 and label_hash is null`)
		if err != nil {
			return err
		}
		defer delTriple.Close()
		for _, d := range deltas.QuadDel {
			dirs := hashValues(d.Quad)
			stmt := delQuad
			if i := len(dirs) - 1; dirs[i] == nil {
				stmt, dirs = delTriple, dirs[:i]
			}
			res, err := stmt.ExecContext(ctx, dirs...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				if err := notRemoved(d.Quad, opts, fixNodes); err != nil {
					return err
				}
			}
		}
	}
	if len(deltas.DecNode) == 0 {
		return nil
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE nodes SET refs = refs + $1 WHERE hash = $2`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, n := range deltas.DecNode {
		if inc := n.RefInc + fixNodes[n.Hash]; inc != 0 {
			if _, err := upd.ExecContext(ctx, inc, csql.NodeHash{ValueHash: n.Hash}.SQLValue()); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM nodes WHERE refs <= 0`)
	return err
}

// insertRows is how many rows one INSERT statement writes: PostgreSQL
// takes at most 65,535 parameters a statement.
const insertRows = 1000

// insertNodes adds the values of new quads to the nodes table, or their
// reference counts to the rows there, as the PostgreSQL dialect's RunTx of
// Cayley does, but many rows a statement: one statement a row made a load
// of 214,114 quads take 55 s. SplitDeltas gives each value once, as one
// statement needs (ON CONFLICT DO UPDATE cannot touch a row twice).
func insertNodes(ctx context.Context, tx *sql.Tx, nodes []graphlog.NodeUpdate) error {
	type row struct{ values []any }
	byType := map[csql.ValueType][]row{}
	for _, n := range nodes {
		if n.RefInc < 0 {
			return fmt.Errorf("unexpected node update %+v", n)
		}
		typ, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return err
		}
		byType[typ] = append(byType[typ], row{append([]any{n.RefInc}, values...)})
	}
	for typ, rows := range byType {
		cols := "refs, hash, " + strings.Join(typ.Columns(), ", ")
		for start := 0; start < len(rows); start += insertRows {
			batch := rows[start:min(start+insertRows, len(rows))]
			var q strings.Builder
			args := make([]any, 0, len(batch)*len(batch[0].values))
			q.WriteString("INSERT INTO nodes (" + cols + ") VALUES ")
			for i, r := range batch {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteByte('(')
				for j, v := range r.values {
					if j > 0 {
						q.WriteString(", ")
					}
					args = append(args, v)
					q.WriteString("$" + strconv.Itoa(len(args)))
				}
				q.WriteByte(')')
			}
			q.WriteString(" ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs")
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertQuads adds quads, many a statement, and returns how many rows it
// inserted; with opts.IgnoreDup a quad the table holds already is skipped
// (as Cayley's RunTx does, ON CONFLICT DO NOTHING, which also takes a quad
// twice in one statement).
func insertQuads(ctx context.Context, tx *sql.Tx, quads []graphlog.QuadUpdate, opts cgraph.IgnoreOpts) (int, error) {
	inserted := 0
	for start := 0; start < len(quads); start += insertRows {
		batch := quads[start:min(start+insertRows, len(quads))]
		var q strings.Builder
		args := make([]any, 0, 4*len(batch))
		q.WriteString("INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts) VALUES ")
		for i, d := range batch {
			if d.Del {
				return 0, fmt.Errorf("unexpected quad delete %+v", d)
			}
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, now())", n+1, n+2, n+3, n+4)
			for _, h := range d.Quad.Dirs() {
				args = append(args, csql.NodeHash{ValueHash: h}.SQLValue())
			}
		}
		if opts.IgnoreDup {
			q.WriteString(" ON CONFLICT DO NOTHING")
		}
		res, err := tx.ExecContext(ctx, q.String(), args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		inserted += int(n)
	}
	return inserted, nil
}

// encodeQuads writes quads as N-Quads, one a line.
func encodeQuads(qs []quad.Quad) string {
	parts := encodeParts(qs, int(^uint(0)>>1))
	if len(parts) == 0 {
		return ""
	}
	return parts[0]
}

// encodeParts writes quads as N-Quads, one a line, in texts of at most
// max bytes (longer only for a single quad longer than max).
func encodeParts(qs []quad.Quad, max int) []string {
	var out []string
	eachPart(qs, max, func(s string) error { out = append(out, s); return nil })
	return out
}

// eachPart calls fn with the texts encodeParts returns, one at a time,
// and stops at fn's first error.
func eachPart(qs []quad.Quad, max int, fn func(string) error) error {
	var (
		b    strings.Builder
		line []byte
	)
	for i, q := range qs {
		line = appendNQuad(line[:0], q)
		if b.Len() > 0 && b.Len()+len(line) > max {
			if err := fn(b.String()); err != nil {
				return err
			}
			b = strings.Builder{}
		}
		if b.Len() == 0 { // room for what is left, guessed from this line, up to max
			b.Grow(min(max, (len(qs)-i)*len(line)*5/4))
		}
		b.Write(line)
	}
	if b.Len() > 0 {
		return fn(b.String())
	}
	return nil
}

// appendNQuad appends q.NQuad() and a newline to b, without q.NQuad()'s
// fmt.Sprintf: the change-log entry of a load of millions of quads is
// encoded in the load's transaction.
func appendNQuad(b []byte, q quad.Quad) []byte {
	if q.Subject == nil || q.Predicate == nil || q.Object == nil { // not a quad a store holds
		return append(append(b, q.NQuad()...), '\n')
	}
	b = append(b, q.Subject.String()...)
	b = append(b, ' ')
	b = append(b, q.Predicate.String()...)
	b = append(b, ' ')
	b = append(b, q.Object.String()...)
	if q.Label != nil {
		if l := q.Label.String(); l != "" {
			b = append(b, ' ')
			b = append(b, l...)
		}
	}
	return append(b, " .\n"...)
}

// decodeQuads reads what encodeQuads wrote.
func decodeQuads(s string) ([]quad.Quad, error) {
	var out []quad.Quad
	r := nquads.NewReader(strings.NewReader(s), false)
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
}

var _ graph.Feed = (*Cayley)(nil)

// Shared reports whether the store keeps a change log (graph.Feed).
func (s *Cayley) Shared() bool { return s.sql != nil }

// Head returns the newest version of the change log, as the followed
// database has it (graph.Feed). A store without a change log is at 0.
func (s *Cayley) Head(ctx context.Context) (uint64, error) {
	if s.sql == nil {
		return 0, nil
	}
	var v uint64
	err := s.sql.read.QueryRowContext(ctx, `SELECT version FROM `+logHeadTable+` WHERE id = 1`).Scan(&v)
	return v, dbError("change log head", err)
}

// Entries calls fn with every entry after version after, in order
// (graph.Feed), read in one read-only transaction.
func (s *Cayley) Entries(ctx context.Context, after uint64, primary bool, fn func(graph.LogEntry) error) error {
	const op = "change log"
	if s.sql == nil {
		return nil
	}
	db := s.sql.read
	if primary {
		db = s.sql.db
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return dbError(op, err)
	}
	defer tx.Rollback()
	var head uint64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM `+logHeadTable+` WHERE id = 1`).Scan(&head); err != nil {
		return dbError(op, err)
	}
	if head <= after {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT version, removed, added FROM `+logTable+` WHERE version > $1 ORDER BY version, part`, int64(after))
	if err != nil {
		return dbError(op, err)
	}
	defer rows.Close()
	next := after + 1
	var e *graph.LogEntry // the entry whose parts are being read
	emit := func() error {
		if e == nil {
			return nil
		}
		err := fn(*e)
		e = nil
		next++
		return err
	}
	for rows.Next() {
		var (
			v              uint64
			removed, added string
		)
		if err := rows.Scan(&v, &removed, &added); err != nil {
			return dbError(op, err)
		}
		if e != nil && v != e.Version {
			if err := emit(); err != nil {
				return err
			}
		}
		if e == nil {
			if v != next {
				return graph.Errorf(graph.CodeTruncated, op, "the change log holds no entry %d (its oldest after %d is %d)", next, after, v)
			}
			e = &graph.LogEntry{Version: v}
		}
		r, err := decodeQuads(removed)
		if err != nil {
			return graph.Internal(op, err)
		}
		a, err := decodeQuads(added)
		if err != nil {
			return graph.Internal(op, err)
		}
		e.Removed, e.Added = append(e.Removed, r...), append(e.Added, a...)
	}
	if err := rows.Err(); err != nil {
		return dbError(op, err)
	}
	if err := emit(); err != nil {
		return err
	}
	if next <= head {
		return graph.Errorf(graph.CodeTruncated, op, "the change log holds no entry %d (head %d)", next, head)
	}
	return nil
}

// Watch calls wake with each version the primary notifies, and with 0
// when its connection is back after a loss (graph.Feed). It runs lib/pq's
// Listener, which reconnects by itself, until ctx ends. CockroachDB has no
// LISTEN: Watch returns at once and the follower polls.
func (s *Cayley) Watch(ctx context.Context, wake func(version uint64)) error {
	if s.sql == nil || !s.sql.notify {
		return nil
	}
	l := pq.NewListener(s.sql.dsn, 100*time.Millisecond, 2*time.Second, func(ev pq.ListenerEventType, _ error) {
		if ev == pq.ListenerEventReconnected {
			wake(0)
		}
	})
	defer l.Close()
	// Listen waits while the listener is not connected (it keeps trying,
	// and listens on the channel once connected); Close ends that wait.
	go l.Listen(logChannel)
	ping := time.NewTicker(5 * time.Second) // finds a dead connection sooner than TCP does
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case n := <-l.Notify:
			if n == nil { // reconnected: notifications may have been lost
				wake(0)
				continue
			}
			v, _ := strconv.ParseUint(n.Extra, 10, 64)
			wake(v)
		case <-ping.C:
			go l.Ping()
		}
	}
}

// Ping reports whether the followed database answers (graph.Feed).
func (s *Cayley) Ping(ctx context.Context) error {
	if s.sql == nil {
		return nil
	}
	err := s.sql.read.PingContext(ctx)
	if err == nil {
		var one int
		err = s.sql.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
	}
	return dbError("ping", err)
}

// dbError classifies an error of the database: UNAVAILABLE when the
// database does not answer (refused, dropped, shutting down, starting
// up), INTERNAL otherwise.
func dbError(op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*graph.Error](err); ok {
		return e
	}
	if unavailable(err) {
		return graph.Unavailable(op, err)
	}
	return graph.Internal(op, err)
}

// unavailable reports whether err says the database cannot be reached or
// is not accepting work, rather than that a statement failed.
func unavailable(err error) bool {
	var ne net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, sql.ErrConnDone) || errors.As(err, &ne) {
		return true
	}
	if st, ok := errors.AsType[interface {
		error
		SQLState() string
	}](err); ok {
		code := st.SQLState()
		// 08: connection exception; 57P01-03: admin shutdown, crash
		// shutdown, cannot connect now (starting up or shutting down).
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "bad connection", "shutting down", "starting up", "connection reset", "broken pipe", "no connection to the server"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
