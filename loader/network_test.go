package loader

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestNetworkWriters: GraphML and GEXF are well-formed XML that keeps
// names with markup characters, metrics on organizations only, and every
// edge with its relation, source and whether it is derived.
func TestNetworkWriters(t *testing.T) {
	x := graph.NetworkExport{
		Nodes: []graph.ExportNode{
			{ID: "a", Type: "Organization", Name: `A & "B" <C>`, Themes: []string{"t1", "t2"}, Centrality: &graph.Centrality{Degree: 1, Betweenness: 0.5, Exact: true, Community: "community-1"}},
			{ID: "b", Type: "Organization", Name: "B", Centrality: &graph.Centrality{Degree: 1, Community: "community-1"}},
			{ID: "e", Type: "Event", Name: "E"},
		},
		Edges: []graph.ExportEdge{
			{From: "a", To: "e", Relation: "hosted", Source: "s1", Weight: 1},
			{From: "b", To: "e", Relation: "participatedIn", Source: "s1", Weight: 1},
		},
		// The derived ties stream after the edges.
		Ties:  slices.Values([]graph.ExportEdge{{From: "a", To: "b", Relation: "sharedEvent", Derived: true, Weight: 1, Events: []string{"e"}}}),
		Exact: true,
	}
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  []string
	}{
		{"graphml", func(b *bytes.Buffer) error { return WriteGraphML(b, x) }, []string{
			`attr.name="betweenness" attr.type="double"`, `>A &amp; &#34;B&#34; &lt;C&gt;</data>`, `>t1;t2</data>`, `>community-1</data>`,
			`edgedefault="undirected"`, `<edge id="e2" source="a" target="b">`}},
		{"gexf", func(b *bytes.Buffer) error { return WriteGEXF(b, x) }, []string{
			`title="betweenness" type="double"`, `label="A &amp; &#34;B&#34; &lt;C&gt;"`, `value="t1;t2"`, `<edge id="2" source="a" target="b" weight="1">`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
			var nodes, edges, metrics int
			for {
				tok, err := d.Token()
				if err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("not well-formed: %v\n%s", err, b.String())
					}
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					switch se.Name.Local {
					case "node":
						nodes++
					case "edge":
						edges++
					}
				}
			}
			metrics = strings.Count(b.String(), `"d9">`) + strings.Count(b.String(), `for="9" value`) // betweenness values
			if nodes != 3 || edges != 3 || metrics != 2 {
				t.Errorf("%d nodes, %d edges, %d betweenness values; want 3, 3 and 2 (organizations only)\n%s", nodes, edges, metrics, b.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("no %s in\n%s", w, b.String())
				}
			}
		})
	}
}
