package loader

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

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
	// Progress, when set, is told how the load advances: while reading,
	// every graph.ProgressEvery quads and file; then when writing starts
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
	DryRun   bool
	Files    int
	Quads    int      // quads the files hold
	Added    []string // sources that were not in the store
	Updated  []string // sources already in the store, whose facts were added to
	Replaced []string // sources whose facts were replaced (Options.Replace)
	Removed  []string // sources removed (Remove)
	Elapsed  time.Duration
}

// LoadWith checks files and, unless opt.DryRun, writes them into store in
// one transaction: all or nothing (see Load for the formats and checks).
func LoadWith(ctx context.Context, store graph.Store, opt Options, files ...File) (Report, error) {
	start := time.Now()
	pr := newProgress(opt.Progress, files, start)
	rep := Report{DryRun: opt.DryRun, Files: len(files)}
	in, err := read(ctx, store, opt, files, pr)
	if err != nil {
		return rep, err
	}
	for _, b := range in.batches {
		rep.Quads += b.QuadCount()
	}
	for _, q := range in.quads {
		rep.Quads += q.Len()
	}
	if err := classifySources(ctx, store, opt.Replace, in.sources(), &rep); err != nil {
		return rep, err
	}
	if opt.DryRun || (len(in.batches) == 0 && len(in.quads) == 0) {
		rep.QuadsTotal = rep.Quads
		rep.Elapsed = time.Since(start)
		return rep, nil
	}
	change := graph.Change{Add: in.batches, Quads: in.quads}
	if opt.Replace {
		change.RemoveSources = in.sources()
	}
	pr.phase(PhaseWrite, rep.Quads)
	res, err := store.Apply(ctx, change)
	if err != nil {
		return rep, err
	}
	rep.LoadResult = res
	rep.Elapsed = time.Since(start)
	pr.phase(PhaseDone, rep.Quads)
	return rep, nil
}

// classifySources sorts the sources of a load into added, updated and
// replaced, by whether the store holds them.
func classifySources(ctx context.Context, store graph.Store, replace bool, ids []string, rep *Report) error {
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
func Remove(ctx context.Context, store graph.Store, sources ...string) (Report, error) {
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
		if !known[id] {
			return rep, graph.Errorf(graph.CodeNotFound, "remove", "no source %q in the store", id)
		}
	}
	res, err := store.Apply(ctx, graph.Change{RemoveSources: sources})
	if err != nil {
		return rep, err
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
	if r.DryRun {
		return fmt.Sprintf("dry run: %d file(s) are valid: %d quads; sources: %d new, %d to update, %d to replace; nothing written",
			r.Files, r.Quads, len(r.Added), len(r.Updated), len(r.Replaced))
	}
	if len(r.Removed) > 0 {
		verb = "removed"
	}
	return fmt.Sprintf("%s: nodes +%d -%d, edges +%d -%d, quads +%d -%d; sources: %d added, %d updated, %d replaced, %d removed (%s)",
		verb, r.NodesAdded, r.NodesRemoved, r.EdgesAdded, r.EdgesRemoved, r.QuadsAdded, r.QuadsRemoved,
		len(r.Added), len(r.Updated), len(r.Replaced), len(r.Removed), r.Elapsed.Round(time.Millisecond))
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
