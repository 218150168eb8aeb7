package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/thrivegraph/thrivegraph/store"
)

// writeBigNQuads writes n organizations, each with a name, a kind, an event
// it took part in and a theme, as N-Quads of the source "big": 9n quads.
func writeBigNQuads(t *testing.T, path string, n int) int {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	const (
		id    = "https://thrivegraph.org/id/"
		ns    = "https://thrivegraph.org/ns#"
		label = "<https://thrivegraph.org/source/big>"
		typ   = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
		name  = "<http://schema.org/name>"
	)
	quads := 0
	line := func(format string, args ...any) {
		fmt.Fprintf(w, format+" "+label+" .\n", args...)
		quads++
	}
	line("<https://thrivegraph.org/source/big> %s <%sSource>", typ, ns)
	line("<https://thrivegraph.org/source/big> <%stitle> \"A big generated source\"", ns)
	line("<%sbig-theme> %s <%sTheme>", id, typ, ns)
	line("<%sbig-theme> %s \"Big theme\"", id, name)
	for i := range n {
		line("<%sbig-org-%d> %s <%sOrganization>", id, i, typ, ns)
		line("<%sbig-org-%d> %s \"Big Organization %d\"", id, i, name, i)
		line("<%sbig-org-%d> <%skind> \"funder\"", id, i, ns)
		line("<%sbig-org-%d> <%sparticipatedIn> <%sbig-event-%d>", id, i, ns, id, i)
		line("<%sbig-org-%d> <%stheme> <%sbig-theme>", id, i, ns, id)
		line("<%sbig-event-%d> %s <%sEvent>", id, i, typ, ns)
		line("<%sbig-event-%d> %s \"Big Event %d\"", id, i, name, i)
		line("<%sbig-event-%d> <%skind> \"webinar\"", id, i, ns)
		line("<%sbig-event-%d> <%sstartDate> \"2020-01-02T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>", id, i, ns)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return quads
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestKillDuringLoad kills a real load process with SIGKILL at random
// moments and checks, each time, that the store holds exactly the graph
// from before the load or exactly the graph after it, never a part of the
// file: as one bbolt transaction, and as a bulk load of many transactions
// into a build file switched in at the end (THRIVEGRAPH_LOAD_TX_QUADS=1000:
// about 18 chunks of 3 transactions each), into the seed's store through
// Cayley and into an empty store through the KV builder. A kill before the switch leaves
// the build file, which the next open removes. THRIVEGRAPH_KILL_RUNS sets
// the number of kills of each (default 20).
func TestKillDuringLoad(t *testing.T) {
	bin := buildBinary(t)
	runs := 20
	if v, err := strconv.Atoi(os.Getenv("THRIVEGRAPH_KILL_RUNS")); err == nil && v > 0 {
		runs = v
	}
	for _, tc := range []struct {
		name    string
		txQuads string // THRIVEGRAPH_LOAD_TX_QUADS
		minTx   int    // transactions the load must span
		empty   bool   // into an empty store (store/kvbuild.go) rather than the seed's
		orgs    int    // organizations of the file (9 quads each)
	}{
		{"one transaction", "", 1, false, 2000},
		// The build into an empty store is faster: a larger file.
		{"many transactions into an empty store", "1000", 3, true, 20000},
		{"many transactions", "1000", 18, false, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) { killDuringLoad(t, bin, runs, tc.txQuads, tc.minTx, tc.empty, tc.orgs) })
	}
}

func killDuringLoad(t *testing.T, bin string, runs int, txQuads string, minTx int, empty bool, orgs int) {
	dir := t.TempDir()
	env := append(os.Environ(), "THRIVEGRAPH_LOAD_TX_QUADS="+txQuads)
	cli := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr, cmd.Env = &out, &errOut, env
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String(), errOut.String()
	}
	export := func(db string) string {
		t.Helper()
		out, _ := cli("export", "--db", db)
		return out
	}

	big := filepath.Join(dir, "big.nq")
	quads := writeBigNQuads(t, big, orgs)
	base := filepath.Join(dir, "base.db")
	if empty {
		export(base) // creates the store
	} else {
		cli("load", "--db", base, "--progress", "none", "data/seed/wes-immigrantsthrive-2020.yaml", "data/seed/living-cities-webinar-2014.yaml")
	}
	before := export(base)

	ref := filepath.Join(dir, "ref.db")
	copyFile(t, base, ref)
	start := time.Now()
	_, logs := cli("load", "--db", ref, "--progress", "log", big)
	full := time.Since(start)
	after := export(ref)
	if before == after {
		t.Fatal("the load changed nothing")
	}
	txs := 1
	if m := regexp.MustCompile(`transactions=(\d+)`).FindStringSubmatch(logs); m != nil {
		txs, _ = strconv.Atoi(m[1])
	}
	if txs < minTx {
		t.Fatalf("the load spanned %d transactions, want at least %d; its log:\n%s", txs, minTx, logs)
	}
	if full < time.Second {
		t.Logf("warning: the load took only %s; kills land in less of it", full)
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	counts := map[string]int{}
	for i := range runs {
		db := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		copyFile(t, base, db)
		// Most kills land anywhere in the load; every third one near its
		// end, when the transaction commits (or the build file is
		// switched in).
		delay := time.Duration(rng.Float64() * 1.1 * float64(full))
		if i%3 == 2 {
			delay = time.Duration((0.8 + 0.25*rng.Float64()) * float64(full))
		}
		cmd := exec.Command(bin, "load", "--db", db, "--progress", "none", big)
		cmd.Stdout, cmd.Stderr, cmd.Env = io.Discard, io.Discard, env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL
		err := cmd.Wait()
		_, statErr := os.Stat(db + store.BuildSuffix)
		leftover := statErr == nil
		got := export(db)
		for _, leftover := range []string{db + store.BuildSuffix, db + store.QuadsSuffix} {
			if _, err := os.Stat(leftover); err == nil {
				t.Fatalf("run %d: %s of the killed load is still there after the store was opened", i, leftover)
			}
		}
		outcome := "after"
		switch {
		case got == before:
			outcome = "before"
			if leftover {
				counts["build file left"]++
			}
		case got != after:
			t.Fatalf("run %d (killed after %s): the store holds neither the graph before nor after the load (%d bytes; before %d, after %d)",
				i, delay, len(got), len(before), len(after))
		}
		if err == nil {
			outcome = "finished" // the load ended before the kill
			if got != after {
				t.Fatalf("run %d: the load finished but the store is not the graph after it", i)
			}
		}
		counts[outcome]++
		os.Remove(db)
	}
	t.Logf("%d kills of a load of %d quads in %d transaction(s) taking %s: %d left the store as before (%d of them with a build file, removed at the next open), %d as after (killed during exit), %d loads finished first",
		runs, quads, txs, full.Round(time.Millisecond), counts["before"], counts["build file left"], counts["after"], counts["finished"])
	if counts["before"] == 0 {
		t.Error("no kill landed during the load: the load is too short to test")
	}
}
