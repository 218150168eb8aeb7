package explorer

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestPage(t *testing.T) {
	h := Handler("/graphql")
	for _, target := range []string{"/explore", "/explore?node=casa-de-maryland&theme=digital-inclusion"} {
		rec := get(t, h, http.MethodGet, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d, want 200", target, rec.Code)
		}
	}
	rec := get(t, h, http.MethodGet, "/explore")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self';", "style-src 'self';", "connect-src 'self';", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-eval", "unsafe-inline", "http:", "https:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("Content-Security-Policy %q allows %s", csp, bad)
		}
	}
	body := rec.Body.String()
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") || regexp.MustCompile(`(src|href)="//`).MatchString(body) {
		t.Error("the page refers to another host")
	}
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, `src="/explore/assets/explorer.js?v=`) && !strings.Contains(m, `type="application/json"`) {
			t.Errorf("inline script %s", m)
		}
	}
	if regexp.MustCompile(`<style|\sstyle=`).MatchString(body) {
		t.Error("the page has an inline style")
	}
	if !strings.Contains(body, `"endpoint":"/graphql"`) {
		t.Error("the page does not name the GraphQL endpoint")
	}
	// Cytoscape inserts an inline <style> unless this id exists (see the package doc).
	if !strings.Contains(body, `id="__________cytoscape_stylesheet"`) {
		t.Error("the stylesheet link lacks the id that stops cytoscape inserting an inline style")
	}
	for _, id := range []string{`id="q"`, `id="cy"`, `id="list"`, `id="card"`, `id="f-themes"`, `id="f-levels"`, `id="export-png"`, `id="export-svg"`, `id="export-csv"`} {
		if !strings.Contains(body, id) {
			t.Errorf("the page lacks %s", id)
		}
	}
}

func TestAbsoluteEndpoint(t *testing.T) {
	rec := get(t, Handler("https://graph.example.org/graphql"), http.MethodGet, "/explore")
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://graph.example.org;") {
		t.Errorf("Content-Security-Policy %q does not allow the endpoint's origin", csp)
	}
}

func TestAssets(t *testing.T) {
	h := Handler("/graphql")
	page := get(t, h, http.MethodGet, "/explore").Body.String()
	for _, tc := range []struct{ name, contentType, contains string }{
		{"explorer.js", "text/javascript", "cytoscape"},
		{"explorer.css", "text/css", "__________cytoscape_container"},
	} {
		m := regexp.MustCompile(regexp.QuoteMeta(AssetPrefix+tc.name) + `\?v=[0-9a-f]{12}`).FindString(page)
		if m == "" {
			t.Errorf("the page does not load %s with a version", tc.name)
			continue
		}
		rec := get(t, h, http.MethodGet, m)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", m, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", tc.name, cc)
		}
		b, _ := io.ReadAll(rec.Body)
		if !strings.Contains(string(b), tc.contains) {
			t.Errorf("%s does not contain %q", tc.name, tc.contains)
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := Handler("/graphql")
	for _, target := range []string{"/explore/", "/explore/x", "/explore/assets/", "/explore/assets/nope.js", "/explore/assets/../explorer.go", "/explore/assets/a/b.js", "/explorer"} {
		if rec := get(t, h, http.MethodGet, target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, rec.Code)
		}
	}
	rec := get(t, h, http.MethodPost, "/explore")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /explore = %d (Allow %q), want 405 with Allow: GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
	if rec := get(t, h, http.MethodHead, "/explore"); rec.Code != http.StatusOK {
		t.Errorf("HEAD /explore = %d", rec.Code)
	}
}
