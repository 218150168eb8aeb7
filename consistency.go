package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
)

// The headers by which a client reads its own writes across servers that
// share a store (docs/scaling.md): every /graphql and /load response says
// the change-log version of the graph it read or wrote in VersionHeader; a
// request that sends a version in MinVersionHeader is answered from that
// version or a later one, after waiting up to --version-wait for this
// server's read model to reach it, or gets 503 UNAVAILABLE.
const (
	VersionHeader    = "ThriveGraph-Version"
	MinVersionHeader = "ThriveGraph-Min-Version"
)

// logVersioned is a store whose snapshots carry a change-log version
// (live.Graph).
type logVersioned interface {
	graph.Pinner
	Shared() bool
	LogVersion(ctx context.Context) uint64
	WaitFor(ctx context.Context, v uint64) bool
}

// consistent pins the request on one snapshot (the handler inside keeps the
// pin), waits for the version the client asks for, and tells the version
// of the snapshot the response was made from.
func consistent(store graph.Store, wait time.Duration, next http.Handler) http.Handler {
	g, ok := store.(logVersioned)
	if !ok || !g.Shared() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get(MinVersionHeader); h != "" {
			v, err := strconv.ParseUint(h, 10, 64)
			if err != nil {
				httpapi.WriteError(w, r, http.StatusBadRequest, httpapi.CodeBadRequest, MinVersionHeader+" must be a version number, as "+VersionHeader+" gives it")
				return
			}
			ctx, cancel := context.WithTimeout(r.Context(), wait)
			reached := g.WaitFor(ctx, v)
			cancel()
			if !reached {
				w.Header().Set("Retry-After", "1")
				httpapi.WriteError(w, r, http.StatusServiceUnavailable, string(graph.CodeUnavailable),
					fmt.Sprintf("this server holds version %d of the graph, not yet %d; try again shortly", g.LogVersion(r.Context()), v))
				return
			}
		}
		ctx := g.Pin(r.Context())
		next.ServeHTTP(&versionWriter{ResponseWriter: w, version: func() uint64 { return g.LogVersion(ctx) }}, r.WithContext(ctx))
	})
}

// versionWriter sets VersionHeader as the response starts: after the
// request's writes, which move its pinned snapshot.
type versionWriter struct {
	http.ResponseWriter
	version func() uint64
	started bool
}

func (w *versionWriter) start() {
	if !w.started {
		w.started = true
		w.Header().Set(VersionHeader, strconv.FormatUint(w.version(), 10))
	}
}

func (w *versionWriter) WriteHeader(status int) {
	w.start()
	w.ResponseWriter.WriteHeader(status)
}

func (w *versionWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *versionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
