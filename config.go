package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/thrivegraph/thrivegraph/graph"
)

// errUsage reports a command line that was wrong; the usage was printed.
var errUsage = errors.New("usage")

// config is every setting of every command, read in this one place from
// flags, which default to environment variables, which default to constants.
type config struct {
	Command string
	Args    []string // files, for load

	Addr            string
	Store           graph.Config
	LogFormat       string // text or json
	ShutdownTimeout time.Duration
	SeedIfEmpty     bool
}

const usage = `usage: thrivegraph COMMAND [flags]

commands:
  serve            serve GraphQL at /graphql and the IDE at / (an empty store is filled with the seed data)
  load FILE...     load data files (.yaml, .yml, .json, .nq), all or nothing
  export           write the whole graph to stdout as N-Quads

flags (each also read from the environment variable shown):
`

// parseConfig reads the command and its flags.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, usage)
		newFlagSet("thrivegraph", &cfg, getenv, stderr).PrintDefaults()
		return cfg, errUsage
	}
	cfg.Command = args[0]
	switch cfg.Command {
	case "serve", "load", "export":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cfg.Command, usage)
		return cfg, errUsage
	}
	fs := newFlagSet(cfg.Command, &cfg, getenv, stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, errUsage
	}
	cfg.Args = fs.Args()
	switch {
	case cfg.Command == "load" && len(cfg.Args) == 0:
		fmt.Fprintln(stderr, "load needs at least one file")
		return cfg, errUsage
	case cfg.Command != "load" && len(cfg.Args) > 0:
		fmt.Fprintf(stderr, "%s takes no arguments, got %q\n", cfg.Command, cfg.Args)
		return cfg, errUsage
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		fmt.Fprintf(stderr, "--log-format must be text or json, got %q\n", cfg.LogFormat)
		return cfg, errUsage
	}
	return cfg, nil
}

func newFlagSet(name string, cfg *config, getenv func(string) string, stderr io.Writer) *flag.FlagSet {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", env("THRIVEGRAPH_ADDR", "127.0.0.1:8080"), "serve: address to listen on (THRIVEGRAPH_ADDR)")
	fs.StringVar(&cfg.Store.Backend, "store", env("THRIVEGRAPH_STORE", graph.BackendBbolt), "store backend: bbolt, memory or postgres (THRIVEGRAPH_STORE)")
	fs.StringVar(&cfg.Store.Path, "db", env("THRIVEGRAPH_DB", "./thrivegraph.db"), "bbolt database file (THRIVEGRAPH_DB)")
	fs.StringVar(&cfg.Store.DSN, "dsn", env("THRIVEGRAPH_DSN", ""), "postgres connection string (THRIVEGRAPH_DSN)")
	fs.StringVar(&cfg.LogFormat, "log-format", env("THRIVEGRAPH_LOG_FORMAT", "text"), "log format: text or json (THRIVEGRAPH_LOG_FORMAT)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "serve: how long to let requests finish on SIGINT/SIGTERM")
	fs.BoolVar(&cfg.SeedIfEmpty, "seed", env("THRIVEGRAPH_SEED", "true") == "true", "serve: fill an empty store with the built-in seed data (THRIVEGRAPH_SEED)")
	return fs
}

// newLogger returns the structured logger the configuration asks for.
func newLogger(cfg config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
