package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/view"
)

// A checkpoint is the read model written beside the store (view's
// checkpoint format), tagged with the store's version (graph.VersionedLog):
// a server started on an unchanged store reads it instead of scanning and
// building. It is only a cache: a missing, damaged or stale one (the store
// was written since) is ignored and the read model is built from the store,
// which stays the system of record.

// OpenCheckpointed is Open with a checkpoint file: the read model comes
// from the checkpoint at path when its version is the store's, and from a
// scan of the store otherwise. Close writes the read model to path again
// when it changed. A store without a version (memory, PostgreSQL) never
// uses one. What happens to the checkpoint is logged to logger (nil: none).
func OpenCheckpointed(ctx context.Context, log graph.Log, path string, logger *slog.Logger) (*Graph, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	version := storeVersion(ctx, log)
	if version != "" && path != "" {
		if snap, err := readCheckpoint(path, version); err == nil {
			g := &Graph{log: log, checkpoint: path, saved: snap, logger: logger}
			g.cur.Store(&state{snap: snap})
			debug.FreeOSMemory() // the file read and the garbage of reading it
			logger.Info("read model from checkpoint", "path", path, "records", snap.Len())
			return g, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			logger.Info("read model checkpoint not used; building from the store", "path", path, "reason", err)
		}
	}
	g, err := Open(ctx, log)
	if err != nil {
		return nil, err
	}
	g.checkpoint, g.logger = path, logger
	return g, nil
}

// storeVersion returns the version of log, or "" when it has none.
func storeVersion(ctx context.Context, log graph.Log) string {
	v, ok := log.(graph.VersionedLog)
	if !ok {
		return ""
	}
	var version string
	if err := v.Version(ctx, func(s string) { version = s }); err != nil {
		return ""
	}
	return version
}

// readCheckpoint reads the snapshot at path when it is of version.
func readCheckpoint(path, version string) (*view.Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	snap, got, err := view.ReadCheckpoint(data)
	if err != nil {
		return nil, err
	}
	if got != version {
		return nil, fmt.Errorf("checkpoint of store version %q, the store is at %q", got, version)
	}
	return snap, nil
}

// SaveCheckpoint writes the newest snapshot to the graph's checkpoint file,
// tagged with the store's version as of that snapshot, unless the file
// already holds it. It writes a temporary file and renames it, so a crash
// leaves the old checkpoint or the new one.
func (g *Graph) SaveCheckpoint(ctx context.Context) error {
	if g.checkpoint == "" {
		return nil
	}
	v, ok := g.log.(graph.VersionedLog)
	if !ok {
		return nil
	}
	var snap *view.Snapshot
	var version string
	// No write commits while fn runs, so snapshot and version agree.
	if err := v.Version(ctx, func(s string) { version, snap = s, g.cur.Load().snap }); err != nil {
		return err
	}
	if version == "" || snap == g.saved {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(g.checkpoint), filepath.Base(g.checkpoint)+".tmp*")
	if err != nil {
		return graph.Internal("save checkpoint", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o644)
	if err == nil {
		err = snap.WriteCheckpoint(tmp, version)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), g.checkpoint)
	}
	if err != nil {
		return graph.Internal("save checkpoint", err)
	}
	g.saved = snap
	return nil
}
