package resolvers_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// The network questions on the seed graph. The answers follow from the
// two seed documents: the chat's 40 organizations (2 hosts, 38
// participants) discussed 11 themes, 4 of them tied to policy levels; the
// webinar's 5 organizations (host and 4 presenters) discussed 8 themes tied
// to no level; Workers Defense Project took part in both; the one theme
// both events discussed is cross-sector partnerships.

const crossSector = "cross-sector-partnerships"

type themeLinkOut struct {
	Stated bool  `json:"stated"`
	Via    []ref `json:"via"`
}

type sharedThemeOut struct {
	Theme ref          `json:"theme"`
	A     themeLinkOut `json:"a"`
	B     themeLinkOut `json:"b"`
}

type pathOut struct {
	Length int `json:"length"`
	Steps  []struct {
		Node     ref     `json:"node"`
		Relation *string `json:"relation"`
		Source   *src    `json:"source"`
	} `json:"steps"`
}

// walk writes a path as "a -rel-> b", checking that every relation has a source.
func walk(t *testing.T, p pathOut) string {
	t.Helper()
	var b strings.Builder
	for _, st := range p.Steps {
		b.WriteString(st.Node.ID)
		if st.Relation != nil {
			b.WriteString(" -" + *st.Relation + "-> ")
			if st.Source == nil {
				t.Errorf("the relation from %s has no source", st.Node.ID)
			}
		}
	}
	equal(t, "length", p.Length, len(p.Steps)-1)
	return b.String()
}

func TestIntroductionsForCasaLatina(t *testing.T) {
	// Casa Latina presented at the webinar only; its themes are the
	// webinar's, of which only cross-sector partnerships was also a theme
	// of the chat, and none has a policy level. So every organization of
	// the chat except Workers Defense Project (met at the webinar) shares
	// exactly that theme: score 2, equal for all, by name.
	const q = `query($id: ID!, $first: Int) {
		introductions(organization: $id, first: $first) {
			organization { id name }
			score
			themes { theme { id } a { stated via { id } } b { stated via { id } } }
			policyLevels { id }
		}
	}`
	type out struct {
		Introductions []struct {
			Organization ref              `json:"organization"`
			Score        int              `json:"score"`
			Themes       []sharedThemeOut `json:"themes"`
			PolicyLevels []ref            `json:"policyLevels"`
		} `json:"introductions"`
	}
	got := query[out](t, q, map[string]any{"id": "casa-latina", "first": 50}).Introductions
	want := byName(without(chatOrgs, "Workers Defense Project"))
	var names []string
	for _, in := range got {
		names = append(names, in.Organization.Name)
		equal(t, in.Organization.ID+" score", in.Score, 2)
		equal(t, in.Organization.ID+" levels", len(in.PolicyLevels), 0)
		if len(in.Themes) != 1 {
			t.Fatalf("%s: themes %+v", in.Organization.ID, in.Themes)
		}
		th := in.Themes[0]
		equal(t, "shared theme", th.Theme.ID, crossSector)
		equal(t, "why Casa Latina has it", [2]any{th.A.Stated, idsOf(th.A.Via)}, [2]any{false, []string{webinar}})
		equal(t, "why "+in.Organization.ID+" has it", [2]any{th.B.Stated, idsOf(th.B.Via)}, [2]any{false, []string{chat}})
	}
	equal(t, "introductions of Casa Latina", names, want)

	// first cuts the ranked list; the default is 10.
	short := query[out](t, q, map[string]any{"id": "casa-latina", "first": 2}).Introductions
	equal(t, "first 2", len(short), 2)
	equal(t, "first 2 names", []string{short[0].Organization.Name, short[1].Organization.Name}, want[:2])
	def := query[out](t, q, map[string]any{"id": "casa-latina"}).Introductions
	equal(t, "default first", len(def), 10)

	// Upwardly Global (chat only) should meet the four webinar
	// organizations it never met, through the same theme.
	ug := query[out](t, q, map[string]any{"id": "upwardly-global"}).Introductions
	names = nil
	for _, in := range ug {
		names = append(names, in.Organization.Name)
	}
	equal(t, "introductions of Upwardly Global", names, byName(without(webinarOrgs, "Workers Defense Project")))

	onlyError(t, queryRaw(t, q, map[string]any{"id": chat}), "NOT_FOUND")
	onlyError(t, queryRaw(t, q, map[string]any{"id": "casa-latina", "first": 101}), "LIMIT_EXCEEDED")
}

func TestCommonGroundOfCasaDeMarylandAndUpwardlyGlobal(t *testing.T) {
	// CASA de Maryland presented at the webinar; Upwardly Global took part
	// in the chat. No shared event, place (CASA is in Maryland, Upwardly
	// Global has none) or level (the webinar's themes have none); the
	// shared theme is cross-sector partnerships; the one organization that
	// met both is Workers Defense Project, and the shortest path goes
	// through it.
	const q = `query($a: ID!, $b: ID!) {
		commonGround(a: $a, b: $b) {
			a { id } b { id }
			events { id }
			themes { theme { id } a { stated via { id } } b { stated via { id } } }
			policyLevels { id }
			places { id }
			partners { id name }
			path { length steps { node { id } relation source { id title } } }
		}
	}`
	type out struct {
		CommonGround struct {
			A, B         ref
			Events       []ref            `json:"events"`
			Themes       []sharedThemeOut `json:"themes"`
			PolicyLevels []ref            `json:"policyLevels"`
			Places       []ref            `json:"places"`
			Partners     []ref            `json:"partners"`
			Path         *pathOut         `json:"path"`
		} `json:"commonGround"`
	}
	cg := query[out](t, q, map[string]any{"a": "casa-de-maryland", "b": "upwardly-global"}).CommonGround
	equal(t, "a, b", []string{cg.A.ID, cg.B.ID}, []string{"casa-de-maryland", "upwardly-global"})
	equal(t, "events", len(cg.Events), 0)
	equal(t, "levels", len(cg.PolicyLevels), 0)
	equal(t, "places", len(cg.Places), 0)
	equal(t, "partners in common", namesOf(cg.Partners), []string{"Workers Defense Project"})
	if len(cg.Themes) != 1 || cg.Themes[0].Theme.ID != crossSector ||
		!slices.Equal(idsOf(cg.Themes[0].A.Via), []string{webinar}) || !slices.Equal(idsOf(cg.Themes[0].B.Via), []string{chat}) {
		t.Errorf("themes: %+v", cg.Themes)
	}
	if cg.Path == nil {
		t.Fatal("no path")
	}
	equal(t, "path", walk(t, *cg.Path), "casa-de-maryland -presentedAt-> "+webinar+" -hadPresenter-> "+wdp+" -participatedIn-> "+chat+" -hadParticipant-> upwardly-global")
	equal(t, "sources of the path", cg.Path.Steps[0].Source.ID+","+cg.Path.Steps[3].Source.ID, webinarSource+","+chatSource)

	// Two chat organizations share the chat, its 11 themes and the three
	// levels its themes are tied to, and every other chat organization.
	both := query[out](t, q, map[string]any{"a": "upwardly-global", "b": "world-education"}).CommonGround
	equal(t, "events", idsOf(both.Events), []string{chat})
	equal(t, "themes", len(both.Themes), 11)
	equal(t, "levels", idsOf(both.PolicyLevels), []string{"federal", "local", "state"})
	equal(t, "partners in common", len(both.Partners), 38)
	equal(t, "path", walk(t, *both.Path), "upwardly-global -participatedIn-> "+chat+" -hadParticipant-> world-education")

	onlyError(t, queryRaw(t, q, map[string]any{"a": "casa-de-maryland", "b": "maryland"}), "NOT_FOUND")
	onlyError(t, queryRaw(t, q, map[string]any{"a": "casa-latina", "b": "casa-latina"}), "BAD_USER_INPUT")
}

func TestNeighborhoodOfCasaLatina(t *testing.T) {
	const q = `query($id: ID!, $depth: Int, $relations: [String!], $limit: Int) {
		neighborhood(id: $id, depth: $depth, relations: $relations, limit: $limit) {
			center { id }
			truncated
			nodes { depth node { __typename id } }
			edges { from { id } to { id } relation direction source { id } }
		}
	}`
	type out struct {
		Neighborhood struct {
			Center    ref  `json:"center"`
			Truncated bool `json:"truncated"`
			Nodes     []struct {
				Depth int `json:"depth"`
				Node  struct {
					Typename string `json:"__typename"`
					ID       string `json:"id"`
				} `json:"node"`
			} `json:"nodes"`
			Edges []struct {
				From      ref    `json:"from"`
				To        ref    `json:"to"`
				Relation  string `json:"relation"`
				Direction string `json:"direction"`
				Source    src    `json:"source"`
			} `json:"edges"`
		} `json:"neighborhood"`
	}
	render := func(v map[string]any) (nodes, edges []string, truncated bool) {
		h := query[out](t, q, v).Neighborhood
		equal(t, "center", h.Center.ID, v["id"].(string))
		for _, n := range h.Nodes {
			nodes = append(nodes, n.Node.Typename+" "+n.Node.ID+" "+string(rune('0'+n.Depth)))
		}
		for _, e := range h.Edges {
			edges = append(edges, e.From.ID+" -"+e.Relation+"-> "+e.To.ID+" "+e.Direction+" "+e.Source.ID)
		}
		return nodes, edges, h.Truncated
	}
	// Casa Latina: its Executive Director Helen Stern, and the webinar it presented at.
	nodes, edges, truncated := render(map[string]any{"id": "casa-latina"})
	equal(t, "nodes", nodes, []string{"Organization casa-latina 0", "Person helen-stern 1", "Event " + webinar + " 1"})
	equal(t, "edges", edges, []string{
		"helen-stern -memberOf-> casa-latina INCOMING " + webinarSource,
		"casa-latina -presentedAt-> " + webinar + " OUTGOING " + webinarSource,
	})
	equal(t, "truncated", truncated, false)

	// Through events only, two steps: the webinar, then its host and the
	// three other presenters (by relation name: hadPresenter, then hostedBy).
	nodes, _, truncated = render(map[string]any{"id": "casa-latina", "depth": 2, "relations": []string{"hosted", "participatedIn", "presentedAt"}})
	equal(t, "nodes through events", nodes, []string{
		"Organization casa-latina 0", "Event " + webinar + " 1",
		"Organization casa-de-maryland 2", "Organization national-skills-coalition 2", "Organization " + wdp + " 2", "Organization living-cities 2",
	})
	equal(t, "truncated", truncated, false)
	nodes, _, truncated = render(map[string]any{"id": "casa-latina", "depth": 2, "relations": []string{"presentedAt"}, "limit": 3})
	equal(t, "nodes cut by the limit", nodes, []string{"Organization casa-latina 0", "Event " + webinar + " 1", "Organization casa-de-maryland 2"})
	equal(t, "truncated", truncated, true)

	onlyError(t, queryRaw(t, q, map[string]any{"id": "nobody"}), "NOT_FOUND")
	onlyError(t, queryRaw(t, q, map[string]any{"id": "casa-latina", "depth": 4}), "LIMIT_EXCEEDED")
	onlyError(t, queryRaw(t, q, map[string]any{"id": "casa-latina", "limit": 1001}), "LIMIT_EXCEEDED")
	e := onlyError(t, queryRaw(t, q, map[string]any{"id": "casa-latina", "relations": []string{"fundedBy"}}), "BAD_USER_INPUT")
	if !strings.Contains(e.Message, `unknown relation "fundedBy"`) {
		t.Errorf("message %q", e.Message)
	}
}

func TestPathsFromCasaLatinaToWES(t *testing.T) {
	// The WES Mariam Assefa Fund's only relation is hosting the chat, and
	// Casa Latina's are Helen Stern and the webinar: the two paths of 4
	// go from the webinar to the chat through what both events had, Workers
	// Defense Project and cross-sector partnerships; the third has 5.
	const q = `query($from: ID!, $to: ID!, $first: Int, $maxHops: Int, $relations: [String!]) {
		paths(from: $from, to: $to, first: $first, maxHops: $maxHops, relations: $relations) {
			length steps { node { id } relation source { id } }
		}
		path(from: $from, to: $to, maxHops: $maxHops, relations: $relations) {
			length steps { node { id } relation source { id } }
		}
	}`
	type out struct {
		Paths []pathOut `json:"paths"`
		Path  *pathOut  `json:"path"`
	}
	vars := map[string]any{"from": "casa-latina", "to": "wes-mariam-assefa-fund"}
	got := query[out](t, q, vars)
	var walks []string
	for _, p := range got.Paths {
		walks = append(walks, walk(t, p))
	}
	equal(t, "paths", walks, []string{
		"casa-latina -presentedAt-> " + webinar + " -hadPresenter-> " + wdp + " -participatedIn-> " + chat + " -hostedBy-> wes-mariam-assefa-fund",
		"casa-latina -presentedAt-> " + webinar + " -theme-> " + crossSector + " -themeOf-> " + chat + " -hostedBy-> wes-mariam-assefa-fund",
		"casa-latina -hasMember-> helen-stern -spokeAt-> " + webinar + " -hadPresenter-> " + wdp + " -participatedIn-> " + chat + " -hostedBy-> wes-mariam-assefa-fund",
	})
	equal(t, "path is the first of paths", walk(t, *got.Path), walks[0])

	// Only through events: one path, the one through Workers Defense Project.
	vars["relations"] = []string{"hosted", "participatedIn", "presentedAt"}
	vars["first"] = 5
	got = query[out](t, q, vars)
	equal(t, "paths through events", len(got.Paths), 1)
	equal(t, "through events", walk(t, got.Paths[0]), walks[0])
	equal(t, "path through events", walk(t, *got.Path), walks[0])

	// Only through themes: Casa Latina has no stated theme, so no path.
	vars["relations"] = []string{"theme"}
	got = query[out](t, q, vars)
	equal(t, "paths through themes", len(got.Paths), 0)
	if got.Path != nil {
		t.Errorf("path through themes: %+v", got.Path)
	}
	vars["maxHops"] = 3
	vars["relations"] = nil
	got = query[out](t, q, vars)
	equal(t, "no path of 3", len(got.Paths), 0)

	onlyError(t, queryRaw(t, q, map[string]any{"from": "casa-latina", "to": "wes-mariam-assefa-fund", "first": 11}), "LIMIT_EXCEEDED")
	resp := queryRaw(t, q, map[string]any{"from": "casa-latina", "to": "wes-mariam-assefa-fund", "relations": []string{"likes"}})
	if len(resp.Errors) != 2 || resp.Errors[0].code() != "BAD_USER_INPUT" || resp.Errors[1].code() != "BAD_USER_INPUT" {
		t.Errorf("unknown relation: want BAD_USER_INPUT for path and paths, got %+v", resp.Errors)
	}
}

type facetOut struct {
	Node  ref `json:"node"`
	Count int `json:"count"`
}

type facetsOut struct {
	Total             int        `json:"total"`
	Themes            []facetOut `json:"themes"`
	PolicyLevels      []facetOut `json:"policyLevels"`
	Places            []facetOut `json:"places"`
	Events            []facetOut `json:"events"`
	ThemePolicyLevels []struct {
		Theme       ref `json:"theme"`
		PolicyLevel ref `json:"policyLevel"`
		Count       int `json:"count"`
	} `json:"themePolicyLevels"`
}

const facetsFields = `total
	themes { node { id name } count }
	policyLevels { node { id } count }
	places { node { id } count }
	events { node { id } count }
	themePolicyLevels { theme { id } policyLevel { id } count }`

func counts(list []facetOut) map[string]int {
	out := map[string]int{}
	for _, f := range list {
		out[f.Node.ID] = f.Count
	}
	return out
}

func TestFacets(t *testing.T) {
	type out struct {
		Facets        facetsOut `json:"facets"`
		Organizations struct {
			TotalCount int       `json:"totalCount"`
			Nodes      []ref     `json:"nodes"`
			Facets     facetsOut `json:"facets"`
		} `json:"organizations"`
	}
	got := query[out](t, `query { facets { `+facetsFields+` }
		organizations(filter: {places: ["san-diego"]}, first: 1) { totalCount nodes { id } facets { `+facetsFields+` } } }`, nil)

	// The whole graph: 44 organizations (40 of the chat, 5 of the
	// webinar, Workers Defense Project in both).
	f := got.Facets
	equal(t, "total", f.Total, 44)
	th := counts(f.Themes)
	equal(t, "themes", len(th), 11+8-1)
	equal(t, "cross-sector partnerships (both events)", th[crossSector], 44)
	equal(t, "first theme", f.Themes[0].Node.ID, crossSector)
	equal(t, "digital inclusion (the chat's)", th["digital-inclusion"], 40)
	equal(t, "skills for quality employment (the webinar's)", th["skills-for-quality-employment"], 5)
	// Only the chat's themes have levels: its 40 organizations are at all three.
	equal(t, "levels", counts(f.PolicyLevels), map[string]int{"federal": 40, "state": 40, "local": 40})
	equal(t, "events", counts(f.Events), map[string]int{chat: 40, webinar: 5})
	pl := counts(f.Places)
	equal(t, "San Diego (Grantmakers and Workforce Partnership)", pl["san-diego"], 2)
	equal(t, "Maryland (CASA de Maryland)", pl["maryland"], 1)
	equal(t, "first place", f.Places[0].Node.ID, "san-diego")
	// Workers Defense Project alone has a webinar theme and a level (of a chat theme).
	cell := map[string]int{}
	for _, c := range f.ThemePolicyLevels {
		cell[c.Theme.ID+"×"+c.PolicyLevel.ID] = c.Count
	}
	equal(t, "digital inclusion × state", cell["digital-inclusion×state"], 40)
	equal(t, "cross-sector partnerships × local", cell[crossSector+"×local"], 40)
	equal(t, "barriers to quality jobs × federal", cell["barriers-to-quality-jobs×federal"], 1)
	equal(t, "cells", len(f.ThemePolicyLevels), 11*3+7*3)

	// A filtered list: the facets count the whole list, not the page.
	o := got.Organizations
	equal(t, "San Diego total", o.TotalCount, 2)
	equal(t, "page", len(o.Nodes), 1)
	equal(t, "facets total", o.Facets.Total, 2)
	equal(t, "San Diego places", counts(o.Facets.Places), map[string]int{"san-diego": 2})
	equal(t, "San Diego events", counts(o.Facets.Events), map[string]int{chat: 2})
	equal(t, "San Diego themes", len(o.Facets.Themes), 11)
	equal(t, "San Diego levels", counts(o.Facets.PolicyLevels), map[string]int{"federal": 2, "state": 2, "local": 2})

	// Facets are counted on Query.organizations only.
	resp := queryRaw(t, `{ theme(id: "digital-inclusion") { organizations { facets { total } } } }`, nil)
	onlyError(t, resp, "BAD_USER_INPUT")

	// first keeps the largest counts of each list.
	top := query[out](t, `query { facets(first: 2) { `+facetsFields+` }
		organizations(filter: {places: ["san-diego"]}, first: 1) { totalCount nodes { id } facets(first: 1) { `+facetsFields+` } } }`, nil)
	equal(t, "first 2 themes", top.Facets.Themes, f.Themes[:2])
	equal(t, "first 2 places", top.Facets.Places, f.Places[:2])
	equal(t, "first 2 cells", top.Facets.ThemePolicyLevels, f.ThemePolicyLevels[:2])
	equal(t, "first 2, total", top.Facets.Total, 44)
	equal(t, "San Diego, first theme", top.Organizations.Facets.Themes, o.Facets.Themes[:1])
	equal(t, "San Diego, first event", top.Organizations.Facets.Events, o.Facets.Events[:1])
	onlyError(t, queryRaw(t, `{ facets(first: 0) { total } }`, nil), "BAD_USER_INPUT")
}

func TestOrderBy(t *testing.T) {
	const q = `query($first: Int, $after: String, $order: OrganizationOrder) {
		organizations(first: $first, after: $after, orderBy: $order) {
			totalCount pageInfo { hasNextPage endCursor } nodes { id name }
		}
	}`
	type out struct {
		Organizations struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool    `json:"hasNextPage"`
				EndCursor   *string `json:"endCursor"`
			} `json:"pageInfo"`
			Nodes []ref `json:"nodes"`
		} `json:"organizations"`
	}
	all := func(order string, first int) []string {
		var names []string
		vars := map[string]any{"first": first, "order": order}
		for range 50 {
			o := query[out](t, q, vars).Organizations
			equal(t, "total", o.TotalCount, 44)
			names = append(names, namesOf(o.Nodes)...)
			if !o.PageInfo.HasNextPage {
				return names
			}
			vars["after"] = *o.PageInfo.EndCursor
		}
		t.Fatal("too many pages")
		return nil
	}
	everyone := byName(union(chatOrgs, webinarOrgs))
	// Workers Defense Project has 43 partners and 2 events; each other chat
	// organization 39 partners, each other webinar organization 4; every
	// one of them took part in one event.
	chatOnly := byName(without(chatOrgs, "Workers Defense Project"))
	webinarOnly := byName(without(webinarOrgs, "Workers Defense Project"))
	byDegree := append(append([]string{"Workers Defense Project"}, chatOnly...), webinarOnly...)
	byEvents := append([]string{"Workers Defense Project"}, without(everyone, "Workers Defense Project")...)
	for _, first := range []int{7, 100} {
		equal(t, "by NAME", all("NAME", first), everyone)
		equal(t, "by DEGREE", all("DEGREE", first), byDegree)
		equal(t, "by EVENTS", all("EVENTS", first), byEvents)
	}
	// A cursor of one order does not fit another.
	o := query[out](t, q, map[string]any{"first": 1, "order": "DEGREE"}).Organizations
	onlyError(t, queryRaw(t, q, map[string]any{"first": 1, "order": "EVENTS", "after": *o.PageInfo.EndCursor}), "BAD_USER_INPUT")

	// Partners of Casa Latina: the four other webinar organizations, one
	// shared event each; by DEGREE Workers Defense Project (43) comes first.
	const pq = `query($order: OrganizationOrder) {
		organization(id: "casa-latina") { partners(orderBy: $order) { nodes { name } } }
	}`
	type pout struct {
		Organization struct {
			Partners struct {
				Nodes []ref `json:"nodes"`
			} `json:"partners"`
		} `json:"organization"`
	}
	partners := func(order any) []string {
		return namesOf(query[pout](t, pq, map[string]any{"order": order}).Organization.Partners.Nodes)
	}
	others := byName(without(webinarOrgs, "Casa Latina"))
	equal(t, "partners, strongest tie first (one event each), then by name", partners(nil), others)
	equal(t, "partners by NAME", partners("NAME"), others)
	byTies := append([]string{"Workers Defense Project"}, without(others, "Workers Defense Project")...)
	equal(t, "partners by DEGREE", partners("DEGREE"), byTies)
	equal(t, "partners by EVENTS", partners("EVENTS"), byTies)
}

func TestThemeHierarchy(t *testing.T) {
	// The seed has no theme hierarchy; a user's taxonomy file adds one.
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	taxonomy := fstest.MapFS{"taxonomy.yaml": {Data: []byte(`source:
  id: my-taxonomy
  title: My taxonomy of themes
themes:
  - name: Economic inclusion
  - name: Digital inclusion
    broader: [economic-inclusion]
  - name: Skills for quality employment
    broader: [economic-inclusion]
`)}}
	files := append(loader.FromFS(data.Seed, names...), loader.FromFS(taxonomy, "taxonomy.yaml")...)
	if _, err := loader.Load(ctx, store, files...); err != nil {
		t.Fatal(err)
	}
	h := resolvers.NewHandler(store, resolvers.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	_, resp := post(t, h, `{
		broad: theme(id: "economic-inclusion") { broader { id } narrower { id } }
		digital: theme(id: "digital-inclusion") { broader { id } narrower { id } }
		organizations(filter: {themes: ["economic-inclusion"]}, first: 1) { totalCount }
		both: organizations(filter: {themes: ["economic-inclusion", "role-of-the-public-sector"]}) { nodes { name } }
		any: organizations(filter: {anyThemes: ["economic-inclusion"]}, first: 1) { totalCount }
		neighborhood(id: "economic-inclusion", relations: ["narrower"]) { nodes { node { id } } }
	}`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	want := `{"broad":{"broader":[],"narrower":[{"id":"digital-inclusion"},{"id":"skills-for-quality-employment"}]},` +
		`"digital":{"broader":[{"id":"economic-inclusion"}],"narrower":[]},` +
		// digital inclusion: the chat's 40; skills for quality employment: the webinar's 5; Workers Defense Project in both.
		`"organizations":{"totalCount":44},` +
		`"both":{"nodes":[{"name":"CASA de Maryland"},{"name":"Casa Latina"},{"name":"Living Cities"},{"name":"National Skills Coalition"},{"name":"Workers Defense Project"}]},` +
		`"any":{"totalCount":44},` +
		`"neighborhood":{"nodes":[{"node":{"id":"economic-inclusion"}},{"node":{"id":"digital-inclusion"}},{"node":{"id":"skills-for-quality-employment"}}]}}`
	equal(t, "answer", string(resp.Data), want)
}
