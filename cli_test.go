package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/ide"
)

// runCLI runs the command line in this process with the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, &o, &e, nil)
	return o.String(), e.String(), err
}

// TestHelp checks that help is asked for in every usual way, succeeds,
// goes to stdout and lists the command's own flags only, in the
// double-dash style, with their environment variables.
func TestHelp(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		notWant []string
	}{
		{[]string{"--help"}, []string{"serve", "load", "export", "remove", "generate", "version", "completion"}, nil},
		{[]string{"-h"}, []string{"Available Commands:"}, nil},
		{[]string{"help"}, []string{"Available Commands:"}, nil},
		{[]string{"help", "load"}, []string{"--dry-run", "--seed", "(env THRIVEGRAPH_SEED)", "--db", "(env THRIVEGRAPH_DB)"}, []string{"--max-depth", "--addr", " -dry-run"}},
		{[]string{"load", "--help"}, []string{"--replace", "--progress", "--log-format"}, []string{"--max-depth", "--cors-origins", "--orgs"}},
		{[]string{"serve", "--help"}, []string{"--max-depth", "(env THRIVEGRAPH_MAX_DEPTH)", "--addr", "--seed", "--token-file"}, []string{"--dry-run", "--orgs"}},
		{[]string{"export", "--help"}, []string{"--format", "--out", "/export"}, []string{"--dry-run", "--max-depth"}},
		{[]string{"generate", "--help"}, []string{"--random-seed", "--orgs", "--per-file"}, []string{"--db", "--dry-run"}},
		{[]string{"remove", "--help"}, []string{"--source", "--db"}, []string{"--format"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, err := runCLI(t, nil, tc.args...)
			if err != nil {
				t.Fatalf("error %v (stderr %q)", err, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("help has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestVersionAndCompletion checks the version command and flag and the
// shell completion scripts.
func TestVersionAndCompletion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil || !strings.HasPrefix(out, "thrivegraph ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: %q, %v", args, out, err)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		out, _, err := runCLI(t, nil, "completion", shell)
		if err != nil || !strings.Contains(out, "thrivegraph") || len(out) < 500 {
			t.Errorf("completion %s: %v, %d bytes", shell, err, len(out))
		}
	}
	// Flag values complete: the backends of --store.
	out, _, err := runCLI(t, nil, "__complete", "serve", "--store", "")
	if err != nil || !strings.Contains(out, "bbolt\nmemory\npostgres\n") {
		t.Errorf("completion of --store: %q, %v", out, err)
	}
}

// TestUsageErrors checks that wrong command lines fail with errUsage and
// say what is wrong on stderr.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{[]string{"load"}, nil, "load needs at least one file"},
		{[]string{"load", "--max-depth", "3", "x.yaml"}, nil, "unknown flag: --max-depth"},
		{[]string{"serve", "--seed=7"}, nil, `invalid argument "7" for "--seed"`},
		{[]string{"serve"}, map[string]string{"THRIVEGRAPH_SEED": "maybe"}, `THRIVEGRAPH_SEED="maybe"`},
		{[]string{"serve"}, map[string]string{"THRIVEGRAPH_LOG_FORMAT": "xml"}, `--log-format must be text or json, got "xml"`},
		{[]string{"export", "extra"}, nil, `export takes no arguments, got ["extra"]`},
		{[]string{"generate", "--out", "x", "--random-seed", "many"}, nil, `invalid argument "many" for "--random-seed"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, err := runCLI(t, tc.env, tc.args...)
			if err != errUsage || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "--help' for usage") {
				t.Errorf("error %v, stderr %q, want %q", err, errOut, tc.want)
			}
		})
	}
}

// TestFlagsAndEnvironment checks every flag of the README's tables: its
// environment variable sets it, and the command line wins over the
// environment.
func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		command, flag, env, value, other string
		get                              func(config) any
	}{
		{"serve", "addr", "THRIVEGRAPH_ADDR", "127.0.0.1:9999", "127.0.0.1:1", func(c config) any { return c.Addr }},
		{"load", "store", "THRIVEGRAPH_STORE", "memory", "postgres", func(c config) any { return c.Store.Backend }},
		{"export", "db", "THRIVEGRAPH_DB", "/tmp/x.db", "/tmp/y.db", func(c config) any { return c.Store.Path }},
		{"remove", "dsn", "THRIVEGRAPH_DSN", "postgres://a", "postgres://b", func(c config) any { return c.Store.DSN }},
		{"serve", "log-format", "THRIVEGRAPH_LOG_FORMAT", "json", "text", func(c config) any { return c.LogFormat }},
		{"serve", "seed", "THRIVEGRAPH_SEED", "false", "true", func(c config) any { return fmt.Sprint(c.SeedIfEmpty) }},
		{"load", "seed", "THRIVEGRAPH_SEED", "false", "true", func(c config) any { return fmt.Sprint(c.SeedIfEmpty) }},
		{"serve", "max-depth", "THRIVEGRAPH_MAX_DEPTH", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.Limits.MaxDepth) }},
		{"serve", "max-aliases", "THRIVEGRAPH_MAX_ALIASES", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.Limits.MaxAliases) }},
		{"serve", "max-complexity", "THRIVEGRAPH_MAX_COMPLEXITY", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.Limits.MaxComplexity) }},
		{"serve", "max-tokens", "THRIVEGRAPH_MAX_TOKENS", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.Limits.MaxTokens) }},
		{"serve", "max-body-bytes", "THRIVEGRAPH_MAX_BODY_BYTES", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.Limits.MaxBodyBytes) }},
		{"serve", "request-timeout", "THRIVEGRAPH_REQUEST_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.Limits.Timeout.String() }},
		{"serve", "read-header-timeout", "THRIVEGRAPH_READ_HEADER_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.ReadHeaderTimeout.String() }},
		{"serve", "read-timeout", "THRIVEGRAPH_READ_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.ReadTimeout.String() }},
		{"serve", "write-timeout", "THRIVEGRAPH_WRITE_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.WriteTimeout.String() }},
		{"serve", "idle-timeout", "THRIVEGRAPH_IDLE_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.IdleTimeout.String() }},
		{"serve", "introspection", "THRIVEGRAPH_INTROSPECTION", "false", "true", func(c config) any { return fmt.Sprint(c.Serve.Introspection) }},
		{"serve", "suggestions", "THRIVEGRAPH_SUGGESTIONS", "false", "true", func(c config) any { return fmt.Sprint(c.Serve.Suggestions) }},
		{"serve", "apq-cache-size", "THRIVEGRAPH_APQ_CACHE_SIZE", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.APQCacheSize) }},
		{"serve", "response-cache-size", "THRIVEGRAPH_RESPONSE_CACHE_SIZE", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.ResponseCacheSize) }},
		{"serve", "cors-origins", "THRIVEGRAPH_CORS_ORIGINS", "*", "https://a.example", func(c config) any { return c.Serve.CORSOrigins }},
		{"serve", "rate-limit", "THRIVEGRAPH_RATE_LIMIT", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.RateLimit) }},
		{"serve", "rate-burst", "THRIVEGRAPH_RATE_BURST", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.RateBurst) }},
		{"serve", "token-file", "THRIVEGRAPH_TOKEN_FILE", "/a", "/b", func(c config) any { return c.Serve.TokenFile }},
		{"serve", "max-load-bytes", "THRIVEGRAPH_MAX_LOAD_BYTES", "7", "8", func(c config) any { return fmt.Sprint(c.Serve.MaxLoadBytes) }},
		{"serve", "load-timeout", "THRIVEGRAPH_LOAD_TIMEOUT", "7s", "8s", func(c config) any { return c.Serve.LoadTimeout.String() }},
		{"serve", "read-dsn", "THRIVEGRAPH_READ_DSN", "postgres://standby-a", "postgres://standby-b", func(c config) any { return c.Store.ReadDSN }},
		{"serve", "follow-poll", "THRIVEGRAPH_FOLLOW_POLL", "7s", "8s", func(c config) any { return c.Serve.FollowPoll.String() }},
		{"serve", "version-wait", "THRIVEGRAPH_VERSION_WAIT", "7s", "8s", func(c config) any { return c.Serve.VersionWait.String() }},
		{"load", "log-retention", "THRIVEGRAPH_LOG_RETENTION", "7s", "8s", func(c config) any { return c.Store.LogRetention.String() }},
		{"serve", "store", "THRIVEGRAPH_STORE", "cockroach", "postgres", func(c config) any { return c.Store.Backend }},
	}
	args := map[string][]string{"load": {"f.yaml"}, "remove": {"--source", "s"}}
	for _, tc := range tests {
		t.Run(tc.command+" --"+tc.flag, func(t *testing.T) {
			env := map[string]string{tc.env: tc.value}
			cfg, err := parseConfig(append([]string{tc.command}, args[tc.command]...), func(k string) string { return env[k] }, &bytes.Buffer{})
			if err != nil || tc.get(cfg) != tc.value {
				t.Errorf("%s=%s: got %v (%v)", tc.env, tc.value, tc.get(cfg), err)
			}
			cfg, err = parseConfig(append([]string{tc.command, "--" + tc.flag + "=" + tc.other}, args[tc.command]...), func(k string) string { return env[k] }, &bytes.Buffer{})
			if err != nil || tc.get(cfg) != tc.other {
				t.Errorf("--%s=%s over the environment: got %v (%v)", tc.flag, tc.other, tc.get(cfg), err)
			}
		})
	}
	// THRIVEGRAPH_TOKEN is read from the environment only.
	cfg, err := parseConfig([]string{"serve"}, func(k string) string { return map[string]string{"THRIVEGRAPH_TOKEN": "t0ken-t0ken-t0ken"}[k] }, &bytes.Buffer{})
	if err != nil || cfg.Serve.Token != "t0ken-t0ken-t0ken" {
		t.Errorf("THRIVEGRAPH_TOKEN: %q (%v)", cfg.Serve.Token, err)
	}
	// generate: --random-seed is the random seed; --seed, its old name, still works.
	for _, flag := range []string{"--random-seed", "--seed"} {
		cfg, err := parseConfig([]string{"generate", "--out", "x", flag, "42"}, func(string) string { return "" }, &bytes.Buffer{})
		if err != nil || cfg.Generate.Options.Seed != 42 {
			t.Errorf("generate %s 42: %d (%v)", flag, cfg.Generate.Options.Seed, err)
		}
	}
}

// TestLoadSeedsAnEmptyStore loads the README's CSV example, which refers to
// seed nodes, into a new store: the seed comes first, in the same
// transaction; --seed=false loads the files alone and fails, naming the
// unknown ids; a store that is not empty gets no seed.
func TestLoadSeedsAnEmptyStore(t *testing.T) {
	dir := t.TempDir()
	noEnv := map[string]string{}
	bare := filepath.Join(dir, "bare.db")
	_, _, err := runCLI(t, noEnv, "load", "--db", bare, "--progress", "none", "--seed=false", "data/templates/example")
	if err == nil || !strings.Contains(err.Error(), `unknown id "workers-defense-project": not defined in the files loaded nor in the store`) {
		t.Errorf("--seed=false: %v", err)
	}
	if out, _, _ := runCLI(t, noEnv, "export", "--db", bare); out != "" {
		t.Errorf("a failed load wrote:\n%s", out)
	}

	db := filepath.Join(dir, "a.db")
	out, errOut, err := runCLI(t, noEnv, "load", "--db", db, "--progress", "none", "data/templates/example")
	if err != nil {
		t.Fatalf("load the example into an empty store: %v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "loaded: nodes +90 -0, edges +102 -0, quads +476 -0; sources: 4 added") || !strings.Contains(out, "\nseed: the store was empty") {
		t.Errorf("summary %q", out)
	}
	got, _, _ := runCLI(t, noEnv, "export", "--db", db)
	for _, want := range []string{"<https://thrivegraph.org/source/my-partner-list-2025>", "<https://thrivegraph.org/source/wes-immigrantsthrive-2020>"} {
		if !strings.Contains(got, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// The store is not empty now: no seed again, and nothing changes.
	out, _, err = runCLI(t, noEnv, "load", "--db", db, "--progress", "none", "data/templates/example")
	if err != nil || strings.Contains(out, "seed:") || !strings.Contains(out, "1 unchanged") {
		t.Errorf("second load: %q %v", out, err)
	}
	// The environment turns it off too.
	other := filepath.Join(dir, "b.db")
	if _, _, err := runCLI(t, map[string]string{"THRIVEGRAPH_SEED": "false"}, "load", "--db", other, "--progress", "none", "data/templates/example"); err == nil {
		t.Error("THRIVEGRAPH_SEED=false: the example loaded without the seed")
	}
}

// TestIDEOverviewWithinLimits runs the operation that opens the IDE's
// welcome tab through the server.
func TestIDEOverviewWithinLimits(t *testing.T) {
	s := newTestServer(t, defaults(t))
	rec := s.do("POST", "/graphql", gqlBody(ide.Overview().Query), jsonHeader)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) || !strings.Contains(rec.Body.String(), `"policyLevels"`) {
		t.Errorf("Overview: HTTP %d %.300s", rec.Code, rec.Body.String())
	}
}

// TestCurationCanBeRemoved removes the seed's editorial additions: what
// remains is exactly what the two documents state, and the aliases no
// document writes no longer change search results.
func TestCurationCanBeRemoved(t *testing.T) {
	dir := t.TempDir()
	seeded, docs := filepath.Join(dir, "seeded.db"), filepath.Join(dir, "docs.db")
	for _, args := range [][]string{
		{"load", "--db", seeded, "--progress", "none", "data/seed"},
		{"remove", "--db", seeded, "--source", "thrivegraph-curation"},
		{"load", "--db", docs, "--progress", "none", "--seed=false", "data/seed/wes-immigrantsthrive-2020.yaml", "data/seed/living-cities-webinar-2014.yaml"},
	} {
		if _, errOut, err := runCLI(t, nil, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, errOut)
		}
	}
	a, _, _ := runCLI(t, nil, "export", "--db", seeded)
	b, _, _ := runCLI(t, nil, "export", "--db", docs)
	if a != b || a == "" {
		t.Errorf("the seed without its curation (%d bytes) is not the two documents (%d bytes)", len(a), len(b))
	}
	for _, alias := range []string{"Tent Partnership for Refugees", "World Education Services Mariam Assefa Fund", "Federal Reserve Bank of Philadelphia", "thrivegraph-curation"} {
		if strings.Contains(a, alias) {
			t.Errorf("%q is still in the graph", alias)
		}
	}
}
