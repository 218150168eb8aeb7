package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/ide"
)

const testToken = "server-test-token-0123"

// testServer is the real routes() over a fresh memory store with the seed
// data, with its own metrics registry and a JSON log.
type testServer struct {
	h        http.Handler
	logs     *graphtest.Logs
	draining *atomic.Bool
}

func newTestServer(t *testing.T, c serveConfig) testServer {
	t.Helper()
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	logs := &graphtest.Logs{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	if err := seedIfEmpty(ctx, store, logger); err != nil {
		t.Fatal(err)
	}
	tokens, err := writeTokens(c)
	if err != nil {
		t.Fatal(err)
	}
	var draining atomic.Bool
	return testServer{routes(store, nil, logger, &draining, c, tokens, prometheus.NewRegistry()), logs, &draining}
}

// defaults returns the serve configuration of the flags' defaults.
func defaults(t *testing.T, args ...string) serveConfig {
	t.Helper()
	cfg, err := parseConfig(append([]string{"serve"}, args...), func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Serve
}

func (s testServer) do(method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	req.RemoteAddr = "192.0.2.1:1234"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

func gqlBody(query string) string {
	b, _ := json.Marshal(map[string]any{"query": query})
	return string(b)
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func TestProbes(t *testing.T) {
	s := newTestServer(t, defaults(t))
	for _, c := range []struct {
		path   string
		drain  bool
		status int
		body   string
	}{
		{"/livez", false, 200, "ok"},
		{"/healthz", false, 200, "ok"},
		{"/readyz", false, 200, "ready"},
		{"/readyz", true, 503, "draining"},
		{"/livez", true, 200, "ok"},
	} {
		s.draining.Store(c.drain)
		rec := s.do("GET", c.path, "", nil)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("%s (draining %v): %d %q", c.path, c.drain, rec.Code, rec.Body.String())
		}
	}
}

func TestMetricsAndLogs(t *testing.T) {
	s := newTestServer(t, defaults(t))
	rec := s.do("POST", "/graphql", gqlBody(`query Themes { themes { id } }`), map[string]string{"Content-Type": "application/json", "X-Request-Id": "abc-123"})
	if rec.Code != 200 || rec.Header().Get("X-Request-Id") != "abc-123" {
		t.Errorf("HTTP %d, X-Request-Id %q", rec.Code, rec.Header().Get("X-Request-Id"))
	}
	s.do("POST", "/graphql", gqlBody(`query Missing { organization(id: "nope") { id } organizations(first: 500) { totalCount } }`), jsonHeader)
	s.do("POST", "/graphql", `[1]`, jsonHeader)
	rec = s.do("GET", "/graphql?query=%7B__typename%7D", "", map[string]string{"X-Request-Id": "bad id with spaces"})
	if id := rec.Header().Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Errorf("a plain request id is not made: %q", id)
	}

	metrics := s.do("GET", "/metrics", "", nil).Body.String()
	for _, want := range []string{
		`thrivegraph_graphql_operations_total{code="200",operation="Themes",type="query"} 1`,
		`thrivegraph_graphql_operation_duration_seconds_count{operation="Themes"} 1`,
		`thrivegraph_graphql_operations_total{code="200",operation="anonymous",type="query"} 1`,
		`thrivegraph_errors_total{code="LIMIT_EXCEEDED"} 1`,
		`thrivegraph_errors_total{code="BAD_REQUEST"} 1`,
		`thrivegraph_http_requests_total{code="400",route="/graphql"} 1`,
		`thrivegraph_store_nodes{type="Organization"} 44`,
		`thrivegraph_store_quads `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// One JSON log line per request, with the operation, status, duration
	// and request id.
	var found bool
	for line := range strings.SplitSeq(strings.TrimSpace(s.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if m["request_id"] == "abc-123" {
			found = true
			if m["msg"] != "request" || m["operation"] != "Themes" || m["status"] != 200.0 || m["duration_ms"] == nil || m["path"] != "/graphql" {
				t.Errorf("request log line: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("no log line for request abc-123:\n%s", s.logs.String())
	}
}

func TestCORS(t *testing.T) {
	s := newTestServer(t, defaults(t, "--cors-origins", "https://app.example.org, https://other.example.org"))
	pre := map[string]string{"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
	rec := s.do("OPTIONS", "/graphql", "", pre)
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.org" || !strings.Contains(strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("preflight from an allowed origin: %d %v", rec.Code, rec.Header())
	}
	pre["Origin"] = "https://evil.example.com"
	if rec := s.do("OPTIONS", "/graphql", "", pre); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin allowed: %v", rec.Header())
	}
	rec = s.do("POST", "/graphql", gqlBody(`{ __typename }`), map[string]string{"Content-Type": "application/json", "Origin": "https://other.example.org"})
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://other.example.org" {
		t.Errorf("simple request: %v", rec.Header())
	}
	// No origins configured: no CORS headers.
	s = newTestServer(t, defaults(t))
	rec = s.do("POST", "/graphql", gqlBody(`{ __typename }`), map[string]string{"Content-Type": "application/json", "Origin": "https://app.example.org"})
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS without configured origins: %v", rec.Header())
	}
}

func TestRateLimit(t *testing.T) {
	s := newTestServer(t, defaults(t, "--rate-limit", "1", "--rate-burst", "3"))
	var codes []int
	for range 5 {
		codes = append(codes, s.do("POST", "/graphql", gqlBody(`{ __typename }`), jsonHeader).Code)
	}
	if want := []int{200, 200, 200, 429, 429}; !equalInts(codes, want) {
		t.Errorf("statuses %v, want %v", codes, want)
	}
	rec := s.do("GET", "/graphql?query=%7B__typename%7D", "", nil)
	var body struct {
		Errors []struct {
			Extensions map[string]any
		}
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Errorf("429: %d %v %s", rec.Code, rec.Header(), rec.Body.String())
	}
	// Probes are never limited.
	if rec := s.do("GET", "/readyz", "", nil); rec.Code != 200 {
		t.Errorf("/readyz limited: %d", rec.Code)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoadEndpoint(t *testing.T) {
	const file = "source: {id: posted-2025, title: Posted}\norganizations:\n  - name: Posted Org\n    places: [texas]\n"
	withToken := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/yaml"}
	readOnly := newTestServer(t, defaults(t))
	if rec := readOnly.do("POST", "/load", file, withToken); rec.Code != 403 || !strings.Contains(rec.Body.String(), "read-only") {
		t.Errorf("read-only server: %d %s", rec.Code, rec.Body.String())
	}
	c := defaults(t)
	c.Token = testToken
	c.MaxLoadBytes = 4096
	s := newTestServer(t, c)
	for _, tc := range []struct {
		name, target, body string
		header             map[string]string
		status             int
		want               string
	}{
		{"no token", "/load", file, map[string]string{"Content-Type": "application/yaml"}, 401, "UNAUTHENTICATED"},
		{"wrong token", "/load", file, map[string]string{"Authorization": "Bearer nope-nope-nope-nope", "Content-Type": "application/yaml"}, 401, "UNAUTHENTICATED"},
		{"GET", "/load", "", withToken, 405, "METHOD_NOT_ALLOWED"},
		{"no format", "/load", file, map[string]string{"Authorization": "Bearer " + testToken}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"invalid file", "/load?format=yaml", "source: {id: x, title: X}\norganizations:\n  - name: Acme\n    colour: red\n", map[string]string{"Authorization": "Bearer " + testToken}, 400, `"line":4`},
		{"too large", "/load?format=yaml", file + strings.Repeat("#\n", 4096), withToken, 413, "LIMIT_EXCEEDED"},
		{"good file", "/load", file, withToken, 200, `"quadsAdded"`},
		{"json by query", "/load?format=json", `{"source": {"id": "posted-json", "title": "J"}, "themes": [{"name": "Posted theme"}]}`, map[string]string{"Authorization": "Bearer " + testToken}, 200, `"quadsAdded"`},
	} {
		rec := s.do("POST", tc.target, tc.body, tc.header)
		if tc.name == "GET" {
			rec = s.do("GET", tc.target, "", tc.header)
		}
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body.String())
		}
	}
	rec := s.do("POST", "/graphql", gqlBody(`{ organization(id: "posted-org") { places { id } sources { id } } theme(id: "posted-theme") { id } }`), jsonHeader)
	if !strings.Contains(rec.Body.String(), `"places":[{"id":"texas"}],"sources":[{"id":"posted-2025"}]`) || !strings.Contains(rec.Body.String(), `"posted-theme"`) {
		t.Errorf("loaded data not served: %s", rec.Body.String())
	}
}

func TestRecoveryMiddleware(t *testing.T) {
	logs := &graphtest.Logs{}
	h := httpapi.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom: secret detail") }),
		httpapi.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	req := httptest.NewRequest("GET", "/x", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || !strings.Contains(rec.Body.String(), `"INTERNAL"`) {
		t.Errorf("panic: %d %s", rec.Code, rec.Body.String())
	}
	id := rec.Header().Get("X-Request-Id")
	if l := logs.String(); !strings.Contains(l, "secret detail") || !strings.Contains(l, id) || !strings.Contains(l, `"status":500`) {
		t.Errorf("panic not logged with the request id %s:\n%s", id, l)
	}
}

func TestServeConfig(t *testing.T) {
	env := map[string]string{"THRIVEGRAPH_MAX_DEPTH": "7", "THRIVEGRAPH_REQUEST_TIMEOUT": "3s", "THRIVEGRAPH_INTROSPECTION": "false", "THRIVEGRAPH_TOKEN": "tok"}
	cfg, err := parseConfig([]string{"serve", "--max-depth", "9"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Serve.Limits.MaxDepth != 9 || cfg.Serve.Limits.Timeout.String() != "3s" || cfg.Serve.Introspection || cfg.Serve.Token != "tok" {
		t.Errorf("flags over environment over defaults: %+v", cfg.Serve)
	}
	env["THRIVEGRAPH_MAX_ALIASES"] = "many"
	var stderr bytes.Buffer
	if _, err := parseConfig([]string{"serve"}, func(k string) string { return env[k] }, &stderr); err == nil || !strings.Contains(stderr.String(), "THRIVEGRAPH_MAX_ALIASES") {
		t.Errorf("a bad environment value is not reported: %v %s", err, stderr.String())
	}
	// A token shorter than 16 characters is refused.
	if _, err := writeTokens(serveConfig{Token: "short"}); err == nil {
		t.Error("short token accepted")
	}
}

// TestIDEExamplesWithinLimits runs every example of the IDE, and the
// introspection query of GraphiQL, through the server with the default
// limits: none may be refused.
func TestIDEExamplesWithinLimits(t *testing.T) {
	s := newTestServer(t, defaults(t))
	queries := map[string]string{"introspection": introspectionQuery}
	for _, ex := range ide.Examples() {
		queries[ex.Name] = ex.Query
	}
	for name, q := range queries {
		rec := s.do("POST", "/graphql", gqlBody(q), map[string]string{"Content-Type": "application/json", "Accept": "application/json, multipart/mixed"})
		var resp struct {
			Data   json.RawMessage
			Errors []any
		}
		json.Unmarshal(rec.Body.Bytes(), &resp)
		if rec.Code != 200 || len(resp.Errors) > 0 || len(resp.Data) < 10 {
			t.Errorf("%s: HTTP %d %.300s", name, rec.Code, rec.Body.String())
		}
	}
}

// introspectionQuery is what GraphiQL 3 sends (graphql-js 16
// getIntrospectionQuery with every option on).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`
