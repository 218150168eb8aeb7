package resolvers_test

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// The facts below are taken from the two seed documents in
// /work/shared/seeds: the write-up of the #ImmigrantsThrive Twitter chat of
// June 23, 2020 (000_c542bc40f06b320e.txt) and of the Living Cities webinar
// of September 16, 2014 (004_369464f5779a1d36.txt).

const (
	chat    = "immigrantsthrive"
	webinar = "promising-approaches-to-integrate-immigrants-into-the-u-s-workforce"
	week    = "national-welcoming-week"
	wdp     = "workers-defense-project"

	chatSource    = "wes-immigrantsthrive-2020"
	webinarSource = "living-cities-webinar-2014"
	// curationSource holds the seed's editorial additions: aliases, kinds
	// and places no document states (data/seed/thrivegraph-curation.yaml).
	curationSource = "thrivegraph-curation"
)

// The organizations of the chat: its two hosts and the 38 participating
// organizations the write-up lists, by name.
var chatOrgs = []string{
	"WES Mariam Assefa Fund", "WES Global Talent Bridge Program",
	"Beeck Center for Social Impact + Innovation", "Building Skills Partnership",
	"Community College Consortium of Immigrant Education",
	"Center for Immigrant Education & Training (CIET) at LaGuardia Community College",
	"Church World Service", "Coalition on Adult Basic Education", "Federal Bank of Philadelphia",
	"Global Cleveland", "Global Switchboard", "International Institute of Buffalo",
	"International Institute of St. Louis", "Interfaith Immigration Coalition",
	"Immigrant Learning Center", "IMPRINT Coalition", "International Rescue Committee",
	"JVS Boston", "Mission Driven Finance", "Mission Investors Exchange",
	"Massachusetts Immigrant and Refugee Advocacy Coalition",
	"National Committee on Responsive Philanthropy", "National Immigration Forum",
	"New American Economy", "National Partnership for New Americans",
	"Portland Office of Economic Opportunity", "Refugees International", "Refugee Congress",
	"Refugee Council USA", "Refugee Investment Network", "Riverside Language",
	"San Diego Grantmakers", "San Diego Workforce Partnership", "Tent Partnership",
	"Upwardly Global", "Welcoming America", "Welcoming Center for New Pennsylvanians",
	"Workers Defense Project", "Workforce Matters Funders Group", "World Education",
}

// The organizations of the webinar: the host and the presenters' four.
var webinarOrgs = []string{"Living Cities", "National Skills Coalition", "CASA de Maryland", "Workers Defense Project", "Casa Latina"}

// The webinar's four questions, as the write-up gives them.
var webinarQuestions = []string{
	"What challenges do immigrants face in preparing for and accessing quality jobs?",
	"What are some promising policies and practices that help integrate immigrants into the US workforce?",
	"What roles can the public sector play in moving this work forward?",
	"How can efforts better engage businesses to directly connect immigrant job-seekers to available jobs?",
}

type ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type src struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

func namesOf(refs []ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	return out
}

func idsOf(refs []ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

func sourceIDs(ss []src) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	sort.Strings(out)
	return out
}

// byName sorts names the way the store orders lists: by folded name.
func byName(names []string) []string {
	out := slices.Clone(names)
	sort.SliceStable(out, func(i, j int) bool { return graph.Fold(out[i]) < graph.Fold(out[j]) })
	return out
}

// union returns the names of both lists once, by name.
func union(a, b []string) []string {
	set := map[string]bool{}
	for _, n := range append(slices.Clone(a), b...) {
		set[n] = true
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	return byName(out)
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %v\n want %v", what, got, want)
	}
}

func TestWebinarPresenters(t *testing.T) {
	type affiliation struct {
		Title        *string `json:"title"`
		Organization ref     `json:"organization"`
		Person       ref     `json:"person"`
	}
	got := query[struct {
		Event struct {
			ref
			Speakers []struct {
				ref
				Affiliations []affiliation `json:"affiliations"`
			} `json:"speakers"`
		} `json:"event"`
	}](t, `query($id: ID!) { event(id: $id) { id name speakers { id name affiliations { title organization { id name } person { id name } } } } }`,
		map[string]any{"id": webinar})
	if got.Event.Name != "Promising approaches to integrate immigrants into the U.S. workforce" {
		t.Errorf("webinar name = %q", got.Event.Name)
	}
	// "Presenters included: Flavia Jimenez, Senior Fellow at the National
	// Skills Coalition; Gustavo Torres, Executive Director of CASA de
	// Maryland; Cristina Tzintzún, Executive Director of Workers Defense
	// Project; Helen Stern, Executive Director of Casa Latina."
	want := map[string][2]string{
		"Flavia Jimenez":    {"Senior Fellow", "National Skills Coalition"},
		"Gustavo Torres":    {"Executive Director", "CASA de Maryland"},
		"Cristina Tzintzún": {"Executive Director", "Workers Defense Project"},
		"Helen Stern":       {"Executive Director", "Casa Latina"},
	}
	if len(got.Event.Speakers) != 4 {
		t.Fatalf("webinar has %d speakers, want 4: %+v", len(got.Event.Speakers), got.Event.Speakers)
	}
	var names []string
	for _, s := range got.Event.Speakers {
		names = append(names, s.Name)
		w, ok := want[s.Name]
		if !ok || len(s.Affiliations) != 1 {
			t.Errorf("speaker %q: affiliations %+v", s.Name, s.Affiliations)
			continue
		}
		a := s.Affiliations[0]
		if a.Title == nil || *a.Title != w[0] || a.Organization.Name != w[1] || a.Person.ID != s.ID {
			t.Errorf("speaker %q: got %+v, want %s of %s", s.Name, a, w[0], w[1])
		}
	}
	// "Presenters included:", in the document's order.
	equal(t, "speakers in the document's order", names, []string{"Flavia Jimenez", "Gustavo Torres", "Cristina Tzintzún", "Helen Stern"})
}

func TestOrganizationAtBothEvents(t *testing.T) {
	got := query[struct {
		Organizations struct {
			TotalCount int   `json:"totalCount"`
			Nodes      []ref `json:"nodes"`
		} `json:"organizations"`
	}](t, `query($f: OrganizationFilter) { organizations(filter: $f) { totalCount nodes { id name } } }`,
		map[string]any{"f": map[string]any{"events": []string{chat, webinar}}})
	equal(t, "organizations at both events", namesOf(got.Organizations.Nodes), []string{"Workers Defense Project"})
	equal(t, "totalCount", got.Organizations.TotalCount, 1)

	// Its participations, by event date: the webinar (2014) as presenter,
	// the chat (2020) as participant.
	type participation struct {
		Role         string `json:"role"`
		Event        ref    `json:"event"`
		Organization ref    `json:"organization"`
	}
	org := query[struct {
		Organization struct {
			Events []participation `json:"events"`
		} `json:"organization"`
	}](t, `{ organization(id: "workers-defense-project") { events { role event { id name } organization { id } } } }`, nil)
	equal(t, "participations of Workers Defense Project", org.Organization.Events, []participation{
		{"PRESENTER", ref{webinar, "Promising approaches to integrate immigrants into the U.S. workforce"}, ref{ID: wdp}},
		{"PARTICIPANT", ref{chat, "#ImmigrantsThrive"}, ref{ID: wdp}},
	})
}

type partnerEdge struct {
	Cursor       string `json:"cursor"`
	Node         ref    `json:"node"`
	SharedEvents []ref  `json:"sharedEvents"`
	SharedThemes []ref  `json:"sharedThemes"`
}

type partnerPage struct {
	Organization struct {
		Partners struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool    `json:"hasNextPage"`
				EndCursor   *string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []partnerEdge `json:"edges"`
			Nodes []ref         `json:"nodes"`
		} `json:"partners"`
	} `json:"organization"`
}

const partnersQuery = `query($id: ID!, $first: Int, $after: String) {
  organization(id: $id) {
    partners(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name } sharedEvents { id name } sharedThemes { id name } }
      nodes { id name }
    }
  }
}`

func TestPartnersOfWorkersDefenseProject(t *testing.T) {
	// Workers Defense Project took part in both events: its partners are
	// every other organization of the chat and of the webinar.
	want := without(union(chatOrgs, webinarOrgs), "Workers Defense Project")
	all := query[partnerPage](t, partnersQuery, map[string]any{"id": wdp, "first": 100}).Organization.Partners
	equal(t, "totalCount", all.TotalCount, len(want))
	equal(t, "hasNextPage", all.PageInfo.HasNextPage, false)
	var names []string
	for i, e := range all.Edges {
		names = append(names, e.Node.Name)
		if len(e.SharedEvents) != 1 {
			t.Errorf("%s shares %d events, want 1", e.Node.Name, len(e.SharedEvents))
		}
		if i > 0 && len(e.SharedEvents) > len(all.Edges[i-1].SharedEvents) {
			t.Errorf("partners not ranked by shared events at %s", e.Node.Name)
		}
		if all.Nodes[i] != e.Node {
			t.Errorf("nodes[%d] = %v, edges[%d].node = %v", i, all.Nodes[i], i, e.Node)
		}
	}
	// Every partner shares exactly one event: strongest tie first, then name.
	equal(t, "partners", names, want)

	edge := func(name string) partnerEdge {
		for _, e := range all.Edges {
			if e.Node.Name == name {
				return e
			}
		}
		t.Fatalf("no partner %q", name)
		return partnerEdge{}
	}
	casa := edge("CASA de Maryland")
	equal(t, "events shared with CASA de Maryland", idsOf(casa.SharedEvents), []string{webinar})
	equal(t, "themes shared with CASA de Maryland (the webinar's)", len(casa.SharedThemes), 8)
	wes := edge("WES Mariam Assefa Fund")
	equal(t, "events shared with WES Mariam Assefa Fund", idsOf(wes.SharedEvents), []string{chat})
	equal(t, "themes shared with WES Mariam Assefa Fund (the chat's)", len(wes.SharedThemes), 11)
	for _, e := range []partnerEdge{casa, wes} {
		if !slices.Contains(idsOf(e.SharedThemes), "cross-sector-partnerships") {
			t.Errorf("%s does not share cross-sector-partnerships: %v", e.Node.Name, idsOf(e.SharedThemes))
		}
	}

	// Paging by 20 gives the same list.
	var paged []string
	vars := map[string]any{"id": wdp, "first": 20}
	for pages := 0; ; pages++ {
		p := query[partnerPage](t, partnersQuery, vars).Organization.Partners
		equal(t, "totalCount of a page", p.TotalCount, len(want))
		paged = append(paged, namesOf(p.Nodes)...)
		if p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor {
			t.Fatalf("endCursor %v is not the last edge's cursor", p.PageInfo.EndCursor)
		}
		if !p.PageInfo.HasNextPage {
			equal(t, "pages", pages+1, 3)
			break
		}
		vars["after"] = *p.PageInfo.EndCursor
	}
	equal(t, "partners paged by 20", paged, want)
}

func TestPathFromCasaLatinaToWES(t *testing.T) {
	type step struct {
		Node struct {
			Typename string `json:"__typename"`
			ref
		} `json:"node"`
		Relation *string `json:"relation"`
		Source   *src    `json:"source"`
	}
	got := query[struct {
		Path *struct {
			Length int    `json:"length"`
			Steps  []step `json:"steps"`
		} `json:"path"`
	}](t, `{ path(from: "casa-latina", to: "wes-mariam-assefa-fund") { length steps { node { __typename id name } relation source { id title } } } }`, nil)
	p := got.Path
	if p == nil {
		t.Fatal("no path from casa-latina to wes-mariam-assefa-fund")
	}
	// Casa Latina presented at the webinar, where Workers Defense Project
	// presented too; it took part in the chat, which the fund hosted.
	equal(t, "length", p.Length, 4)
	if len(p.Steps) != 5 {
		t.Fatalf("%d steps, want 5: %+v", len(p.Steps), p.Steps)
	}
	equal(t, "first step", p.Steps[0].Node.ID, "casa-latina")
	equal(t, "second step", p.Steps[1].Node.ID, webinar)
	equal(t, "fourth step", p.Steps[3].Node.ID, chat)
	equal(t, "last step", p.Steps[4].Node.ID, "wes-mariam-assefa-fund")
	equal(t, "last step's type", p.Steps[4].Node.Typename, "Organization")
	for i, s := range p.Steps[:4] {
		if s.Relation == nil || *s.Relation == "" || s.Source == nil || s.Source.Title == "" {
			t.Errorf("step %d (%s) has relation %v and source %v", i, s.Node.ID, s.Relation, s.Source)
		}
	}
	equal(t, "relation from Casa Latina", *p.Steps[0].Relation, "presentedAt")
	equal(t, "source of Casa Latina's presentation", p.Steps[0].Source.ID, webinarSource)
	equal(t, "relation to the fund", *p.Steps[3].Relation, "hostedBy")
	equal(t, "source of the fund's hosting", p.Steps[3].Source.ID, chatSource)
	if p.Steps[4].Relation != nil || p.Steps[4].Source != nil {
		t.Errorf("last step has relation %v and source %v, want null", p.Steps[4].Relation, p.Steps[4].Source)
	}
	golden(t, "path-casa-latina-wes", got)

	// No path within three hops.
	short := query[struct {
		Path *struct{ Length int } `json:"path"`
	}](t, `{ path(from: "casa-latina", to: "wes-mariam-assefa-fund", maxHops: 3) { length } }`, nil)
	if short.Path != nil {
		t.Errorf("path within 3 hops = %+v, want null", short.Path)
	}
}

type hit struct {
	Score float64 `json:"score"`
	Node  struct {
		Typename string `json:"__typename"`
		ref
		Aliases []string `json:"aliases"`
	} `json:"node"`
}

const searchQuery = `query($text: String!, $first: Int) { search(text: $text, first: $first) { score node { __typename id name aliases } } }`

func TestSearchCasa(t *testing.T) {
	hits := query[struct {
		Search []hit `json:"search"`
	}](t, searchQuery, map[string]any{"text": "casa"}).Search
	if len(hits) < 2 {
		t.Fatalf("search casa: %+v", hits)
	}
	// "CASA" is an alias of CASA de Maryland (exact), "Casa Latina" starts
	// with it (prefix).
	equal(t, "first hit", hits[0].Node.Name, "CASA de Maryland")
	equal(t, "second hit", hits[1].Node.Name, "Casa Latina")
	equal(t, "first hit's aliases", hits[0].Node.Aliases, []string{"CASA"})
	equal(t, "first hit's type", hits[0].Node.Typename, "Organization")
	if !(hits[0].Score > hits[1].Score) {
		t.Errorf("exact match scores %v, prefix match %v", hits[0].Score, hits[1].Score)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not best first: %+v", hits)
		}
	}

	one := query[struct {
		Search []hit `json:"search"`
	}](t, searchQuery, map[string]any{"text": "casa", "first": 1}).Search
	equal(t, "search with first: 1", len(one), 1)
}

func TestSearchIgnoresAccents(t *testing.T) {
	for _, text := range []string{"tzintzun", "Tzintzún", "TZINTZUN"} {
		hits := query[struct {
			Search []hit `json:"search"`
		}](t, searchQuery, map[string]any{"text": text}).Search
		if len(hits) == 0 || hits[0].Node.ID != "cristina-tzintzun" || hits[0].Node.Name != "Cristina Tzintzún" || hits[0].Node.Typename != "Person" {
			t.Errorf("search %q: %+v", text, hits)
		}
	}
}

type orgPage struct {
	Organizations struct {
		TotalCount int `json:"totalCount"`
		PageInfo   struct {
			HasNextPage bool    `json:"hasNextPage"`
			EndCursor   *string `json:"endCursor"`
		} `json:"pageInfo"`
		Edges []struct {
			Cursor string `json:"cursor"`
			Node   ref    `json:"node"`
		} `json:"edges"`
		Nodes []ref `json:"nodes"`
	} `json:"organizations"`
}

const organizationsQuery = `query($filter: OrganizationFilter, $first: Int, $after: String) {
  organizations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name } }
    nodes { id name }
  }
}`

func TestOrganizationFilter(t *testing.T) {
	all := union(chatOrgs, webinarOrgs)
	// "Immigrants and refugees represent a diverse group ... recovery will
	// vary across different cities, states" and the other takeaways tie the
	// chat's themes to policy levels; no theme of the webinar has one.
	cases := []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"no filter", nil, all},
		{"themes: one chat theme", map[string]any{"themes": []string{"digital-inclusion"}}, chatOrgs},
		{"themes: a chat and a webinar theme", map[string]any{"themes": []string{"digital-inclusion", "skills-for-quality-employment"}}, []string{"Workers Defense Project"}},
		{"themes: the theme of both events", map[string]any{"themes": []string{"cross-sector-partnerships"}}, all},
		{"anyThemes: a webinar theme", map[string]any{"anyThemes": []string{"raising-the-floor-of-job-quality"}}, webinarOrgs},
		{"anyThemes: a chat and a webinar theme", map[string]any{"anyThemes": []string{"role-of-the-public-sector", "job-training-and-worker-safety"}}, all},
		{"policyLevels: federal", map[string]any{"policyLevels": []string{"federal"}}, chatOrgs},
		{"policyLevels: state and local", map[string]any{"policyLevels": []string{"state", "local"}}, chatOrgs},
		{"events: the webinar", map[string]any{"events": []string{webinar}}, webinarOrgs},
		{"events: the chat", map[string]any{"events": []string{chat}}, chatOrgs},
		{"places: Maryland", map[string]any{"places": []string{"maryland"}}, []string{"CASA de Maryland"}},
		{"places: San Diego", map[string]any{"places": []string{"san-diego"}}, []string{"San Diego Grantmakers", "San Diego Workforce Partnership"}},
		{"nameContains: casa", map[string]any{"nameContains": "casa"}, []string{"CASA de Maryland", "Casa Latina"}},
		{"nameContains: accents and case", map[string]any{"nameContains": "SÁN DIÉGO"}, []string{"San Diego Grantmakers", "San Diego Workforce Partnership"}},
		{"nameContains: an alias", map[string]any{"nameContains": "MIRA"}, []string{"Massachusetts Immigrant and Refugee Advocacy Coalition"}},
		{"nameContains: refugee", map[string]any{"nameContains": "refugee"}, []string{"Massachusetts Immigrant and Refugee Advocacy Coalition", "Refugee Congress", "Refugee Council USA", "Refugee Investment Network", "Refugees International", "Tent Partnership"}}, // "Tent Partnership for Refugees"
		{"events and nameContains", map[string]any{"events": []string{webinar}, "nameContains": "casa"}, []string{"CASA de Maryland", "Casa Latina"}},
		{"policyLevels and events", map[string]any{"policyLevels": []string{"federal"}, "events": []string{webinar}}, []string{"Workers Defense Project"}},
		{"anyThemes and policyLevels", map[string]any{"anyThemes": []string{"raising-the-floor-of-job-quality"}, "policyLevels": []string{"state"}}, []string{"Workers Defense Project"}},
		{"themes and places", map[string]any{"themes": []string{"cross-sector-partnerships"}, "places": []string{"san-diego"}}, []string{"San Diego Grantmakers", "San Diego Workforce Partnership"}},
		{"events and places: none", map[string]any{"events": []string{chat}, "places": []string{"maryland"}}, nil},
		{"every field", map[string]any{
			"themes": []string{"cross-sector-partnerships"}, "anyThemes": []string{"digital-inclusion"},
			"policyLevels": []string{"local"}, "events": []string{chat}, "places": []string{"boston"}, "nameContains": "jvs",
		}, []string{"JVS Boston"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := query[orgPage](t, organizationsQuery, map[string]any{"filter": c.filter, "first": 100}).Organizations
			want := byName(c.want)
			if want == nil {
				want = []string{}
			}
			equal(t, "organizations", namesOf(got.Nodes), want)
			equal(t, "totalCount", got.TotalCount, len(c.want))
			equal(t, "hasNextPage", got.PageInfo.HasNextPage, false)
			if len(c.want) == 0 && got.PageInfo.EndCursor != nil {
				t.Errorf("endCursor of an empty page = %q, want null", *got.PageInfo.EndCursor)
			}
		})
	}

	// The same filter written inline.
	inline := query[orgPage](t, `{ organizations(filter: {themes: ["digital-inclusion"], anyThemes: ["digital-inclusion"], policyLevels: ["federal"], events: ["immigrantsthrive"], places: ["cleveland"], nameContains: "global"}) { totalCount nodes { id name } } }`, nil)
	equal(t, "inline filter", namesOf(inline.Organizations.Nodes), []string{"Global Cleveland"})
}

func TestOrganizationsPagination(t *testing.T) {
	all := union(chatOrgs, webinarOrgs)
	var names, cursors []string
	vars := map[string]any{"first": 20}
	pages := 0
	for {
		p := query[orgPage](t, organizationsQuery, vars).Organizations
		pages++
		equal(t, "totalCount", p.TotalCount, len(all))
		if len(p.Edges) != len(p.Nodes) {
			t.Fatalf("%d edges, %d nodes", len(p.Edges), len(p.Nodes))
		}
		for i, e := range p.Edges {
			if e.Node != p.Nodes[i] || e.Cursor == "" {
				t.Errorf("edge %d: %+v, node %+v", i, e, p.Nodes[i])
			}
			names = append(names, e.Node.Name)
			cursors = append(cursors, e.Cursor)
		}
		wantNext := len(names) < len(all)
		equal(t, "hasNextPage", p.PageInfo.HasNextPage, wantNext)
		if p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != cursors[len(cursors)-1] {
			t.Fatalf("endCursor %v, last cursor %s", p.PageInfo.EndCursor, cursors[len(cursors)-1])
		}
		if !wantNext {
			break
		}
		vars["after"] = *p.PageInfo.EndCursor
	}
	equal(t, "pages of 20", pages, 3) // 20 + 20 + 4
	equal(t, "organizations paged by 20", names, all)

	// The default page is 20; an explicit null is the default too.
	for _, vars := range []map[string]any{nil, {"first": nil}} {
		p := query[orgPage](t, organizationsQuery, vars).Organizations
		equal(t, "default page size", len(p.Nodes), graph.DefaultPageSize)
		equal(t, "default page", namesOf(p.Nodes), all[:20])
	}

	// first: 0 gives the count only.
	zero := query[orgPage](t, organizationsQuery, map[string]any{"first": 0}).Organizations
	equal(t, "first: 0", len(zero.Nodes), 0)
	equal(t, "first: 0 totalCount", zero.TotalCount, len(all))
	equal(t, "first: 0 hasNextPage", zero.PageInfo.HasNextPage, true)
}

func TestPageLimits(t *testing.T) {
	for _, c := range []struct{ query, code string }{
		{`{ organizations(first: 101) { totalCount } }`, "LIMIT_EXCEEDED"},
		{`{ events(first: 101) { totalCount } }`, "LIMIT_EXCEEDED"},
		{`{ people(first: 101) { totalCount } }`, "LIMIT_EXCEEDED"},
		{`{ organization(id: "workers-defense-project") { partners(first: 101) { totalCount } } }`, "LIMIT_EXCEEDED"},
		{`{ event(id: "immigrantsthrive") { participants(first: 101) { totalCount } } }`, "LIMIT_EXCEEDED"},
		{`{ theme(id: "digital-inclusion") { organizations(first: 101) { totalCount } } }`, "LIMIT_EXCEEDED"},
		{`{ policyLevel(id: "federal") { organizations(first: 101) { totalCount } } }`, "LIMIT_EXCEEDED"},
		{`{ search(text: "casa", first: 101) { score } }`, "LIMIT_EXCEEDED"},
		{`{ path(from: "casa-latina", to: "living-cities", maxHops: 11) { length } }`, "LIMIT_EXCEEDED"},
		{`{ organizations(first: -1) { totalCount } }`, "BAD_USER_INPUT"},
		{`{ organizations(after: "not-a-cursor") { totalCount } }`, "BAD_USER_INPUT"},
		{`{ organizations(filter: {themes: ["no-such-theme"]}) { totalCount } }`, "BAD_USER_INPUT"},
		{`{ path(from: "no-such-node", to: "casa-latina") { length } }`, "NOT_FOUND"},
	} {
		resp := queryRaw(t, c.query, nil)
		e := onlyError(t, resp, c.code)
		if e.Message == "" || e.Message == "internal error" || len(e.Path) == 0 {
			t.Errorf("%s: error %+v", c.query, e)
		}
	}
	// The message is the store's client-safe one, on the field's path.
	e := onlyError(t, queryRaw(t, `{ organizations(first: 101) { totalCount } }`, nil), "LIMIT_EXCEEDED")
	equal(t, "message", e.Message, "first must be at most 100")
	equal(t, "path", e.Path, []any{"organizations"})
}

func TestMissingIDsAreNull(t *testing.T) {
	resp := queryRaw(t, `{
  node(id: "nobody") { id }
  organization(id: "nobody") { id }
  event(id: "nobody") { id }
  person(id: "nobody") { id }
  theme(id: "nobody") { id }
  policyLevel(id: "nobody") { id }
  place(id: "nobody") { id }
  source(id: "nobody") { id }
  wrongType: organization(id: "cristina-tzintzun") { id }
  placeNotLevel: policyLevel(id: "maryland") { id }
  levelNotPlace: place(id: "federal") { id }
}`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	equal(t, "data", string(resp.Data), `{"node":null,"organization":null,"event":null,"person":null,"theme":null,"policyLevel":null,"place":null,"source":null,"wrongType":null,"placeNotLevel":null,"levelNotPlace":null}`)
}

func TestNodeByID(t *testing.T) {
	type node struct {
		Typename    string   `json:"__typename"`
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		Aliases     []string `json:"aliases"`
		Description *string  `json:"description"`
		Sources     []src    `json:"sources"`
	}
	for _, c := range []struct {
		id, typename, name string
		aliases            []string
		sources            []string
	}{
		{"casa-de-maryland", "Organization", "CASA de Maryland", []string{"CASA"}, []string{webinarSource, curationSource}},
		{wdp, "Organization", "Workers Defense Project", []string{}, []string{webinarSource, chatSource}},
		{week, "Event", "National Welcoming Week", []string{"Welcoming Week"}, []string{webinarSource, curationSource}},
		{"cristina-tzintzun", "Person", "Cristina Tzintzún", []string{}, []string{webinarSource}},
		{"cross-sector-partnerships", "Theme", "Cross-sector partnerships", []string{}, []string{webinarSource, chatSource}},
		{"federal", "PolicyLevel", "Federal", []string{}, []string{chatSource}},
		{"united-states", "Place", "United States", []string{"U.S.", "US", "USA"}, []string{webinarSource, curationSource, chatSource}},
	} {
		got := query[struct {
			Node *node `json:"node"`
		}](t, `query($id: ID!) { node(id: $id) { __typename id name aliases description sources { id title } } }`, map[string]any{"id": c.id}).Node
		if got == nil {
			t.Errorf("node(%q) = null", c.id)
			continue
		}
		equal(t, c.id+" type", got.Typename, c.typename)
		equal(t, c.id+" name", got.Name, c.name)
		aliases := slices.Clone(got.Aliases)
		sort.Strings(aliases)
		equal(t, c.id+" aliases", aliases, c.aliases)
		equal(t, c.id+" sources", sourceIDs(got.Sources), c.sources)
	}
	// A description through the interface.
	d := query[struct {
		Node struct {
			Description *string `json:"description"`
		} `json:"node"`
	}](t, `{ node(id: "washington") { description } }`, nil)
	if d.Node.Description == nil || *d.Node.Description != "The U.S. state of Washington." {
		t.Errorf("description of washington = %v", d.Node.Description)
	}
}

func TestOrganizationFields(t *testing.T) {
	type org struct {
		ID           string   `json:"id"`
		Name         string   `json:"name"`
		Aliases      []string `json:"aliases"`
		Description  *string  `json:"description"`
		Kinds        []string `json:"kinds"`
		Sources      []src    `json:"sources"`
		Places       []ref    `json:"places"`
		Themes       []ref    `json:"themes"`
		PolicyLevels []ref    `json:"policyLevels"`
		ThemeLinks   []struct {
			Theme  ref   `json:"theme"`
			Stated bool  `json:"stated"`
			Via    []ref `json:"via"`
		} `json:"themeLinks"`
		People []struct {
			Title        *string `json:"title"`
			Person       ref     `json:"person"`
			Organization ref     `json:"organization"`
		} `json:"people"`
		Figures []struct {
			ID string `json:"id"`
		} `json:"figures"`
	}
	const q = `query($id: ID!) { organization(id: $id) {
  id name aliases description kinds sources { id title }
  places { id name } themes { id name } policyLevels { id name }
  themeLinks { theme { id name } stated via { id name } }
  people { title person { id name } organization { id name } }
  figures { id }
} }`
	get := func(id string) org {
		return query[struct {
			Organization org `json:"organization"`
		}](t, q, map[string]any{"id": id}).Organization
	}

	w := get(wdp)
	equal(t, "name", w.Name, "Workers Defense Project")
	equal(t, "description", w.Description, (*string)(nil))
	equal(t, "kinds", w.Kinds, []string{})
	equal(t, "places", w.Places, []ref{})
	equal(t, "sources", sourceIDs(w.Sources), []string{webinarSource, chatSource})
	// Its themes are derived from both events: 11 of the chat, 8 of the
	// webinar, cross-sector partnerships in both.
	equal(t, "number of themes", len(w.Themes), 18)
	equal(t, "themes by name", namesOf(w.Themes), byName(namesOf(w.Themes)))
	equal(t, "themes and theme links", len(w.ThemeLinks), len(w.Themes))
	for i, l := range w.ThemeLinks {
		if l.Theme != w.Themes[i] || l.Stated || len(l.Via) == 0 {
			t.Errorf("theme link %d: %+v (theme %v)", i, l, w.Themes[i])
		}
		if l.Theme.ID == "cross-sector-partnerships" {
			equal(t, "cross-sector partnerships via", sorted(idsOf(l.Via)), sorted([]string{chat, webinar}))
		}
	}
	// Levels derived through the chat's themes.
	equal(t, "policy levels", namesOf(w.PolicyLevels), []string{"Federal", "Local", "State"})
	if len(w.People) != 1 || w.People[0].Person.Name != "Cristina Tzintzún" || w.People[0].Title == nil ||
		*w.People[0].Title != "Executive Director" || w.People[0].Organization.ID != wdp {
		t.Errorf("people: %+v", w.People)
	}
	equal(t, "figures", len(w.Figures), 0)

	// "Federal Bank of Philadelphia": a bank, in Philadelphia.
	f := get("federal-bank-of-philadelphia")
	equal(t, "kinds", f.Kinds, []string{"bank"})
	equal(t, "aliases", f.Aliases, []string{"Federal Reserve Bank of Philadelphia"})
	equal(t, "places", namesOf(f.Places), []string{"Philadelphia"})
	equal(t, "people", len(f.People), 0)
	equal(t, "themes (the chat's)", len(f.Themes), 11)

	c := get("casa-de-maryland")
	equal(t, "places of CASA de Maryland", namesOf(c.Places), []string{"Maryland"})
	equal(t, "policy levels of CASA de Maryland", c.PolicyLevels, []ref{})

	golden(t, "organization-workers-defense-project", w)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

type eventFields struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description *string  `json:"description"`
	Kind        string   `json:"kind"`
	StartDate   *string  `json:"startDate"`
	Sources     []src    `json:"sources"`
	PartOf      *ref     `json:"partOf"`
	Parts       []ref    `json:"parts"`
	Hosts       []ref    `json:"hosts"`
	Speakers    []ref    `json:"speakers"`
	Themes      []ref    `json:"themes"`
	Places      []ref    `json:"places"`
	Questions   []string `json:"questions"`
	Figures     []struct {
		ID    string `json:"id"`
		Value string `json:"value"`
	} `json:"figures"`
	Participants struct {
		TotalCount int   `json:"totalCount"`
		Nodes      []ref `json:"nodes"`
	} `json:"participants"`
	Participations []struct {
		Role         string `json:"role"`
		Organization ref    `json:"organization"`
		Event        ref    `json:"event"`
	} `json:"participations"`
}

const eventQuery = `query($id: ID!) { event(id: $id) {
  id name aliases description kind startDate sources { id title }
  partOf { id name } parts { id name } hosts { id name } speakers { id name }
  themes { id name } places { id name } questions figures { id value }
  participants(first: 100) { totalCount nodes { id name } }
  participations { role organization { id name } event { id name } }
} }`

func getEvent(t *testing.T, id string) eventFields {
	t.Helper()
	return query[struct {
		Event eventFields `json:"event"`
	}](t, eventQuery, map[string]any{"id": id}).Event
}

func roles(e eventFields) map[string]string {
	out := map[string]string{}
	for _, p := range e.Participations {
		out[p.Organization.Name] = p.Role
		if p.Event.ID != e.ID {
			the := p.Event.ID
			out["wrong event "+the] = p.Role
		}
	}
	return out
}

func TestWebinar(t *testing.T) {
	e := getEvent(t, webinar)
	equal(t, "kind", e.Kind, "webinar")
	equal(t, "startDate", *e.StartDate, "2014-09-16") // "a webinar on September 16th 2014"
	if e.Description == nil || !strings.Contains(*e.Description, "Living Cities hosted a webinar") {
		t.Errorf("description: %v", e.Description)
	}
	equal(t, "partOf", *e.PartOf, ref{week, "National Welcoming Week"}) // "As part of National Welcoming Week"
	equal(t, "parts", e.Parts, []ref{})
	equal(t, "hosts", namesOf(e.Hosts), []string{"Living Cities"})
	equal(t, "speakers", len(e.Speakers), 4)
	equal(t, "participants", namesOf(e.Participants.Nodes), byName(webinarOrgs))
	equal(t, "participants totalCount", e.Participants.TotalCount, 5)
	equal(t, "roles", roles(e), map[string]string{
		"Living Cities": "HOST", "National Skills Coalition": "PRESENTER", "CASA de Maryland": "PRESENTER",
		"Workers Defense Project": "PRESENTER", "Casa Latina": "PRESENTER",
	})
	// "practitioners from Maryland, Texas and Washington states"
	equal(t, "places", namesOf(e.Places), []string{"Maryland", "Texas", "Washington"})
	// "We particularly addressed the following questions", in order.
	equal(t, "questions", e.Questions, webinarQuestions)
	equal(t, "themes", len(e.Themes), 8)
	if !slices.Contains(idsOf(e.Themes), "cross-sector-partnerships") {
		t.Errorf("themes: %v", idsOf(e.Themes))
	}
	// "83% Immigrants will account for 83% of US workforce growth"
	if len(e.Figures) != 1 || e.Figures[0].Value != "83%" {
		t.Errorf("figures: %+v", e.Figures)
	}
	equal(t, "sources", sourceIDs(e.Sources), []string{webinarSource})
	golden(t, "event-webinar", e)
}

func TestChat(t *testing.T) {
	e := getEvent(t, chat)
	equal(t, "name", e.Name, "#ImmigrantsThrive")
	equal(t, "kind", e.Kind, "twitter chat")
	equal(t, "startDate", *e.StartDate, "2020-06-23") // "On Tuesday, June 23" (2020)
	equal(t, "partOf", e.PartOf, (*ref)(nil))
	equal(t, "hosts", namesOf(e.Hosts), byName([]string{"WES Mariam Assefa Fund", "WES Global Talent Bridge Program"}))
	equal(t, "participants (every role)", namesOf(e.Participants.Nodes), byName(chatOrgs))
	equal(t, "participants totalCount", e.Participants.TotalCount, 40)
	r := roles(e)
	hosts, participants := 0, 0
	for _, role := range r {
		switch role {
		case "HOST":
			hosts++
		case "PARTICIPANT":
			participants++
		}
	}
	equal(t, "hosts and participants", [2]int{hosts, participants}, [2]int{2, 38})
	equal(t, "speakers", e.Speakers, []ref{})
	equal(t, "questions", e.Questions, []string{})
	// The subject of the chat and its ten key takeaways.
	equal(t, "themes", len(e.Themes), 11)
	if len(e.Figures) != 1 || e.Figures[0].Value != "three million" {
		t.Errorf("figures: %+v", e.Figures) // "Three million refugees have resettled"
	}

	w := getEvent(t, week)
	equal(t, "week parts", idsOf(w.Parts), []string{webinar})
	equal(t, "week aliases", w.Aliases, []string{"Welcoming Week"})
	equal(t, "week startDate", w.StartDate, (*string)(nil))
	equal(t, "week kind", w.Kind, "week")
	equal(t, "week hosts", w.Hosts, []ref{})
}

func TestEventsAndPeople(t *testing.T) {
	type page struct {
		TotalCount int `json:"totalCount"`
		PageInfo   struct {
			HasNextPage bool    `json:"hasNextPage"`
			EndCursor   *string `json:"endCursor"`
		} `json:"pageInfo"`
		Edges []struct {
			Cursor string `json:"cursor"`
			Node   ref    `json:"node"`
		} `json:"edges"`
		Nodes []ref `json:"nodes"`
	}
	const q = `query($first: Int, $after: String) {
  events(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } nodes { id name } }
  people(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } nodes { id name } }
}`
	got := query[struct {
		Events page `json:"events"`
		People page `json:"people"`
	}](t, q, nil)
	equal(t, "events", namesOf(got.Events.Nodes), byName([]string{"#ImmigrantsThrive", "National Welcoming Week", "Promising approaches to integrate immigrants into the U.S. workforce"}))
	equal(t, "events totalCount", got.Events.TotalCount, 3)
	// The two authors of the webinar write-up and its four presenters.
	equal(t, "people", namesOf(got.People.Nodes), byName([]string{"Juan Sebastian Arias", "Brittany Ramos", "Flavia Jimenez", "Gustavo Torres", "Cristina Tzintzún", "Helen Stern"}))
	equal(t, "people totalCount", got.People.TotalCount, 6)

	// Page through the events one by one.
	var names []string
	var after any
	for {
		p := query[struct {
			Events page `json:"events"`
		}](t, `query($after: String) { events(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`,
			map[string]any{"after": after}).Events
		if len(p.Edges) != 1 || *p.PageInfo.EndCursor != p.Edges[0].Cursor {
			t.Fatalf("page %+v", p)
		}
		names = append(names, p.Edges[0].Node.Name)
		if !p.PageInfo.HasNextPage {
			break
		}
		after = *p.PageInfo.EndCursor
	}
	equal(t, "events one by one", names, namesOf(got.Events.Nodes))

	// People, two by two.
	p := query[struct {
		People page `json:"people"`
	}](t, `{ people(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`, nil).People
	p2 := query[struct {
		People page `json:"people"`
	}](t, `query($after: String) { people(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`,
		map[string]any{"after": *p.PageInfo.EndCursor}).People
	equal(t, "second page of people", []string{p2.Edges[0].Node.Name, p2.Edges[1].Node.Name}, namesOf(got.People.Nodes)[2:4])
	equal(t, "hasNextPage", p2.PageInfo.HasNextPage, true)
}

func TestPerson(t *testing.T) {
	type person struct {
		ID           string   `json:"id"`
		Name         string   `json:"name"`
		Aliases      []string `json:"aliases"`
		Description  *string  `json:"description"`
		Sources      []src    `json:"sources"`
		Events       []ref    `json:"events"`
		Affiliations []struct {
			Title        *string `json:"title"`
			Organization ref     `json:"organization"`
		} `json:"affiliations"`
	}
	const q = `query($id: ID!) { person(id: $id) { id name aliases description sources { id title } events { id name } affiliations { title organization { id name } } } }`
	get := func(id string) person {
		return query[struct {
			Person person `json:"person"`
		}](t, q, map[string]any{"id": id}).Person
	}
	c := get("cristina-tzintzun")
	equal(t, "name", c.Name, "Cristina Tzintzún")
	equal(t, "events", idsOf(c.Events), []string{webinar})
	equal(t, "description", c.Description, (*string)(nil))
	equal(t, "sources", sourceIDs(c.Sources), []string{webinarSource})
	if len(c.Affiliations) != 1 || *c.Affiliations[0].Title != "Executive Director" || c.Affiliations[0].Organization.Name != "Workers Defense Project" {
		t.Errorf("affiliations: %+v", c.Affiliations)
	}
	// "By Juan Sebastian Arias and Brittany Ramos": authors, no affiliation,
	// no event.
	j := get("juan-sebastian-arias")
	equal(t, "author's events", j.Events, []ref{})
	equal(t, "author's affiliations", len(j.Affiliations), 0)
}

func TestThemesAndPolicyLevels(t *testing.T) {
	got := query[struct {
		Themes       []ref `json:"themes"`
		PolicyLevels []struct {
			ID            string   `json:"id"`
			Name          string   `json:"name"`
			Aliases       []string `json:"aliases"`
			Sources       []src    `json:"sources"`
			Themes        []ref    `json:"themes"`
			Description   *string  `json:"description"`
			Organizations struct {
				TotalCount int   `json:"totalCount"`
				Nodes      []ref `json:"nodes"`
			} `json:"organizations"`
		} `json:"policyLevels"`
		State *ref `json:"state"`
	}](t, `{ state: policyLevel(id: "state") { id name } themes { id name } policyLevels { id name aliases description sources { id } themes { id name } organizations(first: 100) { totalCount nodes { id name } } } }`, nil)
	equal(t, "policyLevel(state)", got.State, &ref{"state", "State"})
	// 8 themes of the webinar, 11 of the chat, one in both.
	equal(t, "number of themes", len(got.Themes), 18)
	equal(t, "themes by name", namesOf(got.Themes), byName(namesOf(got.Themes)))
	levels := map[string][]string{}
	for _, l := range got.PolicyLevels {
		levels[l.ID] = idsOf(l.Themes)
		equal(t, l.ID+" organizations (the chat's)", namesOf(l.Organizations.Nodes), byName(chatOrgs))
		equal(t, l.ID+" organizations totalCount", l.Organizations.TotalCount, 40)
		equal(t, l.ID+" sources", sourceIDs(l.Sources), []string{chatSource})
	}
	equal(t, "policy levels", namesOf(func() []ref {
		var out []ref
		for _, l := range got.PolicyLevels {
			out = append(out, ref{l.ID, l.Name})
		}
		return out
	}()), []string{"Federal", "Local", "State"})
	// Takeaway 3 at every level, 4 at state and local, 5 federal ("filling
	// gaps in federal support"), 10 local and state ("cities, states").
	equal(t, "federal themes", sorted(levels["federal"]), []string{"equitable-policy-solutions", "role-of-philanthropic-funders"})
	equal(t, "state themes", sorted(levels["state"]), []string{"diverse-voices-varied-recovery", "equitable-policy-solutions", "inclusive-state-and-local-economies"})
	equal(t, "local themes", sorted(levels["local"]), []string{"diverse-voices-varied-recovery", "equitable-policy-solutions", "inclusive-state-and-local-economies"})

	type theme struct {
		ID            string                `json:"id"`
		Name          string                `json:"name"`
		Aliases       []string              `json:"aliases"`
		Description   *string               `json:"description"`
		Sources       []src                 `json:"sources"`
		Events        []ref                 `json:"events"`
		PolicyLevels  []ref                 `json:"policyLevels"`
		Figures       []struct{ ID string } `json:"figures"`
		Organizations struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool `json:"hasNextPage"`
			} `json:"pageInfo"`
			Edges []struct {
				Node ref `json:"node"`
			} `json:"edges"`
		} `json:"organizations"`
	}
	const q = `query($id: ID!) { theme(id: $id) { id name aliases description sources { id } events { id name } policyLevels { id name } figures { id }
  organizations { totalCount pageInfo { hasNextPage } edges { node { id name } } } } }`
	get := func(id string) theme {
		return query[struct {
			Theme theme `json:"theme"`
		}](t, q, map[string]any{"id": id}).Theme
	}
	c := get("cross-sector-partnerships")
	if c.Description == nil || !strings.HasPrefix(*c.Description, "Cross-sector partnerships and collaborative efforts") {
		t.Errorf("description: %v", c.Description)
	}
	equal(t, "events", sorted(idsOf(c.Events)), sorted([]string{chat, webinar}))
	equal(t, "sources", sourceIDs(c.Sources), []string{webinarSource, chatSource})
	equal(t, "policy levels", c.PolicyLevels, []ref{})
	equal(t, "organizations totalCount", c.Organizations.TotalCount, 44)
	equal(t, "first page", len(c.Organizations.Edges), 20)
	equal(t, "hasNextPage", c.Organizations.PageInfo.HasNextPage, true)

	e := get("equitable-policy-solutions")
	equal(t, "policy levels", namesOf(e.PolicyLevels), []string{"Federal", "Local", "State"})
	if e.Description == nil || !strings.Contains(*e.Description, "federal, state, and local levels") {
		t.Errorf("description: %v", e.Description)
	}
	s := get("skills-for-quality-employment")
	equal(t, "aliases", s.Aliases, []string{"Skills gap"})
	i := get("integrating-immigrants-into-the-workforce")
	equal(t, "figures", len(i.Figures), 1)
	equal(t, "figure", i.Figures[0].ID, "immigrant-share-of-workforce-growth")
	r := get("challenges-unique-to-refugee-workers")
	equal(t, "figure of takeaway 9", r.Figures[0].ID, "refugees-resettled-in-the-us")
}

func TestPlaces(t *testing.T) {
	type place struct {
		ID            string   `json:"id"`
		Name          string   `json:"name"`
		Aliases       []string `json:"aliases"`
		Description   *string  `json:"description"`
		Sources       []src    `json:"sources"`
		Organizations []ref    `json:"organizations"`
		Events        []ref    `json:"events"`
	}
	got := query[struct {
		Places   []place `json:"places"`
		Maryland place   `json:"maryland"`
	}](t, `{
  places { id name aliases description sources { id } organizations { id name } events { id name } }
  maryland: place(id: "maryland") { id name aliases description sources { id } organizations { id name } events { id name } }
}`, nil)
	var names []string
	for _, p := range got.Places {
		names = append(names, p.Name)
	}
	equal(t, "places", names, byName([]string{
		"United States", "Maryland", "Texas", "Washington", // the webinar's
		"Philadelphia", "Cleveland", "Buffalo", "St. Louis", "Boston", "Massachusetts", "Portland", "San Diego", "Pennsylvania",
	}))
	m := got.Maryland
	equal(t, "Maryland organizations", namesOf(m.Organizations), []string{"CASA de Maryland"})
	equal(t, "Maryland events", idsOf(m.Events), []string{webinar})
	equal(t, "Maryland sources", sourceIDs(m.Sources), []string{webinarSource})
	for _, p := range got.Places {
		if p.ID == "san-diego" {
			equal(t, "San Diego organizations", namesOf(p.Organizations), []string{"San Diego Grantmakers", "San Diego Workforce Partnership"})
			equal(t, "San Diego events", p.Events, []ref{})
		}
	}
}

func TestSourcesAndFigures(t *testing.T) {
	type source struct {
		ID        string  `json:"id"`
		Title     string  `json:"title"`
		URL       *string `json:"url"`
		Publisher *string `json:"publisher"`
		Published *string `json:"published"`
		Document  *string `json:"document"`
		Note      *string `json:"note"`
		Authors   []ref   `json:"authors"`
	}
	type figure struct {
		ID        string `json:"id"`
		Value     string `json:"value"`
		Statement string `json:"statement"`
		About     []struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
		} `json:"about"`
		Sources []src `json:"sources"`
	}
	const sourceFields = `id title url publisher published document note authors { id name }`
	got := query[struct {
		Sources []source `json:"sources"`
		Webinar *source  `json:"webinar"`
		Figures []figure `json:"figures"`
	}](t, `{ sources { `+sourceFields+` } webinar: source(id: "living-cities-webinar-2014") { `+sourceFields+` }
  figures { id value statement about { __typename id } sources { id title } } }`, nil)

	bySource := map[string]source{}
	for _, s := range got.Sources {
		bySource[s.ID] = s
	}
	equal(t, "number of sources", len(got.Sources), 3)
	cur := bySource[curationSource]
	if cur.Note == nil || !strings.Contains(*cur.Note, "Not a document") || cur.Document != nil {
		t.Errorf("the curation source does not say what it is: %+v", cur)
	}
	c := bySource[chatSource]
	equal(t, "chat title", c.Title, "Equitable Recovery for Immigrants and Refugees: Key Takeaways from WES’ Twitter Chat")
	equal(t, "chat published", *c.Published, "2020-07-02") // "Thursday July 2, 2020"
	equal(t, "chat publisher", *c.Publisher, "WES Mariam Assefa Fund")
	equal(t, "chat document", *c.Document, "000_c542bc40f06b320e.txt")
	equal(t, "chat url", c.URL, (*string)(nil))
	equal(t, "chat authors", c.Authors, []ref{})
	if c.Note == nil || *c.Note == "" {
		t.Error("chat source has no note")
	}

	w := got.Webinar
	if w == nil {
		t.Fatal("source(living-cities-webinar-2014) = null")
	}
	equal(t, "webinar document", *w.Document, "004_369464f5779a1d36.txt")
	equal(t, "webinar publisher", *w.Publisher, "Living Cities")
	equal(t, "webinar published", w.Published, (*string)(nil))
	// "By Juan Sebastian Arias and Brittany Ramos."
	equal(t, "webinar authors", sorted(namesOf(w.Authors)), []string{"Brittany Ramos", "Juan Sebastian Arias"})
	equal(t, "webinar source in the list", *w, bySource[webinarSource])

	equal(t, "number of figures", len(got.Figures), 2)
	for _, f := range got.Figures {
		var about []string
		for _, a := range f.About {
			about = append(about, a.Typename+":"+a.ID)
		}
		sort.Strings(about)
		switch f.ID {
		case "immigrant-share-of-workforce-growth":
			equal(t, "value", f.Value, "83%")
			equal(t, "statement", f.Statement, "Immigrants will account for 83% of US workforce growth between 2000 and 2050.")
			equal(t, "about", about, []string{"Event:" + webinar, "Place:united-states", "Theme:integrating-immigrants-into-the-workforce"})
			equal(t, "sources", sourceIDs(f.Sources), []string{webinarSource})
		case "refugees-resettled-in-the-us":
			equal(t, "value", f.Value, "three million")
			if !strings.HasPrefix(f.Statement, "Three million refugees have resettled in the U.S.") {
				t.Errorf("statement: %q", f.Statement)
			}
			equal(t, "about", about, []string{"Event:" + chat, "Place:united-states", "Theme:challenges-unique-to-refugee-workers"})
			equal(t, "sources", sourceIDs(f.Sources), []string{chatSource})
		default:
			t.Errorf("unexpected figure %q", f.ID)
		}
	}
}

// TestEveryNodeType reads each concrete type through node(id) with type
// fragments, so that every field of every type is reached from Query.node.
func TestEveryNodeType(t *testing.T) {
	got := query[struct {
		Org, Ev, Per, Th, Lv, Pl struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
			Name     string `json:"name"`
		}
	}](t, `{
  org: node(id: "casa-latina") { __typename ... on Organization { id name } }
  ev: node(id: "immigrantsthrive") { __typename ... on Event { id name } }
  per: node(id: "helen-stern") { __typename ...person }
  th: node(id: "digital-inclusion") { __typename ... on Theme { id name } }
  lv: node(id: "local") { __typename ... on PolicyLevel { id name } }
  pl: node(id: "texas") { __typename ... on Place { id name } }
}
fragment person on Person { id name }`, nil)
	equal(t, "types", []string{got.Org.Typename, got.Ev.Typename, got.Per.Typename, got.Th.Typename, got.Lv.Typename, got.Pl.Typename},
		[]string{"Organization", "Event", "Person", "Theme", "PolicyLevel", "Place"})
	equal(t, "names", []string{got.Org.Name, got.Ev.Name, got.Per.Name, got.Th.Name, got.Lv.Name, got.Pl.Name},
		[]string{"Casa Latina", "#ImmigrantsThrive", "Helen Stern", "Digital inclusion", "Local", "Texas"})
}
