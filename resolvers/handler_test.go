package resolvers_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// faultyStore is the seed store with faults injected into three methods, to
// see what clients and logs get when the store fails or a resolver panics.
type faultyStore struct{ graph.Store }

const secret = "/var/lib/secret/thrivegraph.db: disk on fire"

func (faultyStore) Themes(context.Context) ([]*graph.Theme, error) {
	return nil, &graph.Error{Code: graph.CodeInternal, Op: "themes", Msg: "cannot read", Err: errors.New(secret)}
}

func (faultyStore) PolicyLevels(context.Context) ([]*graph.PolicyLevel, error) {
	return nil, errors.New(secret) // not a *graph.Error: internal too
}

func (faultyStore) Places(context.Context) ([]*graph.Place, error) {
	panic(secret)
}

func TestInternalErrorsAreHidden(t *testing.T) {
	var log graphtest.Logs
	h := resolvers.NewHandler(faultyStore{seedStore}, resolvers.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	for _, q := range []string{`{ themes { id } }`, `{ policyLevels { id } }`, `{ places { id } }`} {
		status, resp := post(t, h, q, nil)
		e := onlyError(t, resp, "INTERNAL")
		if e.Message != "internal error" || len(e.Path) != 1 {
			t.Errorf("%s: error %+v", q, e)
		}
		if string(resp.Data) != "null" {
			t.Errorf("%s: data %s", q, resp.Data)
		}
		if status != http.StatusOK {
			t.Errorf("%s: HTTP %d", q, status)
		}
		if strings.Contains(e.Message, "secret") || strings.Contains(e.Message, "fire") {
			t.Errorf("%s: internal detail sent to the client: %+v", q, e)
		}
	}
	logged := log.String()
	if strings.Count(logged, "disk on fire") != 3 {
		t.Errorf("internal details are not logged once per error:\n%s", logged)
	}
	if !strings.Contains(logged, "panic") {
		t.Errorf("the panic is not logged:\n%s", logged)
	}

}

func TestGraphQLErrorsKeepTheirMessages(t *testing.T) {
	for _, c := range []struct {
		query, code, message string
		vars                 map[string]any
	}{
		{`{ organizations { totalCount }`, "GRAPHQL_PARSE_FAILED", "Expected Name, found <EOF>", nil},
		{`{ organizations { nosuchfield } }`, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "nosuchfield" on type "OrganizationConnection".`, nil},
		{`{ organization { id } }`, "GRAPHQL_VALIDATION_FAILED", `Field "organization" argument "id" of type "ID!" is required, but it was not provided.`, nil},
		{`query($n: Int) { organizations(first: $n) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED", "", map[string]any{"n": "many"}},
	} {
		status, resp := post(t, seedHandler, c.query, c.vars)
		e := onlyError(t, resp, c.code)
		if c.message != "" && e.Message != c.message {
			t.Errorf("%s: message %q, want %q", c.query, e.Message, c.message)
		}
		if e.Message == "" || e.Message == "internal error" {
			t.Errorf("%s: message %q", c.query, e.Message)
		}
		if status != http.StatusOK { // GraphQL over HTTP: application/json answers request errors with 200
			t.Errorf("%s: HTTP %d", c.query, status)
		}
	}
}

func TestGETAndIntrospection(t *testing.T) {
	srv := httptest.NewServer(seedHandler)
	defer srv.Close()
	q := url.Values{"query": {`{ policyLevels { id } __type(name: "Organization") { description fields { name } } }`}}
	res, err := http.Get(srv.URL + "/graphql?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body := string(readAll(t, res.Body))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET: HTTP %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{`{"id":"federal"},{"id":"local"},{"id":"state"}`, `"description":"A nonprofit, funder, college`, `"name":"themeLinks"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET response lacks %s:\n%s", want, body)
		}
	}

	// The options transport answers preflight-style requests.
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
	opt, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	opt.Body.Close()
	if opt.StatusCode != http.StatusOK || !strings.Contains(opt.Header.Get("Allow"), "POST") {
		t.Errorf("OPTIONS: HTTP %d, Allow %q", opt.StatusCode, opt.Header.Get("Allow"))
	}
}

// TestConcurrentQueries runs queries in parallel over the one store and
// handler (meant for -race).
func TestConcurrentQueries(t *testing.T) {
	for i := range 8 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			switch i % 3 {
			case 0:
				query[map[string]any](t, partnersQuery, map[string]any{"id": wdp, "first": 50})
			case 1:
				query[map[string]any](t, searchQuery, map[string]any{"text": "refugee"})
			default:
				query[map[string]any](t, eventQuery, map[string]any{"id": chat})
			}
		})
	}
}
