package resolvers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// exchange is one HTTP request to a handler and what came back.
type exchange struct {
	status int
	header http.Header
	body   string
}

// send sends one HTTP request through h.
func send(t *testing.T, h http.Handler, method, target, body string, header map[string]string) exchange {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return exchange{rec.Code, rec.Header(), rec.Body.String()}
}

// decode parses a GraphQL response body, keeping track of whether "data"
// was there at all.
func (e exchange) decode(t *testing.T) (resp response, hasData bool) {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(e.body), &raw); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, e.body)
	}
	_, hasData = raw["data"]
	json.Unmarshal([]byte(e.body), &resp)
	return resp, hasData
}

func jsonBody(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// nested returns a query depth fields deep: organization, then a chain
// of events { event { hosts { … } } }, then __typename.
// analyses is a query of n aliased rankings with the given arguments
// before first.
func analyses(n int, args string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " r%d: ranking(metric: DEGREE, %sfirst: 1) { totalCount }", i, args)
	}
	b.WriteString(" }")
	return b.String()
}

func nested(depth int) string {
	chain := []string{"events", "event", "hosts"}
	q := "__typename"
	for i := depth - 3; i >= 0; i-- {
		q = chain[i%3] + " { " + q + " }"
	}
	return `{ organization(id: "casa-latina") { ` + q + ` } }`
}

func TestLimits(t *testing.T) {
	h := resolvers.NewHandler(seedStore, resolvers.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: themes { id }", i)
		}
		return b.String() + " }"
	}
	// A fragment bomb: each fragment spreads the next one twice, 2^40 fields
	// if expanded naively.
	bomb := func() string {
		var b strings.Builder
		b.WriteString(`{ organization(id: "casa-latina") { ...F0 } }`)
		for i := range 40 {
			fmt.Fprintf(&b, " fragment F%d on Organization { ...F%d ...F%d }", i, i+1, i+1)
		}
		b.WriteString(" fragment F40 on Organization { id }")
		return b.String()
	}
	// Depth reached only through fragments.
	fragDepth := `{ organization(id: "casa-latina") { ...A } }
		fragment A on Organization { events { event { ...B } } }
		fragment B on Event { hosts { events { event { hosts { events { event { hosts { events { event { hosts { name } } } } } } } } } } }`
	for _, c := range []struct {
		name, query, code, msg string
	}{
		{"depth at the limit", nested(resolvers.DefaultLimits.MaxDepth), "", ""},
		{"depth over the limit", nested(resolvers.DefaultLimits.MaxDepth + 1), "LIMIT_EXCEEDED", "nested 13 levels deep, more than the limit of 12"},
		{"depth through fragments", fragDepth, "LIMIT_EXCEEDED", "levels deep"},
		{"aliases at the limit", aliases(resolvers.DefaultLimits.MaxAliases), "", ""},
		{"aliases over the limit", aliases(resolvers.DefaultLimits.MaxAliases + 1), "LIMIT_EXCEEDED", "31 aliases, more than the limit of 30"},
		{"complexity", `{ organizations(first: 100) { nodes { partners(first: 100) { edges { node { id } } } } } }`, "LIMIT_EXCEEDED", "which exceeds the limit of 5000"},
		{"complexity of a page of 100", `{ organizations(first: 100) { totalCount nodes { id name kinds places { id } themes { id name } } } }`, "", ""},
		{"fragment bomb", bomb(), "LIMIT_EXCEEDED", "fields, more than the complexity limit"},
		{"21 sub-network analyses", analyses(21, `filter: {themes: ["digital-inclusion"]}, `), "LIMIT_EXCEEDED", "which exceeds the limit of 5000"},
		{"21 whole-network analyses", analyses(21, ""), "", ""},
		{"tokens", "{" + strings.Repeat(" __typename", resolvers.DefaultLimits.MaxTokens) + " }", "LIMIT_EXCEEDED", "exceeded token limit of 5000"},
		{"page size", `{ organizations(first: 101) { totalCount } }`, "LIMIT_EXCEEDED", "100"},
		{"introspection nesting", `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, "GRAPHQL_VALIDATION_FAILED", "introspection depth"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, accept := range []string{"application/json", "application/graphql-response+json"} {
				start := time.Now()
				ex := send(t, h, http.MethodPost, "/graphql", jsonBody(c.query, nil), map[string]string{"Content-Type": "application/json", "Accept": accept})
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("took %s", d)
				}
				resp, hasData := ex.decode(t)
				if c.code == "" {
					if ex.status != http.StatusOK || len(resp.Errors) > 0 {
						t.Fatalf("%s: HTTP %d %s", accept, ex.status, ex.body)
					}
					continue
				}
				e := onlyError(t, resp, c.code)
				if !strings.Contains(e.Message, c.msg) {
					t.Errorf("message %q lacks %q", e.Message, c.msg)
				}
				want := http.StatusOK
				if accept == "application/graphql-response+json" && c.name != "page size" {
					want = http.StatusBadRequest
				}
				if ex.status != want {
					t.Errorf("%s: HTTP %d, want %d", accept, ex.status, want)
				}
				if hasData && c.name != "page size" {
					t.Errorf("%s: a request error has a data entry: %s", accept, ex.body)
				}
				if !strings.HasPrefix(ex.header.Get("Content-Type"), accept) {
					t.Errorf("Content-Type %q, want %s", ex.header.Get("Content-Type"), accept)
				}
			}
		})
	}
}

func TestLimitsAreSettable(t *testing.T) {
	h := resolvers.NewHandler(seedStore, resolvers.Options{Limits: resolvers.Limits{MaxDepth: 2, MaxAliases: 1, MaxComplexity: 10, MaxTokens: 20}})
	for _, c := range []struct{ query, msg string }{
		{`{ organization(id: "casa-latina") { places { id } } }`, "3 levels deep, more than the limit of 2"},
		{`{ a: themes { id } b: themes { id } }`, "2 aliases, more than the limit of 1"},
		{`{ a: themes { id name description } policyLevels { id name description } }`, "exceeds the limit of 10"},
		{"{" + strings.Repeat(" __typename", 20) + " }", "exceeded token limit of 20"},
	} {
		ex := send(t, h, http.MethodPost, "/graphql", jsonBody(c.query, nil), map[string]string{"Content-Type": "application/json"})
		resp, _ := ex.decode(t)
		if e := onlyError(t, resp, "LIMIT_EXCEEDED"); !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: message %q lacks %q", c.query, e.Message, c.msg)
		}
	}
	h = resolvers.NewHandler(seedStore, resolvers.Options{Limits: resolvers.Limits{MaxBodyBytes: 100}})
	ex := send(t, h, http.MethodPost, "/graphql", jsonBody(`{ themes { id } }`+strings.Repeat(" ", 100), nil), map[string]string{"Content-Type": "application/json"})
	resp, _ := ex.decode(t)
	onlyError(t, resp, "LIMIT_EXCEEDED")
	if ex.status != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit: HTTP %d", ex.status)
	}
}

// slowStore never answers Themes before its context ends.
type slowStore struct{ graph.Store }

func (slowStore) Themes(ctx context.Context) ([]*graph.Theme, error) {
	<-ctx.Done()
	return nil, &graph.Error{Code: graph.CodeInternal, Op: "themes", Err: ctx.Err()}
}

func TestRequestTimeout(t *testing.T) {
	h := resolvers.NewHandler(slowStore{seedStore}, resolvers.Options{Limits: resolvers.Limits{Timeout: 50 * time.Millisecond}})
	start := time.Now()
	ex := send(t, h, http.MethodPost, "/graphql", jsonBody(`{ themes { id } }`, nil), map[string]string{"Content-Type": "application/json"})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the timeout did not stop the request: %s", d)
	}
	resp, _ := ex.decode(t)
	if e := onlyError(t, resp, "LIMIT_EXCEEDED"); !strings.Contains(e.Message, "time limit") {
		t.Errorf("message %q", e.Message)
	}
}

// TestHTTPProtocol checks the GraphQL-over-HTTP rules the transport keeps.
func TestHTTPProtocol(t *testing.T) {
	const secretBody = `{"query": "{ themes { id } }", "password": "hunter2"`
	js := map[string]string{"Content-Type": "application/json"}
	for _, c := range []struct {
		name, method, target, body string
		header                     map[string]string
		status                     int
		code                       string // "" for success
		contentType                string
	}{
		{"POST json", "POST", "/graphql", jsonBody(`{ __typename }`, nil), js, 200, "", "application/json"},
		{"POST graphql-response", "POST", "/graphql", jsonBody(`{ __typename }`, nil), map[string]string{"Content-Type": "application/json", "Accept": "application/graphql-response+json"}, 200, "", "application/graphql-response+json"},
		{"accept by quality", "POST", "/graphql", jsonBody(`{ __typename }`, nil), map[string]string{"Content-Type": "application/json", "Accept": "application/json;q=0.5, application/graphql-response+json"}, 200, "", "application/graphql-response+json"},
		{"GET query", "GET", "/graphql?query=" + url.QueryEscape(`{ __typename }`), "", nil, 200, "", "application/json"},
		{"GET variables", "GET", "/graphql?query=" + url.QueryEscape(`query($id: ID!) { theme(id: $id) { id } }`) + "&variables=" + url.QueryEscape(`{"id":"digital-inclusion"}`), "", nil, 200, "", "application/json"},
		{"GET bad variables", "GET", "/graphql?query=" + url.QueryEscape(`{ __typename }`) + "&variables=%5B", "", nil, 400, "BAD_REQUEST", "application/json"},
		{"GET without query", "GET", "/graphql", "", nil, 400, "BAD_REQUEST", "application/json"},
		{"batch refused", "POST", "/graphql", `[{"query":"{ __typename }"},{"query":"{ __typename }"}]`, js, 400, "BAD_REQUEST", "application/json"},
		{"body not echoed", "POST", "/graphql", secretBody, js, 400, "BAD_REQUEST", "application/json"},
		{"empty body", "POST", "/graphql", "", js, 400, "BAD_REQUEST", "application/json"},
		{"query not a string", "POST", "/graphql", `{"query": 1}`, js, 400, "BAD_REQUEST", "application/json"},
		{"variables not an object", "POST", "/graphql", `{"query": "{ __typename }", "variables": [1]}`, js, 400, "BAD_REQUEST", "application/json"},
		{"no query", "POST", "/graphql", `{"qeury": "{ __typename }"}`, js, 400, "BAD_REQUEST", "application/json"},
		{"no content type", "POST", "/graphql", jsonBody(`{ __typename }`, nil), nil, 415, "UNSUPPORTED_MEDIA_TYPE", "application/json"},
		{"form content type", "POST", "/graphql", "query=%7B__typename%7D", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE", "application/json"},
		{"latin-1 body", "POST", "/graphql", jsonBody(`{ __typename }`, nil), map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}, 415, "UNSUPPORTED_MEDIA_TYPE", "application/json"},
		{"not acceptable", "POST", "/graphql", jsonBody(`{ __typename }`, nil), map[string]string{"Content-Type": "application/json", "Accept": "text/html"}, 406, "NOT_ACCEPTABLE", "application/json"},
		{"PUT", "PUT", "/graphql", jsonBody(`{ __typename }`, nil), js, 405, "METHOD_NOT_ALLOWED", "application/json"},
		{"parse error, json", "POST", "/graphql", jsonBody(`{`, nil), js, 200, "GRAPHQL_PARSE_FAILED", "application/json"},
		{"parse error, graphql-response", "POST", "/graphql", jsonBody(`{`, nil), map[string]string{"Content-Type": "application/json", "Accept": "application/graphql-response+json"}, 400, "GRAPHQL_PARSE_FAILED", "application/graphql-response+json"},
		{"variable coercion, graphql-response", "POST", "/graphql", jsonBody(`query($id: ID!) { theme(id: $id) { id } }`, map[string]any{"id": nil}), map[string]string{"Content-Type": "application/json", "Accept": "application/graphql-response+json"}, 400, "GRAPHQL_VALIDATION_FAILED", "application/graphql-response+json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex := send(t, seedHandler, c.method, c.target, c.body, c.header)
			if ex.status != c.status {
				t.Errorf("HTTP %d, want %d: %s", ex.status, c.status, ex.body)
			}
			if !strings.HasPrefix(ex.header.Get("Content-Type"), c.contentType) {
				t.Errorf("Content-Type %q, want %s", ex.header.Get("Content-Type"), c.contentType)
			}
			resp, hasData := ex.decode(t)
			if c.code == "" {
				if len(resp.Errors) > 0 || !hasData {
					t.Errorf("failed: %s", ex.body)
				}
				return
			}
			onlyError(t, resp, c.code)
			if hasData {
				t.Errorf("a request error has a data entry: %s", ex.body)
			}
			if strings.Contains(ex.body, "hunter2") {
				t.Errorf("the request body is echoed: %s", ex.body)
			}
		})
	}
}

func TestSwitches(t *testing.T) {
	closed := resolvers.NewHandler(seedStore, resolvers.Options{DisableIntrospection: true, DisableSuggestions: true})
	js := map[string]string{"Content-Type": "application/json"}
	for _, c := range []struct {
		name    string
		h       http.Handler
		query   string
		ok      bool
		lacks   string
		message string
	}{
		{"introspection on by default", seedHandler, `{ __schema { queryType { name } } }`, true, "", ""},
		{"introspection off", closed, `{ __schema { queryType { name } } }`, false, "", "introspection is disabled"},
		{"introspection off, __type", closed, `query Q { ...F } fragment F on Query { __type(name: "Organization") { name } }`, false, "", "introspection is disabled"},
		{"__typename with introspection off", closed, `{ __typename }`, true, "", ""},
		{"suggestions on by default", seedHandler, `{ organizations { totalCont } }`, false, "", "Did you mean"},
		{"suggestions off", closed, `{ organizations { totalCont } }`, false, "Did you mean", "Cannot query field"},
	} {
		ex := send(t, c.h, http.MethodPost, "/graphql", jsonBody(c.query, nil), js)
		resp, _ := ex.decode(t)
		if c.ok {
			if len(resp.Errors) > 0 {
				t.Errorf("%s: %s", c.name, ex.body)
			}
			continue
		}
		if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, c.message) || (c.lacks != "" && strings.Contains(resp.Errors[0].Message, c.lacks)) {
			t.Errorf("%s: %s", c.name, ex.body)
		}
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	const query = `{ policyLevels { id } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	body := func(withQuery bool) string {
		m := map[string]any{"extensions": ext}
		if withQuery {
			m["query"] = query
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	js := map[string]string{"Content-Type": "application/json"}
	h := resolvers.NewHandler(seedStore, resolvers.Options{})
	resp, _ := send(t, h, http.MethodPost, "/graphql", body(false), js).decode(t)
	onlyError(t, resp, "PERSISTED_QUERY_NOT_FOUND")
	for _, withQuery := range []bool{true, false} {
		ex := send(t, h, http.MethodPost, "/graphql", body(withQuery), js)
		if resp, _ := ex.decode(t); len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), `"federal"`) {
			t.Errorf("with query %v: %s", withQuery, ex.body)
		}
	}
	extJSON, _ := json.Marshal(ext)
	ex := send(t, h, http.MethodGet, "/graphql?extensions="+url.QueryEscape(string(extJSON)), "", nil)
	if resp, _ := ex.decode(t); len(resp.Errors) > 0 {
		t.Errorf("GET by hash: %s", ex.body)
	}
	off := resolvers.NewHandler(seedStore, resolvers.Options{APQCacheSize: -1})
	resp, _ = send(t, off, http.MethodPost, "/graphql", body(false), js).decode(t)
	if len(resp.Errors) != 1 {
		t.Errorf("APQ off: %+v", resp)
	}
}
