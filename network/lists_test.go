package network

import (
	"fmt"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// allPages pages through organizations in an order, first at a time.
func allPages(t *testing.T, s *view.Snapshot, f graph.OrganizationFilter, order graph.Order, first int) []string {
	t.Helper()
	var seen []string
	after := ""
	for range 20 {
		conn, err := Organizations(s, f, graph.Page{First: first, After: after, Order: order}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "cursors", len(conn.Cursors), len(conn.Items))
		seen = append(seen, ids(conn.Items)...)
		if !conn.HasNextPage {
			return seen
		}
		after = conn.Cursors[len(conn.Cursors)-1]
	}
	t.Fatal("more than 20 pages")
	return nil
}

// partnerPages pages through the partners of org in an order.
func partnerPages(t *testing.T, s *view.Snapshot, org string, order graph.Order, first int) (got []string, total int) {
	t.Helper()
	after := ""
	for range 50 {
		conn, err := Partners(s, org, graph.Page{First: first, After: after, Order: order})
		if err != nil {
			t.Fatal(err)
		}
		total = conn.TotalCount
		for _, p := range conn.Items {
			got = append(got, p.Organization.ID)
		}
		if !conn.HasNextPage {
			return got, total
		}
		after = conn.Cursors[len(conn.Cursors)-1]
	}
	t.Fatal("more than 50 pages")
	return nil, 0
}

func TestOrderedOrganizations(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		order graph.Order
		f     graph.OrganizationFilter
		want  []string
	}{
		{"", graph.OrganizationFilter{}, []string{"ada", "bea", "cal", "dov", "eli", "fay", "gus"}},
		{graph.OrderName, graph.OrganizationFilter{}, []string{"ada", "bea", "cal", "dov", "eli", "fay", "gus"}},
		// partners: dov 3, ada 2, cal 2, bea 1, the others 0.
		{graph.OrderDegree, graph.OrganizationFilter{}, []string{"dov", "ada", "cal", "bea", "eli", "fay", "gus"}},
		// events: dov 2, ada bea cal eli 1, fay gus 0.
		{graph.OrderEvents, graph.OrganizationFilter{}, []string{"dov", "ada", "bea", "cal", "eli", "fay", "gus"}},
		{graph.OrderDegree, graph.OrganizationFilter{Places: []string{"ohio"}}, []string{"ada", "bea", "gus"}},
	} {
		for _, first := range []int{1, 2, 3, 100} {
			eq(t, fmt.Sprintf("%s by %d", tc.order, first), allPages(t, s, tc.f, tc.order, first), tc.want)
		}
	}
	for _, tc := range []struct {
		page graph.Page
		code graph.Code
	}{
		{graph.Page{First: 1, Order: "SIZE"}, graph.CodeInvalid},
		{graph.Page{First: 101, Order: graph.OrderDegree}, graph.CodeLimit},
		{graph.Page{First: -1, Order: graph.OrderEvents}, graph.CodeInvalid},
		{graph.Page{First: 1, Order: graph.OrderDegree, After: graph.Cursor("ada")}, graph.CodeInvalid},
		{graph.Page{First: 1, Order: graph.OrderDegree, After: "garbage!"}, graph.CodeInvalid},
	} {
		_, err := Organizations(s, graph.OrganizationFilter{}, tc.page, nil)
		eq(t, fmt.Sprintf("code for %+v", tc.page), graph.ErrorCode(err), tc.code)
		_, err = Partners(s, "dov", tc.page)
		eq(t, fmt.Sprintf("partners code for %+v", tc.page), graph.ErrorCode(err), tc.code)
	}
	// A cursor of one order does not fit another.
	byDegree, _ := Organizations(s, graph.OrganizationFilter{}, graph.Page{First: 2, Order: graph.OrderDegree}, nil)
	_, err := Organizations(s, graph.OrganizationFilter{}, graph.Page{First: 2, Order: graph.OrderEvents, After: byDegree.Cursors[1]}, nil)
	eq(t, "degree cursor under EVENTS", graph.ErrorCode(err), graph.CodeInvalid)

	// Partners in an order.
	for _, tc := range []struct {
		order graph.Order
		want  []string
	}{
		{"", []string{"ada", "bea", "cal"}}, // one shared event each: by name
		{graph.OrderName, []string{"ada", "bea", "cal"}},
		{graph.OrderDegree, []string{"ada", "cal", "bea"}},
		{graph.OrderEvents, []string{"ada", "bea", "cal"}},
	} {
		for _, first := range []int{1, 2, 100} {
			got, total := partnerPages(t, s, "dov", tc.order, first)
			eq(t, "partner total", total, 3)
			eq(t, fmt.Sprintf("dov's partners by %q, %d a page", tc.order, first), got, tc.want)
		}
	}

	// A cursor carries its sort key: after a write that changes the order,
	// the next page continues after the place the cursor's item had,
	// without repeats. The new snapshot has degrees and facets of its own.
	Warm(s)
	first, err := Organizations(s, graph.OrganizationFilter{}, graph.Page{First: 2, Order: graph.OrderDegree}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "first page by degree", ids(first.Items), []string{"dov", "ada"})
	later := write(t, s, &graph.Batch{
		Source: graph.Source{ID: "later", Title: "Later source"},
		Nodes:  []graph.NodeRecord{{ID: "gala", Type: graph.TypeEvent, Name: "Gala", EventKind: "gala"}},
		Links: []graph.Link{
			{From: "bea", Relation: graph.RelParticipatedIn, To: "gala"},
			{From: "eli", Relation: graph.RelParticipatedIn, To: "gala"},
		},
	})
	next, err := Organizations(later, graph.OrganizationFilter{}, graph.Page{First: 3, After: first.Cursors[1], Order: graph.OrderDegree}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Now: dov 3, ada 2, bea 2, cal 2, eli 1, fay 0, gus 0.
	eq(t, "next page after the write", ids(next.Items), []string{"bea", "cal", "eli"})
	f, err := Facets(later, nil, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "event facets after the write", facetString(f.Events), "forum=3 gala=2 summit=2 meetup=1")
	// The snapshot before the write still answers as it did.
	f, err = Facets(s, nil, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "event facets of the earlier snapshot", facetString(f.Events), "forum=3 summit=2 meetup=1")
}

func TestThemeTreeFilter(t *testing.T) {
	s := networkGraph(t)
	for _, tc := range []struct {
		name string
		f    graph.OrganizationFilter
		want []string
	}{
		// work ⊃ skills ⊃ coding: fay (work), ada cal gus (skills), eli (coding, derived).
		{"broad theme includes narrower ones, transitively", graph.OrganizationFilter{Themes: []string{"work"}}, []string{"ada", "cal", "eli", "fay", "gus"}},
		{"one level down", graph.OrganizationFilter{Themes: []string{"skills"}}, []string{"ada", "cal", "eli", "gus"}},
		{"a narrow theme does not include broader ones", graph.OrganizationFilter{Themes: []string{"coding"}}, []string{"eli"}},
		{"every one of two themes", graph.OrganizationFilter{Themes: []string{"work", "jobs"}}, []string{"ada", "cal", "gus"}},
		{"anyThemes", graph.OrganizationFilter{AnyThemes: []string{"skills", "finance"}}, []string{"ada", "bea", "cal", "dov", "eli", "gus"}},
	} {
		conn, err := Organizations(s, tc.f, graph.Page{First: 20}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, tc.name, ids(conn.Items), tc.want)
	}
	// A cycle of broader relations (work broader than coding) ends the walk.
	s = write(t, s, &graph.Batch{
		Source: graph.Source{ID: "cycle", Title: "Cycle"},
		Links:  []graph.Link{{From: "work", Relation: graph.RelBroader, To: "coding"}},
	})
	conn, err := Organizations(s, graph.OrganizationFilter{Themes: []string{"coding"}}, graph.Page{First: 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "coding after the cycle", ids(conn.Items), []string{"ada", "cal", "eli", "fay", "gus"})
}

// The tests below run on testdata/small.nq, drawn at its top.

func TestOrganizationsFilter(t *testing.T) {
	s := smallGraph(t)
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
		{"short query: start of a word", graph.OrganizationFilter{NameContains: "ce"}, []string{"alpha"}, ""},
		{"short query inside a word does not match", graph.OrganizationFilter{NameContains: "nd"}, []string{}, ""},
		{"combined", graph.OrganizationFilter{Themes: []string{"digital"}, Places: []string{"texas"}}, []string{"alpha"}, ""},
		{"nothing matches", graph.OrganizationFilter{Places: []string{"texas"}, Events: []string{"chat"}, NameContains: "delta"}, []string{}, ""},
		{"nameContains too long", graph.OrganizationFilter{NameContains: strings.Repeat("a", 201)}, nil, graph.CodeLimit},
		{"unknown theme", graph.OrganizationFilter{Themes: []string{"nope"}}, nil, graph.CodeInvalid},
		{"unknown anyTheme", graph.OrganizationFilter{AnyThemes: []string{"nope"}}, nil, graph.CodeInvalid},
		{"wrong type", graph.OrganizationFilter{Places: []string{"chat"}}, nil, graph.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := Organizations(s, tc.filter, graph.Page{First: 20}, nil)
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
}

// TestNameMatcher checks that a matcher given answers nameContains, and
// that ids it returns of other types are left out.
func TestNameMatcher(t *testing.T) {
	s := smallGraph(t)
	var asked []string
	match := func(q string) []string {
		asked = append(asked, q)
		return []string{"gamma", "chat", "alpha", "nope"}
	}
	conn, err := Organizations(s, graph.OrganizationFilter{NameContains: "Whatever", Places: []string{"texas"}}, graph.Page{First: 20}, match)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "matched in texas, by name", ids(conn.Items), []string{"alpha", "gamma"})
	eq(t, "queries", asked, []string{"Whatever"})
	f, err := Facets(s, &graph.OrganizationFilter{NameContains: "x"}, 0, match)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "facets total", f.Total, 2)
}

func TestPaging(t *testing.T) {
	s := smallGraph(t)
	var seen []string
	after := ""
	for range 3 {
		conn, err := Organizations(s, graph.OrganizationFilter{}, graph.Page{First: 3, After: after}, nil)
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
		_, err := Organizations(s, graph.OrganizationFilter{}, tc.page, nil)
		eq(t, "code for "+tc.page.After, graph.ErrorCode(err), tc.code)
	}
}

func TestPartners(t *testing.T) {
	s := smallGraph(t)
	conn, err := Partners(s, "beta", graph.Page{First: 10, Shared: graph.SharedAll})
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
	next, err := Partners(s, "beta", graph.Page{First: 1, After: conn.Cursors[0]})
	if err != nil || len(next.Items) != 1 || next.Items[0].Organization.ID != "gamma" || !next.HasNextPage {
		t.Errorf("second page: %+v %v", next, err)
	}
	for _, id := range []string{"nope", "chat"} {
		none, err := Partners(s, id, graph.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "partners of "+id, none.TotalCount, 0)
	}
	_, err = Partners(s, "beta", graph.Page{First: 1, After: graph.Cursor("chat")})
	eq(t, "a cursor that is no partner", graph.ErrorCode(err), graph.CodeInvalid)
}

// TestPartnersComputeOnlyWhatIsShared checks that Partners computes a
// partner's shared events and themes only when the page asks for them.
func TestPartnersComputeOnlyWhatIsShared(t *testing.T) {
	s := smallGraph(t)
	for _, tc := range []struct {
		shared graph.Shared
		want   []string // partner:shared events:shared themes
	}{
		{0, []string{"alpha::", "gamma::", "fund::"}},
		{graph.SharedEvents, []string{"alpha:chat,webinar:", "gamma:webinar:", "fund:chat:"}},
		{graph.SharedThemes, []string{"alpha::digital,partnerships", "gamma::partnerships", "fund::digital"}},
		{graph.SharedAll, []string{"alpha:chat,webinar:digital,partnerships", "gamma:webinar:partnerships", "fund:chat:digital"}},
	} {
		conn, err := Partners(s, "beta", graph.Page{First: 10, Shared: tc.shared})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range conn.Items {
			if tc.shared&graph.SharedEvents == 0 && p.SharedEvents != nil || tc.shared&graph.SharedThemes == 0 && p.SharedThemes != nil {
				t.Errorf("shared %b: %s has parts not asked for: %v %v", tc.shared, p.Organization.ID, ids(p.SharedEvents), ids(p.SharedThemes))
			}
			got = append(got, p.Organization.ID+":"+strings.Join(ids(p.SharedEvents), ",")+":"+strings.Join(ids(p.SharedThemes), ","))
		}
		eq(t, fmt.Sprintf("beta's partners, shared %b", tc.shared), got, tc.want)
	}
}

func TestPath(t *testing.T) {
	s := smallGraph(t)
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
		p, err := Path(s, tc.from, tc.to, tc.hops)
		if graph.ErrorCode(err) != tc.code {
			t.Fatalf("%s→%s: error %v, want code %q", tc.from, tc.to, err, tc.code)
		}
		got := ""
		if p != nil {
			got = pathString(t, p)
		}
		eq(t, tc.from+"→"+tc.to, got, tc.want)
	}
}
