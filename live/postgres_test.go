package live_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/graphtest"
	"github.com/thrivegraph/thrivegraph/live"
)

var pgDatabases atomic.Int64

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

// postgresDatabase creates a database of its own in the PostgreSQL server
// named by THRIVEGRAPH_TEST_POSTGRES, dropped at the end of the test (after
// the stores opened on it are closed), and returns its DSN; "" when no
// server is configured.
func postgresDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("THRIVEGRAPH_TEST_POSTGRES")
	if base == "" {
		return ""
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("tg_%d_%d", time.Now().UnixNano(), pgDatabases.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return u.String()
}

// TestPostgresConfigured makes a CI run that should test PostgreSQL fail when
// it does not: .ci/run sets THRIVEGRAPH_TEST_REQUIRE_POSTGRES.
func TestPostgresConfigured(t *testing.T) {
	if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" && os.Getenv("THRIVEGRAPH_TEST_POSTGRES") == "" {
		t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_POSTGRES is not: the PostgreSQL backend would go untested")
	}
}
