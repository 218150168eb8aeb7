package loader

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestReportUnchanged checks how a load reports its sources: added when
// new, updated when they gain facts, replaced, and unchanged when the load
// adds and removes nothing.
func TestReportUnchanged(t *testing.T) {
	ctx := context.Background()
	const v1 = "source: {id: partners, title: Partners}\norganizations:\n  - name: Acme\n"
	const v2 = "source: {id: partners, title: Partners}\norganizations:\n  - name: Acme\n  - name: Beta\n"
	s := openStore(t)
	steps := []struct {
		name                                string
		opt                                 Options
		content                             string
		added, updated, replaced, unchanged []string
		summary                             string
	}{
		{"first load", Options{}, v1, []string{"partners"}, nil, nil, nil, "sources: 1 added, 0 updated, 0 replaced, 0 removed ("},
		{"same file again", Options{}, v1, nil, nil, nil, []string{"partners"}, "quads +0 -0; sources: 0 added, 0 updated, 0 replaced, 0 removed, 1 unchanged ("},
		{"a new fact", Options{}, v2, nil, []string{"partners"}, nil, nil, "sources: 0 added, 1 updated, 0 replaced, 0 removed ("},
		{"replaced by the same", Options{Replace: true}, v2, nil, nil, nil, []string{"partners"}, "sources: 0 added, 0 updated, 0 replaced, 0 removed, 1 unchanged ("},
		{"replaced by less", Options{Replace: true}, v1, nil, nil, []string{"partners"}, nil, "sources: 0 added, 0 updated, 1 replaced, 0 removed ("},
		{"dry run", Options{DryRun: true}, v1, nil, []string{"partners"}, nil, nil, "sources: 0 new, 1 to update, 0 to replace; nothing written"},
	}
	for _, st := range steps {
		rep, err := LoadWith(ctx, s, st.opt, memFiles("p.yaml", st.content)...)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !slices.Equal(rep.Added, st.added) || !slices.Equal(rep.Updated, st.updated) ||
			!slices.Equal(rep.Replaced, st.replaced) || !slices.Equal(rep.Unchanged, st.unchanged) {
			t.Errorf("%s: added %v updated %v replaced %v unchanged %v", st.name, rep.Added, rep.Updated, rep.Replaced, rep.Unchanged)
		}
		if !strings.Contains(rep.Summary(), st.summary) {
			t.Errorf("%s: summary %q, want %q", st.name, rep.Summary(), st.summary)
		}
	}
}

// TestSeedOption checks Options.Seed: the seed's files are loaded with the
// others and counted apart, ignore Format and Source, and give way to a
// file of the same source.
func TestSeedOption(t *testing.T) {
	ctx := context.Background()
	const seedA = "source: {id: seed-a, title: A}\norganizations:\n  - name: Acme\n"
	const seedB = "source: {id: seed-b, title: B}\norganizations:\n  - name: Beta\n"
	const mineB = "source: {id: seed-b, title: My B}\norganizations:\n  - name: Gamma\n"
	const sheet = "name\nZeta\n"
	tests := []struct {
		name    string
		opt     Options
		files   []File
		seed    int
		sources []string
		summary string
	}{
		{"seed and a file that refers to it", Options{Seed: 2},
			memFiles("a.yaml", seedA, "b.yaml", seedB, "mine.nq", "<https://thrivegraph.org/id/acme> <http://schema.org/name> \"Acme Inc\" .\n"),
			2, []string{"mine", "seed-a", "seed-b"}, "\nseed: the store was empty, so the built-in seed data set (2 files) was loaded with the files"},
		{"a file replaces the seed's version", Options{Seed: 2},
			memFiles("a.yaml", seedA, "b.yaml", seedB, "mine.yaml", mineB),
			1, []string{"seed-a", "seed-b"}, "(1 file) was loaded"},
		{"dry run", Options{Seed: 1, DryRun: true},
			memFiles("a.yaml", seedA, "mine.yaml", mineB),
			1, []string{"seed-a", "seed-b"}, "dry run: 1 file(s) are valid: 8 quads; sources: 2 new, 0 to update, 0 to replace; nothing written\nseed: the store was empty, so the built-in seed data set (1 file) would be loaded"},
		{"no seed", Options{}, memFiles("mine.yaml", mineB), 0, []string{"seed-b"}, "sources: 1 added"},
		{"Format and Source do not apply to the seed", Options{Seed: 1, Format: "csv", Source: "mine"},
			memFiles("a.yaml", seedA, "organizations.csv", sheet),
			1, []string{"mine", "seed-a"}, "sources: 2 added"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			if strings.HasSuffix(tc.files[len(tc.files)-1].Name, ".nq") {
				opt.Source = "mine"
			}
			rep, err := LoadWith(ctx, openStore(t), opt, tc.files...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Seed != tc.seed || rep.Files != len(tc.files)-tc.opt.Seed {
				t.Errorf("seed %d files %d, want %d and %d", rep.Seed, rep.Files, tc.seed, len(tc.files)-tc.opt.Seed)
			}
			if !slices.Equal(rep.Added, tc.sources) {
				t.Errorf("sources %v, want %v", rep.Added, tc.sources)
			}
			if !strings.Contains(rep.Summary(), tc.summary) {
				t.Errorf("summary %q, want %q", rep.Summary(), tc.summary)
			}
		})
	}
}
