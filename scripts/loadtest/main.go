// Command loadtest sends a mix of the contract's queries to a ThriveGraph
// server on loopback from N concurrent clients, for a fixed time and at
// most a fixed number of requests, then prints the latency percentiles and
// the throughput. It fails (exit 1) on any error: a transport error, an
// HTTP status other than 200, or a GraphQL error.
//
//	go run ./scripts/loadtest -url http://127.0.0.1:8080/graphql -c 8 -d 10s
//
// scripts/loadtest.sh starts a server on the seed data and runs it. It is a
// measurement, not a test: `go test` never runs it.
//
// Instead of the mix it can send one request: -query (a GraphQL query) or
// -body (any body, sent with -content-type, e.g. another server's query
// language); -expect http then checks only the HTTP status. -json prints
// the figures as one JSON object, and -trace writes the start time and
// latency of every request (failed ones too, marked), for measurements
// over a time window (bench/readmodel.sh uses all three). SIGINT or
// SIGTERM ends a run early and still prints its figures.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// query is one query of the mix.
type query struct {
	name, query string
	vars        map[string]any
}

// mix is the queries the clients send in turn: the contract's questions.
var mix = []query{
	{"event", `query Event($id: ID!) { event(id: $id) { name startDate hosts { name } participants(first: 10) { totalCount nodes { id name } } speakers { name affiliations { title organization { name } } } themes { id } } }`,
		map[string]any{"id": "immigrantsthrive"}},
	{"organizations", `query Orgs { organizations(filter: { themes: ["digital-inclusion"], policyLevels: ["federal"] }, first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { id name sources { title } } } }`, nil},
	{"organization", `query Org($id: ID!) { organization(id: $id) { name kinds places { name } themeLinks { theme { name } stated via { name } } events { role event { name } } people { title person { name } } partners(first: 5) { totalCount edges { node { name } sharedEvents { name } } } } }`,
		map[string]any{"id": "workers-defense-project"}},
	{"search", `query Search($text: String!) { search(text: $text, first: 10) { score node { __typename id name } } }`,
		map[string]any{"text": "refugee"}},
	{"path", `query Path { path(from: "casa-latina", to: "wes-mariam-assefa-fund") { length steps { node { __typename id name } relation source { title } } } }`, nil},
	{"page", `query Page { organizations(first: 50) { totalCount nodes { id name kinds } } events(first: 20) { nodes { id name startDate } } themes { id name } policyLevels { id name } }`, nil},
}

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint (loopback only)")
	clients := flag.Int("c", 8, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "how long to send requests")
	maxRequests := flag.Int("n", 200000, "most requests in all")
	timeout := flag.Duration("timeout", 10*time.Second, "timeout of one request")
	only := flag.String("q", "", "send only the query of this name (event, organizations, organization, search, path, page)")
	custom := flag.String("query", "", "send only this GraphQL query instead of the mix")
	bodyFile := flag.String("body", "", "send only the contents of this file as the request body instead of the mix")
	flag.StringVar(&contentType, "content-type", contentType, "Content-Type of the requests")
	flag.StringVar(&expect, "expect", expect, "what an answer must be: graphql (HTTP 200 with data and no errors) or http (HTTP 200)")
	asJSON := flag.Bool("json", false, "print the figures as one JSON object")
	traceFile := flag.String("trace", "", "write one line per request to this file: start (Unix ns), latency (ns), ok or failed")
	flag.Parse()
	if expect != "graphql" && expect != "http" {
		fmt.Fprintln(os.Stderr, "loadtest: -expect must be graphql or http")
		os.Exit(2)
	}
	bodies := make([][]byte, len(mix))
	for i, m := range mix {
		bodies[i], _ = json.Marshal(map[string]any{"query": m.query, "variables": m.vars, "operationName": nil})
	}
	switch {
	case *custom != "":
		mix = []query{{name: "query", query: *custom}}
		b, _ := json.Marshal(map[string]any{"query": *custom})
		bodies = [][]byte{b}
	case *bodyFile != "":
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(2)
		}
		mix = []query{{name: "body"}}
		bodies = [][]byte{b}
	case *only != "":
		i := slices.IndexFunc(mix, func(m query) bool { return m.name == *only })
		if i < 0 {
			fmt.Fprintf(os.Stderr, "loadtest: no query named %q\n", *only)
			os.Exit(2)
		}
		mix, bodies = mix[i:i+1], bodies[i:i+1]
	}
	if err := run(*target, bodies, *clients, *duration, *maxRequests, *timeout, *asJSON, *traceFile); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// contentType and expect are set by -content-type and -expect.
var (
	contentType = "application/json"
	expect      = "graphql"
)

// sample is one request: when it started, how long it took, and whether
// it failed.
type sample struct {
	start  time.Time
	d      time.Duration
	failed bool
}

func run(target string, bodies [][]byte, clients int, duration time.Duration, maxRequests int, timeout time.Duration, asJSON bool, traceFile string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing %s: the load test runs against loopback only", target)
	}
	if clients < 1 || duration <= 0 || maxRequests < 1 {
		return errors.New("-c, -d and -n must be positive")
	}
	client := &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxIdleConns: clients}}

	// One warm-up round: every query must answer without errors.
	for i := range mix {
		if _, err := send(client, target, bodies[i]); err != nil {
			return fmt.Errorf("warm-up %s: %w", mix[i].name, err)
		}
	}

	// SIGINT or SIGTERM ends the run early; the figures are still printed.
	sigCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(sigCtx, duration)
	defer cancel()
	var (
		sent     atomic.Int64
		mu       sync.Mutex
		samples  = make([]sample, 0, 1<<16)
		firstErr error
		failures atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			local := make([]sample, 0, 1<<12)
			for i := c; ctx.Err() == nil; i++ {
				if sent.Add(1) > int64(maxRequests) {
					break
				}
				t := time.Now()
				d, err := send(client, target, bodies[i%len(bodies)])
				if err != nil {
					if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
						break
					}
					failures.Add(1)
					local = append(local, sample{t, time.Since(t), true})
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", mix[i%len(mix)].name, err)
					}
					mu.Unlock()
					continue
				}
				local = append(local, sample{t, d, false})
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if traceFile != "" {
		var b bytes.Buffer
		for _, s := range samples {
			status := "ok"
			if s.failed {
				status = "failed"
			}
			fmt.Fprintf(&b, "%d %d %s\n", s.start.UnixNano(), s.d.Nanoseconds(), status)
		}
		if err := os.WriteFile(traceFile, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	lat := make([]time.Duration, 0, len(samples))
	for _, s := range samples {
		if !s.failed {
			lat = append(lat, s.d)
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	if asJSON {
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b, _ := json.Marshal(map[string]any{
			"clients": clients, "seconds": elapsed.Seconds(), "ok": len(lat), "failed": failures.Load(),
			"p50_ms": ms(pct(0.50)), "p90_ms": ms(pct(0.90)), "p99_ms": ms(pct(0.99)), "max_ms": ms(pct(1)),
			"rps": float64(len(lat)) / elapsed.Seconds(),
		})
		fmt.Println(string(b))
	} else {
		fmt.Printf("loadtest: %d clients, %s, %d queries in the mix, target %s\n", clients, elapsed.Round(time.Millisecond), len(mix), target)
		fmt.Printf("requests: %d ok, %d failed\n", len(lat), failures.Load())
		fmt.Printf("latency:  p50 %s  p90 %s  p99 %s  max %s\n", pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
		fmt.Printf("throughput: %.0f requests/s\n", float64(len(lat))/elapsed.Seconds())
	}
	if firstErr != nil {
		return fmt.Errorf("%d requests failed; first: %w", failures.Load(), firstErr)
	}
	return nil
}

// send posts one query and checks the answer: HTTP 200, JSON, no errors.
func send(client *http.Client, target string, body []byte) (time.Duration, error) {
	start := time.Now()
	resp, err := client.Post(target, contentType, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, b)
	}
	if expect == "http" {
		return d, nil
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, fmt.Errorf("not JSON: %.200s", b)
	}
	if len(out.Errors) > 0 || len(out.Data) == 0 || string(out.Data) == "null" {
		return 0, fmt.Errorf("GraphQL errors: %.300s", b)
	}
	return d, nil
}
