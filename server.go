package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/thrivegraph/thrivegraph/data"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/ide"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// serve runs `thrivegraph serve` until ctx is cancelled (SIGINT/SIGTERM),
// then drains in-flight requests.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	started := time.Now()
	store, err := graph.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer store.Close()
	if cfg.SeedIfEmpty {
		if err := seedIfEmpty(ctx, store, logger); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	var draining atomic.Bool
	srv := &http.Server{
		Handler:           routes(store, logger, &draining),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("serving", "addr", ln.Addr().String(), "store", cfg.Store.Backend, "ide", "http://"+ln.Addr().String()+"/", "startup", time.Since(started).Round(time.Millisecond).String())

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

// routes wires every HTTP path of the contract.
func routes(store graph.Store, logger *slog.Logger, draining *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", resolvers.NewHandler(store, resolvers.Options{Logger: logger}))
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if _, err := store.Empty(ctx); err != nil {
			logger.Warn("readyz: store does not answer", "error", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("/", ide.Handler("/graphql"))
	return mux
}
