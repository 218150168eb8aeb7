package loader

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// File is a data file to load: its name, whose extension gives its format
// (see Load) and which names it in errors, and a way to open it.
type File struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// Paths returns the files at the given paths of the operating system.
func Paths(paths ...string) []File {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i] = File{Name: p, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
	}
	return files
}

// FromFS returns the named files of fsys, such as an embedded seed data set.
func FromFS(fsys fs.FS, names ...string) []File {
	files := make([]File, len(names))
	for i, name := range names {
		files[i] = File{Name: name, Open: func() (io.ReadCloser, error) { return fsys.Open(name) }}
	}
	return files
}

// format is how a file is read.
type format int

const (
	formatUnknown format = iota
	formatData           // YAML or JSON, read by Parse
	formatNQuads         // N-Quads, read by the store
)

// formatOf returns the format of a file by the extension of its name, and
// whether it is gzipped (a further ".gz").
func formatOf(name string) (f format, gzipped bool) {
	base, gzipped := strings.CutSuffix(strings.ToLower(name), ".gz")
	switch filepath.Ext(base) {
	case ".yaml", ".yml", ".json":
		return formatData, gzipped
	case ".nq", ".nquads":
		return formatNQuads, gzipped
	}
	return formatUnknown, gzipped
}

// open opens f, decompressing it when its name ends in ".gz".
func (f File) open() (io.ReadCloser, error) {
	if f.Open == nil {
		return nil, errors.New("no way to open it (File.Open is nil)")
	}
	rc, err := f.Open()
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is the file's name, given already
		}
		return nil, err
	}
	if _, gzipped := formatOf(f.Name); !gzipped {
		return rc, nil
	}
	zr, err := gzip.NewReader(rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return gzipReader{zr, rc}, nil
}

// gzipReader reads a gzipped file and closes both the decompressor and the file.
type gzipReader struct {
	*gzip.Reader
	file io.Closer
}

func (g gzipReader) Close() error { return errors.Join(g.Reader.Close(), g.file.Close()) }

// Load checks files and writes them into store, all or nothing.
//
// The format of a file is given by its name: ".yaml", ".yml" and ".json"
// are data files (docs/FORMAT.md), read by Parse; ".nq" and ".nquads" are
// N-Quads, such as the output of export, which the store reads itself
// (store.ImportNQuads). A further ".gz" means the file is gzipped.
//
// Data files are all parsed and checked before anything is written: every
// reference must name a node defined in one of the files or already in the
// store, with a type that fits the field; an id defined in two files must
// have one type in both (two sources describing one node); an id already in
// the store must keep its type. The store is asked once (store.TypesOf) for
// the ids the files define or reference. Then all batches are written in one
// store.Load call, which the store makes atomic. If any file has an error,
// nothing is written and the error is a *ValidationError listing the
// problems of every file (up to MaxIssues). A file that cannot be read at
// all (unreadable, not YAML, empty) stops the checks between files.
//
// An N-Quads file must be the only file of a call: the store parses and
// writes it in one import, and mixing it with data files could not be one
// transaction. Such a set is rejected.
//
// Loading the same files again changes nothing: the store ignores quads it
// already holds.
func Load(ctx context.Context, store graph.Store, files ...File) (graph.LoadResult, error) {
	if len(files) == 1 {
		if f, _ := formatOf(files[0].Name); f == formatNQuads {
			return importNQuads(ctx, store, files[0])
		}
	}
	batches, err := check(ctx, store, files)
	if err != nil || len(batches) == 0 {
		return graph.LoadResult{}, err
	}
	return store.Load(ctx, batches...)
}

// Check does what Load does except the writing: it parses files and checks
// them against each other and the store, and returns the batches Load
// would write. A nil store counts as empty. N-Quads files, which only the
// store can read, are rejected.
func Check(ctx context.Context, store graph.Store, files ...File) ([]*graph.Batch, error) {
	return check(ctx, store, files)
}

// importNQuads has the store read one N-Quads file.
func importNQuads(ctx context.Context, store graph.Store, f File) (graph.LoadResult, error) {
	rc, err := f.open()
	if err != nil {
		return graph.LoadResult{}, newValidationError(nil, []Issue{{File: f.Name, Msg: "cannot open the file: " + err.Error()}})
	}
	defer rc.Close()
	return store.ImportNQuads(ctx, rc, f.Name)
}

// check parses and checks every data file and returns their batches.
func check(ctx context.Context, store graph.Store, files []File) ([]*graph.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		names    = make([]string, len(files))
		parsed   []*file
		issues   []Issue
		complete = true // every file could be read
	)
	for i, f := range files {
		names[i] = f.Name
		switch format, _ := formatOf(f.Name); format {
		case formatData:
			pf := parseOpen(f)
			parsed = append(parsed, pf)
			issues = append(issues, pf.issues...)
			complete = complete && pf.read
		case formatNQuads:
			issues = append(issues, Issue{File: f.Name, Msg: "an N-Quads file must be loaded on its own, not with other files"})
		default:
			issues = append(issues, Issue{File: f.Name, Msg: "unknown file format: want .yaml, .yml, .json, .nq or .nquads, optionally gzipped (.gz)"})
			complete = false
		}
	}
	if complete {
		more, err := crossCheck(ctx, store, parsed)
		if err != nil {
			return nil, err
		}
		issues = append(issues, more...)
	}
	if err := newValidationError(names, issues); err != nil {
		return nil, err
	}
	batches := make([]*graph.Batch, len(parsed))
	for i, pf := range parsed {
		batches[i] = pf.batch
	}
	return batches, nil
}

// parseOpen opens and parses one data file.
func parseOpen(f File) *file {
	rc, err := f.open()
	if err != nil {
		return &file{name: f.Name, issues: []Issue{{File: f.Name, Msg: "cannot open the file: " + err.Error()}}}
	}
	defer rc.Close()
	return parseFile(f.Name, rc)
}

// crossCheck checks the files against each other and the store: ids defined
// twice with different types, ids whose type differs from the store's, and
// references the files do not resolve themselves.
func crossCheck(ctx context.Context, store graph.Store, files []*file) ([]Issue, error) {
	type definition struct {
		def
		file string
	}
	var issues []Issue
	defined := map[string]definition{}
	for _, f := range files {
		for _, id := range f.ids {
			d := f.defs[id]
			first, seen := defined[id]
			if !seen {
				defined[id] = definition{d, f.name}
			} else if first.typ != d.typ {
				issues = append(issues, Issue{File: f.name, Line: d.line, Column: d.col, Field: d.field,
					Msg: fmt.Sprintf("id %q is %s here but %s in %s:%d", id, typeName(d.typ), typeName(first.typ), first.file, first.line)})
			}
		}
	}

	// Ask the store about every id defined or referenced, once.
	var ask []string
	for id := range defined {
		ask = append(ask, id)
	}
	for _, f := range files {
		for _, r := range f.refs {
			if _, ok := defined[r.id]; !ok {
				ask = append(ask, r.id)
			}
		}
	}
	slices.Sort(ask)
	ask = slices.Compact(ask)
	inStore := map[string]graph.NodeType{}
	if store != nil && len(ask) > 0 {
		var err error
		if inStore, err = store.TypesOf(ctx, ask); err != nil {
			return nil, err
		}
	}

	for _, f := range files {
		for _, id := range f.ids {
			d := f.defs[id]
			if t, ok := inStore[id]; ok && t != d.typ {
				issues = append(issues, Issue{File: f.name, Line: d.line, Column: d.col, Field: d.field,
					Msg: fmt.Sprintf("id %q is %s here but %s in the store", id, typeName(d.typ), typeName(t))})
			}
		}
		for _, r := range f.refs {
			if d, ok := defined[r.id]; ok {
				if !r.fits(d.typ) {
					issues = append(issues, r.issue(f.name, r.wrongType(d.typ, fmt.Sprintf("defined in %s:%d", d.file, d.line))))
				}
			} else if t, ok := inStore[r.id]; ok {
				if !r.fits(t) {
					issues = append(issues, r.issue(f.name, r.wrongType(t, "in the store")))
				}
			} else {
				issues = append(issues, r.issue(f.name, fmt.Sprintf("unknown id %q: not defined in the files loaded nor in the store", r.id)))
			}
		}
	}
	return issues, nil
}
