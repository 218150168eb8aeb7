package live_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/live"
)

// needPostgres returns a new database's DSN, or skips the test when no
// PostgreSQL server is configured (and fails it when one is required).
func needPostgres(t *testing.T) string {
	t.Helper()
	dsn := postgresDatabase(t)
	if dsn == "" {
		if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_POSTGRES is not")
		}
		t.Skip("no PostgreSQL server: set THRIVEGRAPH_TEST_POSTGRES (eval \"$(scripts/start-postgres.sh)\")")
	}
	return dsn
}

func orgBatch(source, id, name string) *graph.Batch {
	return &graph.Batch{Source: graph.Source{ID: source, Title: source}, Nodes: []graph.NodeRecord{{ID: id, Type: graph.TypeOrganization, Name: name}}}
}

// waitOrg waits up to d for g to hold the organization id (or, want false,
// not to hold it).
func waitOrg(t *testing.T, g *live.Graph, id string, want bool, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		o, err := g.Organization(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if (o != nil) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("organization %s present %v after %s, want %v (version %d)", id, o != nil, d, want, g.LogVersion(context.Background()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFollowSharedStore opens two read models on one PostgreSQL database,
// as two servers do: each sees the other's writes (by notification, within
// a second), both pass through the same change-log versions, a write of
// one after one of the other applies the missing entry first, and a
// follower whose entries were truncated rebuilds from a scan.
func TestFollowSharedStore(t *testing.T) {
	dsn := needPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	b := openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	go a.Follow(ctx, live.FollowOptions{Poll: time.Hour}) // notifications only
	go b.Follow(ctx, live.FollowOptions{Poll: time.Hour})
	time.Sleep(200 * time.Millisecond) // both listening

	res, err := a.Load(ctx, orgBatch("s1", "org-one", "Org One"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 1 || res.NodesAdded != 1 || a.LogVersion(ctx) != 1 {
		t.Fatalf("first write: %+v, a at %d", res, a.LogVersion(ctx))
	}
	waitOrg(t, b, "org-one", true, time.Second)

	// b writes without having followed a's second write yet (the
	// follower of b is stopped): b applies a's entry first.
	bctx, stopB := context.WithCancel(ctx)
	b2 := openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	go b2.Follow(bctx, live.FollowOptions{Poll: time.Hour})
	stopB()
	time.Sleep(50 * time.Millisecond)
	if _, err := a.Load(ctx, orgBatch("s2", "org-two", "Org Two")); err != nil {
		t.Fatal(err)
	}
	res, err = b2.Load(ctx, orgBatch("s3", "org-three", "Org Three"))
	if err != nil || res.Version != 3 {
		t.Fatalf("b2's write: %+v %v", res, err)
	}
	waitOrg(t, b2, "org-two", true, 0)
	waitOrg(t, a, "org-three", true, time.Second)
	waitOrg(t, b, "org-three", true, time.Second)

	// A removal through b reaches a.
	if _, err := b.Apply(ctx, graph.Change{RemoveSources: []string{"s1"}}); err != nil {
		t.Fatal(err)
	}
	waitOrg(t, a, "org-one", false, time.Second)
	for _, g := range []*live.Graph{a, b, b2} {
		if err := g.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if v := g.LogVersion(ctx); v != 4 {
			t.Errorf("version %d, want 4", v)
		}
	}

	// A read model behind a truncated log rebuilds from a scan.
	c := openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
	if _, err := a.Load(ctx, orgBatch("s4", "org-four", "Org Four")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Load(ctx, orgBatch("s5", "org-five", "Org Five")); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM thrivegraph_changes WHERE version < 6`); err != nil {
		t.Fatal(err)
	}
	snapBefore := c.Version(ctx)
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if v := c.LogVersion(ctx); v != 6 {
		t.Errorf("rebuilt at version %d, want 6", v)
	}
	if v := c.Version(ctx); v <= snapBefore {
		t.Errorf("the rebuilt snapshot has version %d, not above the %d it replaced (caches keyed on it would serve stale answers)", v, snapBefore)
	}
	waitOrg(t, c, "org-four", true, 0)
	waitOrg(t, c, "org-five", true, 0)
	waitOrg(t, c, "org-one", false, 0)
	if !c.WaitFor(ctx, 6) {
		t.Error("WaitFor(6) on a model at 6")
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if c.WaitFor(short, 7) {
		t.Error("WaitFor(7) on a model at 6")
	}
}
