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
	"github.com/thrivegraph/thrivegraph/resolvers"
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
	Data            dataConfig     // load, export and remove: formats, sources, modes
	Generate        generateConfig // generate: what to make, and where (gen_command.go)
	Serve           serveConfig    // the limits and operations of serve
}

// serveConfig is what serve needs beyond the store: limits, timeouts,
// switches, CORS, rate limit and write tokens.
type serveConfig struct {
	Limits            resolvers.Limits
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	Introspection     bool
	Suggestions       bool
	APQCacheSize      int
	CORSOrigins       string  // comma-separated; "" means no CORS headers
	RateLimit         float64 // requests a second per client IP; 0 means no limit
	RateBurst         int
	Token             string // THRIVEGRAPH_TOKEN (environment only: argv is visible to every user)
	TokenFile         string // one token a line
	MaxLoadBytes      int64  // POST /load body limit
	LoadTimeout       time.Duration
}

// serveEnv names the environment variable each serve flag defaults to.
var serveEnv = map[string]string{
	"max-depth":           "THRIVEGRAPH_MAX_DEPTH",
	"max-aliases":         "THRIVEGRAPH_MAX_ALIASES",
	"max-complexity":      "THRIVEGRAPH_MAX_COMPLEXITY",
	"max-tokens":          "THRIVEGRAPH_MAX_TOKENS",
	"max-body-bytes":      "THRIVEGRAPH_MAX_BODY_BYTES",
	"request-timeout":     "THRIVEGRAPH_REQUEST_TIMEOUT",
	"read-header-timeout": "THRIVEGRAPH_READ_HEADER_TIMEOUT",
	"read-timeout":        "THRIVEGRAPH_READ_TIMEOUT",
	"write-timeout":       "THRIVEGRAPH_WRITE_TIMEOUT",
	"idle-timeout":        "THRIVEGRAPH_IDLE_TIMEOUT",
	"introspection":       "THRIVEGRAPH_INTROSPECTION",
	"suggestions":         "THRIVEGRAPH_SUGGESTIONS",
	"apq-cache-size":      "THRIVEGRAPH_APQ_CACHE_SIZE",
	"cors-origins":        "THRIVEGRAPH_CORS_ORIGINS",
	"rate-limit":          "THRIVEGRAPH_RATE_LIMIT",
	"rate-burst":          "THRIVEGRAPH_RATE_BURST",
	"token-file":          "THRIVEGRAPH_TOKEN_FILE",
	"max-load-bytes":      "THRIVEGRAPH_MAX_LOAD_BYTES",
	"load-timeout":        "THRIVEGRAPH_LOAD_TIMEOUT",
}

// addServeFlags registers the serve flags; their environment variables
// (serveEnv) are applied by applyServeEnv after parsing.
func addServeFlags(fs *flag.FlagSet, c *serveConfig) {
	d := resolvers.DefaultLimits
	fs.IntVar(&c.Limits.MaxDepth, "max-depth", d.MaxDepth, "serve: deepest nesting of fields in a query, fragments followed")
	fs.IntVar(&c.Limits.MaxAliases, "max-aliases", d.MaxAliases, "serve: most aliases in one operation")
	fs.IntVar(&c.Limits.MaxComplexity, "max-complexity", d.MaxComplexity, "serve: highest cost of one operation (each field 1, times first for paged lists)")
	fs.IntVar(&c.Limits.MaxTokens, "max-tokens", d.MaxTokens, "serve: most lexer tokens in one query document")
	fs.Int64Var(&c.Limits.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "serve: largest GraphQL POST body, in bytes")
	fs.DurationVar(&c.Limits.Timeout, "request-timeout", d.Timeout, "serve: longest execution of one GraphQL operation")
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", 10*time.Second, "serve: http.Server ReadHeaderTimeout")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", 30*time.Second, "serve: http.Server ReadTimeout (whole request)")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", 90*time.Second, "serve: http.Server WriteTimeout (whole response)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 120*time.Second, "serve: http.Server IdleTimeout (keep-alive)")
	fs.BoolVar(&c.Introspection, "introspection", true, "serve: answer __schema and __type queries")
	fs.BoolVar(&c.Suggestions, "suggestions", true, `serve: "Did you mean …" in validation errors`)
	fs.IntVar(&c.APQCacheSize, "apq-cache-size", resolvers.DefaultAPQCacheSize, "serve: automatic persisted queries kept (LRU); 0 turns them off")
	fs.StringVar(&c.CORSOrigins, "cors-origins", "", `serve: comma-separated origins browsers may call the API from ("*" any); empty: no CORS`)
	fs.Float64Var(&c.RateLimit, "rate-limit", 0, "serve: requests a second per client IP (token bucket); 0: no limit")
	fs.IntVar(&c.RateBurst, "rate-burst", 20, "serve: burst of the rate limit")
	fs.StringVar(&c.TokenFile, "token-file", "", "serve: file of bearer tokens that may write, one a line (also THRIVEGRAPH_TOKEN); none: read-only")
	fs.Int64Var(&c.MaxLoadBytes, "max-load-bytes", 16<<20, "serve: largest data file POST /load takes, in bytes")
	fs.DurationVar(&c.LoadTimeout, "load-timeout", 60*time.Second, "serve: longest POST /load")
}

// applyServeEnv sets each serve flag not given on the command line from
// its environment variable, and reads THRIVEGRAPH_TOKEN.
func applyServeEnv(fs *flag.FlagSet, c *serveConfig, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, key := range serveEnv {
		if v := getenv(key); v != "" && !given[name] {
			if err := fs.Set(name, v); err != nil {
				return fmt.Errorf("%s=%q: %v", key, v, err)
			}
		}
	}
	c.Token = getenv("THRIVEGRAPH_TOKEN")
	return nil
}

const usage = `usage: thrivegraph COMMAND [flags]

commands:
  serve            serve GraphQL at /graphql and the IDE at / (an empty store is filled with the seed data)
  load FILE|DIR... load data files (.yaml, .yml, .json, .csv or a directory of .csv sheets, .nq, .jsonld; .gz too), all or nothing
                   [--dry-run] [--replace] [--source ID] [--format yaml|csv|nquads|jsonld] [--progress auto|bar|log|none]
  remove --source ID   delete every fact of one source
  export           write the whole graph [--format nquads|jsonld|csv] [--out FILE|DIR] (default N-Quads to stdout)
  generate --orgs N --seed S --out DIR   write a synthetic network as data files and N-Quads

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
	if cfg.Command == "generate" { // its own flags (gen_command.go)
		return cfg, parseGenerate(&cfg, args[1:], stderr)
	}
	switch cfg.Command {
	case "serve", "load", "export", "remove":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cfg.Command, usage)
		return cfg, errUsage
	}
	fs := newFlagSet(cfg.Command, &cfg, getenv, stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, errUsage
	}
	cfg.Args = fs.Args()
	if err := applyServeEnv(fs, &cfg.Serve, getenv); err != nil {
		fmt.Fprintln(stderr, err)
		return cfg, errUsage
	}
	switch {
	case cfg.Command == "load" && len(cfg.Args) == 0:
		fmt.Fprintln(stderr, "load needs at least one file")
		return cfg, errUsage
	case cfg.Command == "remove" && cfg.Data.Source == "":
		fmt.Fprintln(stderr, "remove needs --source ID")
		return cfg, errUsage
	case cfg.Command != "load" && len(cfg.Args) > 0:
		fmt.Fprintf(stderr, "%s takes no arguments, got %q\n", cfg.Command, cfg.Args)
		return cfg, errUsage
	}
	if err := cfg.Data.check(cfg.Command); err != nil {
		fmt.Fprintln(stderr, err)
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
	addServeFlags(fs, &cfg.Serve)
	addDataFlags(fs, &cfg.Data)
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

// dataConfig holds the flags of load, export and remove.
type dataConfig struct {
	DryRun   bool   // load: check only
	Replace  bool   // load: replace the facts of the files' sources
	Source   string // load: source of files without one; remove: the source to delete
	Format   string // load: force the input format; export: nquads, jsonld or csv
	Out      string // export: file (nquads, jsonld) or directory (csv); "" is stdout
	Progress string // load: auto, bar, log or none
}

func addDataFlags(fs *flag.FlagSet, d *dataConfig) {
	fs.BoolVar(&d.DryRun, "dry-run", false, "load: validate and report, write nothing")
	fs.BoolVar(&d.Replace, "replace", false, "load: replace every fact of the files' sources (facts no longer in the files disappear)")
	fs.StringVar(&d.Source, "source", "", "load: source id of files without one (N-Quads/JSON-LD quads without a graph label, CSV without sources.csv); remove: the source to delete")
	fs.StringVar(&d.Format, "format", "", "load: read every file as yaml, csv, nquads or jsonld (default: by extension); export: nquads (default), jsonld or csv")
	fs.StringVar(&d.Out, "out", "", "export: write to this file (nquads, jsonld) or directory (csv, required) instead of stdout")
	fs.StringVar(&d.Progress, "progress", "auto", "load: progress bar (bar), structured log lines (log), none, or auto: a bar on a terminal, else log lines")
}

// check validates the data flags of a command.
func (d *dataConfig) check(command string) error {
	switch command {
	case "load":
		switch d.Format {
		case "", "yaml", "csv", "nquads", "jsonld":
		default:
			return fmt.Errorf("--format must be yaml, csv, nquads or jsonld, got %q", d.Format)
		}
		switch d.Progress {
		case "auto", "bar", "log", "none":
		default:
			return fmt.Errorf("--progress must be auto, bar, log or none, got %q", d.Progress)
		}
	case "export":
		switch d.Format {
		case "":
			d.Format = "nquads"
		case "nquads", "jsonld":
		case "csv":
			if d.Out == "" {
				return errors.New("export --format csv writes a directory: give it with --out DIR")
			}
		default:
			return fmt.Errorf("--format must be nquads, jsonld or csv, got %q", d.Format)
		}
	}
	return nil
}
