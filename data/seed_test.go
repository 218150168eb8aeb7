package data

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

const (
	chatFile     = "seed/wes-immigrantsthrive-2020.yaml"
	webinarFile  = "seed/living-cities-webinar-2014.yaml"
	curationFile = "seed/thrivegraph-curation.yaml"

	chatID    = "immigrantsthrive"
	webinarID = "promising-approaches-to-integrate-immigrants-into-the-u-s-workforce"
)

// The structs mirror docs/FORMAT.md; decoding with KnownFields rejects any
// key the format does not list.
type seedFile struct {
	Source struct {
		ID        string   `yaml:"id"`
		Title     string   `yaml:"title"`
		URL       *string  `yaml:"url"`
		Publisher string   `yaml:"publisher"`
		Published string   `yaml:"published"`
		Document  string   `yaml:"document"`
		Note      string   `yaml:"note"`
		Authors   []string `yaml:"authors"`
	} `yaml:"source"`
	Organizations []struct {
		node         `yaml:",inline"`
		Kinds        []string `yaml:"kinds"`
		Places       []string `yaml:"places"`
		Themes       []string `yaml:"themes"`
		PolicyLevels []string `yaml:"policyLevels"`
	} `yaml:"organizations"`
	People []struct {
		node         `yaml:",inline"`
		Affiliations []struct {
			Organization string `yaml:"organization"`
			Title        string `yaml:"title"`
		} `yaml:"affiliations"`
	} `yaml:"people"`
	Events []event `yaml:"events"`
	Themes []struct {
		node         `yaml:",inline"`
		PolicyLevels []string `yaml:"policyLevels"`
	} `yaml:"themes"`
	PolicyLevels []node `yaml:"policyLevels"`
	Places       []node `yaml:"places"`
	Figures      []struct {
		ID        string   `yaml:"id"`
		Value     string   `yaml:"value"`
		Statement string   `yaml:"statement"`
		About     []string `yaml:"about"`
	} `yaml:"figures"`
}

type node struct {
	Name        string   `yaml:"name"`
	ID          string   `yaml:"id"`
	Aliases     []string `yaml:"aliases"`
	Description string   `yaml:"description"`
}

// id is the node's id: the explicit one, else the slug of its name.
func (n node) id() string {
	if n.ID != "" {
		return n.ID
	}
	return slug(n.Name)
}

type event struct {
	node         `yaml:",inline"`
	Kind         string   `yaml:"kind"`
	StartDate    string   `yaml:"startDate"`
	PartOf       string   `yaml:"partOf"`
	Hosts        []string `yaml:"hosts"`
	Participants []string `yaml:"participants"`
	Presenters   []string `yaml:"presenters"`
	Speakers     []string `yaml:"speakers"`
	Themes       []string `yaml:"themes"`
	Places       []string `yaml:"places"`
	Questions    []string `yaml:"questions"`
}

// slug is the id rule of docs/FORMAT.md, copied here so that the data is
// checked against the rule and not against the code that applies it: lower
// case ASCII, accents folded, every run of other characters turned into one
// "-".
func slug(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, name)
	if err != nil {
		folded = name
	}
	var words []string
	var b strings.Builder
	for _, r := range strings.ToLower(folded) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		words = append(words, b.String())
	}
	return strings.Join(words, "-")
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Cristina Tzintzún", "cristina-tzintzun"},
		{"CASA de Maryland", "casa-de-maryland"},
		{"#ImmigrantsThrive", "immigrantsthrive"},
		{"Beeck Center for Social Impact + Innovation", "beeck-center-for-social-impact-innovation"},
		{"Center for Immigrant Education & Training (CIET) at LaGuardia Community College", "center-for-immigrant-education-training-ciet-at-laguardia-community-college"},
		{"International Institute of St. Louis", "international-institute-of-st-louis"},
		{"  Federal  ", "federal"},
	} {
		if got := slug(tc.name); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// load parses one seed file strictly.
func load(t *testing.T, name string) *seedFile {
	t.Helper()
	raw, err := Seed.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var f seedFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("%s: more than one YAML document (%v)", name, err)
	}
	return &f
}

func TestSeedFiles(t *testing.T) {
	got, err := SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{webinarFile, curationFile, chatFile}
	if !slices.Equal(got, want) {
		t.Fatalf("SeedFiles() = %q, want %q", got, want)
	}
}

func TestSources(t *testing.T) {
	for _, tc := range []struct {
		file, id, title, publisher, published, document string
		authors                                         []string
	}{
		{chatFile, "wes-immigrantsthrive-2020", "Equitable Recovery for Immigrants and Refugees: Key Takeaways from WES’ Twitter Chat",
			"WES Mariam Assefa Fund", "2020-07-02", "000_c542bc40f06b320e.txt", nil},
		{webinarFile, "living-cities-webinar-2014", "Promising approaches to improve employment outcomes for immigrant workers",
			"Living Cities", "", "004_369464f5779a1d36.txt", []string{"juan-sebastian-arias", "brittany-ramos"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := load(t, tc.file).Source
			if s.ID != tc.id || s.Title != tc.title || s.Publisher != tc.publisher ||
				s.Published != tc.published || s.Document != tc.document || !slices.Equal(s.Authors, tc.authors) {
				t.Errorf("source = %+v", s)
			}
			if s.URL != nil {
				t.Errorf("url = %q, but the url is unknown", *s.URL)
			}
			if s.Note == "" {
				t.Error("source has no note")
			}
		})
	}
}

// findEvent returns the event with the given id.
func findEvent(t *testing.T, f *seedFile, id string) event {
	t.Helper()
	for _, e := range f.Events {
		if e.id() == id {
			return e
		}
	}
	t.Fatalf("no event %q", id)
	return event{}
}

// names maps organization ids of f to their names.
func orgNames(f *seedFile) map[string]string {
	m := map[string]string{}
	for _, o := range f.Organizations {
		m[o.id()] = o.Name
	}
	return m
}

func TestChat(t *testing.T) {
	f := load(t, chatFile)
	e := findEvent(t, f, chatID)
	if e.Name != "#ImmigrantsThrive" || e.Kind != "twitter chat" || e.StartDate != "2020-06-23" || e.Description == "" {
		t.Errorf("chat = %q, kind %q, date %q", e.Name, e.Kind, e.StartDate)
	}
	names := orgNames(f)
	var hosts []string
	for _, id := range e.Hosts {
		hosts = append(hosts, names[id])
	}
	if want := []string{"WES Mariam Assefa Fund", "WES Global Talent Bridge Program"}; !slices.Equal(hosts, want) {
		t.Errorf("hosts = %q, want %q", hosts, want)
	}
	// The list under "Participating organizations", as the document writes it.
	want := []string{
		"Beeck Center for Social Impact + Innovation",
		"Building Skills Partnership",
		"Community College Consortium of Immigrant Education",
		"Center for Immigrant Education & Training (CIET) at LaGuardia Community College",
		"Church World Service",
		"Coalition on Adult Basic Education",
		"Federal Bank of Philadelphia",
		"Global Cleveland",
		"Global Switchboard",
		"International Institute of Buffalo",
		"International Institute of St. Louis",
		"Interfaith Immigration Coalition",
		"Immigrant Learning Center",
		"IMPRINT Coalition",
		"International Rescue Committee",
		"JVS Boston",
		"Mission Driven Finance",
		"Mission Investors Exchange",
		"Massachusetts Immigrant and Refugee Advocacy Coalition",
		"National Committee on Responsive Philanthropy",
		"National Immigration Forum",
		"New American Economy",
		"National Partnership for New Americans",
		"Portland Office of Economic Opportunity",
		"Refugees International",
		"Refugee Congress",
		"Refugee Council USA",
		"Refugee Investment Network",
		"Riverside Language",
		"San Diego Grantmakers",
		"San Diego Workforce Partnership",
		"Tent Partnership",
		"Upwardly Global",
		"Welcoming America",
		"Welcoming Center for New Pennsylvanians",
		"Workers Defense Project",
		"Workforce Matters Funders Group",
		"World Education",
	}
	if len(want) != 38 {
		t.Fatalf("test table lists %d organizations, want 38", len(want))
	}
	var got []string
	for _, id := range e.Participants {
		got = append(got, names[id])
	}
	if !slices.Equal(got, want) {
		t.Errorf("participants (%d) = %q\nwant (%d) %q", len(got), got, len(want), want)
	}
	if n := len(f.Organizations); n != 40 {
		t.Errorf("chat file defines %d organizations, want 40 (2 hosts + 38 participants)", n)
	}
	if len(e.Presenters) != 0 || len(e.Speakers) != 0 {
		t.Errorf("the chat names no presenters or speakers: %q %q", e.Presenters, e.Speakers)
	}
}

func TestTakeaways(t *testing.T) {
	f := load(t, chatFile)
	chat := findEvent(t, f, chatID)
	// Each takeaway: a phrase its description must contain (from the
	// document) and the policy levels the document ties it to.
	for _, tc := range []struct {
		n      int
		phrase string
		levels []string
	}{
		{1, "ensure the safety and health of immigrant and refugeworkers in low-wage jobs as economies reopen", nil},
		{2, "make sure immigrant and refugee workers are included as decision-makers.", nil},
		{3, "More equitable policy solutions are necessary at federal, state, and local levels.", []string{"federal", "state", "local"}},
		{4, "to build inclusive state and local economies for immigrants and refugees.", []string{"state", "local"}},
		{5, "Philanthropic funders can play a role in filling gaps in federal support", nil}, // inferred: curation
		{6, "for employers to shift practices to be inclusive of immigrant talent.", nil},
		{7, "divides in digital literacy, access, equipment, and infrastructure must be addressed", nil},
		{8, "Cross-sector partnerships and collaborative efforts can help fund and implement", nil},
		{9, "there are challenges that are unique to refugee workers.", nil},
		{10, "recovery will vary across different cities, states, and sectors.", nil}, // inferred: curation
	} {
		found := 0
		for _, th := range f.Themes {
			if !strings.Contains(th.Description, tc.phrase) {
				continue
			}
			found++
			if !slices.Contains(chat.Themes, th.id()) {
				t.Errorf("takeaway %d (%s) is not a theme of the chat", tc.n, th.id())
			}
			if !sameSet(th.PolicyLevels, tc.levels) {
				t.Errorf("takeaway %d policy levels = %q, want %q", tc.n, th.PolicyLevels, tc.levels)
			}
		}
		if found != 1 {
			t.Errorf("takeaway %d: %d themes contain %q, want 1", tc.n, found, tc.phrase)
		}
	}
	// Ids other data and examples rely on.
	for _, id := range []string{"digital-inclusion", "cross-sector-partnerships"} {
		if !slices.Contains(chat.Themes, id) {
			t.Errorf("chat has no theme %q", id)
		}
	}
}

func TestWebinar(t *testing.T) {
	f := load(t, webinarFile)
	e := findEvent(t, f, webinarID)
	if e.Kind != "webinar" || e.StartDate != "2014-09-16" || e.PartOf != "national-welcoming-week" {
		t.Errorf("webinar kind %q, date %q, partOf %q", e.Kind, e.StartDate, e.PartOf)
	}
	if !slices.Equal(e.Hosts, []string{"living-cities"}) {
		t.Errorf("hosts = %q, want [living-cities]", e.Hosts)
	}
	week := findEvent(t, f, "national-welcoming-week")
	if week.Name != "National Welcoming Week" || week.Kind != "week" || week.StartDate != "" {
		t.Errorf("week = %+v", week)
	}
	if !sameSet(e.Places, []string{"maryland", "texas", "washington"}) {
		t.Errorf("places = %q", e.Places)
	}
	wantQ := []string{
		"What challenges do immigrants face in preparing for and accessing quality jobs?",
		"What are some promising policies and practices that help integrate immigrants into the US workforce?",
		"What roles can the public sector play in moving this work forward?",
		"How can efforts better engage businesses to directly connect immigrant job-seekers to available jobs?",
	}
	if !slices.Equal(e.Questions, wantQ) {
		t.Errorf("questions = %q\nwant %q", e.Questions, wantQ)
	}
	for _, id := range []string{"cross-sector-partnerships", "integrating-immigrants-into-the-workforce"} {
		if !slices.Contains(e.Themes, id) {
			t.Errorf("webinar has no theme %q", id)
		}
	}
}

func TestPresenters(t *testing.T) {
	f := load(t, webinarFile)
	e := findEvent(t, f, webinarID)
	orgs := orgNames(f)
	for _, tc := range []struct{ person, title, org string }{
		{"Flavia Jimenez", "Senior Fellow", "National Skills Coalition"},
		{"Gustavo Torres", "Executive Director", "CASA de Maryland"},
		{"Cristina Tzintzún", "Executive Director", "Workers Defense Project"},
		{"Helen Stern", "Executive Director", "Casa Latina"},
	} {
		t.Run(tc.person, func(t *testing.T) {
			pid := slug(tc.person)
			if !slices.Contains(e.Speakers, pid) {
				t.Errorf("%s is not a speaker of the webinar", pid)
			}
			if !slices.Contains(e.Presenters, slug(tc.org)) {
				t.Errorf("%s is not a presenter of the webinar", slug(tc.org))
			}
			for _, p := range f.People {
				if p.Name != tc.person {
					continue
				}
				if len(p.Affiliations) != 1 || orgs[p.Affiliations[0].Organization] != tc.org || p.Affiliations[0].Title != tc.title {
					t.Errorf("affiliations = %+v, want %s at %s", p.Affiliations, tc.title, tc.org)
				}
				return
			}
			t.Errorf("no person %q", tc.person)
		})
	}
	if len(e.Speakers) != 4 || len(e.Presenters) != 4 {
		t.Errorf("speakers %q, presenters %q: want 4 each", e.Speakers, e.Presenters)
	}
}

func TestAuthors(t *testing.T) {
	f := load(t, webinarFile)
	for _, name := range []string{"Juan Sebastian Arias", "Brittany Ramos"} {
		found := false
		for _, p := range f.People {
			if p.Name == name {
				found = true
				if len(p.Affiliations) != 0 {
					t.Errorf("%s has affiliations %+v; the text gives none", name, p.Affiliations)
				}
			}
		}
		if !found {
			t.Errorf("author %q is not a person", name)
		}
		if !slices.Contains(f.Source.Authors, slug(name)) {
			t.Errorf("author %q is not in source.authors", name)
		}
	}
}

func TestFigures(t *testing.T) {
	for _, tc := range []struct {
		file, value string
		phrases     []string
		about       []string
	}{
		{webinarFile, "83%", []string{"Immigrants will account for 83% of US workforce growth between 2000 and 2050."},
			[]string{webinarID, "integrating-immigrants-into-the-workforce"}},
		{chatFile, "three million", []string{"Three million refugees", "U.S. Refugee Resettlement Program 40 years ago"},
			[]string{chatID, "challenges-unique-to-refugee-workers"}},
	} {
		t.Run(tc.value, func(t *testing.T) {
			f := load(t, tc.file)
			for _, fig := range f.Figures {
				if fig.Value != tc.value {
					continue
				}
				for _, p := range tc.phrases {
					if !strings.Contains(fig.Statement, p) {
						t.Errorf("statement %q lacks %q", fig.Statement, p)
					}
				}
				for _, a := range tc.about {
					if !slices.Contains(fig.About, a) {
						t.Errorf("figure is not about %q (about %q)", a, fig.About)
					}
				}
				return
			}
			t.Errorf("no figure with value %q", tc.value)
		})
	}
}

// defined is a node as defined in one file.
type defined struct {
	typ, name, file string
}

// allNodes returns every node definition of f by type, checking that names
// have no surrounding space and that ids are slugs of names.
func allNodes(t *testing.T, file string, f *seedFile) map[string][]defined {
	byType := map[string][]node{}
	for _, o := range f.Organizations {
		byType["organization"] = append(byType["organization"], o.node)
	}
	for _, p := range f.People {
		byType["person"] = append(byType["person"], p.node)
	}
	for _, e := range f.Events {
		byType["event"] = append(byType["event"], e.node)
	}
	for _, th := range f.Themes {
		byType["theme"] = append(byType["theme"], th.node)
	}
	byType["policyLevel"] = f.PolicyLevels
	byType["place"] = f.Places
	ids := map[string][]defined{}
	for typ, nodes := range byType {
		for _, n := range nodes {
			if n.Name == "" || n.Name != strings.TrimSpace(n.Name) {
				t.Errorf("%s: %s name %q is empty or has surrounding space", file, typ, n.Name)
			}
			if n.id() != slug(n.Name) {
				t.Errorf("%s: %s %q has id %q, want %q", file, typ, n.Name, n.id(), slug(n.Name))
			}
			ids[n.id()] = append(ids[n.id()], defined{typ, n.Name, file})
		}
	}
	for _, fig := range f.Figures {
		if fig.ID == "" || fig.ID != slug(fig.ID) {
			t.Errorf("%s: figure id %q is not a slug", file, fig.ID)
		}
	}
	return ids
}

func TestIDs(t *testing.T) {
	all := map[string][]defined{}
	for _, file := range []string{chatFile, webinarFile} {
		f := load(t, file)
		for id, defs := range allNodes(t, file, f) {
			if len(defs) > 1 {
				t.Errorf("%s: id %q defined %d times: %+v", file, id, len(defs), defs)
			}
			all[id] = append(all[id], defs...)
		}
		for _, pl := range f.PolicyLevels {
			if !slices.Contains([]string{"federal", "state", "local"}, pl.id()) {
				t.Errorf("%s: unknown policy level %q", file, pl.id())
			}
		}
	}
	// Across files one id may name one node only: a node defined in both
	// files (Workers Defense Project, ...) has one type and one name.
	for id, defs := range all {
		for _, d := range defs[1:] {
			if d.typ != defs[0].typ || d.name != defs[0].name {
				t.Errorf("id %q names different nodes: %+v", id, defs)
			}
		}
	}
	for _, id := range []string{"workers-defense-project", "cross-sector-partnerships", "united-states"} {
		if len(all[id]) != 2 {
			t.Errorf("%q should be defined in both files, found %+v", id, all[id])
		}
	}
}

func TestReferences(t *testing.T) {
	types := map[string]string{}
	files := map[string]*seedFile{}
	for _, file := range []string{chatFile, webinarFile} {
		f := load(t, file)
		files[file] = f
		for id, defs := range allNodes(t, file, f) {
			types[id] = defs[0].typ
		}
	}
	for file, f := range files {
		check := func(field, typ string, ids ...string) {
			t.Helper()
			for _, id := range ids {
				if got, ok := types[id]; !ok {
					t.Errorf("%s: %s: %q is not defined", file, field, id)
				} else if typ != "" && got != typ {
					t.Errorf("%s: %s: %q is a %s, want a %s", file, field, id, got, typ)
				}
			}
		}
		check("source.authors", "person", f.Source.Authors...)
		for _, o := range f.Organizations {
			check("organizations.places", "place", o.Places...)
			check("organizations.themes", "theme", o.Themes...)
			check("organizations.policyLevels", "policyLevel", o.PolicyLevels...)
		}
		for _, p := range f.People {
			for _, a := range p.Affiliations {
				check("people.affiliations.organization", "organization", a.Organization)
			}
		}
		for _, e := range f.Events {
			if e.PartOf != "" {
				check("events.partOf", "event", e.PartOf)
			}
			check("events.hosts", "organization", e.Hosts...)
			check("events.participants", "organization", e.Participants...)
			check("events.presenters", "organization", e.Presenters...)
			check("events.speakers", "person", e.Speakers...)
			check("events.themes", "theme", e.Themes...)
			check("events.places", "place", e.Places...)
			for _, list := range [][]string{e.Hosts, e.Participants, e.Presenters, e.Speakers, e.Themes, e.Places} {
				if dup := duplicate(list); dup != "" {
					t.Errorf("%s: event %q lists %q twice", file, e.id(), dup)
				}
			}
		}
		for _, th := range f.Themes {
			check("themes.policyLevels", "policyLevel", th.PolicyLevels...)
		}
		for _, fig := range f.Figures {
			if len(fig.About) == 0 || fig.Value == "" || fig.Statement == "" {
				t.Errorf("%s: figure %q is incomplete", file, fig.ID)
			}
			check("figures.about", "", fig.About...)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func duplicate(list []string) string {
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s] {
			return s
		}
		seen[s] = true
	}
	return ""
}

// statedAliases are the aliases the documents write themselves, by file:
// any other alias is an editorial addition and belongs to the curation
// file.
var statedAliases = map[string][]string{
	chatFile:    {"CIET", "U.S."},             // "(CIET)" in the center's name; "the U.S."
	webinarFile: {"U.S.", "US", "Skills gap"}, // "the U.S.", "US workforce growth", "a growing skills gap"
}

// TestDocumentsStateEveryFact checks that the files of the two documents
// hold only what the documents state: no alias they do not write, no kind
// or place of an organization (the documents state none), no policy level
// of a theme beyond the takeaways that name levels.
func TestDocumentsStateEveryFact(t *testing.T) {
	statedLevels := map[string][]string{"equitable-policy-solutions": {"federal", "state", "local"}, "inclusive-state-and-local-economies": {"state", "local"}}
	for _, file := range []string{chatFile, webinarFile} {
		f := load(t, file)
		check := func(what string, n node) {
			for _, a := range n.Aliases {
				if !slices.Contains(statedAliases[file], a) {
					t.Errorf("%s: %s %q has the alias %q, which the document does not write", file, what, n.id(), a)
				}
			}
		}
		for _, o := range f.Organizations {
			check("organization", o.node)
			if len(o.Kinds) > 0 || len(o.Places) > 0 || len(o.PolicyLevels) > 0 {
				t.Errorf("%s: organization %q has kinds %q, places %q, levels %q: the document states none", file, o.id(), o.Kinds, o.Places, o.PolicyLevels)
			}
		}
		for _, e := range f.Events {
			check("event", e.node)
		}
		for _, p := range f.Places {
			check("place", p)
		}
		for _, th := range f.Themes {
			check("theme", th.node)
			if !sameSet(th.PolicyLevels, statedLevels[th.id()]) {
				t.Errorf("%s: theme %q has levels %q, the document states %q", file, th.id(), th.PolicyLevels, statedLevels[th.id()])
			}
		}
		for _, p := range f.People {
			check("person", p.node)
		}
	}
}

// TestCuration checks the source of the editorial additions: it says what
// it is, adds only aliases, kinds, places and policy levels to nodes the
// documents define (with the documents' names), and defines only places.
func TestCuration(t *testing.T) {
	f := load(t, curationFile)
	if f.Source.ID != "thrivegraph-curation" || f.Source.Document != "" || !strings.Contains(f.Source.Note, "Not a document") ||
		!strings.Contains(f.Source.Note, "remove --source thrivegraph-curation") {
		t.Errorf("source = %+v", f.Source)
	}
	docs := map[string]string{} // id → name in the documents
	for _, file := range []string{chatFile, webinarFile} {
		for id, defs := range allNodes(t, file, load(t, file)) {
			docs[id] = defs[0].name
		}
	}
	for id, defs := range allNodes(t, curationFile, f) {
		if name, ok := docs[id]; ok {
			if defs[0].name != name {
				t.Errorf("curation names %q %q, the documents %q", id, defs[0].name, name)
			}
		} else if defs[0].typ != "place" {
			t.Errorf("curation defines the %s %q, which no document names", defs[0].typ, id)
		}
	}
	for _, o := range f.Organizations {
		if o.Description != "" || len(o.Themes) > 0 {
			t.Errorf("curation states more than aliases, kinds and places of %q", o.id())
		}
	}
	levels := map[string][]string{}
	for _, th := range f.Themes {
		levels[th.id()] = th.PolicyLevels
	}
	want := map[string][]string{"role-of-philanthropic-funders": {"federal"}, "diverse-voices-varied-recovery": {"local", "state"}}
	for id, l := range want {
		if !sameSet(levels[id], l) {
			t.Errorf("curation: theme %q levels %q, want %q", id, levels[id], l)
		}
	}
	// The aliases that changed search results belong here.
	var aliases []string
	for _, o := range f.Organizations {
		aliases = append(aliases, o.Aliases...)
	}
	for _, a := range []string{"Tent Partnership for Refugees", "World Education Services Mariam Assefa Fund", "Federal Reserve Bank of Philadelphia"} {
		if !slices.Contains(aliases, a) {
			t.Errorf("curation lacks the alias %q", a)
		}
	}
}
