package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the thrivegraph command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "thrivegraph")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func graphql(t *testing.T, url, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	return out["data"].(map[string]any)
}

// TestServeEndToEnd starts the real binary on a fresh bbolt file and a free
// port, queries it over HTTP, and stops it with SIGTERM.
func TestServeEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	addr := freeAddr(t)
	base := "http://" + addr
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", db)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-done
	}()

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 30s; logs:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	got := graphql(t, base+"/graphql", `{ event(id: "immigrantsthrive") { name startDate participants(first: 1) { totalCount } hosts { id } } }`)
	ev := got["event"].(map[string]any)
	if ev["startDate"] != "2020-06-23" || ev["participants"].(map[string]any)["totalCount"].(float64) != 40 {
		t.Errorf("event: %v", ev)
	}

	for path, want := range map[string]string{"/healthz": "ok", "/livez": "ok", "/readyz": "ready", "/": "graphiql.min.js", "/metrics": "thrivegraph_store_quads"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, want body with %q", path, resp.StatusCode, want)
		}
	}

	// The bbolt file is locked by serve: load must fail fast and say why.
	start := time.Now()
	out, err := exec.Command(bin, "load", "--db", db, "loader/testdata/good/chat.yaml").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another process") || time.Since(start) > 10*time.Second {
		t.Errorf("load beside serve: err %v after %s, output %s", err, time.Since(start), out)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Errorf("serve exited with %v; logs:\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no graceful stop in logs:\n%s", logs.String())
	}
}

// TestLoadExportCommands runs load and export as a user would.
func TestLoadExportCommands(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String() + stderr.String(), err
	}
	// export returns what export writes to stdout: the graph, without the logs.
	export := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, append([]string{"export"}, args...)...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, stderr.String())
		}
		return stdout.String(), err
	}
	db := filepath.Join(dir, "a.db")
	if out, err := run("load", "--db", db, "data/seed/wes-immigrantsthrive-2020.yaml", "data/seed/living-cities-webinar-2014.yaml"); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	first, err := export("--db", db)
	if err != nil {
		t.Fatalf("export: %v", err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("source: {id: x, title: X}\norganizations:\n  - name: Acme\n    colour: red\n"), 0o644)
	out, err := run("load", "--db", db, bad)
	if err == nil || !strings.Contains(out, "bad.yaml:4:5") || !strings.Contains(out, "colour") {
		t.Errorf("bad file: err %v, output %q", err, out)
	}
	if after, _ := export("--db", db); after != first {
		t.Error("a failed load changed the store")
	}

	nq := filepath.Join(dir, "export.nq")
	os.WriteFile(nq, []byte(first), 0o644)
	db2 := filepath.Join(dir, "b.db")
	if out, err := run("load", "--db", db2, nq); err != nil {
		t.Fatalf("load export: %v\n%s", err, out)
	}
	if second, _ := export("--db", db2); second != first {
		t.Errorf("export → load → export differs (%d vs %d bytes)", len(second), len(first))
	}
	if n := strings.Count(first, "\n"); n < 300 {
		t.Errorf("export has only %d quads", n)
	}

	if out, err := run("frobnicate"); err == nil || !strings.Contains(out, "unknown command") {
		t.Errorf("unknown command: %v %q", err, out)
	}
	if out, err := run("serve", "--store", "nope", "--addr", freeAddr(t)); err == nil || !strings.Contains(out, "unknown store backend") {
		t.Errorf("unknown backend: %v %q", err, out)
	}
}
