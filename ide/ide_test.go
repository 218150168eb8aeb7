package ide

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// vendored are the four files fetched from npm by build/fetch.sh.
var vendored = []string{
	"graphiql.min.js",
	"graphiql.min.css",
	"react.production.min.js",
	"react-dom.production.min.js",
}

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPage(t *testing.T) {
	rec := get(t, Handler("/graphql"), http.MethodGet, "/", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q allows eval", csp)
	}
	body := rec.Body.String()

	tests := []struct {
		name string
		ok   func(string) bool
	}{
		{"title", func(b string) bool { return strings.Contains(b, "<title>ThriveGraph — GraphQL IDE</title>") }},
		{"graphql path", func(b string) bool { return strings.Contains(b, `"endpoint":"/graphql"`) }},
		{"no http:// or https:// reference", func(b string) bool {
			return !strings.Contains(b, "http://") && !strings.Contains(b, "https://")
		}},
		{"no protocol-relative reference", func(b string) bool {
			return !regexp.MustCompile(`(src|href)="//`).MatchString(b)
		}},
		{"no inline script", func(b string) bool {
			// Every <script> either loads a file or is the JSON data block.
			for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(b, -1) {
				if !strings.Contains(m, `src="/ide/assets/`) && !strings.Contains(m, `type="application/json"`) {
					return false
				}
			}
			return true
		}},
		{"start-up script", func(b string) bool { return strings.Contains(b, `src="/ide/assets/ide.js?v=`) }},
		{"defaultQuery", func(b string) bool { return strings.Contains(b, `"defaultQuery":"# Welcome`) }},
		{"defaultTabs", func(b string) bool { return strings.Contains(b, `"defaultTabs":[`) }},
	}
	for _, name := range vendored {
		tests = append(tests, struct {
			name string
			ok   func(string) bool
		}{"references " + name, func(b string) bool {
			return strings.Contains(b, `="/ide/assets/`+name+`?v=`)
		}})
	}
	for _, ex := range Examples() {
		tests = append(tests, struct {
			name string
			ok   func(string) bool
		}{"example " + ex.Name, func(b string) bool { return strings.Contains(b, "query "+ex.Name+" {") }})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok(body) {
				t.Errorf("page fails check %q:\n%s", tc.name, body)
			}
		})
	}
}

func TestPageEscapesEndpoint(t *testing.T) {
	rec := get(t, Handler(`/graphql"</script><script>alert(1)</script>`), http.MethodGet, "/", nil)
	if strings.Contains(rec.Body.String(), "<script>alert(1)") {
		t.Fatalf("endpoint not escaped:\n%s", rec.Body.String())
	}
}

func TestAbsoluteEndpointAllowedByCSP(t *testing.T) {
	rec := get(t, Handler("https://api.example.org/graphql"), http.MethodGet, "/", nil)
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' https://api.example.org;") {
		t.Errorf("Content-Security-Policy = %q, want the endpoint's origin in connect-src", csp)
	}
}

func TestAssets(t *testing.T) {
	h := Handler("/graphql")
	tests := []struct {
		file    string
		ctype   string
		minSize int
	}{
		{"graphiql.min.js", "text/javascript; charset=utf-8", 500_000},
		{"graphiql.min.css", "text/css; charset=utf-8", 100_000},
		{"react.production.min.js", "text/javascript; charset=utf-8", 5_000},
		{"react-dom.production.min.js", "text/javascript; charset=utf-8", 100_000},
		{"ide.js", "text/javascript; charset=utf-8", 200},
		{"ide.css", "text/css; charset=utf-8", 20},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			rec := get(t, h, http.MethodGet, AssetPrefix+tc.file, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.file, rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("Cache-Control = %q, want a long max-age", cc)
			}
			if n := rec.Body.Len(); n < tc.minSize {
				t.Errorf("size = %d, want at least %d", n, tc.minSize)
			}
			plain := rec.Body.Bytes()

			// HEAD: headers only.
			head := get(t, h, http.MethodHead, AssetPrefix+tc.file, nil)
			if head.Code != http.StatusOK || head.Body.Len() != 0 {
				t.Errorf("HEAD = %d with %d bytes, want 200 and no body", head.Code, head.Body.Len())
			}

			// gzip when asked for.
			gz := get(t, h, http.MethodGet, AssetPrefix+tc.file+"?v=x", map[string]string{"Accept-Encoding": "gzip, br"})
			if gz.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", gz.Header().Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(gz.Body)
			if err != nil {
				t.Fatal(err)
			}
			unz, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(unz, plain) {
				t.Errorf("gzipped body differs from the plain one")
			}

			// Conditional request.
			etag := rec.Header().Get("ETag")
			nm := get(t, h, http.MethodGet, AssetPrefix+tc.file, map[string]string{"If-None-Match": etag})
			if etag == "" || nm.Code != http.StatusNotModified {
				t.Errorf("If-None-Match %q = %d, want 304", etag, nm.Code)
			}
		})
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := Handler("/graphql")
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodHead, "/", http.StatusOK},
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodGet, "/index.html", http.StatusNotFound},
		{http.MethodGet, "/ide/assets/", http.StatusNotFound},
		{http.MethodGet, "/ide/assets/missing.js", http.StatusNotFound},
		{http.MethodGet, "/ide/assets/../ide.go", http.StatusNotFound},
		{http.MethodGet, "/ide/assets/graphiql.min.js.map", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodPost, AssetPrefix + "graphiql.min.js", http.StatusMethodNotAllowed},
		{http.MethodPut, "/", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/nope", http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := get(t, h, tc.method, tc.target, nil)
			if rec.Code != tc.want {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.target, rec.Code, tc.want)
			}
			if tc.want == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q, want %q", rec.Header().Get("Allow"), "GET, HEAD")
			}
		})
	}
}

func TestExamples(t *testing.T) {
	exs := Examples()
	if len(exs) != 7 {
		t.Fatalf("%d examples, want 7", len(exs))
	}
	doc := DefaultQuery()
	for _, ex := range exs {
		if !strings.HasPrefix(ex.Query, "query "+ex.Name+" {") {
			t.Errorf("example %s does not start with its named operation", ex.Name)
		}
		if strings.Count(ex.Query, "{") != strings.Count(ex.Query, "}") {
			t.Errorf("example %s has unbalanced braces", ex.Name)
		}
		if !strings.Contains(doc, "# "+ex.Comment+"\n"+ex.Query) {
			t.Errorf("DefaultQuery lacks example %s with its comment", ex.Name)
		}
	}
}

// graphiqlTitle is how GraphiQL 3 titles a tab: the name of the first
// operation of its document (fuzzyExtractOperationName in graphiql.min.js).
var graphiqlTitle = regexp.MustCompile(`(?m)^(?:[^#\n].*)?(?:query|subscription|mutation)\s+([a-zA-Z0-9_]+)`)

// TestTabTitles checks that every tab the page opens has a title of its
// own, as GraphiQL computes it, and that the page has one <title>.
func TestTabTitles(t *testing.T) {
	if !strings.Contains(graphiqlSource(t), `/^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/m`) {
		t.Fatal("GraphiQL no longer titles tabs with the regular expression this test mirrors")
	}
	body := get(t, Handler("/graphql"), http.MethodGet, "/", nil).Body.String()
	if n := strings.Count(body, "<title>"); n != 1 {
		t.Errorf("the page has %d <title> elements, want 1", n)
	}
	m := regexp.MustCompile(`(?s)<script id="ide-config" type="application/json">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no #ide-config block")
	}
	var cfg struct {
		DefaultTabs []struct{ Query string } `json:"defaultTabs"`
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatal(err)
	}
	want := []string{Overview().Name}
	for _, ex := range Examples() {
		want = append(want, ex.Name)
	}
	var got []string
	seen := map[string]int{}
	for i, tab := range cfg.DefaultTabs {
		title := "<untitled>"
		if m := graphiqlTitle.FindStringSubmatch(tab.Query); m != nil {
			title = m[1]
		}
		if first, dup := seen[title]; dup {
			t.Errorf("tabs %d and %d share the title %q", first, i, title)
		}
		seen[title] = i
		got = append(got, title)
	}
	if !slices.Equal(got, want) {
		t.Errorf("tab titles %q, want %q", got, want)
	}
}

func graphiqlSource(t *testing.T) string {
	t.Helper()
	b, err := assetFS.ReadFile("assets/graphiql.min.js")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
