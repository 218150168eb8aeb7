// Package explorer serves the network explorer: a page at /explore that draws
// the partner network as a picture a person can search, click, expand,
// filter by theme and policy level, trace paths on and export, for people who
// would rather look at their network than read JSON.
//
// The page talks to the GraphQL endpoint only (search, neighborhood, node,
// facets, path and introductions) and loads nothing but the files embedded
// in this package, so it works with no internet access. assets/explorer.js
// is a bundle of web/src/ (our code), cytoscape and cytoscape-fcose made with
// esbuild; build/build.sh re-creates it from the versions pinned in
// build/package-lock.json. The bundle is committed so that `go build` needs
// no Node.
//
// Handler is meant to be mounted at both "/explore" and "/explore/":
//
//	h := explorer.Handler("/graphql")
//	mux.Handle("/explore", h)
//	mux.Handle("/explore/", h)
//
// It answers GET and HEAD for "/explore" (the page; its query string, such
// as ?node=ID, is read by the page's script) and "/explore/assets/<file>"
// (the embedded files), 404 for every other path and 405 for other methods.
//
// # Content-Security-Policy
//
// The page is served with
//
//	default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';
//	img-src 'self' data: blob:; base-uri 'none'; form-action 'none';
//	frame-ancestors 'none'; object-src 'none'
//
// stricter than the IDE's: no inline script (the endpoint reaches the script
// as a JSON data block) and no inline style. Cytoscape styles its elements
// through the CSSOM, which a policy does not restrict, but inserts a <style>
// element of one rule unless an element with the id
// "__________cytoscape_stylesheet" exists: the page's own stylesheet link
// carries that id, and explorer.css holds the rule. img-src allows blob:
// and data: for the exported PNG and SVG. The end-to-end test in e2e/ fails
// on any console error, so a violation of the policy fails it. When the
// GraphQL endpoint is an absolute http(s) URL, its origin is added to
// connect-src.
package explorer

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Path is the URL path of the explorer page.
const Path = "/explore"

// AssetPrefix is the URL path under which the embedded files are served.
const AssetPrefix = "/explore/assets/"

// Title is the title of the explorer page.
const Title = "ThriveGraph — network explorer"

//go:embed assets/explorer.js assets/explorer.css
var embedded embed.FS

// assetFS holds the embedded files by their names under AssetPrefix.
var assetFS = func() fs.FS {
	sub, err := fs.Sub(embedded, "assets")
	if err != nil {
		panic("explorer: " + err.Error())
	}
	return sub
}()

// version returns a short hash of an embedded file's content, used in its
// URL so that a new build is never served from a stale cache.
func version(name string) string {
	data, err := fs.ReadFile(assetFS, name)
	if err != nil {
		panic("explorer: no embedded asset " + name)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{.CSS}}" id="__________cytoscape_stylesheet">
</head>
<body>
<a class="skip" href="#list">Skip to the list of nodes</a>
<header class="top">
  <h1><a href="{{.Path}}">ThriveGraph explorer</a></h1>
  <div class="search" role="search">
    <label for="q">Search organizations, people, events, themes</label>
    <input id="q" type="search" autocomplete="off" spellcheck="false" placeholder="Search, e.g. Workers Defense"
      role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="q-results">
    <ul id="q-results" role="listbox" aria-label="Search results" hidden></ul>
  </div>
  <nav class="links" aria-label="Other tools"><a href="/">GraphQL IDE</a></nav>
</header>
<main class="layout">
  <section class="filters" aria-labelledby="filters-h">
    <h2 id="filters-h">Filter</h2>
    <p class="hint">Counts: organizations in the picture · in the whole graph.</p>
    <fieldset id="f-themes"><legend>Themes</legend><p class="empty">Loading…</p></fieldset>
    <fieldset id="f-levels"><legend>Policy levels</legend><p class="empty">Loading…</p></fieldset>
    <button type="button" id="f-clear">Clear filters</button>
    <h2>Legend</h2>
    <div id="legend"></div>
  </section>
  <section class="stage" aria-labelledby="stage-h">
    <h2 id="stage-h" class="visually-hidden">Network picture</h2>
    <div class="toolbar" role="toolbar" aria-label="Picture">
      <label>Depth <select id="depth"><option value="1">1</option><option value="2" selected>2</option><option value="3">3</option></select></label>
      <label>At most <select id="limit"></select> nodes</label>
      <button type="button" id="fit">Fit</button>
      <button type="button" id="relayout">Lay out again</button>
      <button type="button" id="export-png" aria-label="Export the picture as PNG">PNG</button>
      <button type="button" id="export-svg" aria-label="Export the picture as SVG">SVG</button>
      <button type="button" id="export-csv" aria-label="Export the nodes and relations drawn as CSV">CSV</button>
    </div>
    <p id="status" role="status" aria-live="polite">Search for an organization, a person, an event or a theme to draw its network.</p>
    <div class="canvas">
      <div id="cy" tabindex="0" role="application" aria-roledescription="network picture"
        aria-label="Network picture. Arrow keys move between nodes, Enter opens a node's card, E expands it, plus and minus zoom, 0 fits. The list of nodes holds the same content."></div>
      <div id="tip" hidden></div>
    </div>
    <p id="announce" class="visually-hidden" aria-live="polite"></p>
    <div id="start" class="start"></div>
  </section>
  <aside class="side" aria-label="Details">
    <section id="card" aria-labelledby="card-h" hidden></section>
    <section id="path" aria-labelledby="path-h" hidden></section>
    <section id="intro" aria-labelledby="intro-h" hidden></section>
  </aside>
  <section class="list" id="list" aria-labelledby="list-h" tabindex="-1">
    <h2 id="list-h">Nodes in the picture</h2>
    <div id="list-body"><p class="empty">Nothing drawn yet.</p></div>
  </section>
</main>
<noscript>The explorer needs JavaScript. The GraphQL endpoint is {{.Endpoint}}.</noscript>
<script id="explorer-config" type="application/json">{{.Config}}</script>
<script src="{{.JS}}" defer></script>
</body>
</html>
`))

type pageConfig struct {
	Endpoint string `json:"endpoint"`
	Path     string `json:"path"`
}

const (
	pageCSP        = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'%s; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
	assetCacheCtrl = "public, max-age=31536000, immutable"
)

type handler struct {
	page   []byte
	csp    string
	assets http.Handler
}

// Handler returns the explorer: the page at Path runs against graphqlPath
// (a path on this server such as "/graphql", or an absolute http(s) URL),
// and the embedded files are served under AssetPrefix.
func Handler(graphqlPath string) http.Handler {
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, map[string]any{
		"Title":    Title,
		"Path":     Path,
		"Endpoint": graphqlPath,
		"Config":   pageConfig{Endpoint: graphqlPath, Path: Path},
		"CSS":      AssetPrefix + "explorer.css?v=" + version("explorer.css"),
		"JS":       AssetPrefix + "explorer.js?v=" + version("explorer.js"),
	})
	if err != nil {
		panic("explorer: rendering page: " + err.Error())
	}
	extra := ""
	if u, err := url.Parse(graphqlPath); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		extra = " " + u.Scheme + "://" + u.Host
	}
	return &handler{
		page:   buf.Bytes(),
		csp:    strings.Replace(pageCSP, "%s", extra, 1),
		assets: http.StripPrefix(AssetPrefix, http.FileServerFS(assetFS)),
	}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	switch p := r.URL.Path; {
	case p == Path:
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Referrer-Policy", "no-referrer")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
	case strings.HasPrefix(p, AssetPrefix) && !strings.Contains(strings.TrimPrefix(p, AssetPrefix), "/") && p != AssetPrefix:
		if _, err := fs.Stat(assetFS, strings.TrimPrefix(p, AssetPrefix)); err != nil {
			http.NotFound(w, r)
			return
		}
		hdr.Set("Cache-Control", assetCacheCtrl)
		h.assets.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}
