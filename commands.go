package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/term"

	"github.com/thrivegraph/thrivegraph/analysis"
	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/store"
	"github.com/thrivegraph/thrivegraph/view"
)

// load runs `thrivegraph load FILE...`, all or nothing: in one
// transaction, or, when the load is larger than store.BulkChunk quads, as
// a bulk load (store.Bulk): on bbolt in many transactions into a new file
// switched in at the end, on PostgreSQL in chunks of one transaction. It works on the store alone and builds no read model,
// whose size grows with the store: the checks ask the store (storeTarget).
// A read-model checkpoint beside the store is keyed by the store's version,
// which every load changes, so the next serve does not use a stale one.
// Into an empty store (and unless --seed=false) the seed data set is
// loaded with the files, in the same load, as serve would fill the
// store: the files may refer to the seed's nodes, as the CSV example does.
func load(ctx context.Context, cfg config, logger *slog.Logger, stdout, stderr io.Writer) error {
	limitMemory()
	if path := os.Getenv("THRIVEGRAPH_CPUPROFILE"); path != "" { // for bench/: go tool pprof
		if f, err := os.Create(path); err == nil {
			defer f.Close()
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	log, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer log.Close()
	target := storeTarget{log}
	files := loader.Paths(cfg.Args...)
	seeded := 0
	if cfg.SeedIfEmpty {
		empty, err := log.Empty(ctx)
		if err != nil {
			return err
		}
		if empty {
			names, err := data.SeedFiles()
			if err != nil {
				return err
			}
			seeded = len(names)
			files = append(loader.FromFS(data.Seed, names...), files...)
		}
	}
	rep := newReporter(cfg.Data.Progress, stderr, logger)
	defer rep.stop()
	opt := loader.Options{
		DryRun: cfg.Data.DryRun, Replace: cfg.Data.Replace, Source: cfg.Data.Source, Format: cfg.Data.Format,
		Progress: rep.progress, Seed: seeded,
	}
	res, err := loader.LoadWith(ctx, target, opt, files...)
	rep.stop()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res.Summary())
	return nil
}

// limitMemory makes the garbage collector of a load run less often while
// the heap is small and more often near 512 MiB (unless GOGC or GOMEMLIMIT
// say otherwise): a load allocates much short-lived garbage.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
	}
}

// storeTarget is the store as the loader's target (loader.BulkTarget),
// without a read model: the store answers the checks, and counts the
// entities and relations of a load itself.
type storeTarget struct{ *store.Cayley }

// Sources lists the sources the store holds a record of (ids only).
func (t storeTarget) Sources(ctx context.Context) ([]*graph.Source, error) {
	ids, err := t.SourceIDs(ctx)
	out := make([]*graph.Source, len(ids))
	for i, id := range ids {
		out[i] = &graph.Source{ID: id}
	}
	return out, err
}

// Apply writes a change in one transaction, counting what it changes.
func (t storeTarget) Apply(ctx context.Context, c graph.Change) (graph.LoadResult, error) {
	return t.ApplyCounted(ctx, c)
}

// Bulk writes a load larger than one chunk as a bulk load (store.Bulk).
func (t storeTarget) Bulk(ctx context.Context, removeSources []string, quads int) (graph.BulkWriter, error) {
	if n := t.BulkChunk(); n == 0 || quads <= n {
		return nil, nil
	}
	return t.BeginBulk(ctx, removeSources, graph.BulkHooks{})
}

// remove runs `thrivegraph remove --source ID`.
func remove(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error {
	store, err := openGraph(ctx, cfg.Store, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := loader.Remove(ctx, store, cfg.Data.Source)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res.Summary())
	return nil
}

// export runs `thrivegraph export`.
func export(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) (err error) {
	store, err := openGraph(ctx, cfg.Store, logger)
	if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("%s is in use by another process (a running serve?): stop it, or fetch the export from the running server: "+
			"curl -fo graph.nq 'http://HOST:PORT/export?format=nquads' (also format=jsonld, graphml, gexf, and format=csv for a zip of the sheets)", cfg.Store.Path)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if cfg.Data.Format == "csv" {
		return loader.ExportCSV(ctx, store, cfg.Data.Out)
	}
	w := stdout
	if cfg.Data.Out != "" {
		f, err := os.Create(cfg.Data.Out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	switch cfg.Data.Format {
	case "jsonld":
		return loader.ExportJSONLD(ctx, store.Log(), w)
	case "graphml", "gexf":
		return writeNetwork(ctx, store, nil, cfg.Data.Format, w)
	}
	return store.Export(ctx, w)
}

// reporter shows a load's progress: a progress bar on a terminal, or
// structured log lines (every 2 seconds while reading, every 5 while
// writing, and at the end).
type reporter struct {
	mode   string // bar, log or none
	out    io.Writer
	logger *slog.Logger

	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	lastLog time.Time
	done    chan struct{} // closes the ticker of the write phase
	stopped bool
}

// logEvery is how often log lines report progress.
var logEvery = 2 * time.Second

func newReporter(mode string, stderr io.Writer, logger *slog.Logger) *reporter {
	if mode == "auto" {
		mode = "log"
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			mode = "bar"
		}
	}
	return &reporter{mode: mode, out: stderr, logger: logger}
}

// rate returns quads per second.
func rate(quads int, d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(float64(quads) / d.Seconds())
}

func (r *reporter) progress(p loader.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || r.mode == "none" {
		return
	}
	switch p.Phase {
	case loader.PhaseRead:
		if r.mode == "bar" {
			if r.bar == nil {
				max := p.TotalBytes
				if max == 0 {
					max = -1
				}
				r.bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(r.out), progressbar.OptionShowBytes(true),
					progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
			}
			r.bar.Describe(fmt.Sprintf("reading: %d quads", p.Quads))
			r.bar.Set64(p.Bytes)
			return
		}
		if time.Since(r.lastLog) >= logEvery {
			r.lastLog = time.Now()
			r.logger.Info("load: reading", "file", p.File, "quads", p.Quads, "quads_per_s", rate(p.Quads, p.Elapsed),
				"bytes", p.Bytes, "total_bytes", p.TotalBytes, "elapsed", p.Elapsed.Round(time.Millisecond).String())
		}
	case loader.PhaseWrite:
		started := time.Now()
		r.done = make(chan struct{})
		if r.mode == "bar" {
			if r.bar != nil {
				r.bar.Finish()
			}
			r.bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(r.out), progressbar.OptionSpinnerType(14),
				progressbar.OptionSetDescription(fmt.Sprintf("writing %d quads", p.Quads)),
				progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionClearOnFinish())
		} else {
			r.logger.Info("load: writing", "quads", p.Quads, "elapsed", p.Elapsed.Round(time.Millisecond).String())
		}
		go r.tick(r.done, r.bar, started, p)
	case loader.PhaseDone:
		r.finish()
		if r.mode == "log" {
			r.logger.Info("load: written", "quads", p.Quads, "quads_per_s", rate(p.Quads, p.Elapsed), "elapsed", p.Elapsed.Round(time.Millisecond).String())
		}
	}
}

// tick keeps the write phase visibly alive until done closes.
func (r *reporter) tick(done chan struct{}, bar *progressbar.ProgressBar, started time.Time, p loader.Progress) {
	every := 5 * time.Second
	if bar != nil {
		every = 100 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if bar != nil {
				bar.Add(1)
			} else {
				r.logger.Info("load: still writing", "quads", p.Quads, "writing", time.Since(started).Round(time.Second).String(),
					"elapsed", (p.Elapsed + time.Since(started)).Round(time.Second).String())
			}
		}
	}
}

// finish ends the bar and the write ticker. Callers hold r.mu.
func (r *reporter) finish() {
	if r.done != nil {
		close(r.done)
		r.done = nil
	}
	if r.bar != nil {
		r.bar.Finish()
		r.bar = nil
	}
}

// stop ends any display; later progress is ignored.
func (r *reporter) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finish()
	r.stopped = true
}

// writeNetwork writes the analysed network of the newest snapshot of store
// as GraphML or GEXF (export --format graphml|gexf, GET /export): with the
// analysis an keeps (serve's, waited for while it is computed), or one
// computed here when an is nil.
func writeNetwork(ctx context.Context, store graph.Store, an *analysis.Analyzer, format string, w io.Writer) error {
	const op = "export"
	var r *analysis.Result
	if an != nil {
		var err error
		if r, err = an.Ready(ctx, op); err != nil {
			return err
		}
	} else {
		g, ok := store.(interface{ Snapshot() *view.Snapshot })
		if !ok {
			return graph.Errorf(graph.CodeInternal, op, "this store has no read model to analyse")
		}
		s := g.Snapshot()
		r = analysis.Analyse(s, s.ByType(graph.TypeOrganization), analysis.WholeBudget)
	}
	if format == "gexf" {
		return loader.WriteGEXF(w, analysis.Export(r))
	}
	return loader.WriteGraphML(w, analysis.Export(r))
}
