package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/voc/xsd"
	"github.com/piprate/json-gold/ld"
	"github.com/thrivegraph/thrivegraph/graph"
)

// noRemoteContexts refuses to fetch JSON-LD contexts: a load never reaches
// the network, and a file names its context inline.
type noRemoteContexts struct{ asked string }

func (n *noRemoteContexts) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if n.asked == "" {
		n.asked = u
	}
	return nil, fmt.Errorf("remote context %q is not fetched: put the context in the file", u)
}

// ReadJSONLD reads a JSON-LD document (expanded, compacted with an inline
// context, or flattened; named graphs are source labels) through
// github.com/cayleygraph/quad's jsonld conversions and json-gold. Labels
// work as in ReadNQuads. JSON syntax errors have a line and column; other
// problems concern the whole document. The error is for failures to read r.
func ReadJSONLD(r io.Reader, opt ReadOptions) (*graph.Quads, []Problem, error) {
	c := newCollector(opt)
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONLDSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxJSONLDSize {
		c.problem(0, 0, "file is larger than %d MiB", MaxJSONLDSize>>20)
		qs, problems := c.finish()
		return qs, problems, nil
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		line, col := 0, 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col = position(data, int(se.Offset)-1)
		}
		c.problem(line, col, "JSON syntax error: %v", err)
		qs, problems := c.finish()
		return qs, problems, nil
	}
	graphs, err := toRDF(doc)
	if err != nil {
		c.problem(0, 0, "not JSON-LD: %v", err)
		qs, problems := c.finish()
		return qs, problems, nil
	}
	names := make([]string, 0, len(graphs))
	for name := range graphs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var label quad.Value
		if name != "@default" {
			label = quad.IRI(name)
			if strings.HasPrefix(name, "_:") {
				label = quad.BNode(name[2:])
			}
		}
		for _, q := range graphs[name] {
			c.add(0, quad.Quad{Subject: ldValue(q.Subject), Predicate: ldValue(q.Predicate), Object: ldValue(q.Object), Label: label})
		}
	}
	qs, problems := c.finish()
	return qs, problems, nil
}

// toRDF converts a JSON-LD document to RDF graphs by name; json-gold has
// panicked on odd input, which counts as an error.
func toRDF(doc any) (graphs map[string][]*ld.Quad, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the JSON-LD processor failed: %v", v)
		}
	}()
	opts := ld.NewJsonLdOptions("")
	fetch := &noRemoteContexts{}
	opts.DocumentLoader = fetch
	out, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
	if err != nil && fetch.asked != "" {
		return nil, fmt.Errorf("remote context %q is not fetched: put the context in the file", fetch.asked)
	}
	if err != nil {
		return nil, err
	}
	ds, ok := out.(*ld.RDFDataset)
	if !ok {
		return nil, fmt.Errorf("unexpected result %T", out)
	}
	return ds.Graphs, nil
}

var xsdString = quad.IRI(xsd.String).Full()

// ldValue converts a json-gold term as github.com/cayleygraph/quad/jsonld
// does (typed literals of known types become native values).
func ldValue(n ld.Node) quad.Value {
	switch t := n.(type) {
	case *ld.IRI:
		return quad.IRI(t.Value)
	case *ld.BlankNode:
		return quad.BNode(t.Attribute)
	case *ld.Literal:
		switch {
		case t.Language != "":
			return quad.LangString{Value: quad.String(t.Value), Lang: t.Language}
		case t.Datatype != "" && quad.IRI(t.Datatype) != xsdString:
			ts := quad.TypedString{Value: quad.String(t.Value), Type: quad.IRI(t.Datatype)}
			if v, err := ts.ParseValue(); err == nil {
				return v
			}
			return ts
		}
		return quad.String(t.Value)
	}
	return nil
}

// position turns a byte offset into a 1-based line and column (in characters).
func position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, len([]rune(string(before[start:]))) + 1
}

// WriteJSONLD writes quads as one JSON-LD document (expanded form,
// one named graph per source), through github.com/cayleygraph/quad's jsonld
// writer; the output is sorted, so the same graph gives the same bytes, and
// ReadJSONLD of it gives the graph back.
func WriteJSONLD(w io.Writer, qs []quad.Quad) error {
	const op = "export json-ld"
	graph.SortQuads(qs)
	jw := jsonld.NewWriter(w)
	if _, err := jw.WriteQuads(qs); err != nil {
		return graph.Internal(op, err)
	}
	return graph.Internal(op, jw.Close())
}

// Scanner reads every quad of a store: graph.Log (live.Graph.Log).
type Scanner interface {
	Scan(ctx context.Context, fn func(quad.Quad)) error
}

// ExportJSONLD writes every quad of src as one JSON-LD document
// (WriteJSONLD), as `export --format jsonld` and GET /export do.
func ExportJSONLD(ctx context.Context, src Scanner, w io.Writer) error {
	var all []quad.Quad
	if err := src.Scan(ctx, func(q quad.Quad) { all = append(all, q) }); err != nil {
		return graph.Internal("export json-ld", err)
	}
	return WriteJSONLD(w, all)
}
