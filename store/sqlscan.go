package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
)

// A whole-store scan through Cayley's SQL iterators looks every value up
// with a query of its own (graph/sql NameOf, behind an LRU of 1024): the
// read model of 214,114 quads took 24 to 38 s to build from PostgreSQL
// that way. scanSQL reads the nodes table once into a map, then the quads
// table once, in one read-only repeatable-read transaction that also reads
// the change log's version: the quads are exactly those of that version.

// scanSQL calls fn for every quad of the followed database and returns the
// change-log version the quads are the state of.
func (s *Cayley) scanSQL(ctx context.Context, fn func(quad.Quad)) (uint64, error) {
	tx, err := s.sql.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var version uint64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM `+logHeadTable+` WHERE id = 1`).Scan(&version); err != nil {
		return 0, err
	}
	values, err := readNodes(ctx, tx)
	if err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var h [4][]byte
	n := 0
	for rows.Next() {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		if err := rows.Scan(&h[0], &h[1], &h[2], &h[3]); err != nil {
			return 0, err
		}
		var q quad.Quad
		for i, d := range quad.Directions {
			if h[i] == nil {
				continue
			}
			v, ok := values[string(h[i])]
			if !ok {
				return 0, fmt.Errorf("quad %s of no node %x", d, h[i])
			}
			q.Set(d, v)
		}
		fn(q)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return version, ctx.Err()
}

// readNodes reads every value of the nodes table by its hash, decoded as
// Cayley's sql.QuadStore.NameOf decodes one.
func readNodes(ctx context.Context, tx *sql.Tx) (map[string]quad.Value, error) {
	rows, err := tx.QueryContext(ctx, `SELECT hash, `+nodeValueColumns("")+` FROM nodes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]quad.Value{}
	var (
		hash []byte
		r    nodeRow
	)
	dest := append([]any{&hash}, r.dest()...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		v, err := r.value()
		if err != nil {
			return nil, fmt.Errorf("node %x: %w", hash, err)
		}
		out[string(hash)] = v
	}
	return out, rows.Err()
}

// nodeValueColumns lists the nodes table's value columns, each prefixed
// with alias and a dot when alias is not empty, in the order of
// nodeRow.dest.
func nodeValueColumns(alias string) string {
	cols := []string{"value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}
	if alias != "" {
		for i, c := range cols {
			cols[i] = alias + "." + c
		}
	}
	return strings.Join(cols, ", ")
}

// nodeRow is a value as the nodes table's columns hold it.
type nodeRow struct {
	data       []byte
	str        sql.NullString
	typ, lang  sql.NullString
	iri, bnode sql.NullBool
	vint       sql.NullInt64
	vbool      sql.NullBool
	vfloat     sql.NullFloat64
	vtime      sql.NullTime
}

// dest gives the row's fields to scan into, in the order of
// nodeValueColumns.
func (r *nodeRow) dest() []any {
	return []any{&r.data, &r.str, &r.typ, &r.lang, &r.iri, &r.bnode, &r.vint, &r.vbool, &r.vfloat, &r.vtime}
}

// value decodes the row as Cayley's sql.QuadStore.NameOf does.
func (r *nodeRow) value() (quad.Value, error) {
	switch {
	case r.str.Valid:
		s := strings.ReplaceAll(r.str.String, `\x00`, "\u0000") // Cayley escapes NUL bytes
		switch {
		case r.iri.Bool:
			return quad.IRI(r.str.String), nil
		case r.bnode.Bool:
			return quad.BNode(r.str.String), nil
		case r.lang.Valid:
			return quad.LangString{Value: quad.String(s), Lang: r.lang.String}, nil
		case r.typ.Valid:
			return quad.TypedString{Value: quad.String(s), Type: quad.IRI(r.typ.String)}, nil
		default:
			return quad.String(s), nil
		}
	case r.vint.Valid:
		return quad.Int(r.vint.Int64), nil
	case r.vbool.Valid:
		return quad.Bool(r.vbool.Bool), nil
	case r.vfloat.Valid:
		return quad.Float(r.vfloat.Float64), nil
	case r.vtime.Valid:
		return quad.Time(r.vtime.Time.UTC()), nil
	default:
		return pquads.UnmarshalValue(r.data)
	}
}

// ScanAt calls fn for every quad of the followed database and returns the
// change-log version those quads are exactly the state of (graph.Feed).
func (s *Cayley) ScanAt(ctx context.Context, fn func(quad.Quad)) (uint64, error) {
	if s.sql == nil {
		return 0, s.Scan(ctx, fn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.scanSQL(ctx, fn)
	return v, dbError("scan", err)
}
