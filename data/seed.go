// Package data holds ThriveGraph's built-in seed data set: one YAML file per
// source document, in the format described in docs/FORMAT.md, and one file
// of editorial additions that no document states (aliases, kinds and places
// taken from names), under the source thrivegraph-curation. The files are
// embedded in the binary; serve and load fill an empty store with them.
package data

import (
	"embed"
	"io/fs"
	"sort"
)

// Seed holds the seed files under the directory "seed".
//
//go:embed seed/*.yaml
var Seed embed.FS

// SeedFiles returns the paths within Seed of all seed files, sorted.
func SeedFiles() ([]string, error) {
	names, err := fs.Glob(Seed, "seed/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}
