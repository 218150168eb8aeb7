package loader

import (
	"bufio"
	"encoding/xml"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// The network formats: GraphML (NetworkX, igraph, Gephi, yEd) and GEXF
// (Gephi, NetworkX), written from a graph.NetworkExport (package analysis
// makes one). Lists (themes, levels, places, an edge's events) are ids
// joined by ";": both formats' attribute types are scalars.

// networkAttr is an attribute of the nodes or edges of a network format.
type networkAttr struct {
	name, graphml, gexf string // its name, its GraphML type, its GEXF type
	node                bool   // of nodes, else of edges
	value               func(n *graph.ExportNode, e *graph.ExportEdge) (string, bool)
}

func joined(l []string) (string, bool) { return strings.Join(l, ";"), true }

func metric(f func(c *graph.Centrality) string) func(*graph.ExportNode, *graph.ExportEdge) (string, bool) {
	return func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) {
		if n.Centrality == nil {
			return "", false
		}
		return f(n.Centrality), true
	}
}

func float(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// networkAttrs are the attributes every network export writes, in order.
var networkAttrs = []networkAttr{
	{"type", "string", "string", true, func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) { return n.Type, true }},
	{"name", "string", "string", true, func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) { return n.Name, true }},
	{"themes", "string", "string", true, func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) { return joined(n.Themes) }},
	{"levels", "string", "string", true, func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) { return joined(n.Levels) }},
	{"places", "string", "string", true, func(n *graph.ExportNode, _ *graph.ExportEdge) (string, bool) { return joined(n.Places) }},
	{"degree", "int", "integer", true, metric(func(c *graph.Centrality) string { return strconv.Itoa(c.Degree) })},
	{"weightedDegree", "int", "integer", true, metric(func(c *graph.Centrality) string { return strconv.Itoa(c.WeightedDegree) })},
	{"closeness", "double", "double", true, metric(func(c *graph.Centrality) string { return float(c.Closeness) })},
	{"harmonic", "double", "double", true, metric(func(c *graph.Centrality) string { return float(c.Harmonic) })},
	{"betweenness", "double", "double", true, metric(func(c *graph.Centrality) string { return float(c.Betweenness) })},
	{"pagerank", "double", "double", true, metric(func(c *graph.Centrality) string { return float(c.PageRank) })},
	{"reach", "int", "integer", true, metric(func(c *graph.Centrality) string { return strconv.Itoa(c.Reach) })},
	{"exact", "boolean", "boolean", true, metric(func(c *graph.Centrality) string { return strconv.FormatBool(c.Exact) })},
	{"reachExact", "boolean", "boolean", true, metric(func(c *graph.Centrality) string { return strconv.FormatBool(c.ReachExact) })},
	{"community", "string", "string", true, metric(func(c *graph.Centrality) string { return c.Community })},
	{"relation", "string", "string", false, func(_ *graph.ExportNode, e *graph.ExportEdge) (string, bool) { return e.Relation, true }},
	{"source", "string", "string", false, func(_ *graph.ExportNode, e *graph.ExportEdge) (string, bool) { return e.Source, e.Source != "" }},
	{"derived", "boolean", "boolean", false, func(_ *graph.ExportNode, e *graph.ExportEdge) (string, bool) {
		return strconv.FormatBool(e.Derived), true
	}},
	{"weight", "int", "double", false, func(_ *graph.ExportNode, e *graph.ExportEdge) (string, bool) { return strconv.Itoa(e.Weight), true }},
	{"events", "string", "string", false, func(_ *graph.ExportNode, e *graph.ExportEdge) (string, bool) { return joined(e.Events) }},
}

// edgesOf yields the edges of a network: Edges, then those of Ties.
func edgesOf(n graph.NetworkExport) iter.Seq[*graph.ExportEdge] {
	return func(yield func(*graph.ExportEdge) bool) {
		for i := range n.Edges {
			if !yield(&n.Edges[i]) {
				return
			}
		}
		if n.Ties == nil {
			return
		}
		for e := range n.Ties {
			if !yield(&e) {
				return
			}
		}
	}
}

// xmlWriter writes XML text, keeping the first error.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(parts ...string) {
	for _, p := range parts {
		if x.err == nil {
			_, x.err = x.w.WriteString(p)
		}
	}
}

// text writes s escaped for an attribute value or element text.
func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

func (x *xmlWriter) flush() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

// WriteGraphML writes a network as GraphML: one undirected graph whose
// nodes are organizations and events and whose edges are the stated
// participations and the derived ties, every attribute declared as a key
// (networkAttrs). Metrics and community are on organizations only.
func WriteGraphML(w io.Writer, n graph.NetworkExport) error {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>`+"\n",
		`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`+"\n")
	for i, a := range networkAttrs {
		domain := "edge"
		if a.node {
			domain = "node"
		}
		x.raw(`  <key id="d`, strconv.Itoa(i), `" for="`, domain, `" attr.name="`, a.name, `" attr.type="`, a.graphml, `"/>`+"\n")
	}
	x.raw(`  <key id="g0" for="graph" attr.name="exact" attr.type="boolean"/>`+"\n",
		`  <key id="g1" for="graph" attr.name="errorBound" attr.type="double"/>`+"\n",
		`  <graph id="thrivegraph" edgedefault="undirected">`+"\n",
		`    <data key="g0">`, strconv.FormatBool(n.Exact), "</data>\n",
		`    <data key="g1">`, float(n.ErrorBound), "</data>\n")
	data := func(node *graph.ExportNode, edge *graph.ExportEdge) {
		for i, a := range networkAttrs {
			if a.node != (node != nil) {
				continue
			}
			if v, ok := a.value(node, edge); ok {
				x.raw(`      <data key="d`, strconv.Itoa(i), `">`)
				x.text(v)
				x.raw("</data>\n")
			}
		}
	}
	for i := range n.Nodes {
		x.raw(`    <node id="`)
		x.text(n.Nodes[i].ID)
		x.raw(`">` + "\n")
		data(&n.Nodes[i], nil)
		x.raw("    </node>\n")
	}
	id := 0
	for e := range edgesOf(n) {
		x.raw(`    <edge id="e`, strconv.Itoa(id), `" source="`)
		x.text(e.From)
		x.raw(`" target="`)
		x.text(e.To)
		x.raw(`">` + "\n")
		data(nil, e)
		x.raw("    </edge>\n")
		id++
		if x.err != nil {
			break
		}
	}
	x.raw("  </graph>\n</graphml>\n")
	return x.flush()
}

// WriteGEXF writes a network as GEXF 1.2 (Gephi's format): the nodes with
// their name as label, the edges with their weight, and the attributes of
// networkAttrs declared per class.
func WriteGEXF(w io.Writer, n graph.NetworkExport) error {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>`+"\n",
		`<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">`+"\n",
		`  <meta><creator>ThriveGraph</creator><description>organizations and events; metrics exact: `,
		strconv.FormatBool(n.Exact), `, error bound: `, float(n.ErrorBound), "</description></meta>\n",
		`  <graph mode="static" defaultedgetype="undirected">`+"\n")
	for _, class := range []string{"node", "edge"} {
		x.raw(`    <attributes class="`, class, `">`+"\n")
		for i, a := range networkAttrs {
			if a.node == (class == "node") {
				x.raw(`      <attribute id="`, strconv.Itoa(i), `" title="`, a.name, `" type="`, a.gexf, `"/>`+"\n")
			}
		}
		x.raw("    </attributes>\n")
	}
	values := func(node *graph.ExportNode, edge *graph.ExportEdge) {
		x.raw("<attvalues>")
		for i, a := range networkAttrs {
			if a.node != (node != nil) {
				continue
			}
			if v, ok := a.value(node, edge); ok {
				x.raw(`<attvalue for="`, strconv.Itoa(i), `" value="`)
				x.text(v)
				x.raw(`"/>`)
			}
		}
		x.raw("</attvalues>")
	}
	x.raw("    <nodes>\n")
	for i := range n.Nodes {
		node := &n.Nodes[i]
		x.raw(`      <node id="`)
		x.text(node.ID)
		x.raw(`" label="`)
		x.text(node.Name)
		x.raw(`">`)
		values(node, nil)
		x.raw("</node>\n")
	}
	x.raw("    </nodes>\n    <edges>\n")
	id := 0
	for e := range edgesOf(n) {
		x.raw(`      <edge id="`, strconv.Itoa(id), `" source="`)
		x.text(e.From)
		x.raw(`" target="`)
		x.text(e.To)
		x.raw(`" weight="`, strconv.Itoa(e.Weight), `">`)
		values(nil, e)
		x.raw("</edge>\n")
		id++
		if x.err != nil {
			break
		}
	}
	x.raw("    </edges>\n  </graph>\n</gexf>\n")
	return x.flush()
}
