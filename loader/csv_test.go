package loader

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// csvExample is the worked example of the README (data/templates/example).
const csvExampleDir = "../data/templates/example"

func TestCSVExampleLoads(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	mustLoad(t, s, Paths("../data/seed/wes-immigrantsthrive-2020.yaml")...)
	rep := loadOpt(t, s, Options{}, Paths(csvExampleDir)...)
	if len(rep.Added) != 1 || rep.Added[0] != "my-partner-list-2025" {
		t.Errorf("report %+v", rep)
	}
	org, err := s.Organization(ctx, "example-refugee-services")
	if err != nil || org == nil || org.Name != "Example Refugee Services" || len(org.Kinds) != 1 || org.Kinds[0] != "service provider" {
		t.Fatalf("organization = %+v, %v", org, err)
	}
	ev, _ := s.Event(ctx, "spring-convening")
	if ev == nil || ev.StartDate == nil || *ev.StartDate != "2025-04-10" || len(ev.Questions) != 1 {
		t.Errorf("event = %+v", ev)
	}
	parts, _ := s.EventParticipations(ctx, "spring-convening")
	if len(parts) != 2 {
		t.Errorf("participations = %+v", parts)
	}
	affs, _ := s.PersonAffiliations(ctx, "maria-example")
	if len(affs) != 1 || affs[0].Title == nil || *affs[0].Title != "Executive Director" {
		t.Errorf("affiliations = %+v", affs)
	}
}

// TestCSVTemplates checks that data/templates holds one header-only sheet per
// sheet the loader reads, with its columns in order.
func TestCSVTemplates(t *testing.T) {
	for _, s := range csvSheets {
		data, err := os.ReadFile(filepath.Join("../data/templates", s.name+".csv"))
		if err != nil {
			t.Error(err)
			continue
		}
		if got, want := string(data), strings.Join(s.columns, ",")+"\n"; got != want {
			t.Errorf("%s.csv = %q, want %q", s.name, got, want)
		}
	}
	entries, _ := os.ReadDir("../data/templates")
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".csv") {
			if _, ok := sheetByName(sheetName(e.Name())); !ok {
				t.Errorf("template %s is no sheet", e.Name())
			}
		}
	}
}

func TestCSVErrors(t *testing.T) {
	const src = "sources.csv"
	const srcOK = "id,title\nmine,My list\n"
	tests := []struct {
		name  string
		files []string // name, content
		opt   Options
		want  string
	}{
		{"unknown column", []string{src, srcOK, "organizations.csv", "id,name,colour\nacme,Acme,red\n"}, Options{},
			"organizations.csv:1:9: colour: unknown column (known: id, name, other_names, classification, description)"},
		{"missing required column", []string{src, srcOK, "participations.csv", "event_id,organization_id\ne,o\n"}, Options{},
			"participations.csv:1: role: required column is missing"},
		{"column twice", []string{src, srcOK, "themes.csv", "name,Name\nA,B\n"}, Options{},
			"themes.csv:1:6: name: column given twice (first in column 1)"},
		{"empty required cell and bad date", []string{src, srcOK, "events.csv", "name,classification,start_date\nMeet,,2025-02-30\n,webinar,2025-1-2\n"}, Options{}, strings.Join([]string{
			"events.csv:2:6: classification: must not be empty",
			`events.csv:2:7: start_date: malformed date "2025-02-30": no such day`,
			"events.csv:3:1: name: must not be empty",
			`events.csv:3:10: start_date: malformed date "2025-1-2": want YYYY-MM-DD`}, "\n")},
		{"dangling reference and wrong type", []string{src, srcOK, "organizations.csv", "name\nAcme\n", "memberships.csv", "person_id,organization_id,role\nacme,nobody,Director\n"}, Options{}, strings.Join([]string{
			`memberships.csv:2:1: person_id: "acme" is an organization (defined at organizations.csv:2), not a person`,
			`memberships.csv:2:6: organization_id: unknown id "nobody": not defined in the files loaded nor in the store`}, "\n")},
		{"person affiliated to an unknown organization", []string{src, srcOK, "people.csv", "name\nAna\n", "memberships.csv", "person_id,organization_id\nana,ghost-org\n"}, Options{},
			`memberships.csv:2:5: organization_id: unknown id "ghost-org": not defined in the files loaded nor in the store`},
		{"duplicate id across sheets", []string{src, srcOK, "organizations.csv", "name\nAcme\n", "themes.csv", "id,name\nacme,Acme theme\n"}, Options{},
			"themes.csv:2:1: id: id \"acme\" already defined at organizations.csv:2"},
		{"unknown policy level and role", []string{src, srcOK, "theme_policy_levels.csv", "theme_id,policy_level_id\nt,county\n", "participations.csv", "event_id,organization_id,role\ne,o,SPONSOR\n"}, Options{}, strings.Join([]string{
			`theme_policy_levels.csv:2:1: theme_id: unknown id "t": not defined in the files loaded nor in the store`,
			`theme_policy_levels.csv:2:3: policy_level_id: unknown policy level "county" (known: federal, state, local)`,
			`participations.csv:2:5: role: unknown role "SPONSOR" (known: HOST, PARTICIPANT, PRESENTER)`}, "\n")},
		{"repeated row", []string{src, srcOK, "organizations.csv", "name\nAcme\n", "organization_places.csv", "organization_id,place_id\nacme,texas\nacme,texas\n", "places.csv", "name\nTexas\n"}, Options{},
			"organization_places.csv:3: row repeats line 2"},
		{"wrong number of fields and a quote", []string{src, srcOK, "organizations.csv", "name,description\nAcme\n\"Bad \"quote\",x\n"}, Options{}, strings.Join([]string{
			"organizations.csv:2: row has 1 fields, the header has 2",
			`organizations.csv:3:6: CSV syntax error: extraneous or missing " in quoted-field`}, "\n")},
		{"invalid UTF-8 (Latin-1 export)", []string{src, srcOK, "people.csv", "name\nCristina Tzintz\xfan\n"}, Options{},
			"people.csv:2:16: invalid UTF-8 (byte 0xfa)"},
		{"line too long", []string{src, srcOK, "people.csv", "name,description\nAna," + strings.Repeat("x", MaxLineLength) + "\n"}, Options{},
			"people.csv:2:65537: line is longer than 64 KiB"},
		{"unknown sheet", []string{src, srcOK, "partners.csv", "name\nA\n"}, Options{},
			`partners.csv: unknown sheet "partners" (known: sources.csv, organizations.csv, people.csv, events.csv, themes.csv, policy_levels.csv, places.csv, participations.csv, memberships.csv, speakers.csv, organization_themes.csv, event_themes.csv, theme_policy_levels.csv, organization_policy_levels.csv, organization_places.csv, event_places.csv, theme_broader.csv, event_questions.csv, figures.csv)`},
		{"no source", []string{"organizations.csv", "name\nAcme\n"}, Options{},
			"organizations.csv: no source: add a sources.csv sheet or give --source ID"},
		{"two sources", []string{src, srcOK + "other,Other\n"}, Options{},
			"sources.csv:3: sources.csv holds one source (given at line 2): put another source in a directory of its own"},
		{"sources.csv and another --source", []string{src, srcOK}, Options{Source: "theirs"},
			`sources.csv: id: the sheet's source is "mine", not "theirs" (--source names the source of sheets that have none)`},
		{"questions of an event of another source", []string{src, srcOK, "event_questions.csv", "event_id,question\nimmigrantsthrive,Why?\n"}, Options{},
			`event_questions.csv:2:1: event_id: event "immigrantsthrive" is not in this source's events.csv: questions belong to an event of their source`},
		{"empty sheet", []string{src, srcOK, "people.csv", ""}, Options{},
			"people.csv: sheet is empty: it needs a header row (id,name,other_names,description)"},
		{"a bad data file beside good sheets: nothing loads", []string{src, srcOK, "organizations.csv", "name\nAcme\n", "bad.yaml", "source: {id: b, title: B}\nthemes: [{name: T, colour: red}]\n"}, Options{},
			"bad.yaml:2:20: themes[0].colour: unknown field (known: name, id, aliases, description, policyLevels, broader)"},
		{"theme broader than itself", []string{src, srcOK, "themes.csv", "name\nT\n", "theme_broader.csv", "theme_id,broader_theme_id\nt,t\n"}, Options{},
			"theme_broader.csv:2:3: broader_theme_id: a theme cannot be broader than itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			_, err := LoadWith(context.Background(), s, tt.opt, memFiles(tt.files...)...)
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if got := export(t, s); got != "" {
				t.Errorf("the store holds:\n%s", got)
			}
		})
	}
}

func TestCSVAccepts(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		opt   Options
		check func(t *testing.T, s graph.Store)
	}{
		{"BOM, CRLF, hyphenated sheet name, upper-case header, --source", []string{
			"Organizations.csv", "\uFEFFName,Other_Names\r\nCasa Latina,Casa|CL\r\n,\r\n",
			"organization-policy-levels.csv", "organization_id,policy_level_id\r\ncasa-latina,local\r\n",
			"policy_levels.csv", "name\nLocal\n",
		}, Options{Source: "sheet"}, func(t *testing.T, s graph.Store) {
			org, _ := s.Organization(context.Background(), "casa-latina")
			if org == nil || len(org.Aliases) != 2 || len(org.Sources) != 1 || org.Sources[0].ID != "sheet" || org.Sources[0].Title != "sheet" {
				t.Errorf("organization %+v", org)
			}
			levels, _ := s.OrganizationPolicyLevels(context.Background(), "casa-latina")
			if len(levels) != 1 || levels[0].ID != "local" {
				t.Errorf("policy levels %+v", levels)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			loadOpt(t, s, tt.opt, memFiles(tt.files...)...)
			tt.check(t, s)
		})
	}
}

// TestCSVRoundTrip exports the seed as CSV, loads it into a fresh store and
// exports again: the same files and the same quads.
func TestCSVRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("../data/seed/*.yaml")
	for name, files := range map[string][]File{
		"seed":      Paths(paths...),
		"good":      Paths(goodFiles...),
		"example":   append(Paths("../data/seed/wes-immigrantsthrive-2020.yaml"), Paths(csvExampleDir)...),
		"generated": {generated(t, 40)},
	} {
		t.Run(name, func(t *testing.T) {
			a := openStore(t)
			mustLoad(t, a, files...)
			csvRoundTrip(t, a)
		})
	}
}

// csvRoundTrip exports a as CSV, loads the sheets into a new store and
// exports again: the same quads and the same files. It returns the sheets.
func csvRoundTrip(t *testing.T, a interface {
	graph.Store
	Batcher
}) string {
	t.Helper()
	ctx := context.Background()
	dir1, dir2 := t.TempDir(), t.TempDir()
	if err := ExportCSV(ctx, a, dir1); err != nil {
		t.Fatal(err)
	}
	b := openStore(t)
	mustLoad(t, b, Paths(dir1)...)
	if got, want := export(t, b), export(t, a); got != want {
		t.Fatalf("quads differ after the CSV round trip:\n%s", diffLines(got, want))
	}
	if err := ExportCSV(ctx, b, dir2); err != nil {
		t.Fatal(err)
	}
	sheets := readTree(t, dir1)
	if got := readTree(t, dir2); got != sheets {
		t.Errorf("CSV differs after the round trip:\n%s", diffLines(got, sheets))
	}
	return sheets
}

func TestExportCSVForeignData(t *testing.T) {
	s := openStore(t)
	loadOpt(t, s, Options{Source: "films"}, memFiles("f.nq", "<http://example.org/film> <http://example.org/title> \"Film\" .\n")...)
	err := ExportCSV(context.Background(), s, t.TempDir())
	want := `batches: 1 quads are not facts of ThriveGraph's sources that CSV can hold, such as <http://example.org/film> <http://example.org/title> "Film" <https://thrivegraph.org/source/films> .; export them as nquads or jsonld`
	if err == nil || err.Error() != want || graph.ErrorCode(err) != graph.CodeInvalid {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

// readTree returns every file under dir, with its path, as one text.
func readTree(t *testing.T, dir string) string {
	t.Helper()
	var b bytes.Buffer
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		b.WriteString("== " + rel + "\n")
		b.Write(data)
		return err
	})
	return b.String()
}

// generated returns a synthetic data file of n organizations with events,
// people, themes, places, figures and every relation, the same for the same n.
func generated(t testing.TB, n int) File {
	t.Helper()
	var b strings.Builder
	b.WriteString("source: {id: generated, title: A generated graph, published: 2024-01-31, authors: [person-0]}\n")
	b.WriteString("organizations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: Organization %d, aliases: [Org%d], kinds: [kind-%d], places: [place-%d], themes: [theme-%d], policyLevels: [%s]}\n",
			i, i, i%3, i%5, i%7, graph.PolicyLevelIDs[i%3])
	}
	b.WriteString("people:\n")
	for i := range n / 2 {
		fmt.Fprintf(&b, "  - {name: Person %d, affiliations: [{organization: organization-%d, title: Title %d}, {organization: organization-%d}]}\n", i, i, i, (i+1)%n)
	}
	b.WriteString("events:\n")
	for i := range n / 4 {
		parent := ""
		if i > 0 {
			parent = "partOf: event-0, "
		}
		fmt.Fprintf(&b, "  - {name: Event %d, kind: webinar, startDate: 2020-01-%02d, %shosts: [organization-%d], participants: [organization-%d, organization-%d], presenters: [organization-%d], speakers: [person-%d], themes: [theme-%d], places: [place-%d], questions: [\"Why %d?\"]}\n",
			i, i%28+1, parent, i, (i+1)%n, (i+2)%n, (i+3)%n, i%(n/2), i%7, i%5, i)
	}
	b.WriteString("themes:\n")
	for i := range 7 {
		fmt.Fprintf(&b, "  - {name: Theme %d, description: About %d., policyLevels: [%s]}\n", i, i, graph.PolicyLevelIDs[i%3])
	}
	b.WriteString("policyLevels:\n  - name: Federal\n  - name: State\n  - name: Local\nplaces:\n")
	for i := range 5 {
		fmt.Fprintf(&b, "  - name: Place %d\n", i)
	}
	b.WriteString("figures:\n  - {id: share, value: \"83%\", statement: A share., about: [organization-0, event-0]}\n")
	return memFiles("generated.yaml", b.String())[0]
}

// TestLinkedDataRoundTrip exports the seed and a generated graph as N-Quads
// and JSON-LD, loads each export into a fresh store and exports again: the
// same bytes.
func TestLinkedDataRoundTrip(t *testing.T) {
	ctx := context.Background()
	paths, _ := filepath.Glob("../data/seed/*.yaml")
	type exporter interface {
		Export(context.Context, io.Writer) error
		Log() graph.Log
	}
	formats := map[string]func(s exporter, w io.Writer) error{
		"nq":     func(s exporter, w io.Writer) error { return s.Export(ctx, w) },
		"jsonld": func(s exporter, w io.Writer) error { return ExportJSONLD(ctx, s.Log(), w) },
	}
	for name, files := range map[string][]File{"seed": Paths(paths...), "generated": {generated(t, 60)}} {
		for ext, write := range formats {
			t.Run(name+"."+ext, func(t *testing.T) {
				a := openStore(t)
				mustLoad(t, a, files...)
				var first, second bytes.Buffer
				if err := write(a, &first); err != nil {
					t.Fatal(err)
				}
				b := openStore(t)
				mustLoad(t, b, memFiles("export."+ext, first.String())...)
				if err := write(b, &second); err != nil {
					t.Fatal(err)
				}
				if first.String() != second.String() {
					t.Errorf("export differs after the round trip (%d vs %d bytes)", second.Len(), first.Len())
				}
				if got, want := export(t, b), export(t, a); got != want {
					t.Errorf("the graph differs:\n%s", diffLines(got, want))
				}
			})
		}
	}
}
