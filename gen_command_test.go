package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateCommand runs `generate`, loads its data files with `load` into
// a new store and checks that `export` gives back its graph.nq.
func TestGenerateCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "net")
	noEnv := func(string) string { return "" }
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"generate", "--orgs", "120", "--seed", "4", "--per-file", "50", "--out", out}, noEnv, &stdout, &stderr, nil); err != nil {
		t.Fatalf("generate: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "generated 120 organizations") {
		t.Errorf("generate said %q", stdout.String())
	}
	files, err := filepath.Glob(filepath.Join(out, "*.yaml"))
	if err != nil || len(files) != 4 { // taxonomy + 3 parts
		t.Fatalf("data files %v (%v)", files, err)
	}
	db := filepath.Join(dir, "g.db")
	stdout.Reset()
	if err := run(ctx, append([]string{"load", "--db", db, "--seed=false"}, files...), noEnv, &stdout, &stderr, nil); err != nil {
		t.Fatalf("load: %v\n%s", err, stderr.String())
	}
	stdout.Reset()
	if err := run(ctx, []string{"export", "--db", db}, noEnv, &stdout, &stderr, nil); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	nq, err := os.ReadFile(filepath.Join(out, "graph.nq"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), nq) {
		t.Errorf("export after load (%d bytes) differs from graph.nq (%d bytes)", stdout.Len(), len(nq))
	}
}

func TestGenerateUsage(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, args := range [][]string{
		{"generate"}, // no --out
		{"generate", "--out", t.TempDir(), "--orgs", "0"}, // no organizations
		{"generate", "--out", t.TempDir(), "extra"},       // arguments
		{"generate", "--out", t.TempDir(), "--seed", "x"},
		{"generate", "--out", t.TempDir(), "--random-seed", "-1"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, noEnv, &stdout, &stderr, nil); err != errUsage {
			t.Errorf("%q: error %v, want the usage", args, err)
		}
	}
}
