package live_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
)

// backends opens one empty store per backend the tests run on: memory,
// bbolt in a temporary directory, and PostgreSQL when
// THRIVEGRAPH_TEST_POSTGRES names a server (.ci/run starts one).
func backends(t *testing.T) map[string]func(t *testing.T) *live.Graph {
	t.Helper()
	open := func(cfg graph.Config) func(t *testing.T) *live.Graph {
		return func(t *testing.T) *live.Graph {
			t.Helper()
			if cfg.Backend == graph.BackendBbolt {
				cfg.Path = filepath.Join(t.TempDir(), "test.db")
			}
			s, err := graphtest.OpenGraph(context.Background(), cfg)
			if err != nil {
				t.Fatalf("open %s: %v", cfg.Backend, err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
	out := map[string]func(t *testing.T) *live.Graph{
		"memory": open(graph.Config{Backend: graph.BackendMemory}),
		"bbolt":  open(graph.Config{Backend: graph.BackendBbolt}),
	}
	if os.Getenv("THRIVEGRAPH_TEST_POSTGRES") != "" {
		out["postgres"] = openPostgres
	}
	return out
}

// small opens a store per backend holding testdata/small.nq (drawn there).
func small(t *testing.T, fn func(t *testing.T, s *live.Graph)) {
	loaded(t, "../network/testdata/small.nq", fn)
}

// loaded opens a store per backend holding the N-Quads file path.
func loaded(t *testing.T, path string, fn func(t *testing.T, s *live.Graph)) {
	all := backends(t)
	for name, open := range all {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := loader.ImportNQuads(context.Background(), s, f, filepath.Base(path)); err != nil {
				t.Fatalf("import: %v", err)
			}
			fn(t, s)
		})
	}
}

func ids[T graph.Node](nodes []T) []string {
	out := []string{}
	for _, n := range nodes {
		out = append(out, n.NodeID())
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %v\n want %v", what, got, want)
	}
}

func TestEntities(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		org, err := s.Organization(ctx, "beta")
		if err != nil || org == nil {
			t.Fatalf("beta: %v %v", org, err)
		}
		eq(t, "name", org.Name, "Beta Coalition")
		eq(t, "aliases", org.Aliases, []string{"BC"})
		eq(t, "description", *org.Description, "A coalition that works on digital skills")
		var srcs []string
		for _, src := range org.Sources {
			srcs = append(srcs, src.ID+"="+src.Title)
		}
		eq(t, "sources (beta's participation is also stated by 'second')", srcs, []string{"second=Second source", "test=Test source"})

		ev, _ := s.Event(ctx, "webinar")
		eq(t, "kind", ev.Kind, "webinar")
		eq(t, "date", *ev.StartDate, "2014-09-16")
		eq(t, "questions", ev.Questions, []string{"Who pays?"})

		for _, tc := range []struct {
			id   string
			want string // Go type, "" for nil
		}{
			{"alpha", "*graph.Organization"}, {"chat", "*graph.Event"}, {"ana-perez", "*graph.Person"},
			{"jobs", "*graph.Theme"}, {"state", "*graph.PolicyLevel"}, {"texas", "*graph.Place"}, {"nope", ""},
		} {
			n, err := s.Node(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if n != nil {
				got = reflect.TypeOf(n).String()
			}
			eq(t, "type of "+tc.id, got, tc.want)
		}
		if o, _ := s.Organization(ctx, "chat"); o != nil {
			t.Errorf("an event returned as an organization: %v", o)
		}
	})
}

func TestRelations(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		hosts, _ := s.EventHosts(ctx, "chat")
		eq(t, "chat hosts", ids(hosts), []string{"fund"})
		speakers, _ := s.EventSpeakers(ctx, "webinar")
		eq(t, "webinar speakers", ids(speakers), []string{"ana-perez"})
		parent, _ := s.EventParent(ctx, "webinar")
		eq(t, "webinar parent", parent.ID, "week")
		parts, _ := s.EventParts(ctx, "week")
		eq(t, "week parts", ids(parts), []string{"webinar"})
		conn, _ := s.EventParticipants(ctx, "webinar", graph.Page{First: 10})
		eq(t, "webinar participants (every role, by name)", ids(conn.Items), []string{"alpha", "beta", "gamma"})
		eq(t, "webinar participant count", conn.TotalCount, 3)

		ps, _ := s.OrganizationParticipations(ctx, "beta")
		var got []string
		for _, p := range ps {
			got = append(got, p.EventID+"/"+string(p.Role)+"/"+p.SourceID)
		}
		eq(t, "beta's participations by date, one per role", got, []string{"webinar/PARTICIPANT/test", "chat/PARTICIPANT/second"})

		affs, _ := s.PersonAffiliations(ctx, "ana-perez")
		if len(affs) != 1 || affs[0].OrganizationID != "gamma" || affs[0].Title == nil || *affs[0].Title != "Director" {
			t.Errorf("affiliations of ana-perez: %+v", affs)
		}
		people, _ := s.OrganizationAffiliations(ctx, "gamma")
		eq(t, "gamma's people", len(people), 1)

		links, _ := s.OrganizationThemes(ctx, "alpha")
		var themes []string
		for _, l := range links {
			themes = append(themes, l.ThemeID+":"+map[bool]string{true: "stated", false: "via " + strings.Join(l.Via, ",")}[l.Stated])
		}
		eq(t, "alpha's themes", themes, []string{"digital:via chat", "jobs:stated", "partnerships:via webinar"})

		levels, _ := s.OrganizationPolicyLevels(ctx, "beta")
		eq(t, "beta's levels (derived through themes)", ids(levels), []string{"local", "state"})
		orgs, _ := s.ThemeOrganizations(ctx, "digital", graph.Page{First: 10})
		eq(t, "digital's organizations (chat participants and host)", ids(orgs.Items), []string{"alpha", "beta", "fund"})
		orgs, _ = s.PolicyLevelOrganizations(ctx, "local", graph.Page{First: 10})
		eq(t, "local's organizations", ids(orgs.Items), []string{"alpha", "beta", "gamma"})
		lt, _ := s.PolicyLevelThemes(ctx, "state")
		eq(t, "state's themes", ids(lt), []string{"digital"})
		po, _ := s.PlaceOrganizations(ctx, "texas")
		eq(t, "texas", ids(po), []string{"alpha", "gamma"})
		figs, _ := s.Figures(ctx, "chat")
		if len(figs) != 1 || figs[0].Value != "50%" || len(figs[0].Sources) != 1 {
			t.Errorf("figures about chat: %+v", figs)
		}
		src, _ := s.Source(ctx, "test")
		eq(t, "authors", src.Authors, []string{"ana-perez"})
	})
}

func TestOrganizationsFilter(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		for _, tc := range []struct {
			name   string
			filter graph.OrganizationFilter
			want   []string
			code   graph.Code
		}{
			{"none", graph.OrganizationFilter{}, []string{"alpha", "beta", "gamma", "fund"}, ""},
			{"themes all-of", graph.OrganizationFilter{Themes: []string{"digital", "partnerships"}}, []string{"alpha", "beta"}, ""},
			{"theme stated", graph.OrganizationFilter{Themes: []string{"jobs"}}, []string{"alpha"}, ""},
			{"anyThemes", graph.OrganizationFilter{AnyThemes: []string{"jobs", "partnerships"}}, []string{"alpha", "beta", "gamma"}, ""},
			{"policy level", graph.OrganizationFilter{PolicyLevels: []string{"state"}}, []string{"alpha", "beta", "fund"}, ""},
			{"events all-of", graph.OrganizationFilter{Events: []string{"chat", "webinar"}}, []string{"alpha", "beta"}, ""},
			{"places", graph.OrganizationFilter{Places: []string{"texas"}}, []string{"alpha", "gamma"}, ""},
			{"name, accents and case", graph.OrganizationFilter{NameContains: "COALITÍON"}, []string{"beta"}, ""},
			{"name substring", graph.OrganizationFilter{NameContains: "und"}, []string{"fund"}, ""},
			{"combined", graph.OrganizationFilter{Themes: []string{"digital"}, Places: []string{"texas"}}, []string{"alpha"}, ""},
			{"nothing matches", graph.OrganizationFilter{Places: []string{"texas"}, Events: []string{"chat"}, NameContains: "delta"}, []string{}, ""},
			{"unknown theme", graph.OrganizationFilter{Themes: []string{"nope"}}, nil, graph.CodeInvalid},
			{"wrong type", graph.OrganizationFilter{Places: []string{"chat"}}, nil, graph.CodeInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				conn, err := s.Organizations(ctx, tc.filter, graph.Page{First: 20})
				if graph.ErrorCode(err) != tc.code {
					t.Fatalf("error %v, want code %q", err, tc.code)
				}
				if tc.code != "" {
					return
				}
				eq(t, "ids", ids(conn.Items), tc.want)
				eq(t, "total", conn.TotalCount, len(tc.want))
			})
		}
	})
}

func TestPaging(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		var seen []string
		after := ""
		for range 3 {
			conn, err := s.Organizations(ctx, graph.OrganizationFilter{}, graph.Page{First: 3, After: after})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "total", conn.TotalCount, 4)
			seen = append(seen, ids(conn.Items)...)
			if !conn.HasNextPage {
				break
			}
			after = conn.Cursors[len(conn.Cursors)-1]
		}
		eq(t, "all pages", seen, []string{"alpha", "beta", "gamma", "fund"})
		for _, tc := range []struct {
			page graph.Page
			code graph.Code
		}{
			{graph.Page{First: 101}, graph.CodeLimit},
			{graph.Page{First: -1}, graph.CodeInvalid},
			{graph.Page{First: 1, After: "garbage!"}, graph.CodeInvalid},
			{graph.Page{First: 1, After: graph.Cursor("chat")}, graph.CodeInvalid},
			{graph.Page{First: 0}, ""},
		} {
			_, err := s.Organizations(ctx, graph.OrganizationFilter{}, tc.page)
			eq(t, "code for "+tc.page.After, graph.ErrorCode(err), tc.code)
		}
	})
}

func TestPartners(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		conn, err := s.Partners(ctx, "beta", graph.Page{First: 10, Shared: graph.SharedAll})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range conn.Items {
			got = append(got, p.Organization.ID+":"+strings.Join(ids(p.SharedEvents), ",")+":"+strings.Join(ids(p.SharedThemes), ","))
		}
		eq(t, "beta's partners, most shared events first, then name", got, []string{
			"alpha:chat,webinar:digital,partnerships",
			"gamma:webinar:partnerships",
			"fund:chat:digital",
		})
		next, err := s.Partners(ctx, "beta", graph.Page{First: 1, After: conn.Cursors[0]})
		if err != nil || len(next.Items) != 1 || next.Items[0].Organization.ID != "gamma" || !next.HasNextPage {
			t.Errorf("second page: %+v %v", next, err)
		}
		none, _ := s.Partners(ctx, "nope", graph.Page{First: 10})
		eq(t, "partners of nobody", none.TotalCount, 0)
	})
}

func TestPath(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		for _, tc := range []struct {
			from, to string
			hops     int
			want     string // node ids and relations, "" for no path
			code     graph.Code
		}{
			{"ana-perez", "fund", 6, "ana-perez -spokeAt-> webinar -hadParticipant-> alpha -participatedIn-> chat -hostedBy-> fund", ""},
			{"ana-perez", "fund", 3, "", ""},
			{"ana-perez", "texas", 6, "ana-perez -memberOf-> gamma -place-> texas", ""},
			{"alpha", "alpha", 6, "alpha", ""},
			{"jobs", "alpha", 1, "jobs -themeOf-> alpha", ""},
			{"alpha", "nope", 6, "", graph.CodeNotFound},
			{"alpha", "beta", 11, "", graph.CodeLimit},
			{"alpha", "beta", -1, "", graph.CodeInvalid},
		} {
			p, err := s.Path(ctx, tc.from, tc.to, tc.hops)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("%s→%s: error %v, want code %q", tc.from, tc.to, err, tc.code)
			}
			got := ""
			if p != nil {
				var b strings.Builder
				for _, st := range p.Steps {
					b.WriteString(st.Node.NodeID())
					if st.Relation != "" {
						b.WriteString(" -" + st.Relation + "-> ")
						if st.Source == nil {
							t.Errorf("step from %s has no source", st.Node.NodeID())
						}
					}
				}
				got = b.String()
				eq(t, "length", p.Length, len(p.Steps)-1)
			}
			eq(t, tc.from+"→"+tc.to, got, tc.want)
		}
	})
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		for _, tc := range []struct {
			text string
			want []string
		}{
			{"ana perez", []string{"ana-perez"}},     // exact, accents folded
			{"ÁNA", []string{"ana-perez"}},           // prefix
			{"coalition", []string{"beta"}},          // word
			{"gamma", []string{"fund"}},              // prefix of "gamma fund"
			{"fund", []string{"fund"}},               // word
			{"artner", []string{"partnerships"}},     // substring
			{"digital", []string{"digital", "beta"}}, // name prefix beats description word
			{"bc", []string{"beta"}},                 // alias, short query
			{"zzz", []string{}},
			{"   ", []string{}},
		} {
			hits, err := s.Search(ctx, tc.text, 10)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for i, h := range hits {
				got = append(got, h.Node.NodeID())
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("%q: hits not ordered by score", tc.text)
				}
			}
			eq(t, "search "+tc.text, got, tc.want)
		}
		if _, err := s.Search(ctx, "x", 101); graph.ErrorCode(err) != graph.CodeLimit {
			t.Errorf("first 101: %v", err)
		}
	})
}

func TestLoadIdempotentAndRoundTrip(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		var before, after bytes.Buffer
		if err := s.Export(ctx, &before); err != nil {
			t.Fatal(err)
		}
		res, err := loader.ImportNQuads(ctx, s, bytes.NewReader(before.Bytes()), "again.nq")
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "quads added by a second import", res.QuadsAdded, 0)
		s.Export(ctx, &after)
		eq(t, "export after re-import", after.String(), before.String())

		fresh := backends(t)["memory"](t)
		if _, err := loader.ImportNQuads(ctx, fresh, bytes.NewReader(before.Bytes()), "export.nq"); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		fresh.Export(ctx, &again)
		eq(t, "export of a fresh store loaded from the export", again.String(), before.String())

		c, _ := s.Counts(ctx)
		eq(t, "organizations", c.Nodes[graph.TypeOrganization], 4)
		eq(t, "sources", c.Sources, 2)
		eq(t, "links", c.Links, 17)
	})
}

func TestImportErrorsWriteNothing(t *testing.T) {
	ctx := context.Background()
	small(t, func(t *testing.T, s *live.Graph) {
		var before bytes.Buffer
		s.Export(ctx, &before)
		for _, tc := range []struct{ name, input, want string }{
			{"syntax", "<a> <b> .\n", "bad.nq:1: "},
			{"no source", "<https://thrivegraph.org/id/x> <http://schema.org/name> \"X\" .\n", "bad.nq:1: quad has no source"},
			{"second line", "# comment\n\n<https://thrivegraph.org/id/x> <http://schema.org/name> \"X\" <https://thrivegraph.org/source/s> .\n<x> y\n", "bad.nq:4: "},
		} {
			_, err := loader.ImportNQuads(ctx, s, strings.NewReader(tc.input), "bad.nq")
			if graph.ErrorCode(err) != graph.CodeInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
			}
		}
		var after bytes.Buffer
		s.Export(ctx, &after)
		eq(t, "store unchanged", after.String(), before.String())
	})
}

func TestBatchLoad(t *testing.T) {
	ctx := context.Background()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			empty, _ := s.Empty(ctx)
			eq(t, "empty at first", empty, true)
			title := "Director"
			b := &graph.Batch{
				Source: graph.Source{ID: "doc", Title: "A document"},
				Nodes: []graph.NodeRecord{
					{ID: "org", Type: graph.TypeOrganization, Name: "Org", Kinds: []string{"funder"}},
					{ID: "ev", Type: graph.TypeEvent, Name: "Ev", EventKind: "webinar", StartDate: "2020-01-02"},
					{ID: "pat", Type: graph.TypePerson, Name: "Pat"},
				},
				Links:        []graph.Link{{From: "org", Relation: graph.RelHosted, To: "ev"}},
				Affiliations: []graph.Affiliation{{PersonID: "pat", OrganizationID: "org", Title: &title}},
				Figures:      []graph.Figure{{ID: "f", Value: "1", Statement: "One.", About: []string{"ev"}}},
			}
			first, err := s.Load(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.Load(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if first.QuadsAdded == 0 || second.QuadsAdded != 0 || first.QuadsTotal != second.QuadsTotal {
				t.Errorf("first load %+v, second %+v", first, second)
			}
			ev, _ := s.Event(ctx, "ev")
			eq(t, "date", *ev.StartDate, "2020-01-02")
			hosts, _ := s.EventHosts(ctx, "ev")
			eq(t, "hosts", ids(hosts), []string{"org"})
			affs, _ := s.OrganizationAffiliations(ctx, "org")
			eq(t, "title", *affs[0].Title, "Director")
			types, _ := s.TypesOf(ctx, []string{"org", "pat", "missing"})
			eq(t, "types", types, map[string]graph.NodeType{"org": graph.TypeOrganization, "pat": graph.TypePerson})
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "re.db")
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open("../network/testdata/small.nq")
	defer f.Close()
	if _, err := loader.ImportNQuads(ctx, s, f, "small.nq"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, _ := s.Search(ctx, "coalition", 5)
	if len(hits) != 1 {
		t.Errorf("catalog not rebuilt on reopen: %v", hits)
	}
}

func TestApplyRemovals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change graph.Change
		check  func(t *testing.T, s *live.Graph)
	}{
		{"remove a source: its facts go, the other source's stay",
			graph.Change{RemoveSources: []string{"test"}},
			func(t *testing.T, s *live.Graph) {
				// beta participatedIn chat is also stated by "second", so
				// both ids stay linked, but no names remain.
				ps, _ := s.OrganizationParticipations(ctx, "beta")
				eq(t, "beta's participations", len(ps), 0) // untyped nodes are not entities
				c, _ := s.Counts(ctx)
				eq(t, "quads left (second's participation and its source record)", c.Quads, 3)
				hits, _ := s.Search(ctx, "alpha", 5)
				eq(t, "catalog forgets removed names", len(hits), 0)
			}},
		{"remove a node: every quad about it, and its affiliations",
			graph.Change{RemoveNodes: []graph.NodeSelector{{ID: "gamma"}}},
			func(t *testing.T, s *live.Graph) {
				if n, _ := s.Node(ctx, "gamma"); n != nil {
					t.Errorf("gamma still there: %v", n)
				}
				affs, _ := s.PersonAffiliations(ctx, "ana-perez")
				eq(t, "ana's affiliations", len(affs), 0)
				orgs, _ := s.PlaceOrganizations(ctx, "texas")
				eq(t, "texas", ids(orgs), []string{"alpha"})
			}},
		{"remove a node's facts of one source only",
			graph.Change{RemoveNodes: []graph.NodeSelector{{ID: "beta", Source: "second"}}},
			func(t *testing.T, s *live.Graph) {
				ps, _ := s.OrganizationParticipations(ctx, "beta")
				var got []string
				for _, p := range ps {
					got = append(got, p.EventID+"/"+p.SourceID)
				}
				eq(t, "beta's participations", got, []string{"webinar/test", "chat/test"})
			}},
		{"replace a source: removed and added in one step, unchanged facts stay",
			graph.Change{RemoveSources: []string{"second"}, Add: []*graph.Batch{{
				Source: graph.Source{ID: "second", Title: "Second source, edition 2"},
				Links:  []graph.Link{{From: "gamma", Relation: graph.RelParticipatedIn, To: "chat"}},
			}}},
			func(t *testing.T, s *live.Graph) {
				src, _ := s.Source(ctx, "second")
				eq(t, "title", src.Title, "Second source, edition 2")
				conn, _ := s.EventParticipants(ctx, "chat", graph.Page{First: 10})
				eq(t, "chat participants", ids(conn.Items), []string{"alpha", "beta", "gamma", "fund"})
				ps, _ := s.OrganizationParticipations(ctx, "beta")
				eq(t, "beta's chat participation now only from test", ps[1].SourceID, "test")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small(t, func(t *testing.T, s *live.Graph) {
				if _, err := s.Apply(ctx, tc.change); err != nil {
					t.Fatal(err)
				}
				tc.check(t, s)
			})
		})
	}
}
