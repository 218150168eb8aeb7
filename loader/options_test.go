package loader

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Two versions of one source, and a second source describing one node of it.
const (
	srcV1 = `source: {id: s1, title: One}
organizations:
  - name: Alpha
    kinds: [funder]
  - name: Beta
events:
  - name: Meet
    kind: webinar
    hosts: [alpha]
    participants: [beta]
`
	srcV2 = `source: {id: s1, title: One, note: second version}
organizations:
  - name: Alpha
    kinds: [coalition]
events:
  - name: Meet
    kind: webinar
    hosts: [alpha]
`
	srcOther = `source: {id: s2, title: Two}
organizations:
  - name: Beta
    description: Stated by s2.
events:
  - name: Other
    kind: chat
    participants: [beta]
`
)

func loadOpt(t *testing.T, s graph.Store, opt Options, files ...File) Report {
	t.Helper()
	rep, err := LoadWith(context.Background(), s, opt, files...)
	if err != nil {
		t.Fatalf("LoadWith(%+v): %v", opt, err)
	}
	return rep
}

func TestReplaceAndRemove(t *testing.T) {
	ctx := context.Background()
	// want is what a store holding exactly these files exports.
	want := func(nameContent ...string) string {
		s := openStore(t)
		loadOpt(t, s, Options{}, memFiles(nameContent...)...)
		return export(t, s)
	}
	tests := []struct {
		name    string
		steps   func(t *testing.T, s graph.Store) Report
		want    string
		summary string
	}{
		{"replace drops the facts a source no longer states, keeps other sources",
			func(t *testing.T, s graph.Store) Report {
				loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1, "other.yaml", srcOther)...)
				return loadOpt(t, s, Options{Replace: true}, memFiles("v2.yaml", srcV2)...)
			},
			want("v2.yaml", srcV2, "other.yaml", srcOther),
			"loaded: nodes +0 -0, edges +0 -1, quads +2 -4; sources: 0 added, 0 updated, 1 replaced, 0 removed"},
		{"without replace a load adds to the source",
			func(t *testing.T, s graph.Store) Report {
				loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1)...)
				return loadOpt(t, s, Options{}, memFiles("v2.yaml", srcV2)...)
			},
			want("v1.yaml", srcV1, "v2.yaml", srcV2),
			"loaded: nodes +0 -0, edges +0 -0, quads +2 -0; sources: 0 added, 1 updated, 0 replaced, 0 removed"},
		{"remove keeps the facts another source states about a shared node",
			func(t *testing.T, s graph.Store) Report {
				loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1, "other.yaml", srcOther)...)
				rep, err := Remove(ctx, s, "s1")
				if err != nil {
					t.Fatal(err)
				}
				return rep
			},
			want("other.yaml", srcOther),
			"removed: nodes +0 -2, edges +0 -2, quads +0 -12; sources: 0 added, 0 updated, 0 replaced, 1 removed"},
		{"replace of a new source adds it",
			func(t *testing.T, s graph.Store) Report {
				return loadOpt(t, s, Options{Replace: true}, memFiles("v1.yaml", srcV1)...)
			},
			want("v1.yaml", srcV1),
			"loaded: nodes +3 -0, edges +2 -0, quads +12 -0; sources: 1 added, 0 updated, 0 replaced, 0 removed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			rep := tt.steps(t, s)
			if got := export(t, s); got != tt.want {
				t.Errorf("store:\n%s", diffLines(got, tt.want))
			}
			if got, _, _ := strings.Cut(rep.Summary(), " ("); got != tt.summary {
				t.Errorf("summary\n got %s\nwant %s", got, tt.summary)
			}
		})
	}
}

func TestReplaceKeepsSharedNode(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1, "other.yaml", srcOther)...)
	loadOpt(t, s, Options{Replace: true}, memFiles("v2.yaml", srcV2)...)
	beta, err := s.Organization(ctx, "beta")
	if err != nil || beta == nil {
		t.Fatalf("beta = %v, %v", beta, err)
	}
	if got := sourceIDs(beta.Sources); !slices.Equal(got, []string{"s2"}) || beta.Description == nil || *beta.Description != "Stated by s2." {
		t.Errorf("beta = %+v, sources %v", beta, got)
	}
	alpha, _ := s.Organization(ctx, "alpha")
	if alpha == nil || !slices.Equal(alpha.Kinds, []string{"coalition"}) {
		t.Errorf("alpha = %+v, want kinds [coalition] only", alpha)
	}
}

func TestRemoveErrors(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1)...)
	before := export(t, s)
	tests := []struct {
		sources []string
		code    graph.Code
		want    string
	}{
		{[]string{"nope"}, graph.CodeNotFound, `remove: no source "nope" in the store`},
		{[]string{"s1", "nope"}, graph.CodeNotFound, `remove: no source "nope" in the store`},
		{nil, graph.CodeInvalid, "remove: name a source to remove"},
	}
	for _, tt := range tests {
		_, err := Remove(ctx, s, tt.sources...)
		if graph.ErrorCode(err) != tt.code || err.Error() != tt.want {
			t.Errorf("Remove(%v) = %v (%s), want %q (%s)", tt.sources, err, graph.ErrorCode(err), tt.want, tt.code)
		}
	}
	if got := export(t, s); got != before {
		t.Errorf("a failed remove changed the store:\n%s", diffLines(got, before))
	}
}

func TestDryRun(t *testing.T) {
	s := openStore(t)
	loadOpt(t, s, Options{}, memFiles("v1.yaml", srcV1)...)
	before := export(t, s)
	rep := loadOpt(t, s, Options{DryRun: true, Replace: true}, memFiles("v2.yaml", srcV2, "other.yaml", srcOther)...)
	if got := export(t, s); got != before {
		t.Errorf("a dry run changed the store:\n%s", diffLines(got, before))
	}
	want := "dry run: 2 file(s) are valid: 19 quads; sources: 1 new, 0 to update, 1 to replace; nothing written"
	if got := rep.Summary(); got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
	// A dry run reports the errors a load would.
	_, err := LoadWith(context.Background(), s, Options{DryRun: true}, memFiles("bad.yaml", "source: {id: x, title: X}\nevents:\n  - name: E\n    kind: k\n    hosts: [nobody]\n")...)
	if got := checkInvalid(t, err); got != `bad.yaml:5:13: events[0].hosts[0]: unknown id "nobody": not defined in the files loaded nor in the store` {
		t.Errorf("error %s", got)
	}
}

func TestSourceOption(t *testing.T) {
	const unlabelled = "<https://thrivegraph.org/id/x> <http://schema.org/name> \"X\" .\n<http://example.org/film> <http://example.org/title> \"Film\"@en .\n"
	tests := []struct {
		name   string
		opt    Options
		files  []File
		want   string // export, or the error
		errMsg bool
	}{
		{"n-quads without labels get the source and a source record", Options{Source: "films"}, memFiles("f.nq", unlabelled), strings.Join([]string{
			`<http://example.org/film> <http://example.org/title> "Film"@en <https://thrivegraph.org/source/films> .`,
			`<https://thrivegraph.org/id/x> <http://schema.org/name> "X" <https://thrivegraph.org/source/films> .`,
			`<https://thrivegraph.org/source/films> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#Source> <https://thrivegraph.org/source/films> .`,
			`<https://thrivegraph.org/source/films> <https://thrivegraph.org/ns#title> "films" <https://thrivegraph.org/source/films> .`,
			``}, "\n"), false},
		{"n-quads without labels and no --source", Options{}, memFiles("f.nq", unlabelled), strings.Join([]string{
			`f.nq:1: quad has no source: its graph label must be a https://thrivegraph.org/source/… IRI, or give the file a source (--source ID)`,
			`f.nq:2: quad has no source: its graph label must be a https://thrivegraph.org/source/… IRI, or give the file a source (--source ID)`,
		}, "\n"), true},
		{"a foreign graph label", Options{Source: "films"}, memFiles("f.nq", "<a:x> <a:p> <a:y> <http://example.org/g> .\n"),
			`f.nq:1: graph label <http://example.org/g> is not a ThriveGraph source: it must be a https://thrivegraph.org/source/… IRI`, true},
		{"a data file with another source", Options{Source: "films"}, memFiles("v1.yaml", srcV1),
			`v1.yaml: source.id: the file's source is "s1", not "films" (--source names the source of files that have none)`, true},
		{"an invalid --source", Options{Source: "Films!"}, memFiles("v1.yaml", srcV1),
			`load: --source: invalid id "Films!": an id is lower-case letters and digits joined by single hyphens, like "films"`, true},
		{"an unknown --format", Options{Format: "xml"}, memFiles("v1.yaml", srcV1),
			`load: unknown format "xml" (known: csv, jsonld, nquads, yaml)`, true},
		{"--format overrides the extension", Options{Format: "nquads", Source: "films"}, memFiles("f.txt", "<a:x> <a:p> <a:y> .\n"), strings.Join([]string{
			`<a:x> <a:p> <a:y> <https://thrivegraph.org/source/films> .`,
			`<https://thrivegraph.org/source/films> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://thrivegraph.org/ns#Source> <https://thrivegraph.org/source/films> .`,
			`<https://thrivegraph.org/source/films> <https://thrivegraph.org/ns#title> "films" <https://thrivegraph.org/source/films> .`,
			``}, "\n"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			_, err := LoadWith(context.Background(), s, tt.opt, tt.files...)
			if tt.errMsg {
				if err == nil || err.Error() != tt.want || graph.ErrorCode(err) != graph.CodeInvalid {
					t.Errorf("error\n got %v\nwant %s", err, tt.want)
				}
				if got := export(t, s); got != "" {
					t.Errorf("the store holds:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := export(t, s); got != tt.want {
				t.Errorf("export\n%s", diffLines(got, tt.want))
			}
		})
	}
}

func TestProgress(t *testing.T) {
	s := openStore(t)
	var phases []string
	var last Progress
	opt := Options{Progress: func(p Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
		last = p
	}}
	rep := loadOpt(t, s, opt, Paths(goodFiles...)...)
	if !slices.Equal(phases, []string{PhaseRead, PhaseWrite, PhaseDone}) {
		t.Errorf("phases %v", phases)
	}
	if last.Quads != rep.Quads || last.Bytes == 0 || last.Bytes != last.TotalBytes {
		t.Errorf("last progress %+v, report %+v", last, rep)
	}
}
