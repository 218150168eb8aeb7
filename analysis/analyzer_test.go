package analysis

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/view"
)

// seeded returns a memory graph holding the seed data set.
func seeded(t *testing.T) *live.Graph {
	t.Helper()
	g := graphtest.Memory(t)
	names, err := data.SeedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(context.Background(), g, loader.FromFS(data.Seed, names...)...); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestAnalyzerStale: with every network computed in the background (held
// here by taking the background slot), a snapshot without any analysis is
// NOT_READY; once one is made, a newer snapshot answers it marked stale
// (and says so to a WatchStale context) until its own is ready.
func TestAnalyzerStale(t *testing.T) {
	ctx := context.Background()
	g := seeded(t)
	a := New(g.SnapshotOf, Options{InlineLimit: -1})
	s1 := g.Snapshot()

	a.bg <- struct{}{} // no background analysis starts
	if _, _, err := a.get(s1, "test", nil); graph.ErrorCode(err) != graph.CodeNotReady {
		t.Fatalf("before any analysis: %v, want NOT_READY", err)
	}
	<-a.bg
	a.Warm(ctx, s1)
	r1, stale, err := a.get(s1, "test", nil)
	if err != nil || stale || r1.Info.Version != s1.Version() {
		t.Fatalf("after Warm: %v, stale %v, err %v; want the analysis of version %d", r1, stale, err, s1.Version())
	}

	taxonomy := fstest.MapFS{"t.yaml": {Data: []byte("source:\n  id: t\n  title: T\nthemes:\n  - name: Economic inclusion\n")}}
	if _, err := loader.Load(ctx, g, loader.FromFS(taxonomy, "t.yaml")...); err != nil {
		t.Fatal(err)
	}
	s2 := g.Snapshot()
	a.bg <- struct{}{}
	flag := new(atomic.Bool)
	r, stale, err := a.Analysis(WatchStale(ctx, flag), "test", nil)
	if err != nil || !stale || r != r1 || !flag.Load() {
		t.Fatalf("after a write: stale %v, same result %v, flag %v, err %v; want the previous analysis, stale and flagged", stale, r == r1, flag.Load(), err)
	}
	if c, err := a.Centrality(ctx, "workers-defense-project", nil); err != nil || !c.Stale {
		t.Errorf("centrality after a write: %+v, %v; want stale values", c, err)
	}
	<-a.bg
	a.Warm(ctx, s2)
	r2, stale, err := a.get(s2, "test", nil)
	if err != nil || stale || r2.Info.Version != s2.Version() {
		t.Fatalf("after the second Warm: stale %v, err %v, version %d; want the analysis of version %d", stale, err, r2.Info.Version, s2.Version())
	}
	flag.Store(false)
	if _, stale, _ := a.Analysis(WatchStale(ctx, flag), "test", nil); stale || flag.Load() {
		t.Error("a current analysis flagged stale")
	}
}

// TestAnalyzerStaleDeleted: an organization the stale analysis names but
// the graph no longer has is left out of the stale bridges and rankings
// (a question must not fail on it).
func TestAnalyzerStaleDeleted(t *testing.T) {
	ctx := context.Background()
	g := seeded(t)
	a := New(g.SnapshotOf, Options{InlineLimit: -1})
	a.Warm(ctx, g.Snapshot())
	const bridge = "workers-defense-project"
	b, err := a.Bridges(ctx, nil, 10)
	if err != nil || len(b.ArticulationPoints) != 1 || b.ArticulationPoints[0].OrganizationID != bridge {
		t.Fatalf("bridges of the seed: %+v, %v; want %s alone", b.ArticulationPoints, err, bridge)
	}
	if _, err := g.Apply(ctx, graph.Change{RemoveNodes: []graph.NodeSelector{{ID: bridge}}}); err != nil {
		t.Fatal(err)
	}
	a.bg <- struct{}{} // the new snapshot's analysis does not start: answers stay stale
	defer func() { <-a.bg }()
	b, err = a.Bridges(ctx, nil, 10)
	if err != nil || !b.Info.Stale {
		t.Fatalf("after removing %s: %+v, %v; want stale bridges", bridge, b.Info, err)
	}
	if len(b.ArticulationPoints) != 0 {
		t.Errorf("stale bridges still name the removed %s: %+v", bridge, b.ArticulationPoints)
	}
	for _, tie := range b.CommunityTies {
		if tie.A == bridge || tie.B == bridge {
			t.Errorf("a stale tie names the removed %s: %+v", bridge, tie)
		}
	}
	br, err := a.Brokers(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range br {
		if r.Organization.ID == bridge {
			t.Errorf("stale brokers still name the removed %s", bridge)
		}
	}
}

// TestAnalyzerInline: a small network is computed in the request, once
// per snapshot and filter; a bad filter is BAD_USER_INPUT.
func TestAnalyzerInline(t *testing.T) {
	ctx := context.Background()
	g := seeded(t)
	a := New(g.SnapshotOf, Options{})
	for _, tc := range []struct {
		name string
		f    *graph.OrganizationFilter
		size int
		code graph.Code
	}{
		{"whole", nil, 44, ""},
		{"empty filter is the whole", &graph.OrganizationFilter{}, 44, ""},
		{"one event", &graph.OrganizationFilter{Events: []string{"immigrantsthrive"}}, 40, ""},
		{"unknown theme", &graph.OrganizationFilter{Themes: []string{"no-such-theme"}}, 0, graph.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, stale, err := a.Analysis(ctx, "test", tc.f)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if err != nil {
				return
			}
			again, _, _ := a.Analysis(ctx, "test", tc.f)
			if stale || r.Info.Organizations != tc.size || again != r {
				t.Errorf("stale %v, %d organizations, cached %v; want current, %d, cached", stale, r.Info.Organizations, again == r, tc.size)
			}
		})
	}
}

// TestAnalyzerRun: Run analyses the snapshot at once after start, and
// after a burst of writes once, at its newest snapshot, however many
// questions come in between (they answer stale values meanwhile).
func TestAnalyzerRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := seeded(t)
	var logs graphtest.Logs
	a := New(g.SnapshotOf, Options{InlineLimit: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	done := make(chan struct{})
	go func() { a.Run(ctx, g.Snapshot, 300*time.Millisecond); close(done) }()
	current := func(want *view.Snapshot) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			r, stale, err := a.get(want, "test", nil)
			if err == nil && !stale && r.Info.Version == want.Version() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the analysis of version %d never came (err %v, stale %v)", want.Version(), err, stale)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	current(g.Snapshot())
	for k := range 3 { // a burst of writes, a question after each
		taxonomy := fstest.MapFS{"t.yaml": {Data: []byte(fmt.Sprintf("source:\n  id: t%d\n  title: T\nthemes:\n  - name: Theme %d\n", k, k))}}
		if _, err := loader.Load(ctx, g, loader.FromFS(taxonomy, "t.yaml")...); err != nil {
			t.Fatal(err)
		}
		if _, stale, err := a.get(g.Snapshot(), "test", nil); err != nil || !stale {
			t.Errorf("a question during the burst: stale %v, err %v; want the previous analysis, stale", stale, err)
		}
	}
	current(g.Snapshot())
	// The analysis is logged once its garbage is returned, after readers
	// have it: wait for the second line, then two intervals more for a
	// third that must not come.
	for deadline := time.Now().Add(10 * time.Second); strings.Count(logs.String(), "network analysis ready") < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(700 * time.Millisecond)
	if n := strings.Count(logs.String(), "network analysis ready"); n != 2 {
		t.Errorf("%d analyses, want 2 (after start, after the burst):\n%s", n, logs.String())
	}
	cancel()
	<-done
}
