package loader

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// orderYAML lists authors, speakers, themes and questions against the
// alphabet: a store that keeps them as sets gives them back sorted.
const orderYAML = `source:
  id: ordered
  title: Ordered lists
  authors: [zoe-zed, amy-able]
people:
  - name: Zoe Zed
  - name: Amy Able
  - name: Mo Mid
themes:
  - name: Zebras
  - name: Apples
  - name: Mangoes
events:
  - name: Talk
    kind: webinar
    speakers: [zoe-zed, mo-mid, amy-able]
    themes: [zebras, apples, mangoes]
    questions: ["Why now?", "How so?", "And then?"]
`

// listsOf reads the ordered lists back from a store.
func listsOf(t *testing.T, s graph.Store) [4][]string {
	t.Helper()
	ctx := context.Background()
	ids := func(nodes []graph.Node) []string {
		var out []string
		for _, n := range nodes {
			out = append(out, n.NodeID())
		}
		return out
	}
	authors, err := s.SourceAuthors(ctx, "ordered")
	if err != nil {
		t.Fatal(err)
	}
	speakers, _ := s.EventSpeakers(ctx, "talk")
	themes, _ := s.EventThemes(ctx, "talk")
	ev, _ := s.Event(ctx, "talk")
	if ev == nil {
		t.Fatal("no event talk")
	}
	var out [4][]string
	for _, a := range authors {
		out[0] = append(out[0], a.ID)
	}
	for _, p := range speakers {
		out[1] = append(out[1], p.ID)
	}
	out[2] = ids(asNodes(themes))
	out[3] = ev.Questions
	return out
}

func asNodes[T graph.Node](list []T) []graph.Node {
	out := make([]graph.Node, len(list))
	for i, n := range list {
		out[i] = n
	}
	return out
}

var wantOrder = [4][]string{
	{"zoe-zed", "amy-able"},
	{"zoe-zed", "mo-mid", "amy-able"},
	{"zebras", "apples", "mangoes"},
	{"Why now?", "How so?", "And then?"},
}

// TestDocumentOrderRoundTrips: the order of a YAML file's lists is the
// stored order, and it goes through every export format and back.
func TestDocumentOrderRoundTrips(t *testing.T) {
	ctx := context.Background()
	a := openStore(t)
	mustLoad(t, a, memFiles("ordered.yaml", orderYAML)...)
	if got := listsOf(t, a); !slices.EqualFunc(got[:], wantOrder[:], slices.Equal) {
		t.Fatalf("loaded from YAML: %q, want %q", got, wantOrder)
	}
	var nq, jsonld bytes.Buffer
	if err := a.Export(ctx, &nq); err != nil {
		t.Fatal(err)
	}
	if err := ExportJSONLD(ctx, a.Log(), &jsonld); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ExportCSV(ctx, a, dir); err != nil {
		t.Fatal(err)
	}
	for name, files := range map[string][]File{
		"nquads": memFiles("export.nq", nq.String()),
		"jsonld": memFiles("export.jsonld", jsonld.String()),
		"csv":    Paths(dir),
	} {
		b := openStore(t)
		mustLoad(t, b, files...)
		if got := listsOf(t, b); !slices.EqualFunc(got[:], wantOrder[:], slices.Equal) {
			t.Errorf("%s: %q, want %q", name, got, wantOrder)
		}
		if got, want := export(t, b), nq.String(); got != want {
			t.Errorf("%s: another graph:\n%s", name, diffLines(got, want))
		}
	}
}

// TestCSVPositions: the position column orders an event's speakers,
// themes and questions, whatever the order of the rows.
func TestCSVPositions(t *testing.T) {
	s := openStore(t)
	mustLoad(t, s, memFiles(
		"sources.csv", "id,title,authors\nordered,Ordered lists,zoe-zed|amy-able\n",
		"people.csv", "name\nAmy Able\nMo Mid\nZoe Zed\n",
		"themes.csv", "name\nApples\nMangoes\nZebras\n",
		"events.csv", "name,classification\nTalk,webinar\n",
		"speakers.csv", "person_id,event_id,position\namy-able,talk,3\nmo-mid,talk,2\nzoe-zed,talk,1\n",
		"event_themes.csv", "event_id,theme_id,position\ntalk,apples,2\ntalk,mangoes,\ntalk,zebras,1\n",
		"event_questions.csv", "event_id,question,position\ntalk,And then?,3\ntalk,How so?,2\ntalk,Why now?,1\n",
	)...)
	if got := listsOf(t, s); !slices.EqualFunc(got[:], wantOrder[:], slices.Equal) {
		t.Errorf("%q, want %q", got, wantOrder)
	}
	_, err := Load(context.Background(), openStore(t), memFiles(
		"events.csv", "name,classification\nTalk,webinar\n",
		"event_questions.csv", "event_id,question,position\ntalk,Why?,first\n",
	)...)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`event_questions.csv:2:`)) || !bytes.Contains([]byte(err.Error()), []byte(`position: "first" is not a position`)) {
		t.Errorf("a bad position: %v", err)
	}
}

// An unknown id gets the ids it may have meant, from the files and the
// store.
func TestUnknownIDSuggestions(t *testing.T) {
	s := openStore(t)
	paths, _ := filepath.Glob("../data/seed/*.yaml")
	mustLoad(t, s, Paths(paths...)...)
	_, err := Load(context.Background(), s, memFiles("typo.yaml", `source: {id: typo, title: Typo}
events:
  - name: Meeting
    kind: meeting
    participants: [workers-defence-project, new-orgg, nobody-at-all]
organizations:
  - name: New Org
`)...)
	for _, want := range []string{
		`typo.yaml:5:20: events[0].participants[0]: unknown id "workers-defence-project": not defined in the files loaded nor in the store; did you mean "workers-defense-project"?`,
		`typo.yaml:5:45: events[0].participants[1]: unknown id "new-orgg": not defined in the files loaded nor in the store; did you mean "new-org"?`,
		`unknown id "nobody-at-all": not defined in the files loaded nor in the store` + "\n",
	} {
		if err == nil || !strings.Contains(err.Error()+"\n", want) {
			t.Errorf("want %q in\n%v", want, err)
		}
	}
}
