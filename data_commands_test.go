package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataCommands runs load (--dry-run, --replace, --source, --format),
// remove and export (--format nquads|jsonld|csv) as a user would.
func TestDataCommands(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	run := func(args ...string) (stdout, stderr string, err error) {
		var o, e bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := run(args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s%s", args, err, out, errOut)
		}
		return out
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	db := filepath.Join(dir, "a.db")
	chat, webinar := "data/seed/wes-immigrantsthrive-2020.yaml", "data/seed/living-cities-webinar-2014.yaml"

	// A dry run writes nothing and says so.
	out := must("load", "--db", db, "--dry-run", "--progress", "none", chat)
	if !strings.HasPrefix(out, "dry run: 1 file(s) are valid: ") || !strings.Contains(out, "sources: 3 new, 0 to update, 0 to replace; nothing written") ||
		!strings.Contains(out, "seed: the store was empty, so the built-in seed data set (2 files) would be loaded with the files") {
		t.Errorf("dry run output %q", out)
	}
	if got := must("export", "--db", db); got != "" {
		t.Errorf("a dry run wrote:\n%s", got)
	}

	// A load prints its counts; log lines report progress.
	out, logs, err := run("load", "--db", db, "--progress", "log", "--log-format", "json", chat, webinar)
	if err != nil || !strings.HasPrefix(out, "loaded: nodes +87 -0, edges +96 -0, quads +448 -0; sources: 3 added, 0 updated, 0 replaced, 0 removed (") {
		t.Fatalf("load: %v %q", err, out)
	}
	for _, want := range []string{`"msg":"load: writing","quads":448`, `"msg":"load: written","quads":448,"quads_per_s":`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	seed := must("export", "--db", db)

	// Foreign N-Quads with --source, replaced, then removed.
	films := write("films.nq", "<http://example.org/film/1> <http://example.org/title> \"Film\" .\n<http://example.org/film/2> <http://example.org/title> \"Other\" .\n")
	must("load", "--db", db, "--source", "films", "--progress", "none", films)
	films = write("films.nq", "<http://example.org/film/1> <http://example.org/title> \"Film\" .\n")
	out = must("load", "--db", db, "--source", "films", "--replace", "--progress", "none", films)
	if !strings.HasPrefix(out, "loaded: nodes +0 -0, edges +0 -0, quads +0 -1; sources: 0 added, 0 updated, 1 replaced, 0 removed") {
		t.Errorf("replace output %q", out)
	}
	if got := must("export", "--db", db); strings.Contains(got, "Other") || !strings.Contains(got, `<http://example.org/film/1> <http://example.org/title> "Film" <https://thrivegraph.org/source/films> .`) {
		t.Errorf("after replace:\n%s", got)
	}
	out = must("remove", "--db", db, "--source", "films")
	if !strings.HasPrefix(out, "removed: nodes +0 -0, edges +0 -0, quads +0 -3; sources: 0 added, 0 updated, 0 replaced, 1 removed") {
		t.Errorf("remove output %q", out)
	}
	if got := must("export", "--db", db); got != seed {
		t.Error("load and remove of a source did not give the graph back")
	}

	// Every export format loads into a fresh store as the same graph, and
	// exports the same again.
	for _, format := range []string{"nquads", "jsonld", "csv"} {
		t.Run(format, func(t *testing.T) {
			target := filepath.Join(dir, "export."+format)
			if format == "csv" {
				target = filepath.Join(dir, "csv")
			}
			must("export", "--db", db, "--format", format, "--out", target)
			fresh := filepath.Join(dir, format+".db")
			must("load", "--db", fresh, "--format", format, "--progress", "none", target)
			if got := must("export", "--db", fresh); got != seed {
				t.Errorf("%s round trip changed the graph", format)
			}
			if format == "csv" {
				return
			}
			first, _ := os.ReadFile(target)
			if again := must("export", "--db", fresh, "--format", format); again != string(first) {
				t.Errorf("%s export differs after the round trip", format)
			}
		})
	}

	// Command line errors.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"remove", "--db", db}, "remove needs --source ID"},
		{[]string{"remove", "--db", db, "--source", "nope"}, `thrivegraph: remove: no source "nope" in the store`},
		{[]string{"export", "--db", db, "--format", "csv"}, "export --format csv writes a directory: give it with --out DIR"},
		{[]string{"export", "--db", db, "--format", "xml"}, `--format must be nquads, jsonld, csv, graphml or gexf, got "xml"`},
		{[]string{"load", "--db", db, "--format", "xml", chat}, `--format must be yaml, csv, nquads or jsonld, got "xml"`},
		{[]string{"load", "--db", db, "--progress", "loud", chat}, `--progress must be auto, bar, log or none, got "loud"`},
		{[]string{"load", "--db", db, "--progress", "none", write("bad.csv", "name\nX\n")}, "bad.csv: unknown sheet \"bad\""},
	} {
		_, errOut, err := run(tc.args...)
		if err == nil || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: err %v, stderr %q, want %q", tc.args, err, errOut, tc.want)
		}
	}
	if got := must("export", "--db", db); got != seed {
		t.Error("a failed command changed the store")
	}
}
