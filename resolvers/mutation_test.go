package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

const (
	token = "test-token-0123456789"
	lc    = "living-cities-webinar-2014" // a seed source
)

// writableHandler returns a handler over a fresh copy of the seed graph that
// accepts token for writes.
func writableHandler(t *testing.T) http.Handler {
	t.Helper()
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(ctx, store, loader.FromFS(data.Seed, names...)...); err != nil {
		t.Fatal(err)
	}
	tokens, err := httpapi.NewTokens(token)
	if err != nil {
		t.Fatal(err)
	}
	return resolvers.NewHandler(store, resolvers.Options{Tokens: tokens})
}

// gql sends one GraphQL POST through h with the bearer token tok ("" for
// none).
func gql(t *testing.T, h http.Handler, tok, query string, vars map[string]any) (exchange, response) {
	t.Helper()
	recordQuery(query, vars)
	hdr := map[string]string{"Content-Type": "application/json"}
	if tok != "" {
		hdr["Authorization"] = "Bearer " + tok
	}
	ex := send(t, h, http.MethodPost, "/graphql", jsonBody(query, vars), hdr)
	resp, _ := ex.decode(t)
	return ex, resp
}

// must runs a query or mutation with the token and fails on any error.
func must(t *testing.T, h http.Handler, query string, vars map[string]any) map[string]any {
	t.Helper()
	ex, resp := gql(t, h, token, query, vars)
	if ex.status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("HTTP %d: %s\n%s", ex.status, ex.body, query)
	}
	var out map[string]any
	json.Unmarshal(resp.Data, &out)
	return out
}

const createOrg = `mutation($source: ID!, $input: OrganizationInput!) {
	createOrganization(source: $source, input: $input) { id name kinds places { id } themes { id } policyLevels { id } description }
}`

func TestWritesNeedAToken(t *testing.T) {
	readOnly := resolvers.NewHandler(seedStore, resolvers.Options{})
	writable := writableHandler(t)
	vars := map[string]any{"source": lc, "input": map[string]any{"name": "Auth Test Org"}}
	for _, c := range []struct {
		name   string
		h      http.Handler
		token  string
		status int
		code   string
		msg    string
	}{
		{"read-only server", readOnly, token, http.StatusForbidden, "FORBIDDEN", "read-only"},
		{"no token", writable, "", http.StatusUnauthorized, "UNAUTHENTICATED", "bearer token"},
		{"wrong token", writable, "test-token-0123456788", http.StatusUnauthorized, "UNAUTHENTICATED", "not valid"},
		{"right token", writable, token, http.StatusOK, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex, resp := gql(t, c.h, c.token, createOrg, vars)
			if ex.status != c.status {
				t.Errorf("HTTP %d, want %d: %s", ex.status, c.status, ex.body)
			}
			if c.code == "" {
				if len(resp.Errors) > 0 {
					t.Errorf("errors: %s", ex.body)
				}
				return
			}
			if e := onlyError(t, resp, c.code); !strings.Contains(e.Message, c.msg) {
				t.Errorf("message %q lacks %q", e.Message, c.msg)
			}
			if c.status == http.StatusUnauthorized && !strings.HasPrefix(ex.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", ex.header.Get("WWW-Authenticate"))
			}
		})
	}
	// Reads need no token, and the failed writes wrote nothing.
	got := query[map[string]any](t, `{ organization(id: "auth-test-org") { id } }`, nil)
	if got["organization"] != nil {
		t.Errorf("a refused write changed the seed store: %v", got)
	}
	// A mutation over GET is refused whatever the token.
	ex := send(t, writable, http.MethodGet, "/graphql?query="+url.QueryEscape(`mutation { deleteTheme(source: "x", id: "y") { id } }`), "", map[string]string{"Authorization": "Bearer " + token})
	if ex.status != http.StatusMethodNotAllowed || ex.header.Get("Allow") != "POST" {
		t.Errorf("GET mutation: HTTP %d Allow %q: %s", ex.status, ex.header.Get("Allow"), ex.body)
	}
}

func TestCreateUpdateDelete(t *testing.T) {
	h := writableHandler(t)

	// A new source, then an organization it states.
	must(t, h, `mutation($in: SourceInput!) { createSource(input: $in) { id title url publisher published } }`,
		map[string]any{"in": map[string]any{"id": "our-list-2025", "title": "Our partner list", "url": "https://example.org/list", "published": "2025-03-01"}})
	got := must(t, h, createOrg, map[string]any{"source": "our-list-2025", "input": map[string]any{
		"name": "Example Refugee Services", "kinds": []string{"service provider"}, "places": []string{"texas"},
		"themes": []string{"digital-inclusion"}, "policyLevels": []string{"state"},
	}})
	org := got["createOrganization"].(map[string]any)
	if org["id"] != "example-refugee-services" || len(org["themes"].([]any)) != 1 || len(org["places"].([]any)) != 1 {
		t.Fatalf("created %v", org)
	}

	// It takes part in the webinar, and a person works there.
	must(t, h, `mutation($s: ID!, $in: ParticipationInput!) { addParticipation(source: $s, input: $in) { role event { id } organization { id } } }`,
		map[string]any{"s": "our-list-2025", "in": map[string]any{"event": webinar, "organization": "example-refugee-services", "role": "participant"}})
	must(t, h, `mutation($s: ID!, $in: PersonInput!) { createPerson(source: $s, input: $in) { id affiliations { title organization { id } } } }`,
		map[string]any{"s": "our-list-2025", "in": map[string]any{"name": "Ana Núñez", "affiliations": []any{map[string]any{"organization": "example-refugee-services", "title": "Director"}}}})
	must(t, h, `mutation($s: ID!, $in: AffiliationInput!) { addAffiliation(source: $s, input: $in) { title person { id } organization { id } } }`,
		map[string]any{"s": "our-list-2025", "in": map[string]any{"person": "ana-nunez", "organization": "example-refugee-services", "title": "Executive Director"}})

	// Updating the organization replaces its fields and themes; its
	// participation and its people stay.
	must(t, h, `mutation($s: ID!, $id: ID!, $in: OrganizationInput!) { updateOrganization(source: $s, id: $id, input: $in) { id } }`,
		map[string]any{"s": "our-list-2025", "id": "example-refugee-services", "in": map[string]any{
			"name": "Example Refugee Services", "description": "Job placement.", "themes": []string{"worker-centered-solutions"},
		}})
	const orgQuery = `{ organization(id: "example-refugee-services") { description kinds places { id }
		themeLinks { theme { id } stated } events { role event { id } } people { title person { id } } } }`
	o := must(t, h, orgQuery, nil)["organization"].(map[string]any)
	b, _ := json.Marshal(o)
	for _, want := range []string{`"description":"Job placement."`, `"kinds":[]`, `"places":[]`, `{"stated":true,"theme":{"id":"worker-centered-solutions"}}`,
		`"role":"PARTICIPANT"`, `"title":"Executive Director"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("after update, organization lacks %s: %s", want, b)
		}
	}
	if bytes.Contains(b, []byte(`"Director"`)) || bytes.Contains(b, []byte(`"digital-inclusion"},"stated":true`)) {
		t.Errorf("after update, old facts remain: %s", b)
	}

	// Removing the participation and the affiliation.
	must(t, h, `mutation($s: ID!, $in: ParticipationInput!) { removeParticipation(source: $s, input: $in) { id quadsRemoved stillExists } }`,
		map[string]any{"s": "our-list-2025", "in": map[string]any{"event": webinar, "organization": "example-refugee-services", "role": "PARTICIPANT"}})
	r := must(t, h, `mutation { removeAffiliation(source: "our-list-2025", person: "ana-nunez", organization: "example-refugee-services") { quadsRemoved stillExists } }`, nil)
	if ra := r["removeAffiliation"].(map[string]any); ra["quadsRemoved"].(float64) < 1 || ra["stillExists"] != true {
		t.Errorf("removeAffiliation: %v", ra)
	}
	o = must(t, h, orgQuery, nil)["organization"].(map[string]any)
	if len(o["events"].([]any)) != 0 || len(o["people"].([]any)) != 0 {
		t.Errorf("after removals: %v", o)
	}
	if o["description"] != "Job placement." {
		t.Errorf("a removal changed other facts: %v", o)
	}

	// Deleting what the source states removes the organization.
	d := must(t, h, `mutation { deleteOrganization(source: "our-list-2025", id: "example-refugee-services") { id quadsRemoved stillExists } }`, nil)
	if dd := d["deleteOrganization"].(map[string]any); dd["stillExists"] != false || dd["quadsRemoved"].(float64) < 3 {
		t.Errorf("delete: %v", dd)
	}
	if o := must(t, h, `{ organization(id: "example-refugee-services") { id } }`, nil); o["organization"] != nil {
		t.Errorf("deleted organization still there: %v", o)
	}
}

func TestUpdatesOfSeedNodes(t *testing.T) {
	h := writableHandler(t)
	// An event: new date and one presenter fewer; the speakers and themes
	// listed stay, the questions are replaced.
	must(t, h, `mutation($s: ID!, $id: ID!, $in: EventInput!) { updateEvent(source: $s, id: $id, input: $in) { id startDate questions } }`,
		map[string]any{"s": lc, "id": webinar, "in": map[string]any{
			"name": "Promising approaches to integrate immigrants into the U.S. workforce", "kind": "webinar", "startDate": "2014-09-17",
			"partOf": "national-welcoming-week", "hosts": []string{"living-cities"}, "presenters": []string{"casa-latina"},
			"speakers": []string{"helen-stern"}, "themes": []string{"barriers-to-quality-jobs"}, "questions": []string{"Why?"},
		}})
	e := must(t, h, `{ event(id: "`+webinar+`") { startDate questions partOf { id } hosts { id } speakers { id } themes { id }
		participants(first: 50) { totalCount } } }`, nil)["event"].(map[string]any)
	b, _ := json.Marshal(e)
	for _, want := range []string{`"startDate":"2014-09-17"`, `"questions":["Why?"]`, `"partOf":{"id":"national-welcoming-week"}`,
		`"speakers":[{"id":"helen-stern"}]`, `"themes":[{"id":"barriers-to-quality-jobs"}]`, `"totalCount":2`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("updated event lacks %s: %s", want, b)
		}
	}
	// The speaker still works where the other source says.
	p := must(t, h, `{ person(id: "flavia-jimenez") { affiliations { title } events { id } } }`, nil)
	if b, _ := json.Marshal(p); !bytes.Contains(b, []byte(`"Senior Fellow"`)) || bytes.Contains(b, []byte(webinar)) {
		t.Errorf("person after event update: %s", b)
	}

	// A theme: its organizations (stated by organization entries) stay.
	before := must(t, h, `{ theme(id: "cross-sector-partnerships") { organizations(first: 100) { totalCount } events { id } } }`, nil)
	must(t, h, `mutation($s: ID!, $in: ThemeInput!) { updateTheme(source: $s, id: "cross-sector-partnerships", input: $in) { id description } }`,
		map[string]any{"s": lc, "in": map[string]any{"name": "Cross-sector partnerships", "description": "New words.", "policyLevels": []string{"local"}}})
	after := must(t, h, `{ theme(id: "cross-sector-partnerships") { organizations(first: 100) { totalCount } events { id } } }`, nil)
	if bb, ba := mustJSON(before), mustJSON(after); bb != ba {
		t.Errorf("theme update changed its links:\n%s\n%s", bb, ba)
	}
	// A person: new affiliation title, the events spoken at stay.
	must(t, h, `mutation($s: ID!, $in: PersonInput!) { updatePerson(source: $s, id: "helen-stern", input: $in) { id } }`,
		map[string]any{"s": lc, "in": map[string]any{"name": "Helen Stern", "affiliations": []any{map[string]any{"organization": "casa-latina", "title": "President"}}}})
	g := mustJSON(must(t, h, `{ person(id: "helen-stern") { affiliations { title } events { id } } }`, nil))
	if !strings.Contains(g, `"President"`) || strings.Contains(g, `"Executive Director"`) || !strings.Contains(g, webinar) {
		t.Errorf("person after update: %s", g)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestWriteErrors checks that writes are checked as the loader checks files,
// with its messages, and that a refused write changes nothing.
func TestWriteErrors(t *testing.T) {
	h := writableHandler(t)
	export := func() string {
		_, resp := gql(t, h, "", `{ organizations(first: 100) { totalCount } events(first: 100) { totalCount } people(first: 100) { totalCount } themes { id } }`, nil)
		return string(resp.Data)
	}
	before := export()
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		code, msg   string
	}{
		{"unknown source", createOrg, map[string]any{"source": "nope", "input": map[string]any{"name": "X Org"}}, "BAD_USER_INPUT", `unknown source "nope"`},
		{"unknown place", createOrg, map[string]any{"source": lc, "input": map[string]any{"name": "X Org", "places": []string{"atlantis"}}}, "BAD_USER_INPUT",
			`input.places[0]: unknown id "atlantis": not defined in the files loaded nor in the store`},
		{"wrong type", createOrg, map[string]any{"source": lc, "input": map[string]any{"name": "X Org", "themes": []string{"texas"}}}, "BAD_USER_INPUT", "input.themes[0]:"},
		{"bad policy level", createOrg, map[string]any{"source": lc, "input": map[string]any{"name": "X Org", "policyLevels": []string{"global"}}}, "BAD_USER_INPUT", "input.policyLevels[0]:"},
		{"bad id", createOrg, map[string]any{"source": lc, "input": map[string]any{"name": "X Org", "id": "Not A Slug"}}, "BAD_USER_INPUT", "input.id:"},
		{"existing id", createOrg, map[string]any{"source": lc, "input": map[string]any{"name": "Casa Latina"}}, "BAD_USER_INPUT", `"casa-latina" already exists`},
		{"bad date", `mutation($in: EventInput!) { createEvent(source: "` + lc + `", input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "X Event", "kind": "webinar", "startDate": "2020-13-01"}}, "BAD_USER_INPUT", "input.startDate:"},
		{"own parent", `mutation($in: EventInput!) { createEvent(source: "` + lc + `", input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "X Event", "kind": "webinar", "partOf": "x-event"}}, "BAD_USER_INPUT", "an event cannot be part of itself"},
		{"update of a missing node", `mutation { updateTheme(source: "` + lc + `", id: "nope", input: {name: "Nope"}) { id } }`, nil, "NOT_FOUND", `no theme with id "nope"`},
		{"update changing the id", `mutation { updateTheme(source: "` + lc + `", id: "digital-inclusion", input: {name: "Digital", id: "digital"}) { id } }`, nil, "BAD_USER_INPUT", "ids cannot change"},
		{"update of another type", `mutation { updateOrganization(source: "` + lc + `", id: "texas", input: {name: "Texas"}) { id } }`, nil, "BAD_USER_INPUT", `"texas" is a place, not a organization`},
		{"bad role", `mutation { addParticipation(source: "` + lc + `", input: {event: "` + webinar + `", organization: "casa-latina", role: "SPONSOR"}) { role } }`, nil, "BAD_USER_INPUT", "not a role"},
		{"participation of a missing event", `mutation { addParticipation(source: "` + lc + `", input: {event: "nope", organization: "casa-latina", role: "HOST"}) { role } }`, nil, "BAD_USER_INPUT",
			`input.event: unknown id "nope": not defined in the files loaded nor in the store`},
		{"affiliation to a theme", `mutation { addAffiliation(source: "` + lc + `", input: {person: "helen-stern", organization: "digital-inclusion"}) { title } }`, nil, "BAD_USER_INPUT", "input.organization:"},
		{"removing from a missing organization", `mutation { removeAffiliation(source: "` + lc + `", person: "helen-stern", organization: "nope") { id } }`, nil, "NOT_FOUND", `organization: no organization with id "nope"`},
		{"removing what is not stated", `mutation { removeParticipation(source: "` + lc + `", input: {event: "` + webinar + `", organization: "casa-latina", role: "HOST"}) { id } }`, nil, "NOT_FOUND", "does not state"},
		{"delete of a missing node", `mutation { deletePerson(source: "` + lc + `", id: "nobody") { id } }`, nil, "NOT_FOUND", "no person"},
		{"duplicate source", `mutation { createSource(input: {id: "` + lc + `", title: "Again"}) { id } }`, nil, "BAD_USER_INPUT", "already exists"},
		{"bad source url", `mutation { createSource(input: {id: "s2", title: "S", url: "ftp://x"}) { id } }`, nil, "BAD_USER_INPUT", "input.url:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex, resp := gql(t, h, token, c.query, c.vars)
			if ex.status != http.StatusOK {
				t.Errorf("HTTP %d", ex.status)
			}
			if e := onlyError(t, resp, c.code); !strings.Contains(e.Message, c.msg) {
				t.Errorf("message %q lacks %q", e.Message, c.msg)
			}
		})
	}
	if after := export(); after != before {
		t.Errorf("refused writes changed the graph:\n%s\n%s", before, after)
	}

	// The message is the loader's, for the same entry in a file.
	file := "source: {id: " + lc + ", title: T}\nevents:\n  - name: X Event\n    kind: webinar\n    startDate: 2020-13-01\n"
	_, err := loader.Check(context.Background(), seedStore, loader.File{Name: "f.yaml", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(file)), nil }})
	ve, ok := err.(*loader.ValidationError)
	if !ok || len(ve.Issues) != 1 {
		t.Fatalf("loader: %v", err)
	}
	_, resp := gql(t, h, token, `mutation($in: EventInput!) { createEvent(source: "`+lc+`", input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "X Event", "kind": "webinar", "startDate": "2020-13-01"}})
	if len(resp.Errors) != 1 || resp.Errors[0].Message != "input.startDate: "+ve.Issues[0].Msg {
		t.Errorf("mutation says %+v, the loader %q", resp.Errors, ve.Issues[0].Msg)
	}
}

// TestCreateEveryKind creates one node of each kind with every input field,
// then deletes the event.
func TestCreateEveryKind(t *testing.T) {
	h := writableHandler(t)
	got := mustJSON(must(t, h, `mutation {
		createSource(input: {id: "full-2025", title: "Full", url: "https://example.org/full", publisher: "Example", published: "2025-01-02", note: "All fields."}) { id title url publisher published }
	}`, nil))
	if !strings.Contains(got, `"publisher":"Example"`) {
		t.Errorf("source: %s", got)
	}
	got = mustJSON(must(t, h, `mutation {
		theme: createTheme(source: "full-2025", input: {id: "full-theme", name: "Full theme", aliases: ["FT"], description: "D.", policyLevels: ["local"], broader: ["digital-inclusion"]}) { id name description policyLevels { id } }
		org: createOrganization(source: "full-2025", input: {id: "full-org", name: "Full Org", aliases: ["FO"], description: "D.", kinds: ["funder"], places: ["texas"], themes: ["full-theme"], policyLevels: ["state"]}) { id kinds }
		event: createEvent(source: "full-2025", input: {id: "full-event", name: "Full event", aliases: ["FE"], description: "D.", kind: "convening", startDate: "2025-02-03",
			partOf: "immigrantsthrive", hosts: ["full-org"], participants: ["casa-latina"], presenters: ["living-cities"], speakers: ["helen-stern"],
			themes: ["full-theme"], places: ["texas"], questions: ["Q?"]}) { id kind startDate partOf { id } hosts { id } speakers { id } }
		person: createPerson(source: "full-2025", input: {id: "full-person", name: "Full Person", aliases: ["FP"], description: "D.",
			affiliations: [{organization: "full-org", title: "Chair"}]}) { id affiliations { title organization { id } } }
	}`, nil))
	for _, want := range []string{`"id":"full-theme"`, `"kinds":["funder"]`, `"startDate":"2025-02-03"`, `"partOf":{"id":"immigrantsthrive"}`, `"title":"Chair"`} {
		if !strings.Contains(got, want) {
			t.Errorf("created nodes lack %s: %s", want, got)
		}
	}
	got = mustJSON(must(t, h, `mutation { deleteEvent(source: "full-2025", id: "full-event") { id quadsRemoved stillExists } }`, nil))
	if !strings.Contains(got, `"stillExists":false`) {
		t.Errorf("delete event: %s", got)
	}
	got = mustJSON(must(t, h, `mutation { deleteTheme(source: "full-2025", id: "full-theme") { stillExists } }`, nil))
	if !strings.Contains(got, `"stillExists":false`) {
		t.Errorf("delete theme: %s", got)
	}
	got = mustJSON(must(t, h, `{ organization(id: "full-org") { events { event { id } } themes { id } } }`, nil))
	if strings.Contains(got, "full-event") || strings.Contains(got, "full-theme") {
		t.Errorf("the deleted event's participations or theme remain: %s", got)
	}
}
