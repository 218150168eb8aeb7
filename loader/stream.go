package loader

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Target is what a load checks files against and writes them into: a
// graph.Store (the live graph), or the store alone (the load command,
// which builds no read model).
type Target interface {
	// TypesOf returns the types of the ids that are entities.
	TypesOf(ctx context.Context, ids []string) (map[string]graph.NodeType, error)
	// Suggest returns the ids closest to input, of the types given.
	Suggest(ctx context.Context, input string, types ...graph.NodeType) ([]string, error)
	// Sources lists the sources held (only their ids are read).
	Sources(ctx context.Context) ([]*graph.Source, error)
	// Apply makes a change in one transaction.
	Apply(ctx context.Context, c graph.Change) (graph.LoadResult, error)
}

// BulkTarget is a Target that can write a load of any size in many
// transactions, all or nothing. Bulk returns the writer of a load of about
// quads quads that first removes every quad of removeSources, or nil when
// the load is better written by one Apply.
type BulkTarget interface {
	Target
	Bulk(ctx context.Context, removeSources []string, quads int) (graph.BulkWriter, error)
}

// nqFile is an N-Quads file checked in a first pass, without keeping its
// quads: a load reads it again to write it (stream), so that memory does
// not grow with the file.
type nqFile struct {
	f       File
	opt     ReadOptions
	sources []string
	quads   int // quads it writes, its source record included
}

// checkNQuads reads an N-Quads file once and checks every quad (syntax,
// labels), keeping only its sources and counts.
func checkNQuads(f File, source string, pr *progress) (*nqFile, []Issue) {
	rc, err := f.open(pr.reading(f))
	if err != nil {
		return nil, []Issue{{File: f.Name, Msg: "cannot open the file: " + err.Error()}}
	}
	defer rc.Close()
	opt := ReadOptions{Source: source}
	c := newCollector(ReadOptions{Source: source, Progress: pr.quadsRead()})
	c.emit = func(quad.Quad) {}
	if err := c.scanNQuads(rc); err != nil {
		return nil, []Issue{{File: f.Name, Msg: "cannot read the file: " + err.Error()}}
	}
	if len(c.problems) > 0 {
		return nil, issuesOf(f.Name, c.problems)
	}
	n := c.n + len(c.records())
	pr.fileDone(n)
	return &nqFile{f: f, opt: opt, sources: c.sourceIDs(), quads: n}, nil
}

// errChanged is the error of a file whose second reading differs from its
// first.
var errChanged = errors.New("the file changed while it was loaded; nothing was written")

// stream reads the file again and gives its quads to fn, chunk by chunk
// (at most chunk quads each), then its source record.
func (n *nqFile) stream(ctx context.Context, chunk int, fn func([]quad.Quad) error) error {
	const op = "load"
	rc, err := n.f.open(nil)
	if err != nil {
		return graph.Internal(op, fmt.Errorf("%s: %w", n.f.Name, err))
	}
	defer rc.Close()
	var (
		buf  = make([]quad.Quad, 0, chunk)
		ferr error
	)
	c := newCollector(n.opt)
	c.emit = func(q quad.Quad) {
		if ferr != nil {
			return
		}
		buf = append(buf, q)
		if len(buf) >= chunk {
			if ferr = ctx.Err(); ferr == nil {
				ferr = fn(buf)
			}
			buf = make([]quad.Quad, 0, chunk)
		}
	}
	if err := c.scanNQuads(rc); err != nil {
		return graph.Internal(op, fmt.Errorf("%s: %w", n.f.Name, err))
	}
	if ferr != nil {
		return ferr
	}
	if len(c.problems) > 0 || c.n+len(c.records()) != n.quads {
		return graph.Errorf(graph.CodeInvalid, op, "%s: %v", n.f.Name, errChanged)
	}
	buf = append(buf, c.records()...)
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}

// readAll reads the file again, whole (a load written by one Apply).
func (n *nqFile) readAll() (*graph.Quads, error) {
	var all []quad.Quad
	err := n.stream(context.Background(), 1<<16, func(qs []quad.Quad) error {
		all = append(all, qs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return graph.NewQuads(all, n.sources), nil
}

// issuesOf turns the problems of a linked-data file into issues.
func issuesOf(name string, problems []Problem) []Issue {
	issues := make([]Issue, len(problems))
	for i, p := range problems {
		issues[i] = Issue{File: name, Line: p.Line, Column: p.Column, Msg: p.Msg}
		if p.Column == 0 && p.Line > 0 && strings.HasPrefix(p.Msg, "line is longer than") {
			// The reader stops at the limit: the column is that of the
			// first byte past it (the character, on an ASCII line).
			issues[i].Column = MaxNQuadsLine + 1
		}
	}
	return issues
}
