package loader

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes files (path and content alternating) under dir.
func writeTree(t *testing.T, dir string, pathContent ...string) {
	t.Helper()
	for i := 0; i+1 < len(pathContent); i += 2 {
		p := filepath.Join(dir, pathContent[i])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pathContent[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSourceless checks that sheets never write a source without an id:
// sheets without a row load nothing, and a sources.csv without a row is an
// error naming it unless --source names the source.
func TestSourceless(t *testing.T) {
	ctx := context.Background()
	const header = "id,title,url,publisher,published,document,note,authors\n"
	tests := []struct {
		name   string
		files  []string
		source string
		err    string   // "" : loads
		empty  []string // what loads nothing
		added  []string
	}{
		{"the empty templates", []string{"t/sources.csv", header, "t/organizations.csv", "id,name,other_names,classification,description\n"}, "", "", []string{"t"}, nil},
		{"an empty sources sheet with rows elsewhere", []string{"t/sources.csv", header, "t/organizations.csv", "name\nAcme\n"}, "",
			"t/sources.csv:1: no source: the sheet has a header but no row; add a row with the source's id and title, or give --source ID", nil, nil},
		{"an empty sources sheet and --source", []string{"t/sources.csv", header, "t/organizations.csv", "name\nAcme\n"}, "mine", "", nil, []string{"mine"}},
		{"a source row with an empty id", []string{"t/sources.csv", "id,title\n,Title\n"}, "", "t/sources.csv:2:1: id: must not be empty", nil, nil},
		{"a source row alone", []string{"t/sources.csv", "id,title\nonly,Only the record\n"}, "", "", nil, []string{"only"}},
		{"an empty directory", []string{"t/.keep", ""}, "", "", []string{"t"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tc.files...)
			t.Chdir(dir)
			s := openStore(t)
			rep, err := LoadWith(ctx, s, Options{Source: tc.source}, Paths("t")...)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.Empty, tc.empty) || !slices.Equal(rep.Added, tc.added) {
				t.Errorf("empty %v added %v, want %v and %v", rep.Empty, rep.Added, tc.empty, tc.added)
			}
			srcs, err := s.Sources(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, src := range srcs {
				if src.ID == "" {
					t.Errorf("a source without an id was written")
				}
			}
			if len(srcs) != len(tc.added) {
				t.Errorf("%d sources in the store, want %d", len(srcs), len(tc.added))
			}
		})
	}
}

// TestPathsOfDirectories checks that a directory stands for every data file
// in it and its subdirectories: YAML, JSON, N-Quads and JSON-LD files one
// by one, the CSV sheets of each directory as one source.
func TestPathsOfDirectories(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir,
		"d/a.yaml", "", "d/b.json.gz", "", "d/c.nq", "", "d/README.md", "", "d/.hidden.yaml", "",
		"d/sources.csv", "", "d/people.csv", "",
		"d/sub/e.jsonld", "", "d/sub/sheets/organizations.csv", "",
	)
	t.Chdir(dir)
	var got []string
	for _, f := range Paths("d") {
		got = append(got, f.Name+" group="+f.Group)
	}
	want := []string{
		"d/a.yaml group=", "d/b.json.gz group=", "d/c.nq group=",
		"d/people.csv group=d", "d/sources.csv group=d",
		"d/sub/e.jsonld group=",
		"d/sub/sheets/organizations.csv group=d/sub/sheets",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Paths(d) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoadDirectoryOfDataFiles loads a directory of YAML files, as
// `load data/seed` does.
func TestLoadDirectoryOfDataFiles(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	rep, err := LoadWith(ctx, s, Options{}, Paths("testdata/good")...)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 2 || len(rep.Added) != 2 || rep.QuadsAdded == 0 {
		t.Errorf("files %d, sources %v, quads +%d", rep.Files, rep.Added, rep.QuadsAdded)
	}
}

// TestRemoveSourceWithoutID removes the source without an id that loads of
// the empty templates once wrote, and refuses it when there is none.
func TestRemoveSourceWithoutID(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := Remove(ctx, s, ""); err == nil || !strings.Contains(err.Error(), `no source "" in the store`) {
		t.Errorf("remove of an absent source without an id: %v", err)
	}
	if _, err := LoadWith(ctx, s, Options{Source: "x"}, memFiles("old.nq",
		"<https://thrivegraph.org/source/> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#Source> <https://thrivegraph.org/source/> .\n")...); err == nil {
		t.Fatal("a source without an id loaded from N-Quads")
	}
}
