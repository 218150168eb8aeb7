package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/thrivegraph/thrivegraph/analysis"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/loader"
)

// exportFormat is one format GET /export serves.
type exportFormat struct {
	contentType, file string
	write             func(ctx context.Context, store graph.Store, w io.Writer) error
	// network formats are written by writeNetwork with serve's analysis.
	network bool
}

// logged is a store that gives the log it writes through (live.Graph),
// which loader.ExportJSONLD reads, as `export --format jsonld` does.
type logged interface {
	Log() graph.Log
}

// exportFormats are the formats of GET /export, each written by the function
// `thrivegraph export` uses.
var exportFormats = map[string]exportFormat{
	"nquads": {"application/n-quads", "thrivegraph.nq", func(ctx context.Context, s graph.Store, w io.Writer) error {
		return s.Export(ctx, w)
	}, false},
	"jsonld": {"application/ld+json", "thrivegraph.jsonld", func(ctx context.Context, s graph.Store, w io.Writer) error {
		l, ok := s.(logged)
		if !ok {
			return graph.Errorf(graph.CodeInternal, "export", "this store cannot write JSON-LD")
		}
		return loader.ExportJSONLD(ctx, l.Log(), w)
	}, false},
	"csv": {"application/zip", "thrivegraph-csv.zip", func(ctx context.Context, s graph.Store, w io.Writer) error {
		b, ok := s.(loader.Batcher)
		if !ok {
			return graph.Errorf(graph.CodeInternal, "export", "this store cannot write CSV")
		}
		return loader.ExportCSVZip(ctx, b, w)
	}, false},
	"graphml": {"application/graphml+xml", "thrivegraph.graphml", nil, true},
	"gexf":    {"application/gexf+xml", "thrivegraph.gexf", nil, true},
}

// exportHandler serves GET /export?format=nquads|jsonld|csv|graphml|gexf:
// the whole graph, sorted, as `thrivegraph export` writes it (CSV as a zip
// of a directory per source), streamed as it is written; GraphML and GEXF
// hold the network with the metrics of an (waited for while they are
// computed; nil: computed for the request). It reads only and is
// as public as /graphql. An error before the first byte is an error
// response; after it, the connection is cut so that the client cannot
// take a partial export for a whole one.
func exportHandler(store graph.Store, an *analysis.Analyzer, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			httpapi.WriteError(w, r, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed, "GET /export?format=nquads|jsonld|csv|graphml|gexf")
			return
		}
		name := r.URL.Query().Get("format")
		if name == "" {
			name = "nquads"
		}
		f, ok := exportFormats[name]
		if !ok {
			httpapi.WriteError(w, r, http.StatusBadRequest, httpapi.CodeBadRequest, "format must be nquads, jsonld, csv (a zip of CSV sheets), graphml or gexf")
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", f.contentType)
		hdr.Set("Content-Disposition", `attachment; filename="`+f.file+`"`)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Cache-Control", "no-store")
		if r.Method == http.MethodHead {
			return
		}
		lw := &lazyWriter{w: w}
		var err error
		if f.network {
			err = writeNetwork(r.Context(), store, an, name, lw)
		} else {
			err = f.write(r.Context(), store, lw)
		}
		if err == nil {
			if !lw.started {
				w.WriteHeader(http.StatusOK) // an empty graph
			}
			return
		}
		if !lw.started {
			for _, k := range []string{"Content-Type", "Content-Disposition", "Cache-Control"} {
				hdr.Del(k)
			}
			switch code := graph.ErrorCode(err); {
			case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
				logger.WarnContext(r.Context(), "export: stopped", "request_id", httpapi.RequestID(r.Context()), "format", name, "error", err.Error())
				httpapi.WriteError(w, r, http.StatusServiceUnavailable, httpapi.CodeLimitExceeded, "the export was stopped")
			case code == graph.CodeUnavailable:
				w.Header().Set("Retry-After", "1")
				httpapi.WriteError(w, r, http.StatusServiceUnavailable, string(code), graph.ErrorMessage(err))
			case code == graph.CodeInternal:
				logger.ErrorContext(r.Context(), "export: internal error", "request_id", httpapi.RequestID(r.Context()), "format", name, "error", err.Error())
				httpapi.WriteError(w, r, http.StatusInternalServerError, httpapi.CodeInternal, "internal error")
			default: // such as linked data that CSV cannot hold
				httpapi.WriteError(w, r, http.StatusConflict, string(code), graph.ErrorMessage(err))
			}
			return
		}
		logger.ErrorContext(r.Context(), "export: failed while streaming; connection cut", "request_id", httpapi.RequestID(r.Context()), "format", name, "error", err.Error())
		panic(http.ErrAbortHandler)
	})
}

// lazyWriter records whether anything was written, so that an error before
// the first byte can still be an error response.
type lazyWriter struct {
	w       http.ResponseWriter
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		l.started = true
	}
	return l.w.Write(p)
}
