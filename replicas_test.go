package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/graphtest"
)

// The multi-server tests run real serve processes over the throwaway
// primary and standby of scripts/start-postgres-replicated.sh (started by
// .ci/run): THRIVEGRAPH_TEST_PG_PRIMARY, THRIVEGRAPH_TEST_PG_STANDBY and the
// commands that stop and start the primary.

const replicaToken = "replica-test-token-0123456789abcdef"

// replicated returns the primary's and the standby's DSNs of a new
// database (made on the primary; the standby replays it), or skips.
func replicated(t *testing.T) (primary, standby string) {
	t.Helper()
	base, sb := os.Getenv("THRIVEGRAPH_TEST_PG_PRIMARY"), os.Getenv("THRIVEGRAPH_TEST_PG_STANDBY")
	if base == "" || sb == "" {
		if os.Getenv("THRIVEGRAPH_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("THRIVEGRAPH_TEST_REQUIRE_POSTGRES is set but THRIVEGRAPH_TEST_PG_PRIMARY/STANDBY are not: eval \"$(scripts/start-postgres-replicated.sh)\"")
		}
		t.Skip("no replicated PostgreSQL: eval \"$(scripts/start-postgres-replicated.sh)\"")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("tg_repl_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		admin.Close()
	})
	with := func(dsn string) string {
		u, _ := url.Parse(dsn)
		u.Path = "/" + name
		return u.String()
	}
	return with(base), with(sb)
}

// replica is one running serve process.
type replica struct {
	t    *testing.T
	name string
	base string
	cmd  *exec.Cmd
	logs *graphtest.Logs
	done chan error

	killOnce *sync.Once
}

// startReplica starts serve with args (beside --addr) and waits until it
// is ready.
func startReplica(t *testing.T, bin, name string, args ...string) *replica {
	t.Helper()
	addr := freeAddr(t)
	r := &replica{t: t, name: name, base: "http://" + addr, logs: &graphtest.Logs{}, done: make(chan error, 1), killOnce: &sync.Once{}}
	r.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--version-wait", "300ms"}, args...)...)
	r.cmd.Env = append(os.Environ(), "THRIVEGRAPH_TOKEN="+replicaToken)
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(r.kill)
	r.waitReady(30 * time.Second)
	return r
}

// on returns r reporting to the (sub)test t.
func (r *replica) on(t *testing.T) *replica {
	c := *r
	c.t = t
	return &c
}

// kill ends the process with SIGKILL, once.
func (r *replica) kill() {
	r.killOnce.Do(func() {
		r.cmd.Process.Kill()
		<-r.done
	})
}

// ready returns the status of /readyz.
func (r *replica) ready() int {
	resp, err := http.Get(r.base + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (r *replica) waitReady(d time.Duration) {
	r.t.Helper()
	deadline := time.Now().Add(d)
	for r.ready() != 200 {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s not ready after %s; logs:\n%s", r.name, d, r.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get returns the body of GET path.
func (r *replica) get(path string) string {
	r.t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// gqlResult is a GraphQL answer and the graph version it was made from.
type gqlResult struct {
	Status  int
	Data    map[string]any
	Errors  []map[string]any
	Version uint64
}

// query posts a GraphQL operation; headers are extra request headers.
func (r *replica) query(q string, vars map[string]any, headers ...string) gqlResult {
	r.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest("POST", r.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("%s: %v", r.name, err)
	}
	defer resp.Body.Close()
	var out gqlResult
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		r.t.Fatalf("%s: %v: %s", r.name, err, raw)
	}
	out.Status = resp.StatusCode
	out.Version, _ = strconv.ParseUint(resp.Header.Get(VersionHeader), 10, 64)
	return out
}

// must is query that fails the test on any error.
func (r *replica) must(q string, vars map[string]any) gqlResult {
	r.t.Helper()
	res := r.query(q, vars)
	if res.Errors != nil {
		r.t.Fatalf("%s: %s: errors %v", r.name, q, res.Errors)
	}
	return res
}

// load posts a YAML data file to /load and returns the version it wrote.
func (r *replica) load(yaml string) uint64 {
	r.t.Helper()
	req, _ := http.NewRequest("POST", r.base+"/load?format=yaml", strings.NewReader(yaml))
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		r.t.Fatalf("%s: POST /load: %d %s", r.name, resp.StatusCode, b)
	}
	v, _ := strconv.ParseUint(resp.Header.Get(VersionHeader), 10, 64)
	return v
}

// probe is what the tests look at on a replica: an organization by id,
// a search, the partners of workers-defense-project and the facets.
const probe = `query($id: ID!, $text: String!) {
  organization(id: $id) { id name }
  search(text: $text, first: 5) { node { id } }
  partners: organization(id: "workers-defense-project") { partners(first: 100) { totalCount edges { node { id } } } }
  facets { themes { node { id } count } events { node { id } count } }
}`

// seen reports what the probe finds of the organization id.
type seen struct {
	lookup, search, partner bool
	theme, event            int // the facet counts of digital-inclusion and of the event replica-event
}

func (r *replica) look(id, text string) seen {
	r.t.Helper()
	d := r.must(probe, map[string]any{"id": id, "text": text}).Data
	var s seen
	s.lookup = d["organization"] != nil
	for _, h := range d["search"].([]any) {
		if h.(map[string]any)["node"].(map[string]any)["id"] == id {
			s.search = true
		}
	}
	for _, e := range d["partners"].(map[string]any)["partners"].(map[string]any)["edges"].([]any) {
		if e.(map[string]any)["node"].(map[string]any)["id"] == id {
			s.partner = true
		}
	}
	f := d["facets"].(map[string]any)
	for _, c := range f["themes"].([]any) {
		if c.(map[string]any)["node"].(map[string]any)["id"] == "digital-inclusion" {
			s.theme = int(c.(map[string]any)["count"].(float64))
		}
	}
	for _, c := range f["events"].([]any) {
		if c.(map[string]any)["node"].(map[string]any)["id"] == "replica-event" {
			s.event = int(c.(map[string]any)["count"].(float64))
		}
	}
	return s
}

// within polls r until ok holds of what it sees, and returns how long that
// took; it fails the test after limit.
func (r *replica) within(limit time.Duration, what string, id, text string, ok func(seen) bool) time.Duration {
	r.t.Helper()
	start := time.Now()
	for {
		s := r.look(id, text)
		if ok(s) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			r.t.Fatalf("%s: %s not seen within %s (sees %+v)", r.name, what, limit, s)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// cli runs a command of the binary and returns its output, failing the
// test when it fails.
func cli(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return string(out)
}

const (
	createOrg = `mutation {
  createSource(input: {id: "replica-test", title: "Replica test"}) { id }
  createOrganization(source: "replica-test", input: {id: "zephyr-org", name: "Zephyr Replica Org", themes: ["digital-inclusion"]}) { id }
}`
	loadFile = `source: {id: replica-load, title: Replica load}
organizations:
  - name: Quixote Load Org
    id: quixote-org
    themes: [digital-inclusion]
events:
  - name: Replica Event
    id: replica-event
    kind: webinar
    participants: [quixote-org, workers-defense-project]
`
	cliFile = `source: {id: replica-cli, title: Replica CLI}
organizations:
  - name: Xylophone Cli Org
    id: xylophone-org
events:
  - name: Replica Cli Event
    id: replica-cli-event
    kind: webinar
    participants: [xylophone-org, workers-defense-project]
`
)

// TestReplicas runs three serve processes on one PostgreSQL primary (one
// of them reading from its hot standby) and checks that a write through
// any of them, or by the CLI straight into the database, reaches the
// others' search, lookups, facets and partners within a second; that the
// version headers give a client its own writes on another server; that a
// server killed during a write leaves nothing for the others to apply; and
// that a server whose database stops answers UNAVAILABLE and 503, then
// recovers when the database is back.
func TestReplicas(t *testing.T) {
	primary, standby := replicated(t)
	bin := buildBinary(t)
	pg := []string{"--store", "postgres", "--dsn", primary}
	a := startReplica(t, bin, "A", pg...)
	b := startReplica(t, bin, "B", pg...)
	s := startReplica(t, bin, "S (standby)", append(pg, "--read-dsn", standby)...)
	const second = time.Second
	base := a.look("zephyr-org", "Zephyr")

	t.Run("mutation", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		res := a.must(createOrg, nil)
		if res.Version == 0 {
			t.Fatalf("no %s header on a mutation", VersionHeader)
		}
		for _, r := range []*replica{b, s} {
			d := r.within(second, "a mutation through A", "zephyr-org", "Zephyr", func(x seen) bool {
				return x.lookup && x.search && x.theme == base.theme+1
			})
			t.Logf("mutation through A seen by %s after %s", r.name, d)
		}
		// Read your write on another server: the version A gave.
		got := b.query(`{ organization(id: "zephyr-org") { id } }`, nil, MinVersionHeader, strconv.FormatUint(res.Version, 10))
		if got.Status != 200 || got.Data["organization"] == nil || got.Version < res.Version {
			t.Errorf("B with %s %d: %+v", MinVersionHeader, res.Version, got)
		}
		got = b.query(`{ organization(id: "zephyr-org") { id } }`, nil, MinVersionHeader, strconv.FormatUint(res.Version+1000, 10))
		if got.Status != 503 || len(got.Errors) == 0 || got.Errors[0]["extensions"].(map[string]any)["code"] != "UNAVAILABLE" {
			t.Errorf("B with a version no server has: %+v", got)
		}
	})

	t.Run("load", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		v := s.load(loadFile) // a write through the server that reads from the standby goes to the primary
		if got := s.look("quixote-org", "Quixote"); !got.lookup || !got.partner || got.event != 2 {
			t.Errorf("S does not see its own write at once: %+v", got)
		}
		if m := s.get("/metrics"); !strings.Contains(m, fmt.Sprintf("thrivegraph_log_version %d\n", v)) {
			t.Errorf("S's metrics lack thrivegraph_log_version %d", v)
		}
		for _, r := range []*replica{a, b} {
			d := r.within(second, "POST /load through S", "quixote-org", "Quixote", func(x seen) bool {
				return x.lookup && x.search && x.partner && x.event == 2 && x.theme == base.theme+2
			})
			t.Logf("POST /load (version %d) through S seen by %s after %s", v, r.name, d)
		}
	})

	t.Run("cli", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		file := filepath.Join(t.TempDir(), "cli.yaml")
		os.WriteFile(file, []byte(cliFile), 0o644)
		cli(t, bin, "load", "--store", "postgres", "--dsn", primary, "--progress", "none", file)
		for _, r := range []*replica{a, b, s} {
			d := r.within(second, "a CLI load", "xylophone-org", "Xylophone", func(x seen) bool { return x.lookup && x.search && x.partner })
			t.Logf("CLI load seen by %s after %s", r.name, d)
		}
		cli(t, bin, "remove", "--store", "postgres", "--dsn", primary, "--source", "replica-cli")
		for _, r := range []*replica{a, b, s} {
			r.within(second, "a CLI remove", "xylophone-org", "Xylophone", func(x seen) bool { return !x.lookup && !x.search && !x.partner })
		}
	})

	t.Run("standby lag", func(t *testing.T) {
		a, s := a.on(t), s.on(t)
		db, err := sql.Open("postgres", standby)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var lags, seenS, writes []time.Duration
		for i := range 5 {
			id := fmt.Sprintf("lag-org-%d", i)
			start := time.Now()
			res := a.must(fmt.Sprintf(`mutation { createOrganization(source: "replica-test", input: {id: %q, name: "Lag Org %d"}) { id } }`, id, i), nil)
			writes = append(writes, time.Since(start))
			for {
				var v uint64
				if err := db.QueryRow(`SELECT version FROM thrivegraph_log_head`).Scan(&v); err != nil {
					t.Fatal(err)
				}
				if v >= res.Version {
					break
				}
				if time.Since(start) > 5*second {
					t.Fatalf("the standby has not replayed version %d after 5 s", res.Version)
				}
				time.Sleep(time.Millisecond)
			}
			lags = append(lags, time.Since(start))
			s.within(second, "a write on the standby", id, "Lag Org", func(x seen) bool { return x.lookup })
			seenS = append(seenS, time.Since(start))
		}
		slices.Sort(lags)
		slices.Sort(writes)
		t.Logf("createOrganization through A (round trip, PostgreSQL), 5 writes: min %s median %s max %s", writes[0], writes[2], writes[4])
		t.Logf("standby lag (mutation sent on A → its version on the standby), 5 writes: min %s median %s max %s; S (following the standby) saw each, from the mutation sent, after %v",
			lags[0], lags[2], lags[4], seenS)
	})

	t.Run("killed mid-write", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		big := filepath.Join(t.TempDir(), "big.nq")
		quads := writeBigNQuads(t, big, 4000)
		data, _ := os.ReadFile(big)
		c := startReplica(t, bin, "C", pg...)
		before := a.must(`{ organization(id: "big-org-0") { id } }`, nil).Version
		db, err := sql.Open("postgres", primary)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		writing := func() bool { // a write transaction holds the log's counter
			var n int
			db.QueryRow(`SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'thrivegraph_log_head' AND l.mode = 'RowExclusiveLock'`).Scan(&n)
			return n > 0
		}
		go func() {
			req, _ := http.NewRequest("POST", c.base+"/load?format=nq", bytes.NewReader(data))
			req.Header.Set("Authorization", "Bearer "+replicaToken)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		deadline := time.Now().Add(20 * second)
		for !writing() {
			if time.Now().After(deadline) {
				t.Fatalf("C never started writing; logs:\n%s", c.logs.String())
			}
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		if !writing() {
			t.Skip("the write of C ended within 200 ms: too short to kill it in the middle")
		}
		c.kill() // SIGKILL, mid-transaction
		for deadline := time.Now().Add(10 * second); writing(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the killed server's transaction is still open after 10 s")
			}
		}
		time.Sleep(1500 * time.Millisecond) // longer than a poll
		for _, r := range []*replica{a, b, s} {
			got := r.must(`{ organization(id: "big-org-0") { id } organizations(filter: {nameContains: "Big Organization"}) { totalCount } }`, nil)
			if got.Data["organization"] != nil || got.Data["organizations"].(map[string]any)["totalCount"].(float64) != 0 || got.Version != before {
				t.Errorf("%s after the kill: %v at version %d (before %d)", r.name, got.Data, got.Version, before)
			}
		}
		var head uint64
		db.QueryRow(`SELECT version FROM thrivegraph_log_head`).Scan(&head)
		if head != before {
			t.Errorf("the log is at %d after the killed write, was %d", head, before)
		}
		t.Logf("a server killed 200 ms into the write of %d quads: nothing reached the others (version %d)", quads, head)
	})

	t.Run("bulk load", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		big := filepath.Join(t.TempDir(), "bulk.nq")
		quads := writeBigNQuads(t, big, 2000)
		data, _ := os.ReadFile(big)
		t.Setenv("THRIVEGRAPH_LOAD_TX_QUADS", "1000") // a bulk load of many chunks
		e := startReplica(t, bin, "E", pg...)
		defer e.kill()
		db, err := sql.Open("postgres", standby)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		head := func() uint64 {
			var v uint64
			if err := db.QueryRow(`SELECT version FROM thrivegraph_log_head`).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		before := a.must(`{ organization(id: "big-org-0") { id } }`, nil).Version
		req, _ := http.NewRequest("POST", e.base+"/load?format=nq", bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+replicaToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		v, _ := strconv.ParseUint(resp.Header.Get(VersionHeader), 10, 64)
		if resp.StatusCode != 200 || v != before+1 {
			t.Fatalf("POST /load of %d quads through E: %d, version %d (before %d): %s", quads, resp.StatusCode, v, before, body)
		}
		if !strings.Contains(e.logs.String(), "load: committed") {
			t.Errorf("E did not write the load as a bulk load; logs:\n%s", e.logs.String())
		}
		all := `{ organization(id: "big-org-0") { id } organizations(filter: {nameContains: "Big Organization"}) { totalCount } }`
		for deadline := time.Now().Add(5 * second); head() < v; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the standby has not replayed version %d after 5 s", v)
			}
		}
		for _, r := range []*replica{e, a, b, s} {
			for start := time.Now(); ; time.Sleep(2 * time.Millisecond) {
				got := r.must(all, nil)
				n, _ := got.Data["organizations"].(map[string]any)["totalCount"].(float64)
				if got.Version >= v {
					if got.Data["organization"] == nil || n != 2000 || got.Version != v {
						t.Errorf("%s at version %d: %v, want the whole load (2000 organizations) at %d", r.name, got.Version, got.Data, v)
					}
					break
				}
				if n != 0 {
					t.Fatalf("%s sees %v organizations of the load at version %d, before its version %d", r.name, n, got.Version, v)
				}
				if time.Since(start) > 5*second {
					t.Fatalf("%s: the bulk load not seen within 5 s (at version %d)", r.name, got.Version)
				}
			}
		}
		t.Logf("a POST /load of %d quads in chunks of 1000 through E: one version (%d), seen whole by every server", quads, v)
	})

	t.Run("database stops and starts", func(t *testing.T) {
		a, b, s := a.on(t), b.on(t), s.on(t)
		stop, start := os.Getenv("THRIVEGRAPH_TEST_PG_PRIMARY_STOP"), os.Getenv("THRIVEGRAPH_TEST_PG_PRIMARY_START")
		if stop == "" || start == "" {
			t.Skip("THRIVEGRAPH_TEST_PG_PRIMARY_STOP/START not set")
		}
		sh := func(cmd string) {
			t.Helper()
			if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
		}
		d := startReplica(t, bin, "D", pg...)
		sh(stop)
		restarted := false
		defer func() {
			if !restarted {
				sh(start)
			}
		}()
		res := a.query(`mutation { createOrganization(source: "replica-test", input: {id: "while-down", name: "While Down"}) { id } }`, nil)
		if len(res.Errors) == 0 || res.Errors[0]["extensions"].(map[string]any)["code"] != "UNAVAILABLE" {
			t.Errorf("a mutation with the database stopped: %+v", res)
		}
		if st := a.ready(); st != 503 {
			t.Errorf("/readyz with the database stopped: %d", st)
		}
		if got := a.look("zephyr-org", "Zephyr"); !got.lookup {
			t.Errorf("reads from the read model stopped with the database: %+v", got)
		}
		// S follows the standby, which still answers: it stays ready for
		// reads, and its writes, which go to the primary, are UNAVAILABLE.
		if st := s.ready(); st != 200 {
			t.Errorf("/readyz of the server following the standby, with the primary stopped: %d", st)
		}
		if res := s.query(`mutation { createOrganization(source: "replica-test", input: {id: "while-down-s", name: "While Down"}) { id } }`, nil); len(res.Errors) == 0 || res.Errors[0]["extensions"].(map[string]any)["code"] != "UNAVAILABLE" {
			t.Errorf("a mutation through S with the primary stopped: %+v", res)
		}
		req, _ := http.NewRequest("POST", a.base+"/load?format=yaml", strings.NewReader(cliFile))
		req.Header.Set("Authorization", "Bearer "+replicaToken)
		if resp, err := http.DefaultClient.Do(req); err != nil {
			t.Error(err)
		} else {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 503 || !strings.Contains(string(b), "UNAVAILABLE") {
				t.Errorf("POST /load with the database stopped: %d %s", resp.StatusCode, b)
			}
		}
		// A server stopped while its database is down still stops.
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-d.done:
			d.done <- err
			if err != nil {
				t.Errorf("D stopped with %v while the database was down; logs:\n%s", err, d.logs.String())
			}
		case <-time.After(20 * second):
			t.Errorf("D did not stop on SIGTERM within 20 s while the database was down; logs:\n%s", d.logs.String())
		}
		sh(start)
		restarted = true
		began := time.Now()
		a.waitReady(15 * second)
		t.Logf("A ready %s after the database was back", time.Since(began).Round(time.Millisecond))
		// A follows again: a write by another server reaches it.
		b.waitReady(15 * second)
		deadline := time.Now().Add(15 * second)
		for {
			res := b.query(`mutation { createOrganization(source: "replica-test", input: {id: "after-restart", name: "After Restart"}) { id } }`, nil)
			if len(res.Errors) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("B cannot write after the restart: %v", res.Errors)
			}
			time.Sleep(100 * time.Millisecond)
		}
		seenAfter := a.within(2*second, "a write after the restart", "after-restart", "After Restart", func(x seen) bool { return x.lookup })
		t.Logf("a write through B after the restart seen by A after %s", seenAfter)
		a.must(`mutation { createOrganization(source: "replica-test", input: {id: "a-after-restart", name: "A After Restart"}) { id } }`, nil)
	})
}
