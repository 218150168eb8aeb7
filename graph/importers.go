package graph

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// Quads is linked data read from a file (N-Quads or JSON-LD): quads checked
// and ready for Apply (Change.Quads). Quads outside ThriveGraph's namespaces
// are kept as they are; every quad carries a source label.
type Quads struct {
	quads   []quad.Quad
	sources []string // ids of the sources that label the quads, sorted
}

// Len returns the number of quads.
func (q *Quads) Len() int {
	if q == nil {
		return 0
	}
	return len(q.quads)
}

// NewQuads returns linked data ready for Apply: quads and the ids of the
// sources that label them.
func NewQuads(quads []quad.Quad, sources []string) *Quads {
	return &Quads{quads: quads, sources: sources}
}

// All returns the quads. The slice is the Quads': callers must not change it.
func (q *Quads) All() []quad.Quad {
	if q == nil {
		return nil
	}
	return q.quads
}

// Sources returns the ids of the sources that label the quads, sorted.
func (q *Quads) Sources() []string {
	if q == nil {
		return nil
	}
	return q.sources
}

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
	out      *Quads
	problems []Problem
	sources  map[string]bool
	titled   map[string]bool // sources whose title the file states
}

func newCollector(opt ReadOptions) *quadCollector {
	return &quadCollector{opt: opt, out: &Quads{}, sources: map[string]bool{}, titled: map[string]bool{}}
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
		q.Label = SourceIRI(c.opt.Source)
	case q.Label == nil:
		c.problem(line, 0, "quad has no source: its graph label must be a %s… IRI, or give the file a source (--source ID)", NSSource)
		return
	case SourceIDOf(q.Label) == "":
		c.problem(line, 0, "graph label %s is not a ThriveGraph source: it must be a %s… IRI", q.Label, NSSource)
		return
	}
	if !q.IsValid() {
		c.problem(line, 0, "incomplete quad: it needs a subject, a predicate and an object")
		return
	}
	src := SourceIDOf(q.Label)
	c.sources[src] = true
	if id, ns := IDOf(q.Subject); ns == NSSource && id == src && q.Predicate == PredTitle {
		c.titled[src] = true
	}
	c.out.quads = append(c.out.quads, q)
	if n := len(c.out.quads); c.opt.Progress != nil && n%ProgressEvery == 0 {
		c.opt.Progress(n)
	}
}

// finish gives the --source a source record when the file gives it none,
// and returns the quads or the problems.
func (c *quadCollector) finish() (*Quads, []Problem) {
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	if src := c.opt.Source; src != "" && c.sources[src] {
		iri := SourceIRI(src)
		c.out.quads = append(c.out.quads, quad.Quad{Subject: iri, Predicate: PredType, Object: ClassSource, Label: iri})
		if !c.titled[src] {
			c.out.quads = append(c.out.quads, quad.Quad{Subject: iri, Predicate: PredTitle, Object: quad.String(src), Label: iri})
		}
	}
	for id := range c.sources {
		c.out.sources = append(c.out.sources, id)
	}
	sort.Strings(c.out.sources)
	if c.opt.Progress != nil {
		c.opt.Progress(len(c.out.quads))
	}
	return c.out, nil
}

// ReadNQuads reads N-Quads, such as Export writes. Every quad must carry a
// source label, unless opt.Source gives one to the quads without a label
// (it then also gets a source record: its type and, unless the file states
// one, its id as title). Every problem, up to 100, is returned with its
// line; the error is for failures to read r.
func ReadNQuads(r io.Reader, opt ReadOptions) (*Quads, []Problem, error) {
	c := newCollector(opt)
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
			return nil, nil, err
		}
		c.problem(line+1, 0, "line is longer than %d KiB", MaxNQuadsLine>>10)
	}
	qs, problems := c.finish()
	return qs, problems, nil
}

// parseNQuad parses one N-Quads statement; the parser has panicked on odd
// input before, which counts as a syntax error.
func parseNQuad(text string) (q quad.Quad, err error) {
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
