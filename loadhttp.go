package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/loader"
)

// loadFormats maps ?format= values and Content-Types to the file
// extension that tells the loader the format.
var loadFormats = map[string]string{
	"yaml":                 ".yaml",
	"yml":                  ".yaml",
	"json":                 ".json",
	"nq":                   ".nq",
	"nquads":               ".nq",
	"application/yaml":     ".yaml",
	"application/x-yaml":   ".yaml",
	"text/yaml":            ".yaml",
	"text/x-yaml":          ".yaml",
	"application/json":     ".json",
	"application/n-quads":  ".nq",
	"application/x-nquads": ".nq",
}

// loadHandler serves POST /load: one data file in the body (YAML or JSON,
// or N-Quads as export writes them; the format from ?format= or the
// Content-Type), checked by the loader exactly as `thrivegraph load` checks
// files and written the same way, all or nothing: in one transaction, or,
// when it is larger than store.BulkChunk quads, as a bulk load
// (live.Graph.Bulk): on bbolt in many transactions into a new store file
// switched in at the end, on PostgreSQL in chunks of one transaction whose
// one change-log version every server's read model takes. While it is
// written, every reader, this server's queries included, sees the snapshot
// from before the load; the whole load appears at once when it is switched
// in. If the server dies during the load, nothing is lost and nothing is
// half-written: the store is as before the load (the build file is
// removed at the next start), and the client, which got no answer, may
// send it again. The caller has been authorized already.
func loadHandler(store graph.Store, logger *slog.Logger, maxBytes int64, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ext, ok := loadFormats[strings.ToLower(r.URL.Query().Get("format"))]
		if !ok && r.URL.Query().Get("format") == "" {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			ext, ok = loadFormats[mt]
		}
		if !ok {
			httpapi.WriteError(w, r, http.StatusUnsupportedMediaType, httpapi.CodeUnsupportedMedia,
				"say the format with ?format=yaml|json|nq or a Content-Type of application/yaml, application/json or application/n-quads")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				httpapi.WriteError(w, r, http.StatusRequestEntityTooLarge, httpapi.CodeLimitExceeded, "the data file is larger than the limit of "+strconv.FormatInt(maxBytes, 10)+" bytes")
				return
			}
			httpapi.WriteError(w, r, http.StatusBadRequest, httpapi.CodeBadRequest, "the request body could not be read")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		name := "upload" + ext
		res, err := loader.Load(ctx, store, loader.File{Name: name, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(body)), nil
		}})
		if err != nil {
			writeLoadError(w, r, logger, err)
			return
		}
		logger.InfoContext(r.Context(), "load", "request_id", httpapi.RequestID(r.Context()), "bytes", len(body), "quads", res.QuadsTotal, "added", res.QuadsAdded)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]int{
			"quadsTotal": res.QuadsTotal, "quadsAdded": res.QuadsAdded, "quadsRemoved": res.QuadsRemoved,
		}})
	})
}

// writeLoadError reports a failed load: every issue of a validation error
// with its place (status 400), a timeout (503), or an internal error whose
// detail goes only to the log (500).
func writeLoadError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	if ve, ok := errors.AsType[*loader.ValidationError](err); ok {
		var errs []map[string]any
		for _, i := range ve.Issues {
			ext := map[string]any{"code": string(graph.CodeInvalid), "file": i.File}
			if i.Line > 0 {
				ext["line"] = i.Line
			}
			if i.Column > 0 {
				ext["column"] = i.Column
			}
			if i.Field != "" {
				ext["field"] = i.Field
			}
			errs = append(errs, map[string]any{"message": i.String(), "extensions": ext})
		}
		if ve.Omitted > 0 {
			errs = append(errs, map[string]any{"message": "and " + strconv.Itoa(ve.Omitted) + " more errors", "extensions": map[string]any{"code": string(graph.CodeInvalid)}})
		}
		httpapi.InfoFrom(r.Context()).AddCode(string(graph.CodeInvalid))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"errors": errs})
		return
	}
	switch code := graph.ErrorCode(err); {
	case errors.Is(err, context.DeadlineExceeded):
		httpapi.WriteError(w, r, http.StatusServiceUnavailable, httpapi.CodeLimitExceeded, "the load took longer than the time limit; nothing was written")
	case code == graph.CodeUnavailable:
		logger.WarnContext(r.Context(), "load: database unavailable", "request_id", httpapi.RequestID(r.Context()), "error", err.Error())
		w.Header().Set("Retry-After", "1")
		httpapi.WriteError(w, r, http.StatusServiceUnavailable, string(code), graph.ErrorMessage(err)+"; nothing was written")
	case code == graph.CodeInternal:
		logger.ErrorContext(r.Context(), "load: internal error", "request_id", httpapi.RequestID(r.Context()), "error", err.Error())
		httpapi.WriteError(w, r, http.StatusInternalServerError, string(graph.CodeInternal), "internal error")
	default:
		httpapi.WriteError(w, r, http.StatusBadRequest, string(code), graph.ErrorMessage(err))
	}
}

// storeCollector exports the size of the graph as Prometheus gauges. The
// counts need a scan of the store, so they are kept for storeCountsTTL.
type storeCollector struct {
	store                 graph.Store
	quads, sources, links *prometheus.Desc
	nodes                 *prometheus.Desc

	mu     sync.Mutex
	at     time.Time
	counts graph.Counts
	err    error
}

const storeCountsTTL = 15 * time.Second

func newStoreCollector(store graph.Store) *storeCollector {
	return &storeCollector{
		store:   store,
		quads:   prometheus.NewDesc("thrivegraph_store_quads", "Quads in the store.", nil, nil),
		sources: prometheus.NewDesc("thrivegraph_store_sources", "Sources in the store.", nil, nil),
		links:   prometheus.NewDesc("thrivegraph_store_links", "Relations between entities in the store.", nil, nil),
		nodes:   prometheus.NewDesc("thrivegraph_store_nodes", "Entities in the store, by type.", []string{"type"}, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.quads
	ch <- c.sources
	ch <- c.links
	ch <- c.nodes
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	if time.Since(c.at) > storeCountsTTL {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.counts, c.err = c.store.Counts(ctx)
		cancel()
		c.at = time.Now()
	}
	counts, err := c.counts, c.err
	c.mu.Unlock()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.quads, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.quads, prometheus.GaugeValue, float64(counts.Quads))
	ch <- prometheus.MustNewConstMetric(c.sources, prometheus.GaugeValue, float64(counts.Sources))
	ch <- prometheus.MustNewConstMetric(c.links, prometheus.GaugeValue, float64(counts.Links))
	for _, t := range graph.NodeTypes {
		ch <- prometheus.MustNewConstMetric(c.nodes, prometheus.GaugeValue, float64(counts.Nodes[t]), string(t))
	}
}
