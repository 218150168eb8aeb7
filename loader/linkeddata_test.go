package loader

import (
	"context"
	"strings"
	"testing"
)

func TestLinkedDataErrors(t *testing.T) {
	long := "<a:s> <a:p> \"" + strings.Repeat("x", MaxNQuadsLine) + "\" <https://thrivegraph.org/source/s> .\n"
	tests := []struct {
		name, file, content, want string
	}{
		{"n-quads syntax", "f.nq", "<a:s> <a:p> <a:o> <https://thrivegraph.org/source/s> .\n<a:s> <a:p> .\n",
			"f.nq:2: N-Quads syntax error: incomplete N-Quad"},
		{"n-quads line too long", "f.nq", "<a:s> <a:p> <a:o> <https://thrivegraph.org/source/s> .\n" + long,
			"f.nq:2:1048577: line is longer than 1024 KiB"},
		{"n-quads label that is a literal", "f.nq", "<a:s> <a:p> <a:o> \"g\" .\n",
			`f.nq:1: graph label "g" is not a ThriveGraph source: it must be a https://thrivegraph.org/source/… IRI`},
		{"json-ld syntax", "f.jsonld", "{\n  \"@id\": \"a:x\",\n  \"a:p\": [1,]\n}\n",
			"f.jsonld:3:13: JSON syntax error: invalid character ']' looking for beginning of value"},
		{"json-ld empty (found by FuzzJSONLD)", "f.jsonld", "",
			"f.jsonld:1:1: JSON syntax error: unexpected end of JSON input"},
		{"json-ld remote context", "f.jsonld", `{"@context": "https://schema.org/", "name": "X"}`,
			`f.jsonld: not JSON-LD: remote context "https://schema.org/" is not fetched: put the context in the file`},
		{"json-ld without a source", "f.jsonld", `{"@id": "https://thrivegraph.org/id/x", "http://schema.org/name": "X"}`,
			"f.jsonld: quad has no source: its graph label must be a https://thrivegraph.org/source/… IRI, or give the file a source (--source ID)"},
		{"json-ld blank graph", "f.jsonld", `{"@id": "_:g", "@graph": [{"@id": "a:x", "a:p": "v"}]}`,
			"f.jsonld: graph label _:b0 is not a ThriveGraph source: it must be a https://thrivegraph.org/source/… IRI"},
		{"gzip that is not", "f.nq.gz", "plain text", "f.nq.gz: cannot open the file: gzip: invalid header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			_, err := LoadWith(context.Background(), s, Options{}, memFiles(tt.file, tt.content)...)
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if got := export(t, s); got != "" {
				t.Errorf("the store holds:\n%s", got)
			}
		})
	}
}

func TestJSONLDLoads(t *testing.T) {
	s := openStore(t)
	doc := `{"@context": {"name": "http://schema.org/name", "tg": "https://thrivegraph.org/ns#"},
	 "@id": "https://thrivegraph.org/source/people", "@graph": [
	   {"@id": "https://thrivegraph.org/id/jane-doe", "@type": "tg:Person", "name": "Jane Doe"}]}`
	rep := loadOpt(t, s, Options{}, memFiles("people.jsonld", doc)...)
	p, err := s.Person(context.Background(), "jane-doe")
	if err != nil || p == nil || p.Name != "Jane Doe" || rep.NodesAdded != 1 {
		t.Errorf("person %+v, %v; report %+v", p, err, rep)
	}
}
