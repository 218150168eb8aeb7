package loader

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
)

var goodFiles = []string{"testdata/good/chat.yaml", "testdata/good/webinar.yaml"}

func openStore(t *testing.T) *live.Graph {
	t.Helper()
	s, err := graphtest.OpenGraph(context.Background(), graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func export(t *testing.T, s graph.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Export(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustLoad(t *testing.T, s graph.Store, files ...File) graph.LoadResult {
	t.Helper()
	res, err := Load(context.Background(), s, files...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

// memFiles returns in-memory data files, name and content alternating.
func memFiles(nameContent ...string) []File {
	fsys := fstest.MapFS{}
	var names []string
	for i := 0; i+1 < len(nameContent); i += 2 {
		fsys[nameContent[i]] = &fstest.MapFile{Data: []byte(nameContent[i+1])}
		names = append(names, nameContent[i])
	}
	return FromFS(fsys, names...)
}

func TestLoadGood(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res := mustLoad(t, s, Paths(goodFiles...)...)
	if res.QuadsAdded == 0 || res.QuadsAdded != res.QuadsTotal {
		t.Errorf("LoadResult = %+v, want every quad added", res)
	}

	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := map[graph.NodeType]int{
		graph.TypeOrganization: 3, graph.TypeEvent: 3, graph.TypePerson: 2,
		graph.TypeTheme: 1, graph.TypePolicyLevel: 2, graph.TypePlace: 2,
	}
	for _, typ := range graph.NodeTypes {
		if c.Nodes[typ] != wantNodes[typ] {
			t.Errorf("Counts.Nodes[%s] = %d, want %d", typ, c.Nodes[typ], wantNodes[typ])
		}
	}
	// 14 + 8 stated links, and one memberOf per affiliation (2 + 1).
	if c.Sources != 2 || c.Links != 25 {
		t.Errorf("Counts = %+v, want 2 sources and 25 links", c)
	}

	casa, err := s.Organization(ctx, "casa-de-maryland")
	if err != nil || casa == nil {
		t.Fatalf("Organization(casa-de-maryland) = %v, %v", casa, err)
	}
	if casa.Name != "CASA de Maryland" || !slices.Equal(casa.Aliases, []string{"CASA"}) ||
		!sameSet(casa.Kinds, []string{"coalition", "service provider"}) {
		t.Errorf("casa-de-maryland = %+v", casa)
	}
	if got := sourceIDs(casa.Sources); !slices.Contains(got, "wes-chat-2020") {
		t.Errorf("casa-de-maryland sources = %v", got)
	}
	lc, err := s.Organization(ctx, "living-cities")
	if err != nil || lc == nil || lc.Name != "Living Cities" {
		t.Errorf("Organization(living-cities) = %+v, %v", lc, err)
	}
	if got, _ := s.Organization(ctx, "ana-lopez"); got != nil {
		t.Errorf("Organization(ana-lopez) = %+v, want nil for a person", got)
	}

	// Maryland is stated by both sources.
	md, err := s.Node(ctx, "maryland")
	if err != nil || md == nil {
		t.Fatalf("Node(maryland) = %v, %v", md, err)
	}
	if p, ok := md.(*graph.Place); !ok || !sameSet(sourceIDs(p.Sources), []string{"living-cities-webinar-2014", "wes-chat-2020"}) {
		t.Errorf("maryland = %+v", md)
	}

	affs, err := s.PersonAffiliations(ctx, "ana-lopez")
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, a := range affs {
		titles[a.OrganizationID] = "-"
		if a.Title != nil {
			titles[a.OrganizationID] = *a.Title
		}
	}
	if len(affs) != 2 || titles["casa-de-maryland"] != "Director" || titles["wes-mariam-assefa-fund"] != "-" {
		t.Errorf("affiliations of ana-lopez = %v", titles)
	}

	parent, err := s.EventParent(ctx, "cities-webinar")
	if err != nil || parent == nil || parent.ID != "immigrants-thrive-week" {
		t.Errorf("EventParent(cities-webinar) = %+v, %v", parent, err)
	}
	hosts, err := s.EventHosts(ctx, "immigrantsthrive")
	if err != nil || len(hosts) != 1 || hosts[0].ID != "wes-mariam-assefa-fund" {
		t.Errorf("EventHosts(immigrantsthrive) = %+v, %v", hosts, err)
	}
	speakers, err := s.EventSpeakers(ctx, "cities-webinar")
	if err != nil || !sameSet(nodeIDs(speakers), []string{"ana-lopez", "ben-ng"}) {
		t.Errorf("EventSpeakers(cities-webinar) = %v, %v", nodeIDs(speakers), err)
	}
	figs, err := s.Figures(ctx, "")
	if err != nil || len(figs) != 2 {
		t.Errorf("Figures = %d, %v; want 2", len(figs), err)
	}
	src, err := s.Source(ctx, "wes-chat-2020")
	if err != nil || src == nil || src.Title != "#ImmigrantsThrive: a Twitter chat" ||
		src.Published == nil || *src.Published != "2020-07-02" || !slices.Equal(src.Authors, []string{"ana-lopez"}) {
		t.Errorf("Source(wes-chat-2020) = %s, %v", show(deref(src)), err)
	}
}

func deref(s *graph.Source) graph.Source {
	if s == nil {
		return graph.Source{}
	}
	return *s
}

func sourceIDs(srcs []graph.Source) []string {
	var ids []string
	for _, s := range srcs {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	return ids
}

func nodeIDs[N graph.Node](nodes []N) []string {
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.NodeID())
	}
	return ids
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestLoadTwiceIsLoadOnce(t *testing.T) {
	once := openStore(t)
	mustLoad(t, once, Paths(goodFiles...)...)
	want := export(t, once)
	if want == "" {
		t.Fatal("empty export")
	}

	twice := openStore(t)
	mustLoad(t, twice, Paths(goodFiles...)...)
	res := mustLoad(t, twice, Paths(goodFiles...)...)
	if res.QuadsAdded != 0 {
		t.Errorf("second load added %d quads", res.QuadsAdded)
	}
	if got := export(t, twice); got != want {
		t.Errorf("two loads differ from one:\n%s", diffLines(got, want))
	}

	// The same files twice in one call, in another order.
	doubled := openStore(t)
	mustLoad(t, doubled, Paths("testdata/good/webinar.yaml", "testdata/good/chat.yaml", "testdata/good/webinar.yaml")...)
	if got := export(t, doubled); got != want {
		t.Errorf("one load of repeated files differs from one load:\n%s", diffLines(got, want))
	}

	// One file at a time: the second resolves its references in the store.
	split := openStore(t)
	mustLoad(t, split, Paths(goodFiles[0])...)
	mustLoad(t, split, Paths(goodFiles[1])...)
	if got := export(t, split); got != want {
		t.Errorf("two loads of one file each differ from one load:\n%s", diffLines(got, want))
	}
}

// diffLines lists the lines only in got (+) or only in want (-).
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out []string
	for _, l := range g {
		if !slices.Contains(w, l) {
			out = append(out, "+ "+l)
		}
	}
	for _, l := range w {
		if !slices.Contains(g, l) {
			out = append(out, "- "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestLoadBadFiles loads each bad file into an empty store and into one
// holding the good files: the error is the golden one, and the store is
// unchanged.
func TestLoadBadFiles(t *testing.T) {
	ctx := context.Background()
	empty := openStore(t)
	full := openStore(t)
	mustLoad(t, full, Paths(goodFiles...)...)
	before := export(t, full)
	for _, path := range badFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, err := Load(ctx, empty, Paths(path)...)
			compareGoldenNoUpdate(t, golden(path), checkInvalid(t, err))
			if got := export(t, empty); got != "" {
				t.Errorf("the empty store now holds:\n%s", got)
			}

			_, err = Load(ctx, full, Paths(path)...)
			checkInvalid(t, err)
			// With a good file in the same call, nothing of it is written either.
			_, err = Load(ctx, full, Paths(append([]string{"testdata/good/chat.yaml"}, path)...)...)
			checkInvalid(t, err)
			if got := export(t, full); got != before {
				t.Errorf("the store changed:\n%s", diffLines(got, before))
			}
		})
	}
}

// compareGoldenNoUpdate compares with a golden file that TestBadFiles writes.
func compareGoldenNoUpdate(t *testing.T, golden, got string) {
	t.Helper()
	saved := *update
	*update = false
	defer func() { *update = saved }()
	compareGolden(t, golden, got)
}

func TestLoadAgainstStore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	mustLoad(t, s, Paths("testdata/good/chat.yaml")...)
	before := export(t, s)

	tests := []struct {
		name    string
		content string
		want    string // the whole error; "" for none
	}{
		{"reference resolved by the store", `
source: {id: n, title: N}
events:
  - name: Later Chat
    kind: twitter chat
    partOf: immigrants-thrive-week
    hosts: [casa-de-maryland]
    speakers: [ana-lopez]
figures: [{id: g, value: "1", statement: One., about: [digital-inclusion, state]}]
`, ""},
		{"same node, same type as in the store", `
source: {id: n, title: N}
organizations: [{name: CASA de Maryland, description: Also stated here.}]
`, ""},
		{"reference of the wrong type in the store", `
source: {id: n, title: N, authors: [maryland]}
events:
  - name: Later Chat
    kind: twitter chat
    hosts: [ana-lopez]
    partOf: casa-de-maryland
`, strings.Join([]string{
			`n.yaml:2:37: source.authors[0]: "maryland" is a place (in the store), not a person`,
			`n.yaml:6:13: events[0].hosts[0]: "ana-lopez" is a person (in the store), not an organization`,
			`n.yaml:7:13: events[0].partOf: "casa-de-maryland" is an organization (in the store), not an event`,
		}, "\n")},
		{"id of another type in the store", `
source: {id: n, title: N}
people: [{name: CASA de Maryland}]
`, `n.yaml:3:17: people[0]: id "casa-de-maryland" is a person here but an organization in the store`},
		{"reference in neither", `
source: {id: n, title: N}
events: [{name: E, kind: k, hosts: [casa-de-maryland, casa]}]
`, `n.yaml:3:55: events[0].hosts[1]: unknown id "casa": not defined in the files loaded nor in the store`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := memFiles("n.yaml", tt.content)
			if _, err := Check(ctx, s, files...); tt.want == "" && err != nil {
				t.Fatalf("Check: %v", err)
			}
			if tt.want == "" {
				// Load into a copy of the store, so the cases stay independent.
				c := openStore(t)
				mustLoad(t, c, Paths("testdata/good/chat.yaml")...)
				mustLoad(t, c, files...)
				return
			}
			_, err := Load(ctx, s, files...)
			if got := checkInvalid(t, err); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if got := export(t, s); got != before {
				t.Errorf("the store changed:\n%s", diffLines(got, before))
			}
		})
	}
}

// countingStore counts the calls of TypesOf.
type countingStore struct {
	graph.Store
	typesOf int
	asked   []string
}

func (c *countingStore) TypesOf(ctx context.Context, ids []string) (map[string]graph.NodeType, error) {
	c.typesOf++
	c.asked = append(c.asked, ids...)
	return c.Store.TypesOf(ctx, ids)
}

func TestLoadAsksStoreOnce(t *testing.T) {
	c := &countingStore{Store: openStore(t)}
	mustLoad(t, c, Paths(goodFiles...)...)
	if c.typesOf != 1 {
		t.Errorf("TypesOf called %d times, want 1", c.typesOf)
	}
	// Every id defined or referenced, once each, sorted.
	if !slices.IsSorted(c.asked) || len(slices.Compact(slices.Clone(c.asked))) != len(c.asked) || !slices.Contains(c.asked, "ben-ng") {
		t.Errorf("asked %v", c.asked)
	}
}

func TestLoadNQuads(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	mustLoad(t, src, Paths(goodFiles...)...)
	nq := export(t, src)

	for _, name := range []string{"export.nq", "export.nquads", "export.nq.gz"} {
		t.Run(name, func(t *testing.T) {
			data := []byte(nq)
			if strings.HasSuffix(name, ".gz") {
				data = gz(t, nq)
			}
			dst := openStore(t)
			res := mustLoad(t, dst, FromFS(fstest.MapFS{name: {Data: data}}, name)...)
			if res.QuadsAdded != strings.Count(nq, "\n") {
				t.Errorf("LoadResult = %+v, want %d quads added", res, strings.Count(nq, "\n"))
			}
			if got := export(t, dst); got != nq {
				t.Errorf("import of the export differs:\n%s", diffLines(got, nq))
			}
		})
	}

	t.Run("mixed with a data file", func(t *testing.T) {
		// An N-Quads file and a data file load in one transaction.
		dst := openStore(t)
		fsys := fstest.MapFS{"export.nq": {Data: []byte(nq)}}
		files := append(Paths("testdata/good/chat.yaml"), FromFS(fsys, "export.nq")...)
		mustLoad(t, dst, files...)
		if got := export(t, dst); got != nq {
			t.Errorf("the store differs from the export:\n%s", diffLines(got, nq))
		}
	})

	t.Run("missing file", func(t *testing.T) {
		_, err := Load(ctx, openStore(t), Paths("testdata/missing.nq")...)
		if got := checkInvalid(t, err); got != "testdata/missing.nq: cannot open the file: no such file or directory" {
			t.Errorf("error %q", got)
		}
	})

	t.Run("syntax error", func(t *testing.T) {
		dst := openStore(t)
		_, err := Load(ctx, dst, memFiles("bad.nq", nq+"this is not a quad\n")...)
		if err == nil || graph.ErrorCode(err) != graph.CodeInvalid || !strings.Contains(err.Error(), "bad.nq:") {
			t.Errorf("error %v", err)
		}
		if got := export(t, dst); got != "" {
			t.Errorf("the store now holds:\n%s", got)
		}
	})
}

func TestLoadBbolt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, Paths(goodFiles...)...)
	before := export(t, s)
	if _, err := Load(ctx, s, Paths("testdata/good/chat.yaml", "testdata/bad/wrong-type.yaml")...); err == nil {
		t.Error("a bad file loads")
	}
	if got := export(t, s); got != before {
		t.Errorf("the store changed:\n%s", diffLines(got, before))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	mem := openStore(t)
	mustLoad(t, mem, Paths(goodFiles...)...)
	if want := export(t, mem); before != want {
		t.Errorf("bbolt and memory stores differ:\n%s", diffLines(before, want))
	}

	// The data survives reopening, and a second load adds nothing.
	s, err = graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res := mustLoad(t, s, Paths(goodFiles...)...); res.QuadsAdded != 0 {
		t.Errorf("reload added %d quads", res.QuadsAdded)
	}
	if got := export(t, s); got != before {
		t.Errorf("the reopened store differs:\n%s", diffLines(got, before))
	}
}

// TestLoadSeed loads the seed data set into a real store.
func TestLoadSeed(t *testing.T) {
	paths, err := filepath.Glob("../data/seed/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed files in ../data/seed: %v", err)
	}
	s := openStore(t)
	res := mustLoad(t, s, Paths(paths...)...)
	if res.QuadsAdded == 0 {
		t.Error("the seed added no quads")
	}
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Sources != len(paths) {
		t.Errorf("%d sources for %d seed files", c.Sources, len(paths))
	}
}
