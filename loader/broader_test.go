package loader

import (
	"reflect"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestParseBroader covers themes' `broader` field: a Theme → Theme link per
// listed theme, and the errors a file can show by itself.
func TestParseBroader(t *testing.T) {
	const head = "source: {id: s, title: T}\n"
	tests := []struct {
		name, input string
		links       []graph.Link
		err         string
	}{
		{"broader themes", head + "themes:\n  - name: Coding\n    broader: [skills, work]\n  - name: Skills\n    broader: [work]\n  - name: Work\n",
			[]graph.Link{
				{From: "coding", Relation: graph.RelBroader, To: "skills"},
				{From: "coding", Relation: graph.RelBroader, To: "work"},
				{From: "skills", Relation: graph.RelBroader, To: "work"},
			}, ""},
		{"a theme of another file", head + "themes:\n  - name: Coding\n    broader: [skills]\n",
			[]graph.Link{{From: "coding", Relation: graph.RelBroader, To: "skills"}}, ""},
		{"itself", head + "themes:\n  - name: Work\n    broader: [work]\n", nil,
			"f.yaml:4:15: themes[0].broader[0]: a theme cannot be broader than itself"},
		{"not a theme", head + "places: [{name: Ohio}]\nthemes:\n  - name: Work\n    broader: [ohio]\n", nil,
			`f.yaml:5:15: themes[0].broader[0]: "ohio" is a place (defined at line 2), not a theme`},
		{"not an id", head + "themes:\n  - name: Work\n    broader: [Big Work]\n", nil,
			`f.yaml:4:15: themes[0].broader[0]: invalid id "Big Work": an id is lower-case letters and digits joined by single hyphens, like "big-work"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse("f.yaml", strings.NewReader(tt.input))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(b.Links, tt.links) {
				t.Errorf("links\n got %+v\nwant %+v", b.Links, tt.links)
			}
		})
	}
}
