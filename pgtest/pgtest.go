// Package pgtest gives tests a PostgreSQL database of their own, in the
// server named by THRIVEGRAPH_TEST_POSTGRES (started by
// scripts/start-postgres.sh; .ci/run starts one). It imports no package of
// ThriveGraph, so the store's own tests can use it.
package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver
)

var databases atomic.Int64

// Database creates a database of its own, dropped at the end of the test
// (after what the test opened on it is closed), and returns its DSN. With
// no server configured it returns "", or fails the test when
// THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set.
func Database(t testing.TB) string {
	t.Helper()
	base := os.Getenv("THRIVEGRAPH_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_POSTGRES is not")
		}
		return ""
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("tg_%d_%d", time.Now().UnixNano(), databases.Add(1))
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
