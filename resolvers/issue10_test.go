package resolvers_test

import (
	"strings"
	"testing"
)

// The chat's write-up counts "38 participating organizations": the
// participants without the two hosts.
func TestParticipantsByRole(t *testing.T) {
	type conn struct {
		TotalCount int   `json:"totalCount"`
		Nodes      []ref `json:"nodes"`
	}
	got := query[struct {
		Event struct {
			All         conn `json:"all"`
			Hosts       conn `json:"hosts"`
			Participant conn `json:"participant"`
			Presenter   conn `json:"presenter"`
		} `json:"event"`
		Webinar struct {
			Presenter conn `json:"presenter"`
		} `json:"webinar"`
	}](t, `query($id: ID!, $w: ID!) {
	  event(id: $id) {
	    all: participants(role: null, first: 100) { totalCount }
	    hosts: participants(role: "HOST") { totalCount nodes { id name } }
	    participant: participants(role: "PARTICIPANT", first: 100) { totalCount nodes { name } }
	    presenter: participants(role: "presenter") { totalCount }
	  }
	  webinar: event(id: $w) { presenter: participants(role: "PRESENTER", first: 2) { totalCount nodes { name } } }
	}`, map[string]any{"id": chat, "w": webinar})
	e := got.Event
	equal(t, "every role", e.All.TotalCount, 40)
	equal(t, "hosts", namesOf(e.Hosts.Nodes), byName([]string{"WES Mariam Assefa Fund", "WES Global Talent Bridge Program"}))
	equal(t, "participating organizations", e.Participant.TotalCount, 38)
	equal(t, "participants", namesOf(e.Participant.Nodes), byName(chatOrgs[2:]))
	equal(t, "presenters of the chat", e.Presenter.TotalCount, 0)
	equal(t, "presenters of the webinar", got.Webinar.Presenter.TotalCount, 4)
	equal(t, "first two presenters", len(got.Webinar.Presenter.Nodes), 2)

	resp := queryRaw(t, `{ event(id: "immigrantsthrive") { participants(role: "SPEAKER") { totalCount } } }`, nil)
	e0 := onlyError(t, resp, "BAD_USER_INPUT")
	if !strings.Contains(e0.Message, `"SPEAKER" is not a role`) {
		t.Errorf("message: %q", e0.Message)
	}
}

// "By Juan Sebastian Arias and Brittany Ramos": lists a document orders
// come back in its order — authors, speakers, questions, takeaways.
func TestSourceOrder(t *testing.T) {
	got := query[struct {
		Webinar struct {
			Speakers  []ref    `json:"speakers"`
			Questions []string `json:"questions"`
			Sources   []struct {
				Authors []ref `json:"authors"`
			} `json:"sources"`
		} `json:"webinar"`
		Chat struct {
			Themes []ref `json:"themes"`
		} `json:"chat"`
		Juan struct {
			Authored []src `json:"authored"`
		} `json:"juan"`
		Brittany struct {
			Authored []src `json:"authored"`
		} `json:"brittany"`
		Flavia struct {
			Authored []src `json:"authored"`
		} `json:"flavia"`
	}](t, `query($w: ID!, $c: ID!) {
	  webinar: event(id: $w) { speakers { id name } questions sources { authors { id name } } }
	  chat: event(id: $c) { themes { id name } }
	  juan: person(id: "juan-sebastian-arias") { authored { id title } }
	  brittany: person(id: "brittany-ramos") { authored { id } }
	  flavia: person(id: "flavia-jimenez") { authored { id } }
	}`, map[string]any{"w": webinar, "c": chat})
	w := got.Webinar
	if len(w.Sources) != 1 {
		t.Fatalf("webinar sources: %+v", w.Sources)
	}
	equal(t, "authors", idsOf(w.Sources[0].Authors), []string{"juan-sebastian-arias", "brittany-ramos"})
	equal(t, "speakers", idsOf(w.Speakers), []string{"flavia-jimenez", "gustavo-torres", "cristina-tzintzun", "helen-stern"})
	equal(t, "questions", w.Questions, webinarQuestions)
	// The subject of the chat, then its ten key takeaways in order.
	equal(t, "chat themes", idsOf(got.Chat.Themes), []string{
		"equitable-economic-recovery",
		"job-training-and-worker-safety", "worker-centered-solutions", "equitable-policy-solutions",
		"inclusive-state-and-local-economies", "role-of-philanthropic-funders", "inclusive-employer-practices",
		"digital-inclusion", "cross-sector-partnerships", "challenges-unique-to-refugee-workers",
		"diverse-voices-varied-recovery",
	})
	equal(t, "Juan Sebastian Arias authored", sourceIDs(got.Juan.Authored), []string{webinarSource})
	equal(t, "Brittany Ramos authored", sourceIDs(got.Brittany.Authored), []string{webinarSource})
	equal(t, "Flavia Jimenez authored", got.Flavia.Authored, []src{})
}

// Did you mean? An id that names nothing gets the ids it may have meant,
// in the message and in extensions.suggestions.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		name, query, code, message string
		want                       []any
	}{
		{"a theme's name", `{ organizations(filter: { themes: ["Digital Inclusion"] }) { totalCount } }`, "BAD_USER_INPUT",
			`filter.themes: no theme with id "Digital Inclusion"; did you mean "digital-inclusion"?`, []any{"digital-inclusion"}},
		{"a level's name", `{ organizations(filter: { policyLevels: ["Federal"] }) { totalCount } }`, "BAD_USER_INPUT",
			`filter.policyLevels: no policy level with id "Federal"; did you mean "federal"?`, []any{"federal"}},
		{"facets", `{ organizations(filter: { anyThemes: ["digital-inclusionn"] }) { facets { total } } }`, "BAD_USER_INPUT",
			`filter.anyThemes: no theme with id "digital-inclusionn"; did you mean "digital-inclusion"?`, []any{"digital-inclusion"}},
		{"a name for a path's end", `{ path(from: "Casa Latina", to: "wes-mariam-assefa-fund") { length } }`, "NOT_FOUND",
			`no node with id "Casa Latina"; did you mean "casa-latina"?`, []any{"casa-latina"}},
		{"a misspelt organization", `{ introductions(organization: "workers-defence-project") { score } }`, "NOT_FOUND",
			`no organization with id "workers-defence-project"; did you mean "workers-defense-project"?`, []any{"workers-defense-project"}},
		{"nothing near", `{ organizations(filter: { themes: ["quantum-computing"] }) { totalCount } }`, "BAD_USER_INPUT",
			`filter.themes: no theme with id "quantum-computing"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := onlyError(t, queryRaw(t, tc.query, nil), tc.code)
			if e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			got, _ := e.Extensions["suggestions"].([]any)
			equal(t, "extensions.suggestions", got, tc.want)
		})
	}
}

// Every chat organization has the chat's 11 themes and the three levels
// only through derivation: includeDerived: false leaves stated ones only
// (none in the seed), and policyLevelLinks says which is which.
func TestIncludeDerivedOnSeed(t *testing.T) {
	type count struct {
		TotalCount int `json:"totalCount"`
	}
	type facets struct {
		Total  int `json:"total"`
		Themes []struct {
			Count int `json:"count"`
		} `json:"themes"`
	}
	got := query[struct {
		Derived count `json:"derived"`
		Stated  struct {
			TotalCount int    `json:"totalCount"`
			Facets     facets `json:"facets"`
		} `json:"stated"`
		Federal       count  `json:"federal"`
		StatedFederal count  `json:"statedFederal"`
		All           facets `json:"all"`
		StatedAll     facets `json:"statedAll"`
		Portland      struct {
			PolicyLevels     []ref `json:"policyLevels"`
			PolicyLevelLinks []struct {
				PolicyLevel ref   `json:"policyLevel"`
				Stated      bool  `json:"stated"`
				Via         []ref `json:"via"`
			} `json:"policyLevelLinks"`
		} `json:"portland"`
	}](t, `query($f: OrganizationFilter) {
	  derived: organizations(filter: { themes: ["digital-inclusion"] }) { totalCount }
	  stated: organizations(filter: $f) { totalCount facets { total themes { count } } }
	  federal: organizations(filter: { policyLevels: ["federal"], includeDerived: true }) { totalCount }
	  statedFederal: organizations(filter: { policyLevels: ["federal"], includeDerived: false }) { totalCount }
	  all: facets { total themes { count } }
	  statedAll: facets(includeDerived: false) { total themes { count } }
	  portland: organization(id: "portland-office-of-economic-opportunity") {
	    policyLevels { id }
	    policyLevelLinks { policyLevel { id name } stated via { id } }
	  }
	}`, map[string]any{"f": map[string]any{"anyThemes": []string{"digital-inclusion"}, "includeDerived": false}})
	equal(t, "digital inclusion, derived too", got.Derived.TotalCount, 40)
	equal(t, "digital inclusion, stated only", got.Stated.TotalCount, 0)
	equal(t, "facets of an empty list", got.Stated.Facets.Total, 0)
	equal(t, "federal, derived too", got.Federal.TotalCount, 40)
	equal(t, "federal, stated only", got.StatedFederal.TotalCount, 0)
	equal(t, "whole-graph facets", [2]int{got.All.Total, len(got.All.Themes)}, [2]int{44, 18})
	equal(t, "whole-graph facets, stated only", [2]int{got.StatedAll.Total, len(got.StatedAll.Themes)}, [2]int{44, 0})
	p := got.Portland
	equal(t, "Portland's levels", idsOf(p.PolicyLevels), []string{"federal", "local", "state"})
	if len(p.PolicyLevelLinks) != 3 {
		t.Fatalf("policyLevelLinks: %+v", p.PolicyLevelLinks)
	}
	for _, l := range p.PolicyLevelLinks {
		if l.Stated || len(l.Via) == 0 {
			t.Errorf("%s: stated %v via %v, want derived through themes", l.PolicyLevel.ID, l.Stated, l.Via)
		}
	}
	equal(t, "federal via", idsOf(p.PolicyLevelLinks[0].Via), []string{"equitable-policy-solutions", "role-of-philanthropic-funders"})
}
