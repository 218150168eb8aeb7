package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/thrivegraph/thrivegraph/analysis"
	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/explorer"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/ide"
	"github.com/thrivegraph/thrivegraph/live"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/network"
	"github.com/thrivegraph/thrivegraph/resolvers"
	"github.com/thrivegraph/thrivegraph/store"
)

// serve runs `thrivegraph serve` until ctx is cancelled (SIGINT/SIGTERM),
// then drains in-flight requests.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	started := time.Now()
	tokens, err := writeTokens(cfg.Serve)
	if err != nil {
		return err
	}
	store, err := openGraph(ctx, cfg.Store, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	logger.Info("read model built", "took", time.Since(started).Round(time.Millisecond).String(),
		"records", store.Snapshot().Len(), "heap_mb", mem.HeapInuse>>20, "heap_idle_mb", (mem.HeapIdle-mem.HeapReleased)>>20)
	if cfg.SeedIfEmpty {
		if err := seedIfEmpty(ctx, store, logger); err != nil {
			return err
		}
	}
	// On a shared store, take every server's writes (live/follow.go).
	followCtx, stopFollowing := context.WithCancel(context.Background())
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		store.Follow(followCtx, live.FollowOptions{Poll: cfg.Serve.FollowPoll, Logger: logger})
	}()
	defer func() { stopFollowing(); <-followed }()
	// The whole network's analysis, kept ready in the background for the
	// newest snapshot: after start and after writes.
	an := analysis.New(store.SnapshotOf, analysis.Options{Logger: logger})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	var draining atomic.Bool
	srv := &http.Server{
		Handler:           routes(store, an, logger, &draining, cfg.Serve, tokens, prometheus.DefaultRegisterer.(*prometheus.Registry)),
		ReadHeaderTimeout: cfg.Serve.ReadHeaderTimeout,
		ReadTimeout:       cfg.Serve.ReadTimeout,
		WriteTimeout:      cfg.Serve.WriteTimeout,
		IdleTimeout:       cfg.Serve.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	mode := "read-only (no write token)"
	if tokens.Configured() {
		mode = "writes need a bearer token"
	}
	logger.Info("serving", "addr", ln.Addr().String(), "store", cfg.Store.Backend, "ide", "http://"+ln.Addr().String()+"/",
		"writes", mode, "startup", time.Since(started).Round(time.Millisecond).String(),
		"read_dsn", cfg.Store.ReadDSN != "", "log_version", store.LogVersion(ctx))

	go func() {
		// What facets, introductions and DEGREE order read about every
		// organization, made now rather than by the first such query;
		// later writes advance it by what they change. Then the network
		// analysis, which takes longer, so that it does not hold the
		// warm-up back.
		began := time.Now()
		network.Warm(store.Snapshot())
		logger.Info("warmed up", "took", time.Since(began).Round(time.Millisecond).String(),
			"since_start", time.Since(started).Round(time.Millisecond).String())
		an.Run(ctx, store.Snapshot, time.Second)
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	draining.Store(true)
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// openGraph opens the store on cfg, the system of record, and builds the
// read model over it.
func openGraph(ctx context.Context, cfg graph.Config, logger *slog.Logger) (*live.Graph, error) {
	log, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	g, err := live.OpenCheckpointed(ctx, log, checkpointPath(cfg), logger)
	if err != nil {
		log.Close()
		return nil, err
	}
	return g, nil
}

// checkpointPath is where the read model of a bbolt store is checkpointed
// (live.OpenCheckpointed): beside the store file. Other backends have none.
func checkpointPath(cfg graph.Config) string {
	if cfg.Backend != graph.BackendBbolt || cfg.Path == "" {
		return ""
	}
	return cfg.Path + ".view"
}

// writeTokens reads the bearer tokens that may write: THRIVEGRAPH_TOKEN and
// the lines of --token-file.
func writeTokens(c serveConfig) (*httpapi.Tokens, error) {
	list := []string{c.Token}
	if c.TokenFile != "" {
		more, err := httpapi.ReadTokenFile(c.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		if len(more) == 0 {
			return nil, fmt.Errorf("--token-file %s holds no token", c.TokenFile)
		}
		list = append(list, more...)
	}
	return httpapi.NewTokens(list...)
}

// seedIfEmpty fills an empty store with the built-in seed data set.
func seedIfEmpty(ctx context.Context, store graph.Store, logger *slog.Logger) error {
	empty, err := store.Empty(ctx)
	if err != nil || !empty {
		return err
	}
	names, err := data.SeedFiles()
	if err != nil {
		return err
	}
	res, err := loader.Load(ctx, store, loader.FromFS(data.Seed, names...)...)
	if err != nil {
		return fmt.Errorf("load the seed data: %w", err)
	}
	logger.Info("empty store filled with the seed data", "files", len(names), "quads", res.QuadsAdded)
	return nil
}

// routes wires every HTTP path of the contract, inside the middleware of
// package httpapi. an answers the network analyses (nil: the handlers make
// theirs).
func routes(store graph.Store, an *analysis.Analyzer, logger *slog.Logger, draining *atomic.Bool, c serveConfig, tokens *httpapi.Tokens, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", consistent(store, c.VersionWait, resolvers.NewHandler(store, resolvers.Options{
		Logger:               logger,
		Limits:               c.Limits,
		DisableIntrospection: !c.Introspection,
		DisableSuggestions:   !c.Suggestions,
		APQCacheSize:         cmp.Or(c.APQCacheSize, -1),
		ResponseCacheSize:    cmp.Or(c.ResponseCacheSize, -1),
		Tokens:               tokens,
		Analysis:             an,
	})))
	mux.Handle("POST /load", tokens.RequireToken(consistent(store, c.VersionWait, loadHandler(store, logger, c.MaxLoadBytes, c.LoadTimeout))))
	mux.HandleFunc("/load", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		httpapi.WriteError(w, r, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed, "POST a data file to /load")
	})
	mux.Handle("/export", exportHandler(store, an, logger)) // the whole graph, read-only and public like /graphql (exporthttp.go)
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	alive := func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }
	mux.HandleFunc("/livez", alive)
	mux.HandleFunc("/healthz", alive)
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		ready := func(ctx context.Context) error { _, err := store.Empty(ctx); return err }
		if rd, ok := store.(interface{ Ready(context.Context) error }); ok {
			ready = rd.Ready
		}
		if err := ready(ctx); err != nil {
			logger.Warn("readyz: store does not answer", "error", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("/", ide.Handler("/graphql"))
	explore := explorer.Handler("/graphql") // the network explorer at /explore, its files under /explore/assets/
	mux.Handle(explorer.Path, explore)
	mux.Handle(explorer.Path+"/", explore)

	metrics := httpapi.NewMetrics(reg)
	reg.MustRegister(newStoreCollector(store))
	if g, ok := store.(logVersioned); ok && g.Shared() {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "thrivegraph_log_version",
			Help: "The change-log version of the newest read-model snapshot (shared stores: the same version is the same graph on every server).",
		}, func() float64 { return float64(g.LogVersion(context.Background())) }))
	}
	var limiter *httpapi.RateLimiter
	if c.RateLimit > 0 {
		limiter = httpapi.NewRateLimiter(c.RateLimit, c.RateBurst, "/livez", "/healthz", "/readyz", "/metrics")
	}
	var origins []string
	for o := range strings.SplitSeq(c.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	return httpapi.Chain(mux, httpapi.Options{
		Logger:      logger,
		Metrics:     metrics,
		CORSOrigins: origins,
		RateLimit:   limiter,
		Routes:      []string{"/", "/graphql", "/load", "/export", "/metrics", "/livez", "/healthz", "/readyz"},
	})
}
