package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/thrivegraph/thrivegraph/graph"
)

// TestBulk writes loads in many small transactions into a build file and
// checks each against the same change made by one Apply on the memory
// store: the graph, the counts, the read model's hooks, the version, and
// that nothing is left beside the store.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	old := BulkChunk
	BulkChunk = 7
	defer func() { BulkChunk = old }()
	for _, tc := range bulkCases() {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bulk.db")
			s, err := Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			mem, err := Open(ctx, graph.Config{Backend: graph.BackendMemory})
			if err != nil {
				t.Fatal(err)
			}
			defer mem.Close()
			for i, st := range tc.steps {
				var versionBefore string
				s.Version(ctx, func(v string) { versionBefore = v })
				var written, switched int
				bw, err := s.BeginBulk(ctx, st.remove, graph.BulkHooks{
					Written:  func(removed, added []quad.Quad) { written += len(removed) + len(added) },
					Switched: func() { switched++ },
				})
				if err != nil {
					t.Fatal(err)
				}
				for j := 0; j < len(st.add); j += 5 {
					if err := bw.Add(ctx, st.add[j:min(j+5, len(st.add))]...); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := os.Stat(path + BuildSuffix); err != nil {
					t.Errorf("step %d: no build file while the load runs: %v", i, err)
				}
				got, err := bw.Commit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				want, err := mem.Apply(ctx, graph.Change{RemoveSources: st.remove, Quads: []*graph.Quads{graph.NewQuads(st.add, nil)}}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got.QuadsAdded != want.QuadsAdded || got.QuadsRemoved != want.QuadsRemoved || got.EdgesRemoved != want.EdgesRemoved {
					t.Errorf("step %d: bulk counts %+v, one Apply %+v", i, got, want)
				}
				var a, b bytes.Buffer
				if err := s.Export(ctx, &a); err != nil {
					t.Fatal(err)
				}
				mem.Export(ctx, &b)
				if a.String() != b.String() {
					t.Errorf("step %d: the bulk load's graph (%d bytes) differs from one Apply's (%d bytes)", i, a.Len(), b.Len())
				}
				if _, err := os.Stat(path + BuildSuffix); !os.IsNotExist(err) {
					t.Errorf("step %d: the build file is still there after the commit (%v)", i, err)
				}
				changed := got.QuadsAdded+got.QuadsRemoved > 0
				var versionAfter string
				s.Version(ctx, func(v string) { versionAfter = v })
				if changed == (versionAfter == versionBefore) || changed != (switched == 1) {
					t.Errorf("step %d: changed %v, version %q then %q, switched %d times", i, changed, versionBefore, versionAfter, switched)
				}
				if changed && written < len(st.add) {
					t.Errorf("step %d: the hooks were told of %d quads, the load has %d", i, written, len(st.add))
				}
			}
		})
	}
}

// TestBulkAbort: an aborted bulk load, and a build file left by a killed
// one, leave the store as it was, and the build file goes.
func TestBulkAbort(t *testing.T) {
	ctx := context.Background()
	old := BulkChunk
	BulkChunk = 5
	defer func() { BulkChunk = old }()
	path := filepath.Join(t.TempDir(), "abort.db")
	s, err := Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, graph.Change{Add: []*graph.Batch{bigBatch("one", 3)}}, nil); err != nil {
		t.Fatal(err)
	}
	var before bytes.Buffer
	s.Export(ctx, &before)
	abortedLoad(ctx, t, s, []string{"one"}, bigBatch("two", 10).Quads())
	var after bytes.Buffer
	s.Export(ctx, &after) // the write lock is free again
	if before.String() != after.String() {
		t.Error("an aborted bulk load changed the store")
	}
	if _, err := os.Stat(path + BuildSuffix); !os.IsNotExist(err) {
		t.Errorf("the build file of an aborted load is there (%v)", err)
	}
	s.Close()

	if err := os.WriteFile(path+BuildSuffix, []byte("a killed load's build file"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, graph.Config{Backend: graph.BackendBbolt, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path + BuildSuffix); !os.IsNotExist(err) {
		t.Errorf("a leftover build file survived the open (%v)", err)
	}
	after.Reset()
	s.Export(ctx, &after)
	if before.String() != after.String() {
		t.Error("the store changed")
	}
}
