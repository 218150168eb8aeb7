package live_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
)

// bigBatch returns a batch of n organizations, each with a theme and an
// event it took part in: about 8n quads.
func bigBatch(source string, n int) *graph.Batch {
	b := &graph.Batch{Source: graph.Source{ID: source, Title: "Big"}}
	b.Nodes = append(b.Nodes, graph.NodeRecord{ID: "big-theme", Type: graph.TypeTheme, Name: "Big theme"})
	for i := range n {
		org, ev := fmt.Sprintf("big-org-%d", i), fmt.Sprintf("big-event-%d", i)
		b.Nodes = append(b.Nodes,
			graph.NodeRecord{ID: org, Type: graph.TypeOrganization, Name: fmt.Sprintf("Big Org %d", i), Kinds: []string{"funder"}},
			graph.NodeRecord{ID: ev, Type: graph.TypeEvent, Name: fmt.Sprintf("Big Event %d", i), EventKind: "webinar"})
		b.Links = append(b.Links,
			graph.Link{From: org, Relation: graph.RelParticipatedIn, To: ev},
			graph.Link{From: org, Relation: graph.RelTheme, To: "big-theme"})
	}
	return b
}

// TestReadersDuringLargeLoad runs many readers while a large load commits
// on bbolt (where a reader and a writer can deadlock inside Cayley, issue
// #712): every reader must finish. Run under -race by CI.
func TestReadersDuringLargeLoad(t *testing.T) {
	ctx := context.Background()
	s, err := graphtest.OpenGraph(ctx, graph.Config{Backend: graph.BackendBbolt, Path: filepath.Join(t.TempDir(), "big.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Load(ctx, bigBatch("first", 200)); err != nil {
		t.Fatal(err)
	}
	const readers = 24
	var (
		wg      sync.WaitGroup
		queries atomic.Int64
		stop    = make(chan struct{})
		errs    = make(chan error, readers+1)
	)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch (r + i) % 5 {
				case 0:
					_, err = s.Organizations(ctx, graph.OrganizationFilter{Themes: []string{"big-theme"}}, graph.Page{First: 5})
				case 1:
					_, err = s.Search(ctx, "big org 1", 5)
				case 2:
					_, err = s.Event(ctx, "big-event-3")
				case 3:
					_, err = s.Path(ctx, "big-org-1", "big-org-2", 4)
				case 4:
					_, err = s.Partners(ctx, "big-org-5", graph.Page{First: 3})
				}
				if err != nil {
					errs <- err
					return
				}
				queries.Add(1)
			}
		}()
	}
	wrote := make(chan error, 1)
	go func() {
		time.Sleep(20 * time.Millisecond) // readers are running
		_, err := s.Apply(ctx, graph.Change{RemoveSources: []string{"first"}, Add: []*graph.Batch{bigBatch("second", 800)}})
		wrote <- err
	}()
	deadline := time.After(3 * time.Minute)
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-deadline:
		t.Fatal("the load did not finish within 3 minutes beside the readers")
	}
	time.Sleep(20 * time.Millisecond) // readers run after the write too
	close(stop)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("readers still blocked a minute after the load finished")
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if queries.Load() < readers {
		t.Errorf("only %d queries ran", queries.Load())
	}
	c, err := s.Counts(ctx)
	if err != nil || c.Nodes[graph.TypeOrganization] != 800 || c.Sources != 1 {
		t.Errorf("counts %+v, %v", c, err)
	}
}
