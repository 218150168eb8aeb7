package httpapi

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rs/cors"
)

// Options configure Chain. The zero value logs to slog.Default() and does
// nothing else.
type Options struct {
	Logger *slog.Logger
	// Metrics, when not nil, counts requests and operations.
	Metrics *Metrics
	// CORSOrigins are the origins browsers may call the API from ("*" for
	// any); none means no CORS headers (same origin only).
	CORSOrigins []string
	// RateLimit, when not nil, limits requests per client IP.
	RateLimit *RateLimiter
	// Routes are the paths that are their own label in logs and metrics;
	// any other path is labelled "other".
	Routes []string
}

// Chain wraps h in the middleware, outermost first: request info and id,
// logging and metrics, recovery, CORS, rate limit.
func Chain(h http.Handler, o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.RateLimit != nil {
		h = o.RateLimit.Middleware(h)
	}
	if len(o.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: o.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowedHeaders: []string{"Accept", "Authorization", "Content-Type", "X-Request-Id"},
			ExposedHeaders: []string{"X-Request-Id"},
			MaxAge:         600,
		}).Handler(h)
	}
	h = recoverer(h, o.Logger)
	h = observe(h, o)
	return withInfo(h)
}

// withInfo gives every request an Info and an id: the client's X-Request-Id
// when it is plain and short, else a new random one. The id is sent back.
func withInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(WithInfo(r.Context(), &Info{ID: id})))
	})
}

// recoverer turns a panic into a 500 with code INTERNAL, logging the panic
// and its stack with the request id. http.ErrAbortHandler is let through.
func recoverer(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			logger.ErrorContext(r.Context(), "panic", "request_id", RequestID(r.Context()), "panic", p, "stack", string(debug.Stack()))
			if !rec.wroteHeader {
				WriteError(rec, r, http.StatusInternalServerError, CodeInternal, "internal error")
			} else {
				InfoFrom(r.Context()).AddCode(CodeInternal)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// observe logs one line per request and feeds the metrics.
func observe(next http.Handler, o Options) http.Handler {
	routes := map[string]bool{}
	for _, p := range o.Routes {
		routes[p] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		elapsed := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := r.URL.Path
		if !routes[route] {
			route = "other"
		}
		info := InfoFrom(r.Context())
		op, opType := info.Operation()
		codes := info.Codes()
		if o.Metrics != nil {
			o.Metrics.observe(route, status, op, opType, codes, elapsed)
		}
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case route == "/livez" || route == "/readyz" || route == "/healthz" || route == "/metrics":
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int64("bytes", rec.bytes),
			slog.String("remote", clientIP(r)),
		}
		if opType != "" || op != "" {
			attrs = append(attrs, slog.String("operation", operationLabel(op)), slog.String("operation_type", opType))
		}
		if len(codes) > 0 {
			attrs = append(attrs, slog.String("error_codes", strings.Join(codes, ",")))
		}
		o.Logger.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes flushes through.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
