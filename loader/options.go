package loader

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Options change what LoadWith does.
type Options struct {
	// DryRun parses and checks everything against the store and reports
	// what a load would write, writing nothing.
	DryRun bool
	// Replace replaces every fact of each source the files give: facts of
	// that source the files no longer state disappear, facts of other
	// sources stay. Removal and addition are one transaction.
	Replace bool
	// Source is the source of files that name none: the quads of N-Quads
	// and JSON-LD files that have no graph label, and CSV sheets without a
	// sources.csv. A data file whose source differs is an error.
	Source string
	// Format forces the format of every file: yaml, nquads, jsonld or csv
	// ("" chooses by extension).
	Format string
	// Seed is the number of files, at the start of the list, that are the
	// built-in seed data set, loaded with the others because the store is
	// empty. They are read by their extension, with their own sources
	// (Format and Source do not apply to them), and are counted apart
	// (Report.Seed, not Report.Files). A seed file whose source the other
	// files give is left out: the files' version replaces it.
	Seed int
	// Progress, when set, is told how the load advances: while reading,
	// every ProgressEvery quads and file; then when writing starts
	// and ends. Calls come from the loading goroutine.
	Progress func(Progress)
}

// Phases of a load.
const (
	PhaseRead  = "read"  // reading and checking the files
	PhaseWrite = "write" // writing everything in one transaction
	PhaseDone  = "done"
)

// Progress is where a load stands.
type Progress struct {
	Phase      string
	File       string // the file being read
	Bytes      int64  // bytes of the files read so far
	TotalBytes int64  // bytes of all files, when known (else 0)
	Quads      int    // quads read so far (PhaseRead) or being written
	Elapsed    time.Duration
}

// Report tells what a load wrote or, with DryRun, would write.
type Report struct {
	graph.LoadResult
	DryRun  bool
	Files   int      // files given, without the seed's
	Seed    int      // seed files loaded with them (Options.Seed; those whose source the files give are left out)
	Quads   int      // quads the files hold
	Added   []string // sources that were not in the store
	Updated []string // sources already in the store, whose facts were added to
	// Unchanged are the sources already in the store that the load left as
	// they were: when a load adds and removes no quad, every source it
	// names that was in the store (updated or replaced) is unchanged.
	Unchanged []string
	// Empty are the directories without a data file, and the CSV sources
	// (directories, or the loose sheets) whose sheets have no row, such as
	// the empty templates: they load nothing.
	Empty    []string
	Replaced []string // sources whose facts were replaced (Options.Replace)
	Removed  []string // sources removed (Remove)
	Elapsed  time.Duration
}

// LoadWith checks files and, unless opt.DryRun, writes them into store,
// all or nothing (see Load for the formats and checks): in one
// transaction, or, when store is a BulkTarget that takes the load, in many
// that the store makes all or nothing. N-Quads files are read twice, to
// check and then to write, and never held whole: with a BulkTarget, memory
// does not grow with them. Data files (YAML, JSON, CSV) and JSON-LD are
// held whole, within their size limits.
func LoadWith(ctx context.Context, store Target, opt Options, files ...File) (Report, error) {
	start := time.Now()
	pr := newProgress(opt.Progress, files, start)
	opt.Seed = min(max(opt.Seed, 0), len(files))
	rep := Report{DryRun: opt.DryRun, Files: len(files) - opt.Seed, Seed: opt.Seed}
	in, err := read(ctx, store, opt, files, pr)
	if err != nil {
		return rep, err
	}
	rep.Seed, rep.Empty = in.seed, in.empty
	for _, b := range in.batches {
		rep.Quads += b.QuadCount()
	}
	for _, q := range in.quads {
		rep.Quads += q.Len()
	}
	for _, n := range in.nq {
		rep.Quads += n.quads
	}
	if err := classifySources(ctx, store, opt.Replace, in.sources(), &rep); err != nil {
		return rep, err
	}
	if opt.DryRun || (len(in.batches) == 0 && len(in.quads) == 0 && len(in.nq) == 0) {
		rep.QuadsTotal = rep.Quads
		rep.Elapsed = time.Since(start)
		return rep, nil
	}
	var remove []string
	if opt.Replace {
		remove = in.sources()
	}
	pr.phase(PhaseWrite, rep.Quads)
	res, err := write(ctx, store, in, remove, rep.Quads)
	if err != nil {
		return rep, err
	}
	rep.LoadResult = res
	if res.QuadsAdded == 0 && res.QuadsRemoved == 0 {
		rep.Unchanged = slices.Concat(rep.Updated, rep.Replaced)
		slices.Sort(rep.Unchanged)
		rep.Updated, rep.Replaced = nil, nil
	}
	rep.Elapsed = time.Since(start)
	pr.phase(PhaseDone, rep.Quads)
	return rep, nil
}

// write writes the checked input: through a bulk writer when the store
// gives one, else in one Apply.
func write(ctx context.Context, store Target, in *input, remove []string, quads int) (graph.LoadResult, error) {
	var bw graph.BulkWriter
	if bt, ok := store.(BulkTarget); ok {
		var err error
		if bw, err = bt.Bulk(ctx, remove, quads); err != nil {
			return graph.LoadResult{}, err
		}
	}
	if bw == nil {
		change := graph.Change{Add: in.batches, Quads: in.quads, RemoveSources: remove}
		for _, n := range in.nq {
			qs, err := n.readAll()
			if err != nil {
				return graph.LoadResult{}, err
			}
			change.Quads = append(change.Quads, qs)
		}
		return store.Apply(ctx, change)
	}
	defer bw.Abort()
	for _, b := range in.batches {
		if err := bw.Add(ctx, b.Quads()...); err != nil {
			return graph.LoadResult{}, err
		}
	}
	for _, q := range in.quads {
		if err := bw.Add(ctx, q.All()...); err != nil {
			return graph.LoadResult{}, err
		}
	}
	for _, n := range in.nq {
		if err := n.stream(ctx, streamChunk, func(qs []quad.Quad) error { return bw.Add(ctx, qs...) }); err != nil {
			return graph.LoadResult{}, err
		}
	}
	return bw.Commit(ctx)
}

// streamChunk is how many quads of an N-Quads file a load hands the
// writer at a time.
const streamChunk = 1 << 14

// classifySources sorts the sources of a load into added, updated and
// replaced, by whether the store holds them.
func classifySources(ctx context.Context, store Target, replace bool, ids []string, rep *Report) error {
	if len(ids) == 0 {
		return nil
	}
	known := map[string]bool{}
	if store != nil {
		have, err := store.Sources(ctx)
		if err != nil {
			return err
		}
		for _, s := range have {
			known[s.ID] = true
		}
	}
	for _, id := range ids {
		switch {
		case !known[id]:
			rep.Added = append(rep.Added, id)
		case replace:
			rep.Replaced = append(rep.Replaced, id)
		default:
			rep.Updated = append(rep.Updated, id)
		}
	}
	return nil
}

// Remove deletes every fact of the given sources in one transaction. A
// node that another source describes too keeps that source's facts. A
// source the store does not hold is an error (code NOT_FOUND) and nothing
// is removed.
func Remove(ctx context.Context, store Target, sources ...string) (Report, error) {
	start := time.Now()
	rep := Report{}
	if len(sources) == 0 {
		return rep, graph.Errorf(graph.CodeInvalid, "remove", "name a source to remove")
	}
	have, err := store.Sources(ctx)
	if err != nil {
		return rep, err
	}
	known := map[string]bool{}
	for _, s := range have {
		known[s.ID] = true
	}
	sources = slices.Compact(slices.Sorted(slices.Values(sources)))
	for _, id := range sources {
		// "" is the source without an id that loads of empty CSV
		// templates once wrote; it is not listed but can be removed.
		if !known[id] && id != "" {
			return rep, graph.Errorf(graph.CodeNotFound, "remove", "no source %q in the store", id)
		}
	}
	res, err := store.Apply(ctx, graph.Change{RemoveSources: sources})
	if err != nil {
		return rep, err
	}
	if len(sources) == 1 && sources[0] == "" && res.QuadsRemoved == 0 {
		return rep, graph.Errorf(graph.CodeNotFound, "remove", "no source %q in the store", "")
	}
	rep.LoadResult = res
	rep.Removed = sources
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// Summary is the one-line account of a report, as the load and remove
// commands print it.
func (r Report) Summary() string {
	verb := "loaded"
	seed := ""
	if r.Seed > 0 {
		files := "files"
		if r.Seed == 1 {
			files = "file"
		}
		seed = fmt.Sprintf("\nseed: the store was empty, so the built-in seed data set (%d %s) %s with the files, as serve fills an empty store (--seed=false: the files alone)",
			r.Seed, files, map[bool]string{true: "would be loaded", false: "was loaded"}[r.DryRun])
	}
	if len(r.Empty) > 0 {
		seed += fmt.Sprintf("\nempty: %s: no data file, or sheets without a row; nothing loaded from them", strings.Join(r.Empty, ", "))
	}
	if r.DryRun {
		return fmt.Sprintf("dry run: %d file(s) are valid: %d quads; sources: %d new, %d to update, %d to replace; nothing written",
			r.Files, r.Quads, len(r.Added), len(r.Updated), len(r.Replaced)) + seed
	}
	if len(r.Removed) > 0 {
		verb = "removed"
	}
	unchanged := ""
	if len(r.Unchanged) > 0 {
		unchanged = fmt.Sprintf(", %d unchanged", len(r.Unchanged))
	}
	return fmt.Sprintf("%s: nodes +%d -%d, edges +%d -%d, quads +%d -%d; sources: %d added, %d updated, %d replaced, %d removed%s (%s)",
		verb, r.NodesAdded, r.NodesRemoved, r.EdgesAdded, r.EdgesRemoved, r.QuadsAdded, r.QuadsRemoved,
		len(r.Added), len(r.Updated), len(r.Replaced), len(r.Removed), unchanged, r.Elapsed.Round(time.Millisecond)) + seed
}

// progress reports a load's progress to a callback; a nil *progress does nothing.
type progress struct {
	mu       sync.Mutex
	fn       func(Progress)
	start    time.Time
	total    int64
	bytes    int64
	quads    int // quads of the files read completely
	current  int // quads of the file being read
	file     string
	lastTick time.Time
}

func newProgress(fn func(Progress), files []File, start time.Time) *progress {
	if fn == nil {
		return nil
	}
	p := &progress{fn: fn, start: start}
	for _, f := range files {
		p.total += f.Size
	}
	return p
}

func (p *progress) emit(phase string, quads int) {
	p.fn(Progress{Phase: phase, File: p.file, Bytes: p.bytes, TotalBytes: p.total, Quads: quads, Elapsed: time.Since(p.start)})
}

// reading returns the byte counter of a file being opened.
func (p *progress) reading(f File) func(int) {
	if p == nil {
		return nil
	}
	p.file = f.Name
	return func(n int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.bytes += int64(n)
		if now := time.Now(); now.Sub(p.lastTick) >= 100*time.Millisecond {
			p.lastTick = now
			p.emit(PhaseRead, p.quads+p.current)
		}
	}
}

// quadsRead returns the quad counter of linked-data readers.
func (p *progress) quadsRead() func(int) {
	if p == nil {
		return nil
	}
	return func(n int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.current = n
		p.emit(PhaseRead, p.quads+n)
	}
}

// fileDone counts the quads of a file read completely.
func (p *progress) fileDone(quads int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quads += quads
	p.current = 0
	p.emit(PhaseRead, p.quads)
}

func (p *progress) phase(phase string, quads int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.emit(phase, quads)
}
