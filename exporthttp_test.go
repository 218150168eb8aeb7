package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
)

// reload loads files into a new memory store and returns its N-Quads export.
func reload(t *testing.T, files ...loader.File) string {
	t.Helper()
	ctx := context.Background()
	s, err := openGraph(ctx, graph.Config{Backend: graph.BackendMemory}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := loader.LoadWith(ctx, s, loader.Options{}, files...); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.Export(ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// memFile is one file in memory for the loader.
func memFile(name string, data []byte) loader.File {
	return loader.File{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

// unzip writes a zip archive under dir.
func unzip(t *testing.T, data []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportEndpoint fetches the graph from GET /export in every format,
// without a token although the server has one, and loads each answer into
// a new store: the same graph as the N-Quads export.
func TestExportEndpoint(t *testing.T) {
	c := defaults(t)
	c.Token = testToken
	s := newTestServer(t, c)
	get := func(target string) *httptest.ResponseRecorder { return s.do("GET", target, "", nil) }

	nq := get("/export")
	if nq.Code != 200 || nq.Header().Get("Content-Type") != "application/n-quads" || strings.Count(nq.Body.String(), "\n") < 300 {
		t.Fatalf("GET /export: %d %s, %d bytes", nq.Code, nq.Header().Get("Content-Type"), nq.Body.Len())
	}
	want := nq.Body.String()
	if again := get("/export?format=nquads").Body.String(); again != want {
		t.Error("format=nquads differs from the default")
	}
	if got := reload(t, memFile("export.nq", []byte(want))); got != want {
		t.Error("the N-Quads export loads as another graph")
	}

	jl := get("/export?format=jsonld")
	if jl.Code != 200 || jl.Header().Get("Content-Type") != "application/ld+json" {
		t.Fatalf("jsonld: %d %s", jl.Code, jl.Header().Get("Content-Type"))
	}
	if got := reload(t, memFile("export.jsonld", jl.Body.Bytes())); got != want {
		t.Error("the JSON-LD export loads as another graph")
	}

	zipped := get("/export?format=csv")
	if zipped.Code != 200 || zipped.Header().Get("Content-Type") != "application/zip" ||
		!strings.Contains(zipped.Header().Get("Content-Disposition"), `filename="thrivegraph-csv.zip"`) {
		t.Fatalf("csv: %d %v", zipped.Code, zipped.Header())
	}
	dir := t.TempDir()
	unzip(t, zipped.Body.Bytes(), dir)
	if _, err := os.Stat(filepath.Join(dir, "wes-immigrantsthrive-2020", "organizations.csv")); err != nil {
		t.Errorf("the zip lacks a sheet: %v", err)
	}
	if got := reload(t, loader.Paths(dir)...); got != want {
		t.Error("the CSV export loads as another graph")
	}

	for _, tc := range []struct {
		method, target string
		status         int
		code           string
	}{
		{"GET", "/export?format=xml", 400, "BAD_REQUEST"},
		{"POST", "/export", 405, "METHOD_NOT_ALLOWED"},
		{"DELETE", "/export?format=csv", 405, "METHOD_NOT_ALLOWED"},
	} {
		rec := s.do(tc.method, tc.target, "", nil)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), `"`+tc.code+`"`) {
			t.Errorf("%s %s: %d %s", tc.method, tc.target, rec.Code, rec.Body.String())
		}
	}
	if !strings.Contains(s.logs.String(), `"path":"/export"`) {
		t.Errorf("no request log for /export:\n%s", s.logs.String())
	}
}

// TestExportEndpointRefusesWhatCSVCannotHold answers 409 with the reason,
// and writes no part of a zip.
func TestExportEndpointRefusesWhatCSVCannotHold(t *testing.T) {
	ctx := context.Background()
	s, err := openGraph(ctx, graph.Config{Backend: graph.BackendMemory}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	films := memFile("films.nq", []byte("<http://example.org/film/1> <http://example.org/title> \"Film\" .\n"))
	if _, err := loader.LoadWith(ctx, s, loader.Options{Source: "films"}, films); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	exportHandler(s, nil, slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest("GET", "/export?format=csv", nil))
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "export them as nquads or jsonld") || rec.Header().Get("Content-Type") == "application/zip" {
		t.Errorf("%d %v %s", rec.Code, rec.Header(), rec.Body.String())
	}
}

// TestExportBesideServe: export on a bbolt file another process holds says
// to fetch GET /export from the server, not to load through it.
func TestExportBesideServe(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "held.db")
	held, err := openGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: db}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, _, err = runCLI(t, nil, "export", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "/export?format=nquads") || strings.Contains(err.Error(), "load through") {
		t.Errorf("export beside serve: %v", err)
	}
}
