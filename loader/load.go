package loader

import (
	"cmp"
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
	// Size is the file's size in bytes (0 when unknown), for progress.
	Size int64
	// Group puts CSV sheets together: the sheets of one group are one
	// source. Paths sets it to the directory of a directory's sheets; loose
	// .csv files share the group "".
	Group string
	// emptyDir marks a directory without a data file (Paths): it loads
	// nothing.
	emptyDir bool
}

// Paths returns the files at the given paths of the operating system. A
// directory stands for every data file in it and in its subdirectories
// (by extension, see Load; other files and names starting with "." are
// left out): the CSV sheets of one directory are one source, so that a
// directory of such directories (as export --format csv writes them) is
// one source per subdirectory. A directory without a data file loads
// nothing (Report.Empty).
func Paths(paths ...string) []File {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			f := File{Name: p, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
			if err == nil {
				f.Size = st.Size()
			}
			files = append(files, f)
			continue
		}
		more := dirFiles(p)
		if len(more) == 0 {
			more = []File{{Name: p, Group: p, emptyDir: true}}
		}
		files = append(files, more...)
	}
	return files
}

// dirFiles returns the data files of a directory and its subdirectories,
// in name order.
func dirFiles(dir string) []File {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []File{{Name: dir, Group: dir, Open: func() (io.ReadCloser, error) { return nil, err }}}
	}
	var files, subdirs []File
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			subdirs = append(subdirs, dirFiles(p)...)
			continue
		}
		ft, _ := formatOf(e.Name())
		if ft == formatUnknown {
			continue
		}
		var size int64
		if info, err := e.Info(); err == nil {
			size = info.Size()
		}
		f := File{Name: p, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
		if ft == formatCSV {
			f.Group = dir
		}
		files = append(files, f)
	}
	return append(files, subdirs...)
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
	formatNQuads         // N-Quads, read by ReadNQuads
	formatJSONLD         // JSON-LD, read by ReadJSONLD
	formatCSV            // a CSV sheet; the sheets of a group are one source
)

// Formats names the formats Options.Format may force.
var Formats = map[string]format{"yaml": formatData, "nquads": formatNQuads, "jsonld": formatJSONLD, "csv": formatCSV}

// formatOf returns the format of a file by the extension of its name, and
// whether it is gzipped (a further ".gz").
func formatOf(name string) (f format, gzipped bool) {
	base, gzipped := strings.CutSuffix(strings.ToLower(name), ".gz")
	switch filepath.Ext(base) {
	case ".yaml", ".yml", ".json":
		return formatData, gzipped
	case ".nq", ".nquads":
		return formatNQuads, gzipped
	case ".jsonld":
		return formatJSONLD, gzipped
	case ".csv":
		return formatCSV, gzipped
	}
	return formatUnknown, gzipped
}

// open opens f, decompressing it when its name ends in ".gz"; read counts
// the bytes read from the file itself.
func (f File) open(read func(n int)) (io.ReadCloser, error) {
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
	if read != nil {
		rc = &countingReader{rc, read}
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

// countingReader reports the bytes read.
type countingReader struct {
	io.ReadCloser
	read func(n int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.read(n)
	return n, err
}

// gzipReader reads a gzipped file and closes both the decompressor and the file.
type gzipReader struct {
	*gzip.Reader
	file io.Closer
}

func (g gzipReader) Close() error { return errors.Join(g.Reader.Close(), g.file.Close()) }

// Load checks files and writes them into store, all or nothing. It is
// LoadWith without options.
//
// The format of a file is given by its name: ".yaml", ".yml" and ".json"
// are data files (docs/FORMAT.md), read by Parse; ".nq" and ".nquads" are
// N-Quads, such as the output of export, and ".jsonld" JSON-LD, both read
// by ReadNQuads and ReadJSONLD; ".csv" files
// are sheets, and the sheets of one group (File.Group) are one source. A
// further ".gz" means the file is gzipped.
//
// Every file is parsed and checked before anything is written: every
// reference must name a node defined in one of the files or already in the
// store, with a type that fits the field; an id defined in two files must
// have one type in both (two sources describing one node); an id already in
// the store must keep its type. The store is asked once (store.TypesOf) for
// the ids the files define or reference. Then everything is written in one
// store.Apply call, which the store makes atomic. If any file has an error,
// nothing is written and the error is a *ValidationError listing the
// problems of every file (up to MaxIssues). A file that cannot be read at
// all (unreadable, not YAML, empty) stops the checks between files.
//
// Loading the same files again changes nothing: the store ignores quads it
// already holds.
func Load(ctx context.Context, store Target, files ...File) (graph.LoadResult, error) {
	rep, err := LoadWith(ctx, store, Options{}, files...)
	return rep.LoadResult, err
}

// Check does what Load does except the writing: it parses files and checks
// them against each other and the store, and returns the batches Load
// would write. A nil store counts as empty. Linked-data files (N-Quads,
// JSON-LD), which make no batches, are rejected: LoadWith with
// Options.DryRun checks them.
func Check(ctx context.Context, store Target, files ...File) ([]*graph.Batch, error) {
	for _, f := range files {
		if ft, _ := formatOf(f.Name); ft == formatNQuads || ft == formatJSONLD {
			return nil, newValidationError(nil, []Issue{{File: f.Name, Msg: "Check reads data files and CSV sheets; check linked data with a dry-run load"}})
		}
	}
	in, err := read(ctx, store, Options{}, files, nil)
	if err != nil {
		return nil, err
	}
	return in.batches, nil
}

// input is what a set of files holds, checked.
type input struct {
	batches []*graph.Batch
	quads   []*graph.Quads // JSON-LD files, read whole
	nq      []*nqFile      // N-Quads files, checked and read again to write
	seed    int            // seed files among the batches (Options.Seed)
	empty   []string       // directories without data files and sets of CSV sheets without a row, which load nothing
}

// sources returns the ids of the sources of the input, sorted.
func (in *input) sources() []string {
	var ids []string
	for _, b := range in.batches {
		ids = append(ids, b.Source.ID)
	}
	ids = append(ids, in.linkedSources()...)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// linkedSources returns the ids of the sources of the linked-data files.
func (in *input) linkedSources() []string {
	var ids []string
	for _, q := range in.quads {
		ids = append(ids, q.Sources()...)
	}
	for _, n := range in.nq {
		ids = append(ids, n.sources...)
	}
	return ids
}

// read parses and checks every file.
func read(ctx context.Context, store Target, opt Options, files []File, pr *progress) (*input, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Format != "" {
		if _, ok := Formats[opt.Format]; !ok {
			return nil, graph.Errorf(graph.CodeInvalid, "load", "unknown format %q (known: csv, jsonld, nquads, yaml)", opt.Format)
		}
	}
	if opt.Source != "" && !graph.ValidID(opt.Source) {
		return nil, graph.Errorf(graph.CodeInvalid, "load", "--source: %s", invalidID(opt.Source))
	}
	var (
		names  []string
		parsed []*file
		in     = &input{}
		issues []Issue
		unread []string // files that could not be read whole
		groups = map[string][]File{}
		order  []string // of groups
	)
	for i, f := range files {
		if f.emptyDir {
			in.empty = append(in.empty, f.Name)
			continue
		}
		names = append(names, f.Name)
		ft, _ := formatOf(f.Name)
		source := opt.Source
		if i < opt.Seed {
			source = "" // the seed's files name their sources
		} else if opt.Format != "" {
			ft = Formats[opt.Format]
		}
		switch ft {
		case formatData:
			pf := parseOpen(f, source, pr)
			pf.seed = i < opt.Seed
			parsed = append(parsed, pf)
			issues = append(issues, pf.issues...)
			if !pf.read {
				unread = append(unread, f.Name)
			}
		case formatNQuads:
			nq, more := checkNQuads(f, source, pr)
			issues = append(issues, more...)
			if nq != nil {
				in.nq = append(in.nq, nq)
			}
		case formatJSONLD:
			qs, more := readLinkedData(f, ft, source, pr)
			issues = append(issues, more...)
			if qs != nil {
				in.quads = append(in.quads, qs)
			}
		case formatCSV:
			if _, ok := groups[f.Group]; !ok {
				order = append(order, f.Group)
			}
			groups[f.Group] = append(groups[f.Group], f)
		default:
			issues = append(issues, Issue{File: f.Name, Msg: "unknown file format: want .yaml, .yml, .json, .csv, .nq, .nquads or .jsonld, optionally gzipped (.gz), or a directory of data files"})
			unread = append(unread, f.Name)
		}
	}
	for _, g := range order {
		pf, sheets := parseCSV(groups[g], opt.Source, pr)
		if pf.empty {
			in.empty = append(in.empty, pf.name)
			continue
		}
		parsed = append(parsed, pf)
		issues = append(issues, pf.issues...)
		names = append(names, sheets...)
		if !pf.read {
			unread = append(unread, pf.name)
		}
	}
	parsed, in.seed = dropSeed(parsed, in.linkedSources())
	for _, pf := range parsed {
		if pf.read && len(pf.issues) == 0 && pf.batch.Source.ID == "" { // never write a source without an id
			issues = append(issues, Issue{File: pf.name, Msg: "no source id: the file names no source"})
		}
	}
	// The files that were read are checked against each other and the
	// store even when others could not be read: every file's errors are
	// reported at once.
	more, err := crossCheck(ctx, store, parsed, unread)
	if err != nil {
		return nil, err
	}
	issues = append(issues, more...)
	if err := newValidationError(names, issues); err != nil {
		return nil, err
	}
	for _, pf := range parsed {
		in.batches = append(in.batches, pf.batch)
	}
	return in, nil
}

// dropSeed leaves out the seed's files whose source the other files give:
// a user's version of a seed document replaces it. It returns the files
// kept and how many of them are the seed's.
func dropSeed(parsed []*file, linked []string) ([]*file, int) {
	if !slices.ContainsFunc(parsed, func(pf *file) bool { return pf.seed }) {
		return parsed, 0
	}
	given := map[string]bool{}
	for _, pf := range parsed {
		if !pf.seed && pf.batch != nil {
			given[pf.batch.Source.ID] = true
		}
	}
	for _, id := range linked {
		given[id] = true
	}
	seed := 0
	parsed = slices.DeleteFunc(parsed, func(pf *file) bool {
		if !pf.seed {
			return false
		}
		if pf.batch != nil && given[pf.batch.Source.ID] {
			return true
		}
		seed++
		return false
	})
	return parsed, seed
}

// readLinkedData reads an N-Quads or JSON-LD file (ReadNQuads, ReadJSONLD).
func readLinkedData(f File, ft format, source string, pr *progress) (*graph.Quads, []Issue) {
	rc, err := f.open(pr.reading(f))
	if err != nil {
		return nil, []Issue{{File: f.Name, Msg: "cannot open the file: " + err.Error()}}
	}
	defer rc.Close()
	opt := ReadOptions{Source: source, Progress: pr.quadsRead()}
	var (
		qs       *graph.Quads
		problems []Problem
	)
	if ft == formatNQuads {
		qs, problems, err = ReadNQuads(rc, opt)
	} else {
		qs, problems, err = ReadJSONLD(rc, opt)
	}
	if err != nil {
		return nil, []Issue{{File: f.Name, Msg: "cannot read the file: " + err.Error()}}
	}
	pr.fileDone(qs.Len())
	return qs, issuesOf(f.Name, problems)
}

// parseOpen opens and parses one data file. A --source must match the
// file's source.
func parseOpen(f File, source string, pr *progress) *file {
	rc, err := f.open(pr.reading(f))
	if err != nil {
		return &file{name: f.Name, issues: []Issue{{File: f.Name, Msg: "cannot open the file: " + err.Error()}}}
	}
	defer rc.Close()
	pf := parseFile(f.Name, rc)
	if id := pf.batch.Source.ID; source != "" && id != "" && id != source {
		pf.issues = append(pf.issues, Issue{File: f.Name, Field: "source.id",
			Msg: fmt.Sprintf("the file's source is %q, not %q (--source names the source of files that have none)", id, source)})
	}
	if pf.read {
		pr.fileDone(pf.batch.QuadCount())
	}
	return pf
}

// crossCheck checks the files against each other and the store: ids defined
// twice with different types, ids whose type differs from the store's, and
// references the files do not resolve themselves. unread names the files
// that could not be read (whole): an unknown id may be defined there, and
// its message says so.
func crossCheck(ctx context.Context, store Target, files []*file, unread []string) ([]Issue, error) {
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
				defined[id] = definition{d, cmp.Or(d.file, f.name)}
			} else if first.typ != d.typ {
				issues = append(issues, Issue{File: cmp.Or(d.file, f.name), Line: d.line, Column: d.col, Field: d.field,
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
				issues = append(issues, Issue{File: cmp.Or(d.file, f.name), Line: d.line, Column: d.col, Field: d.field,
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
				msg := fmt.Sprintf("unknown id %q: not defined in the files loaded nor in the store", r.id)
				if len(unread) > 0 {
					msg += fmt.Sprintf(" (nor, as far as they could be read, in %s)", strings.Join(unread, ", "))
				}
				// Did you mean? The ids of the files and of the store.
				var cands []graph.Candidate
				for id, d := range defined {
					if r.fits(d.typ) {
						cands = append(cands, graph.Candidate{ID: id})
					}
				}
				if store != nil {
					near, err := store.Suggest(ctx, r.id, r.want...)
					if err != nil {
						return nil, err
					}
					for _, id := range near {
						cands = append(cands, graph.Candidate{ID: id})
					}
				}
				suggestions := graph.Suggest(r.id, cands)
				issues = append(issues, r.issue(f.name, msg+graph.DidYouMean(suggestions)))
			}
		}
	}
	return issues, nil
}
