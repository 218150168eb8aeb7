// Package ide serves an in-browser GraphQL IDE (GraphiQL) for ThriveGraph that
// works without internet access: GraphiQL 3.9.0, React 18.3.1 and ReactDOM
// 18.3.1 (their UMD builds) are embedded in the binary together with a small
// start-up script of our own, and the page loads nothing but those files.
//
// The npm versions are pinned in build/package.json and build/package-lock.json;
// build/fetch.sh re-creates the files in assets/ from the npm registry.
//
// Handler is meant to be mounted at the root of the server:
//
//	mux.Handle("/", ide.Handler("/graphql"))
//
// It answers GET and HEAD for "/" (the IDE page) and "/ide/assets/<file>"
// (the embedded files), 404 for every other path and 405 for other methods.
//
// # Content-Security-Policy
//
// The page is served with
//
//	default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';
//	connect-src 'self'; img-src 'self' data:; font-src 'self' data:;
//	base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'
//
// Checked in headless Chromium with a report-only policy: scripts run from
// 'self' alone ('unsafe-eval' is not needed, and no inline script is used: the
// endpoint and the examples reach the start-up script as a JSON data block).
// 'unsafe-inline' styles are needed because GraphiQL's dialogs (settings,
// short keys; Radix UI with react-remove-scroll) insert <style> elements;
// fonts and icons are data: URLs in graphiql.min.css. When the GraphQL endpoint is an absolute http(s) URL, its
// origin is added to connect-src.
package ide

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the URL path under which the embedded files are served.
const AssetPrefix = "/ide/assets/"

// Title is the title of the IDE page.
const Title = "ThriveGraph — GraphQL IDE"

//go:embed assets
var assetFS embed.FS

// Example is one example operation offered by the IDE.
type Example struct {
	// Name is the operation name, also the title of the example's tab.
	Name string
	// Comment is a one-line description shown as a comment above the query.
	Comment string
	// Query is the GraphQL document of the operation (one named operation).
	Query string
}

var examples = []Example{
	{
		Name:    "SearchCasa",
		Comment: `Search names and descriptions for "casa".`,
		Query: `query SearchCasa {
  search(text: "casa") {
    score
    node {
      __typename
      id
      name
    }
  }
}`,
	},
	{
		Name:    "WorkersDefenseProject",
		Comment: "An organization, its events and its partners.",
		Query: `query WorkersDefenseProject {
  organization(id: "workers-defense-project") {
    name
    events {
      role
      event {
        name
        startDate
      }
    }
    partners {
      totalCount
      edges {
        node {
          name
        }
        sharedEvents {
          name
        }
      }
    }
  }
}`,
	},
	{
		Name:    "DigitalInclusionOrganizations",
		Comment: `Organizations working on digital inclusion.`,
		Query: `query DigitalInclusionOrganizations {
  organizations(filter: { themes: ["digital-inclusion"] }) {
    totalCount
    nodes {
      id
      name
    }
  }
}`,
	},
	{
		Name:    "ImmigrantsThriveEvent",
		Comment: "The #ImmigrantsThrive Twitter chat: its 38 participating organizations (role PARTICIPANT) and its 40 organizations in any role.",
		Query: `query ImmigrantsThriveEvent {
  event(id: "immigrantsthrive") {
    name
    kind
    startDate
    hosts {
      name
    }
    participating: participants(role: "PARTICIPANT", first: 5) {
      totalCount
      nodes {
        name
      }
    }
    everyRole: participants {
      totalCount
    }
    themes {
      name
    }
  }
}`,
	},
	{
		Name:    "PathCasaLatinaToWesFund",
		Comment: "How Casa Latina connects to the WES Fund.",
		Query: `query PathCasaLatinaToWesFund {
  path(from: "casa-latina", to: "wes-mariam-assefa-fund") {
    length
    steps {
      node {
        id
        name
        __typename
      }
      relation
      source {
        title
      }
    }
  }
}`,
	},
	{
		Name:    "PolicyLevels",
		Comment: "Policy levels and the themes at each.",
		Query: `query PolicyLevels {
  policyLevels {
    id
    name
    themes {
      name
    }
  }
}`,
	},
	{
		Name:    "CristinaTzintzun",
		Comment: "A person, their affiliations and events.",
		Query: `query CristinaTzintzun {
  person(id: "cristina-tzintzun") {
    name
    affiliations {
      title
      organization {
        name
      }
    }
    events {
      name
    }
  }
}`,
	},
}

// overview is the first operation of the welcome tab, which names the tab:
// GraphiQL titles a tab after the first operation of its document, and
// each example has a tab of its own, so the welcome tab must not start
// with an example.
var overview = Example{
	Name:    "Overview",
	Comment: "What the graph holds: its themes, policy levels and first events.",
	Query: `query Overview {
  themes {
    id
    name
  }
  policyLevels {
    id
    name
  }
  events(first: 5) {
    totalCount
    nodes {
      id
      name
      startDate
    }
  }
}`,
}

// Overview returns the operation that opens the welcome tab and gives it
// its title.
func Overview() Example { return overview }

// Examples returns the example operations offered by the IDE, in order.
func Examples() []Example {
	return append([]Example(nil), examples...)
}

// DefaultQuery returns the document shown in the IDE's first tab: every
// example as a named operation, each with a comment.
func DefaultQuery() string {
	var b strings.Builder
	b.WriteString(`# Welcome to ThriveGraph's GraphQL IDE.
#
# ThriveGraph is a knowledge graph of organizations,
# events, people, themes, policy levels and places
# working on the economic inclusion of immigrants and
# refugees. Every node has an id (a slug of its name)
# and the sources it came from.
#
# This document holds several named operations: put
# the cursor in one and press Ctrl-Enter (Cmd-Enter),
# or pick one from the run button's menu. Each example
# also has a tab of its own. Docs shows the schema.
`)
	for _, ex := range append([]Example{overview}, examples...) {
		b.WriteString("\n# ")
		b.WriteString(ex.Comment)
		b.WriteString("\n")
		b.WriteString(ex.Query)
		b.WriteString("\n")
	}
	return b.String()
}

// asset is one embedded file, ready to serve.
type asset struct {
	name        string
	data        []byte
	contentType string
	etag        string
	version     string // short content hash, used to bust caches in URLs
	gzipped     func() []byte
}

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

var assets = loadAssets()

func loadAssets() map[string]*asset {
	m := map[string]*asset{}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic("ide: reading embedded assets: " + err.Error())
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		ct, ok := contentTypes[path.Ext(e.Name())]
		if !ok {
			continue
		}
		data, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic("ide: reading embedded asset: " + err.Error())
		}
		sum := sha256.Sum256(data)
		version := hex.EncodeToString(sum[:6])
		m[e.Name()] = &asset{
			name:        e.Name(),
			data:        data,
			contentType: ct,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
			version:     version,
			gzipped: sync.OnceValue(func() []byte {
				var buf bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
				zw.Write(data)
				zw.Close()
				return buf.Bytes()
			}),
		}
	}
	return m
}

// assetURL returns the cache-busting URL of an embedded file.
func assetURL(name string) string {
	a, ok := assets[name]
	if !ok {
		panic("ide: no embedded asset " + name)
	}
	return AssetPrefix + name + "?v=" + a.version
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{.CSS}}">
<link rel="stylesheet" href="{{.IDECSS}}">
</head>
<body>
<div id="graphiql"><noscript>The GraphQL IDE needs JavaScript. The GraphQL endpoint is {{.Endpoint}}.</noscript></div>
<script id="ide-config" type="application/json">{{.Config}}</script>
<script src="{{.React}}"></script>
<script src="{{.ReactDOM}}"></script>
<script src="{{.GraphiQL}}"></script>
<script src="{{.Start}}"></script>
</body>
</html>
`))

type pageConfig struct {
	Endpoint     string   `json:"endpoint"`
	DefaultQuery string   `json:"defaultQuery"`
	Tabs         []tabDef `json:"defaultTabs"`
}

type tabDef struct {
	Query string `json:"query"`
}

const (
	pageCSP        = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'%s; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
	assetCacheCtrl = "public, max-age=31536000, immutable"
)

type handler struct {
	page []byte
	csp  string
}

// Handler returns the IDE: the page at "/" runs GraphiQL against graphqlPath
// (a path on this server such as "/graphql", or an absolute http(s) URL), and
// the embedded files are served under AssetPrefix.
func Handler(graphqlPath string) http.Handler {
	cfg := pageConfig{Endpoint: graphqlPath, DefaultQuery: DefaultQuery()}
	cfg.Tabs = append(cfg.Tabs, tabDef{Query: cfg.DefaultQuery})
	for _, ex := range examples {
		cfg.Tabs = append(cfg.Tabs, tabDef{Query: "# " + ex.Comment + "\n" + ex.Query + "\n"})
	}
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, map[string]any{
		"Title":    Title,
		"Endpoint": graphqlPath,
		"Config":   cfg,
		"CSS":      assetURL("graphiql.min.css"),
		"IDECSS":   assetURL("ide.css"),
		"React":    assetURL("react.production.min.js"),
		"ReactDOM": assetURL("react-dom.production.min.js"),
		"GraphiQL": assetURL("graphiql.min.js"),
		"Start":    assetURL("ide.js"),
	})
	if err != nil {
		panic("ide: rendering page: " + err.Error())
	}
	extra := ""
	if u, err := url.Parse(graphqlPath); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		extra = " " + u.Scheme + "://" + u.Host
	}
	return &handler{page: buf.Bytes(), csp: strings.Replace(pageCSP, "%s", extra, 1)}
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
	case p == "/":
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Referrer-Policy", "no-referrer")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
	case strings.HasPrefix(p, AssetPrefix):
		a, ok := assets[strings.TrimPrefix(p, AssetPrefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, a)
	default:
		http.NotFound(w, r)
	}
}

func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", assetCacheCtrl)
	hdr.Add("Vary", "Accept-Encoding")
	data, etag := a.data, a.etag
	if acceptsGzip(r) {
		data = a.gzipped()
		etag = strings.TrimSuffix(a.etag, `"`) + `-gz"`
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
