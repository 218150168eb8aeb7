package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
	"github.com/thrivegraph/thrivegraph/resolvers/generated"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The seed graph every test queries: the real store on the memory backend,
// filled by the real loader with the built-in seed files.
var (
	seedStore   *live.Graph
	seedHandler http.Handler
	logs        graphtest.Logs // what the handler logs
)

func TestMain(m *testing.M) {
	flag.Parse()
	ctx := context.Background()
	store, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open store:", err)
		os.Exit(1)
	}
	names, err := data.SeedFiles()
	if err == nil {
		_, err = loader.Load(ctx, store, loader.FromFS(data.Seed, names...)...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load seed:", err)
		os.Exit(1)
	}
	seedStore = store
	seedHandler = resolvers.NewHandler(store, resolvers.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		code = checkEveryFieldQueried()
	}
	store.Close()
	os.Exit(code)
}

// gqlError is one entry of a response's "errors".
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

// post sends one GraphQL request as POST JSON through h and decodes the
// response. It records the query for the field coverage check.
func post(t *testing.T, h http.Handler, query string, vars map[string]any) (int, response) {
	t.Helper()
	recordQuery(query, vars)
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, rec.Body.String())
	}
	return rec.Code, resp
}

// query runs query over the seed graph, fails the test on any error, and
// decodes "data" into a T.
func query[T any](t *testing.T, query string, vars map[string]any) T {
	t.Helper()
	status, resp := post(t, seedHandler, query, vars)
	if status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("query failed (HTTP %d): %+v\nquery: %s", status, resp.Errors, query)
	}
	var out T
	if err := json.Unmarshal(resp.Data, &out); err != nil {
		t.Fatalf("decode data: %v\n%s", err, resp.Data)
	}
	return out
}

// queryRaw runs query over the seed graph and returns the whole response.
func queryRaw(t *testing.T, query string, vars map[string]any) response {
	t.Helper()
	_, resp := post(t, seedHandler, query, vars)
	return resp
}

// onlyError checks that resp failed with exactly one error of the given code
// and returns it.
func onlyError(t *testing.T, resp response, code string) gqlError {
	t.Helper()
	if len(resp.Errors) != 1 {
		t.Fatalf("want one error with code %s, got %+v (data %s)", code, resp.Errors, resp.Data)
	}
	if got := resp.Errors[0].code(); got != code {
		t.Fatalf("error code = %q, want %q (%+v)", got, code, resp.Errors[0])
	}
	return resp.Errors[0]
}

// golden compares v, as indented JSON, with testdata/NAME.golden.json, or
// rewrites the file with -update.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the answer (run go test -update after checking):\n%s", path, got)
	}
}

// Field coverage: every field of every type of the schema (and every field
// of the filter input) must be selected by at least one test query.

var (
	queriesMu sync.Mutex
	queries   []recorded
)

type recorded struct {
	query string
	vars  map[string]any
}

func recordQuery(q string, vars map[string]any) {
	queriesMu.Lock()
	defer queriesMu.Unlock()
	queries = append(queries, recorded{q, vars})
}

func checkEveryFieldQueried() int {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &resolvers.Resolver{}}).Schema()
	seen := map[string]bool{}
	for _, r := range queries {
		doc, err := gqlparser.LoadQuery(schema, r.query)
		if err != nil {
			continue // the queries that test validation errors
		}
		for _, op := range doc.Operations {
			markSelections(seen, op.SelectionSet)
			for _, v := range op.VariableDefinitions {
				def := schema.Types[v.Type.Name()]
				if m, ok := r.vars[v.Variable].(map[string]any); ok && def != nil && def.Kind == ast.InputObject {
					for k := range m {
						seen[def.Name+"."+k] = true
					}
				}
			}
		}
	}
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		switch def.Kind {
		case ast.Object, ast.Interface, ast.InputObject:
		default:
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if key := name + "." + f.Name; !seen[key] {
				missing = append(missing, key)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		fmt.Fprintf(os.Stderr, "FAIL: no test query selects these fields:\n  %s\n", strings.Join(missing, "\n  "))
		return 1
	}
	return 0
}

func markSelections(seen map[string]bool, set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.ObjectDefinition != nil {
				seen[s.ObjectDefinition.Name+"."+s.Name] = true
			}
			for _, a := range s.Arguments {
				markValue(seen, a.Value)
			}
			markSelections(seen, s.SelectionSet)
		case *ast.InlineFragment:
			markSelections(seen, s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				markSelections(seen, s.Definition.SelectionSet)
			}
		}
	}
}

func markValue(seen map[string]bool, v *ast.Value) {
	if v == nil {
		return
	}
	for _, c := range v.Children {
		if v.Kind == ast.ObjectValue && v.Definition != nil {
			seen[v.Definition.Name+"."+c.Name] = true
		}
		markValue(seen, c.Value)
	}
}

// readAll is io.ReadAll that fails the test.
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
