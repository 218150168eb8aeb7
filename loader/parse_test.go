package loader

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/thrivegraph/thrivegraph/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/bad")

func ptr(s string) *string { return &s }

// chatBatch is what testdata/good/chat.yaml describes.
var chatBatch = &graph.Batch{
	Source: graph.Source{
		ID:        "wes-chat-2020",
		Title:     "#ImmigrantsThrive: a Twitter chat",
		URL:       ptr("https://example.org/immigrants-thrive"),
		Publisher: ptr("WES Mariam Assefa Fund"),
		Published: ptr("2020-07-02"),
		Document:  ptr("000_c542bc40f06b320e.txt"),
		Note:      ptr("A test file."),
		Authors:   []string{"ana-lopez"},
	},
	Nodes: []graph.NodeRecord{
		{ID: "wes-mariam-assefa-fund", Type: graph.TypeOrganization, Name: "WES Mariam Assefa Fund",
			Aliases: []string{"WES Fund"}, Description: "A funder.", Kinds: []string{"funder"}},
		{ID: "casa-de-maryland", Type: graph.TypeOrganization, Name: "CASA de Maryland",
			Aliases: []string{"CASA"}, Kinds: []string{"service provider", "coalition"}},
		{ID: "ana-lopez", Type: graph.TypePerson, Name: "Ana López", Description: "Director at CASA."},
		{ID: "immigrants-thrive-week", Type: graph.TypeEvent, Name: "Immigrants Thrive Week", EventKind: "campaign week"},
		{ID: "immigrantsthrive", Type: graph.TypeEvent, Name: "#ImmigrantsThrive", EventKind: "twitter chat",
			StartDate: "2020-06-23", Questions: []string{"What challenges do immigrants face?", "What works?"}},
		{ID: "digital-inclusion", Type: graph.TypeTheme, Name: "Digital inclusion", Aliases: []string{"digital equity"}},
		{ID: "federal", Type: graph.TypePolicyLevel, Name: "Federal"},
		{ID: "state", Type: graph.TypePolicyLevel, Name: "State"},
		{ID: "maryland", Type: graph.TypePlace, Name: "Maryland"},
		{ID: "new-york", Type: graph.TypePlace, Name: "New York"},
	},
	Links: []graph.Link{
		{From: "wes-mariam-assefa-fund", Relation: graph.RelPlace, To: "new-york"},
		{From: "wes-mariam-assefa-fund", Relation: graph.RelTheme, To: "digital-inclusion"},
		{From: "wes-mariam-assefa-fund", Relation: graph.RelPolicyLevel, To: "federal"},
		{From: "casa-de-maryland", Relation: graph.RelPlace, To: "maryland"},
		{From: "casa-de-maryland", Relation: graph.RelTheme, To: "digital-inclusion"},
		{From: "casa-de-maryland", Relation: graph.RelPolicyLevel, To: "state"},
		{From: "immigrantsthrive", Relation: graph.RelPartOf, To: "immigrants-thrive-week"},
		{From: "wes-mariam-assefa-fund", Relation: graph.RelHosted, To: "immigrantsthrive"},
		{From: "casa-de-maryland", Relation: graph.RelParticipatedIn, To: "immigrantsthrive"},
		{From: "ana-lopez", Relation: graph.RelSpokeAt, To: "immigrantsthrive"},
		{From: "immigrantsthrive", Relation: graph.RelTheme, To: "digital-inclusion"},
		{From: "immigrantsthrive", Relation: graph.RelPlace, To: "maryland"},
		{From: "digital-inclusion", Relation: graph.RelPolicyLevel, To: "federal"},
		{From: "digital-inclusion", Relation: graph.RelPolicyLevel, To: "state"},
	},
	Affiliations: []graph.Affiliation{
		{PersonID: "ana-lopez", OrganizationID: "casa-de-maryland", Title: ptr("Director")},
		{PersonID: "ana-lopez", OrganizationID: "wes-mariam-assefa-fund"},
	},
	Figures: []graph.Figure{{
		ID:        "immigrant-share-of-workforce-growth",
		Value:     "83%",
		Statement: "Immigrants will account for 83% of US workforce growth between 2000 and 2050.",
		About:     []string{"immigrantsthrive", "digital-inclusion"},
	}},
}

// webinarBatch is what testdata/good/webinar.yaml describes.
var webinarBatch = &graph.Batch{
	Source: graph.Source{ID: "living-cities-webinar-2014", Title: "A Living Cities webinar"},
	Nodes: []graph.NodeRecord{
		{ID: "living-cities", Type: graph.TypeOrganization, Name: "Living Cities", Kinds: []string{"funder"}},
		{ID: "ben-ng", Type: graph.TypePerson, Name: "Ben Ng"},
		{ID: "cities-webinar", Type: graph.TypeEvent, Name: "Cities Webinar", EventKind: "webinar", StartDate: "2014-09-30"},
		{ID: "maryland", Type: graph.TypePlace, Name: "Maryland", Description: "A state of the United States."},
	},
	Links: []graph.Link{
		{From: "living-cities", Relation: graph.RelTheme, To: "digital-inclusion"},
		{From: "cities-webinar", Relation: graph.RelPartOf, To: "immigrants-thrive-week"},
		{From: "living-cities", Relation: graph.RelHosted, To: "cities-webinar"},
		{From: "casa-de-maryland", Relation: graph.RelPresentedAt, To: "cities-webinar"},
		{From: "ana-lopez", Relation: graph.RelSpokeAt, To: "cities-webinar"},
		{From: "ben-ng", Relation: graph.RelSpokeAt, To: "cities-webinar"},
		{From: "cities-webinar", Relation: graph.RelTheme, To: "digital-inclusion"},
		{From: "cities-webinar", Relation: graph.RelPlace, To: "maryland"},
	},
	Affiliations: []graph.Affiliation{{PersonID: "ben-ng", OrganizationID: "living-cities", Title: ptr("Fellow")}},
	Figures: []graph.Figure{{ID: "webinar-attendance", Value: "120", Statement: "120 people attended.",
		About: []string{"cities-webinar"}}},
}

func parseFileAt(t *testing.T, path string) (*graph.Batch, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(path, f)
}

// diffBatch reports the first differences between two batches, part by part.
func diffBatch(t *testing.T, got, want *graph.Batch) {
	t.Helper()
	if !reflect.DeepEqual(got.Source, want.Source) {
		t.Errorf("Source:\n got %s\nwant %s", show(got.Source), show(want.Source))
	}
	diffList(t, "Nodes", got.Nodes, want.Nodes)
	diffList(t, "Links", got.Links, want.Links)
	diffList(t, "Affiliations", got.Affiliations, want.Affiliations)
	diffList(t, "Figures", got.Figures, want.Figures)
}

func diffList[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("%s[%d]: missing, want %s", what, i, show(want[i]))
		case i >= len(want):
			t.Errorf("%s[%d]: extra %s", what, i, show(got[i]))
		case !reflect.DeepEqual(got[i], want[i]):
			t.Errorf("%s[%d]:\n got %s\nwant %s", what, i, show(got[i]), show(want[i]))
		}
	}
}

// show prints a value with its pointers followed.
func show(v any) string {
	s := fmt.Sprintf("%+v", v)
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Struct {
		var parts []string
		for i := range rv.NumField() {
			f := rv.Field(i)
			if f.Kind() == reflect.Pointer && !f.IsNil() {
				parts = append(parts, fmt.Sprintf("%s=%q", rv.Type().Field(i).Name, f.Elem().Interface()))
			}
		}
		if parts != nil {
			s += " (" + strings.Join(parts, " ") + ")"
		}
	}
	return s
}

func TestParseGood(t *testing.T) {
	tests := []struct {
		path string
		want *graph.Batch
	}{
		{"testdata/good/chat.yaml", chatBatch},
		{"testdata/good/webinar.yaml", webinarBatch},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			got, err := parseFileAt(t, tt.path)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			diffBatch(t, got, tt.want)
			again, _ := parseFileAt(t, tt.path)
			if !reflect.DeepEqual(got, again) {
				t.Error("two parses of one file differ")
			}
		})
	}
	// Every good file is covered above.
	paths, _ := filepath.Glob("testdata/good/*.yaml")
	if len(paths) != len(tests) {
		t.Errorf("testdata/good holds %d files, the test checks %d", len(paths), len(tests))
	}
}

func TestParseNoMemberOfLink(t *testing.T) {
	// The store derives memberOf from affiliations; the loader must not add it.
	for _, l := range chatBatch.Links {
		if l.Relation == graph.RelMemberOf {
			t.Fatal("the expected batch itself has a memberOf link")
		}
	}
	got, err := parseFileAt(t, "testdata/good/chat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range got.Links {
		if l.Relation == graph.RelMemberOf {
			t.Errorf("memberOf link %+v", l)
		}
	}
}

func TestParseLinkEndpoints(t *testing.T) {
	// Every link the loader builds has endpoints of the types graph.Endpoints allows.
	types := map[string]graph.NodeType{}
	var links []graph.Link
	for _, b := range []*graph.Batch{chatBatch, webinarBatch} {
		for _, n := range b.Nodes {
			types[n.ID] = n.Type
		}
	}
	for _, path := range []string{"testdata/good/chat.yaml", "testdata/good/webinar.yaml"} {
		b, err := parseFileAt(t, path)
		if err != nil {
			t.Fatal(err)
		}
		links = append(links, b.Links...)
	}
	for _, l := range links {
		ends := graph.Endpoints[l.Relation]
		if !contains(ends.From, types[l.From]) || !contains(ends.To, types[l.To]) {
			t.Errorf("%s %s %s: %s → %s does not fit %v", l.From, l.Relation, l.To, types[l.From], types[l.To], ends)
		}
	}
}

func contains(ts []graph.NodeType, t graph.NodeType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func TestParseJSON(t *testing.T) {
	const json = `{
  "source": {"id": "s", "title": "T", "published": "2020-01-02", "url": null},
  "organizations": [{"name": "CASA", "places": ["maryland"], "kinds": ["bank"]}],
  "places": [{"name": "Maryland"}],
  "figures": [{"id": "f", "value": 12, "statement": "Twelve.", "about": ["casa"]}]
}`
	const yml = `
source: {id: s, title: T, published: 2020-01-02}
organizations:
  - {name: CASA, places: [maryland], kinds: [bank]}
places: [{name: Maryland}]
figures: [{id: f, value: "12", statement: Twelve., about: [casa]}]
`
	fromJSON, err := Parse("a.json", strings.NewReader(json))
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := Parse("a.yaml", strings.NewReader(yml))
	if err != nil {
		t.Fatal(err)
	}
	diffBatch(t, fromJSON, fromYAML)
	if len(fromJSON.Nodes) != 2 || len(fromJSON.Links) != 1 || fromJSON.Figures[0].Value != "12" {
		t.Errorf("batch %+v", fromJSON)
	}
}

// TestBadFiles checks each file of testdata/bad against its golden file of
// expected errors, with no store (as if the store were empty).
func TestBadFiles(t *testing.T) {
	paths := badFiles(t)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, err := Check(context.Background(), nil, Paths(path)...)
			got := checkInvalid(t, err)
			compareGolden(t, golden(path), got)

			// Parse finds the same problems, except the ones that need
			// the other files or the store.
			rc, err := Paths(path)[0].open(nil) // decompresses .gz
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			_, perr := Parse(path, rc)
			if perr == nil {
				if !strings.Contains(got, "not defined in the files loaded") {
					t.Errorf("Parse accepts %s", path)
				}
				return
			}
			for _, line := range strings.Split(perr.Error(), "\n") {
				if !strings.Contains(got+"\n", line+"\n") {
					t.Errorf("Parse reports %q, which Check does not", line)
				}
			}
		})
	}
	goldens, _ := filepath.Glob("testdata/bad/*.golden")
	if len(goldens) != len(paths) {
		t.Errorf("%d golden files for %d bad files", len(goldens), len(paths))
	}
}

// badFiles returns the files of testdata/bad. The two gzipped ones are too
// big to keep uncompressed: long-line.yaml.gz has a line of 70,000 bytes,
// too-large.yaml.gz is 16 MiB of "  - name: Place" lines (both written with
// Python's gzip module).
func badFiles(t *testing.T) []string {
	t.Helper()
	plain, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gzipped, err := filepath.Glob("testdata/bad/*.yaml.gz")
	if err != nil {
		t.Fatal(err)
	}
	paths := append(plain, gzipped...)
	if len(paths) == 0 {
		t.Fatal("no bad files")
	}
	return paths
}

// golden returns the golden file of a bad file.
func golden(path string) string {
	return strings.TrimSuffix(strings.TrimSuffix(path, ".gz"), ".yaml") + ".golden"
}

// checkInvalid checks that err is a validation error and returns its text.
func checkInvalid(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Issues) == 0 {
		t.Fatalf("error %T %q is not a *ValidationError with issues", err, err)
	}
	if code := graph.ErrorCode(err); code != graph.CodeInvalid {
		t.Errorf("graph.ErrorCode = %q, want %q", code, graph.CodeInvalid)
	}
	return err.Error()
}

func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	got += "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("errors differ from %s\n--- got:\n%s--- want:\n%s", golden, got, want)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "source: {id: s, title: T}\n"
	manyErrors := head + "places:\n" + strings.Repeat("  - name: ''\n", 150)
	long := head + "places:\n  - name: " + strings.Repeat("a", MaxLineLength) + "\n"
	longOK := head + "places:\n  - name: " + strings.Repeat("a", MaxLineLength-len("  - name: ")) + "\n"
	big := head + "places:\n" + strings.Repeat("  - name: Place\n", MaxFileSize/16+1)
	tests := []struct {
		name, input string
		want        string // the whole error; "" for none
	}{
		{"ok", head, ""},
		{"line at the limit", longOK, ""},
		{"line too long", long, "f.yaml:3:65537: line is longer than 64 KiB"},
		{"file too large", big, "f.yaml: file is larger than 16 MiB"},
		{"zero bytes", "", "f.yaml: file is empty"},
		{"blank", "\n  \n", "f.yaml: file is empty"},
		{"null document", "---\n~\n", "f.yaml: file is empty"},
		{"not a mapping", "- a\n- b\n", "f.yaml:1:1: expected a mapping, found a list"},
		{"a string", "hello\n", "f.yaml:1:1: expected a mapping, found a string"},
		{"syntax error on line 1", "a: b: c\n", "f.yaml:1:4: YAML syntax error: mapping values are not allowed in this context"},
		{"parser error line", head + "places: [a,\n  b\nfoo: 1\n", "f.yaml:2:9: YAML syntax error: did not find expected ',' or ']'"},
		{"parser error, block", head + "places:\n  - name: x\n bad: 1\n", "f.yaml:4:2: YAML syntax error: did not find expected key"},
		{"tab indentation", head + "places:\n\t- name: x\n", "f.yaml:3:1: YAML syntax error: found character that cannot start any token"},
		{"unknown anchor", head + "places: *x\n", "f.yaml: YAML syntax error: unknown anchor 'x' referenced"},
		{"byte order mark", "\ufeff" + head, ""},
		{"invalid UTF-8 position", head + "places:\n  - name: ab\xffc\n", "f.yaml:3:13: invalid UTF-8 (byte 0xff)"},
		{"NUL", head + "\x00", "f.yaml:2:1: control character U+0000 is not allowed"},
		{"trailing empty document", head + "---\n", ""},
		{"empty list", head + "places: []\norganizations:\n", ""},
		{"field given twice in source", "source: {id: s, title: T, id: t}\n", "f.yaml:1:27: source.id: field given twice (first at line 1)"},
		{"key not a string", head + "? [a]\n: b\n", "f.yaml:2:3: expected a field name, found a list"},
		{"name is a number", head + "places: [{name: 2020}]\n", ""},
		{"name is a boolean", head + "places: [{name: yes, id: yes-place}]\n", ""},
		{"event kind missing", head + "events: [{name: E}]\n", "f.yaml:2:10: events[0].kind: required field is missing"},
		{"null item", head + "places:\n  -\n", "f.yaml:3:4: places[0]: expected a mapping, found nothing"},
		{"null id", head + "places: [{name: P, id: }]\n", "f.yaml:2:24: places[0].id: must not be empty"},
		{"figure about null", head + "figures: [{id: f, value: v, statement: s, about: ~}]\n", "f.yaml:2:50: figures[0].about: must not be empty"},
		{"figure about wrong kind", head + "figures: [{id: f, value: v, statement: s, about: x}]\n", "f.yaml:2:50: figures[0].about: expected a list, found a string"},
		{"figure id invalid", head + "figures: [{id: F, value: v, statement: s, about: [x]}]\n",
			"f.yaml:2:16: figures[0].id: invalid id \"F\": an id is lower-case letters and digits joined by single hyphens, like \"f\""},
		{"many errors", manyErrors, strings.Join(func() []string {
			var lines []string
			for i := range MaxIssues {
				lines = append(lines, fmt.Sprintf("f.yaml:%d:11: places[%d].name: must not be empty", i+3, i))
			}
			return append(lines, "... and 50 more errors")
		}(), "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", strings.NewReader(tt.input))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestValidationErrorUnwrap(t *testing.T) {
	_, err := Parse("f.yaml", strings.NewReader("places: []\n"))
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Code != graph.CodeInvalid {
		t.Fatalf("errors.As(*graph.Error) = %v, %+v", ge != nil, ge)
	}
	if msg := graph.ErrorMessage(err); msg != "f.yaml:1:1: source: required field is missing" {
		t.Errorf("graph.ErrorMessage = %q", msg)
	}
	if s := (Issue{File: "f", Line: 2, Column: 3, Field: "a.b", Msg: "m"}).String(); s != "f:2:3: a.b: m" {
		t.Errorf("Issue.String = %q", s)
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckFiles(t *testing.T) {
	chat, err := os.ReadFile("testdata/good/chat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	webinar, err := os.ReadFile("testdata/good/webinar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"chat.yaml":       {Data: chat},
		"chat.yml.gz":     {Data: gz(t, string(chat))},
		"webinar.yaml":    {Data: webinar},
		"bad.yaml.gz":     {Data: []byte("this is not a gzip stream")},
		"notes.txt":       {Data: []byte("hello")},
		"export.nq":       {Data: []byte("<a> <b> <c> .\n")},
		"person-casa.yml": {Data: []byte("source: {id: p, title: P}\npeople: [{name: Someone, id: casa-de-maryland}]\n")},
		"place-again.yml": {Data: []byte("source: {id: p2, title: P}\nplaces: [{name: Maryland, description: again}]\n")},
		"broken.yaml":     {Data: []byte("source: {id: b, title: B}\norganizations:\n  - {name: X, kinds: [a b}\n")},
		"refers.yaml":     {Data: []byte("source: {id: r, title: R}\norganizations:\n  - {name: Refers, themes: [job-quality]}\n")},
		"wrong-type.json": {Data: []byte(`{"source": {"id": "w", "title": "W"}, "events": [{"name": "E", "kind": "k", "hosts": ["ana-lopez"], "themes": ["maryland"]}]}`)},
	}
	tests := []struct {
		name  string
		files []string
		want  string // the whole error; "" for none
	}{
		{"one file", []string{"chat.yaml"}, ""},
		{"two files", []string{"chat.yaml", "webinar.yaml"}, ""},
		{"reverse order", []string{"webinar.yaml", "chat.yaml"}, ""},
		{"same file twice", []string{"chat.yaml", "chat.yaml"}, ""},
		{"gzipped", []string{"chat.yml.gz", "webinar.yaml"}, ""},
		{"same id and type in two files", []string{"chat.yaml", "place-again.yml"}, ""},
		{"no files", nil, ""},
		{"references resolved nowhere", []string{"webinar.yaml"}, strings.Join([]string{
			`webinar.yaml:13:14: organizations[0].themes[0]: unknown id "digital-inclusion": not defined in the files loaded nor in the store`,
			`webinar.yaml:25:13: events[0].partOf: unknown id "immigrants-thrive-week": not defined in the files loaded nor in the store`,
			`webinar.yaml:27:18: events[0].presenters[0]: unknown id "casa-de-maryland": not defined in the files loaded nor in the store`,
			`webinar.yaml:28:16: events[0].speakers[0]: unknown id "ana-lopez": not defined in the files loaded nor in the store`,
			`webinar.yaml:29:14: events[0].themes[0]: unknown id "digital-inclusion": not defined in the files loaded nor in the store`,
		}, "\n")},
		{"one id, two types", []string{"chat.yaml", "person-casa.yml"},
			`person-casa.yml:2:30: people[0]: id "casa-de-maryland" is a person here but an organization in chat.yaml:46`},
		{"wrong type in another file", []string{"chat.yaml", "wrong-type.json"}, strings.Join([]string{
			`wrong-type.json:1:87: events[0].hosts[0]: "ana-lopez" is a person (defined in chat.yaml:54), not an organization`,
			`wrong-type.json:1:112: events[0].themes[0]: "maryland" is a place (defined in chat.yaml:88), not a theme`,
		}, "\n")},
		{"unknown format, and errors of every file", []string{"notes.txt", "bad.yaml.gz", "chat.yaml", "person-casa.yml"}, strings.Join([]string{
			`notes.txt: unknown file format: want .yaml, .yml, .json, .csv, .nq, .nquads or .jsonld, optionally gzipped (.gz), or a directory of data files`,
			`bad.yaml.gz: cannot open the file: gzip: invalid header`,
			`person-casa.yml:2:30: people[0]: id "casa-de-maryland" is a person here but an organization in chat.yaml:46`,
		}, "\n")},
		{"a syntax error hides no other file's errors", []string{"broken.yaml", "chat.yaml", "person-casa.yml", "refers.yaml"}, strings.Join([]string{
			`broken.yaml:3:26: YAML syntax error: did not find expected ',' or ']'`,
			`person-casa.yml:2:30: people[0]: id "casa-de-maryland" is a person here but an organization in chat.yaml:46`,
			`refers.yaml:3:29: organizations[0].themes[0]: unknown id "job-quality": not defined in the files loaded nor in the store (nor, as far as they could be read, in broken.yaml)`,
		}, "\n")},
		{"N-Quads with a data file", []string{"chat.yaml", "export.nq"},
			`export.nq: Check reads data files and CSV sheets; check linked data with a dry-run load`},
		{"missing file", []string{"chat.yaml", "missing.yaml"}, `missing.yaml: cannot open the file: file does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			batches, err := Check(context.Background(), nil, FromFS(fsys, tt.files...)...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if len(batches) != len(tt.files) {
					t.Errorf("%d batches for %d files", len(batches), len(tt.files))
				}
				return
			}
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	files := Paths("testdata/good/chat.yaml", "testdata/good/webinar.yaml")
	if len(files) != 2 || files[1].Name != "testdata/good/webinar.yaml" {
		t.Fatalf("Paths = %+v", files)
	}
	batches, err := Check(context.Background(), nil, files...)
	if err != nil {
		t.Fatal(err)
	}
	diffBatch(t, batches[0], chatBatch)
	diffBatch(t, batches[1], webinarBatch)
}

// TestSeedFiles checks the seed data set: every file parses, and the set
// loads into an empty store (every reference resolves within it).
func TestSeedFiles(t *testing.T) {
	paths, err := filepath.Glob("../data/seed/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no seed files in ../data/seed/*.yaml")
	}
	for _, path := range paths {
		if _, err := parseFileAt(t, path); err != nil {
			t.Errorf("Parse(%s):\n%v", path, err)
		}
	}
	if _, err := Check(context.Background(), nil, Paths(paths...)...); err != nil {
		t.Errorf("the seed set does not load into an empty store:\n%v", err)
	}
}
