package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/clog"
)

// TestCayleyLogsThroughSlog checks that Cayley's own log lines go through
// log/slog (store/clog.go), with the handler the command configures.
func TestCayleyLogsThroughSlog(t *testing.T) {
	var b bytes.Buffer
	old := slog.Default()
	t.Cleanup(func() { slog.SetDefault(old) })
	slog.SetDefault(slog.New(slog.NewJSONHandler(&b, nil)))
	clog.Errorf("Cannot create %s table", "nodes")
	clog.Warningf("careful")
	for _, want := range []string{`"level":"ERROR","msg":"Cannot create nodes table","component":"cayley"`, `"level":"WARN","msg":"careful"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("slog lacks %s:\n%s", want, b.String())
		}
	}
}

// TestPostgresReopen opens a new PostgreSQL database several times, as
// load, export and serve do: the first open creates Cayley's tables, the
// later ones do not try again, and nothing is written to stderr outside
// the structured logs.
func TestPostgresReopen(t *testing.T) {
	base := os.Getenv("THRIVEGRAPH_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_POSTGRES is not")
		}
		t.Skip("no PostgreSQL server: set THRIVEGRAPH_TEST_POSTGRES (eval \"$(scripts/start-postgres.sh)\")")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("tg_reopen_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
	u, _ := url.Parse(base)
	u.Path = "/" + name
	dsn := u.String()

	// Everything written to the process's stderr, outside the command's
	// own writers, is a failure.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	realStderr := os.Stderr
	os.Stderr = w
	outside := make(chan string)
	go func() { b, _ := io.ReadAll(r); outside <- string(b) }()
	defer func() { os.Stderr = realStderr }()

	var logs []string
	for i, args := range [][]string{
		{"load", "--store", "postgres", "--dsn", dsn, "--progress", "none", "data/seed/wes-immigrantsthrive-2020.yaml"},
		{"load", "--store", "postgres", "--dsn", dsn, "--progress", "none", "data/seed/living-cities-webinar-2014.yaml"},
		{"export", "--store", "postgres", "--dsn", dsn},
	} {
		out, errOut, err := runCLI(t, nil, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		logs = append(logs, errOut)
		if i == 2 && strings.Count(out, "\n") < 300 {
			t.Errorf("export has %d quads", strings.Count(out, "\n"))
		}
	}
	w.Close()
	os.Stderr = realStderr
	if got := <-outside; got != "" {
		t.Errorf("written to stderr outside slog:\n%s", got)
	}
	for _, l := range logs {
		if strings.Contains(l, "level=ERROR") || strings.Contains(l, "Cannot create") {
			t.Errorf("an open of an existing database logged an error:\n%s", l)
		}
	}
}
