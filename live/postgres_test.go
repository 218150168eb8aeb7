package live_test

import (
	"context"
	"os"
	"testing"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/pgtest"
)

// openPostgres opens a store on a database of its own in the PostgreSQL
// server named by THRIVEGRAPH_TEST_POSTGRES (started by .ci/run), and drops
// the database afterwards. It returns nil when no server is configured.
func openPostgres(t *testing.T) *live.Graph {
	t.Helper()
	dsn := postgresDatabase(t)
	if dsn == "" {
		return nil
	}
	return openDSN(t, graph.Config{Backend: graph.BackendPostgres, DSN: dsn})
}

// openDSN opens a graph on cfg, closed at the end of the test.
func openDSN(t *testing.T, cfg graph.Config) *live.Graph {
	t.Helper()
	s, err := graphtest.OpenGraph(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresDatabase is pgtest.Database: "" when no server is configured.
func postgresDatabase(t *testing.T) string { return pgtest.Database(t) }

// TestPostgresConfigured makes a CI run that should test PostgreSQL fail when
// it does not: .ci/run sets THRIVEGRAPH_TEST_REQUIRE_POSTGRES.
func TestPostgresConfigured(t *testing.T) {
	if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" && os.Getenv("THRIVEGRAPH_TEST_POSTGRES") == "" {
		t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_POSTGRES is not: the PostgreSQL backend would go untested")
	}
}
