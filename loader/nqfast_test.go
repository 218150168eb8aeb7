package loader

import (
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad/nquads"
)

// TestSimpleNQuadMatchesParser checks parseSimpleNQuad against nquads.Parse:
// on hand-written statements at the edges of what it reads, on random
// statements put together from fragments (valid and not), and on every
// line of the seed data's export: whatever it accepts, nquads.Parse
// parses to the same quad, and it accepts the ordinary statements.
func TestSimpleNQuadMatchesParser(t *testing.T) {
	accepted := 0
	check := func(line string) {
		t.Helper()
		got, ok := parseSimpleNQuad(line)
		if !ok {
			return
		}
		accepted++
		want, err := parseWithNQuads(line)
		if err != nil {
			t.Errorf("%q: accepted, but nquads.Parse says %v", line, err)
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %#v\nwant %#v", line, got, want)
		}
	}
	for _, tc := range []struct {
		line   string
		simple bool // parseSimpleNQuad must accept it
	}{
		{`<a> <b> <c> .`, true},
		{`<a> <b> <c> <d> .`, true},
		{"<a>\t<b>  <c>\t<d>  .", true},
		{`<a> <b> "plain" <d> .`, true},
		{`<a> <b> "" .`, true},
		{`<a> <b> "say \"hi\"\n\t\\ \' \b\f\r" <d> .`, true},
		{`<a> <b> "nom"@fr <d> .`, true},
		{`<a> <b> "name"@en-GB-oed .`, true},
		{`<a> <b> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <d> .`, true},
		{`<a> <b> "2026-12-07T01:02:03Z"^^<xsd:dateTime> <d> .`, true},
		{`<a> <b> "x"^^<urn:unknown:type> .`, true},
		{`<a> <b> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .`, true},
		{`<https://thrivegraph.org/id/caf%C3%A9> <b> "café ünïcode 日本" <d> .`, true},
		{`<a> <b> "\u00e9" .`, false},
		{`<a> <b> "\x" .`, false},
		{`_:b1 <b> <c> .`, false},
		{`<a> <b> _:c .`, false},
		{`<a> <b> <c> . # comment`, false},
		{`<a> <b> <c>`, false},
		{`<a> <b> <c> ..`, false},
		{`<a b> <b> <c> .`, false},
		{`<a> <b> "unterminated .`, false},
		{`<a> <b> "x"@ .`, false},
		{`<a> <b> "x"@en- .`, false},
		{`<a> <b> "x"^^ .`, false},
		{`<a><b><c> .`, false},
		{`<a> <b> <c><d> .`, false},
		{"<a> <b> \"bad \xff byte\" .", false},
		{`<a> "b" <c> .`, false},
	} {
		_, ok := parseSimpleNQuad(tc.line)
		if tc.simple && !ok {
			t.Errorf("%q: not read by the fast path", tc.line)
		}
		check(tc.line)
	}

	fragments := []string{"<a>", "<http://x.org/p#q>", "<>", "<a b>", "<é>", "<a\\u0041>", "_:b", `"s"`, `""`, `"a\"b"`, `"a\\b"`, `"\n"`, `"x\u0041"`, `"x"@en`, `"x"@en-`, `"x"@-en`, `"x"@e1`, `"1"^^<http://www.w3.org/2001/XMLSchema#integer>`, `"1.5"^^<http://www.w3.org/2001/XMLSchema#double>`, `"oops"^^<http://www.w3.org/2001/XMLSchema#integer>`, `"x"^^<t>`, `"x"^^t`, ".", " ", "\t", "#", "<", ">", `"`, "\\", "^^", "@"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		for n := r.IntN(6); n >= 0; n-- {
			b.WriteString(fragments[r.IntN(len(fragments))])
			if r.IntN(4) > 0 {
				b.WriteString(" ")
			}
		}
		if r.IntN(2) == 0 {
			b.WriteString(" .")
		}
		check(b.String())
	}

	// Statements of random terms, most of them valid.
	iris := []string{"<a>", "<https://thrivegraph.org/id/org-1>", "<http://schema.org/name>", "<é>", "<>", "<xsd:dateTime>"}
	objects := append([]string{`"a name"`, `"say \"hi\""`, `"tab\tend"`, `"x"@en`, `"x"@en-US`, `"2026-12-07T01:02:03Z"^^<xsd:dateTime>`, `"12"^^<http://www.w3.org/2001/XMLSchema#integer>`, `"no"^^<http://www.w3.org/2001/XMLSchema#boolean>`, `"x"^^<urn:t>`, `"ü"`}, iris...)
	for range 20000 {
		terms := []string{iris[r.IntN(len(iris))], iris[r.IntN(len(iris))], objects[r.IntN(len(objects))]}
		if r.IntN(2) == 0 {
			terms = append(terms, iris[r.IntN(len(iris))])
		}
		mutated := r.IntN(5) == 0
		if mutated {
			terms[r.IntN(len(terms))] = fragments[r.IntN(len(fragments))]
		}
		line := strings.Join(terms, " ") + " ."
		if _, ok := parseSimpleNQuad(line); !ok && !mutated {
			t.Errorf("%q: a valid statement the fast path does not read", line)
		}
		check(line)
	}
	if accepted < 1000 {
		t.Errorf("the fast path accepted only %d statements", accepted)
	}
}

// parseWithNQuads is nquads.Parse, with its panics as errors.
func parseWithNQuads(line string) (q interface{}, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errPanic
		}
	}()
	return nquads.Parse(line)
}

var errPanic = os.ErrInvalid
