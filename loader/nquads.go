package loader

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
	"github.com/thrivegraph/thrivegraph/graph"
)

// ReadOptions says how to read linked data.
type ReadOptions struct {
	// Source labels every quad that has no graph label (its source id);
	// "" means every quad must carry a ThriveGraph source label.
	Source string
	// Progress, when set, is called with the number of quads read so far,
	// every ProgressEvery quads and at the end.
	Progress func(quads int)
}

// ProgressEvery is how many quads readers read between Progress calls.
const ProgressEvery = 10000

// Problem is one thing wrong with a linked-data file, at a line (0: the
// whole file) and column (0: unknown).
type Problem struct {
	Line, Column int
	Msg          string
}

// Import limits.
const (
	MaxNQuadsLine   = 1 << 20 // bytes in one N-Quads line
	MaxJSONLDSize   = 64 << 20
	maxImportErrors = 100
)

// quadCollector checks the labels of quads and collects them.
type quadCollector struct {
	opt      ReadOptions
	quads    []quad.Quad
	problems []Problem
	sources  map[string]bool
	titled   map[string]bool // sources whose title the file states
	// emit, when set, takes each quad checked instead of quads (a file
	// read in a stream, stream.go).
	emit func(quad.Quad)
	n    int // quads checked
}

func newCollector(opt ReadOptions) *quadCollector {
	return &quadCollector{opt: opt, sources: map[string]bool{}, titled: map[string]bool{}}
}

func (c *quadCollector) problem(line, col int, format string, args ...any) {
	if len(c.problems) < maxImportErrors {
		c.problems = append(c.problems, Problem{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
}

// add checks the label of q (line is its line, 0 if unknown) and keeps it.
func (c *quadCollector) add(line int, q quad.Quad) {
	switch {
	case q.Label == nil && c.opt.Source != "":
		q.Label = graph.SourceIRI(c.opt.Source)
	case q.Label == nil:
		c.problem(line, 0, "quad has no source: its graph label must be a %s… IRI, or give the file a source (--source ID)", graph.NSSource)
		return
	case graph.SourceIDOf(q.Label) == "":
		c.problem(line, 0, "graph label %s is not a ThriveGraph source: it must be a %s… IRI", q.Label, graph.NSSource)
		return
	}
	if !q.IsValid() {
		c.problem(line, 0, "incomplete quad: it needs a subject, a predicate and an object")
		return
	}
	src := graph.SourceIDOf(q.Label)
	c.sources[src] = true
	if id, ns := graph.IDOf(q.Subject); ns == graph.NSSource && id == src && q.Predicate == graph.PredTitle {
		c.titled[src] = true
	}
	c.n++
	if c.emit != nil {
		c.emit(q)
	} else {
		c.quads = append(c.quads, q)
	}
	if c.opt.Progress != nil && c.n%ProgressEvery == 0 {
		c.opt.Progress(c.n)
	}
}

// records returns the source record of the --source when the file gives
// it none: its type and, unless the file states one, its title.
func (c *quadCollector) records() []quad.Quad {
	src := c.opt.Source
	if src == "" || !c.sources[src] {
		return nil
	}
	iri := graph.SourceIRI(src)
	out := []quad.Quad{{Subject: iri, Predicate: graph.PredType, Object: graph.ClassSource, Label: iri}}
	if !c.titled[src] {
		out = append(out, quad.Quad{Subject: iri, Predicate: graph.PredTitle, Object: quad.String(src), Label: iri})
	}
	return out
}

// sourceIDs returns the ids of the sources of the quads checked, sorted.
func (c *quadCollector) sourceIDs() []string {
	sources := make([]string, 0, len(c.sources))
	for id := range c.sources {
		sources = append(sources, id)
	}
	sort.Strings(sources)
	return sources
}

// finish gives the --source a source record when the file gives it none,
// and returns the quads or the problems.
func (c *quadCollector) finish() (*graph.Quads, []Problem) {
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	c.quads = append(c.quads, c.records()...)
	if c.opt.Progress != nil {
		c.opt.Progress(len(c.quads))
	}
	return graph.NewQuads(c.quads, c.sourceIDs()), nil
}

// ReadNQuads reads N-Quads, such as export writes (graph.Log.Export). Every quad must carry a
// source label, unless opt.Source gives one to the quads without a label
// (it then also gets a source record: its type and, unless the file states
// one, its id as title). Every problem, up to 100, is returned with its
// line; the error is for failures to read r.
func ReadNQuads(r io.Reader, opt ReadOptions) (*graph.Quads, []Problem, error) {
	c := newCollector(opt)
	if err := c.scanNQuads(r); err != nil {
		return nil, nil, err
	}
	qs, problems := c.finish()
	return qs, problems, nil
}

// scanNQuads reads N-Quads into c; the error is for failures to read r.
func (c *quadCollector) scanNQuads(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxNQuadsLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, err := parseNQuad(text)
		if err != nil {
			c.problem(line, 0, "%v", err)
			continue
		}
		c.add(line, q)
	}
	if err := sc.Err(); err != nil {
		if err != bufio.ErrTooLong {
			return err
		}
		c.problem(line+1, 0, "line is longer than %d KiB", MaxNQuadsLine>>10)
	}
	return nil
}

// parseNQuad parses one N-Quads statement: the common ones by
// parseSimpleNQuad, the rest by nquads.Parse, which has panicked on odd
// input before (that counts as a syntax error).
func parseNQuad(text string) (q quad.Quad, err error) {
	if q, ok := parseSimpleNQuad(text); ok {
		return q, nil
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("N-Quads syntax error: %v", v)
		}
	}()
	q, err = nquads.Parse(text)
	if err != nil {
		err = fmt.Errorf("N-Quads syntax error: %w", err)
	}
	return q, err
}

// NQuadLines returns the quads a batch writes as N-Quads lines, sorted and
// without repeats: what export writes for a store holding only the batch.
// It lets a producer of large data sets (package generate) write N-Quads
// without holding them in a store.
func NQuadLines(b *graph.Batch) []string {
	qs := b.Quads()
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.NQuad()
	}
	sort.Strings(lines)
	return slices.Compact(lines)
}

// Applier writes a change in one transaction: the live graph (live.Graph).
type Applier interface {
	Apply(ctx context.Context, c graph.Change) (graph.LoadResult, error)
}

// ImportNQuads reads N-Quads in which every quad is labelled with a source,
// such as export writes, and writes them into dst in one transaction. A
// file with problems writes nothing: the error (code BAD_USER_INPUT) has
// one line per problem, "NAME:LINE: message".
func ImportNQuads(ctx context.Context, dst Applier, r io.Reader, name string) (graph.LoadResult, error) {
	const op = "import n-quads"
	qs, problems, err := ReadNQuads(r, ReadOptions{})
	if err != nil {
		return graph.LoadResult{}, graph.Internal(op, fmt.Errorf("%s: %w", name, err))
	}
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = fmt.Sprintf("%s:%d: %s", name, p.Line, p.Msg)
		}
		return graph.LoadResult{}, graph.Errorf(graph.CodeInvalid, op, "%s", strings.Join(lines, "\n"))
	}
	return dst.Apply(ctx, graph.Change{Quads: []*graph.Quads{qs}})
}
