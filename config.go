package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/thrivegraph/thrivegraph/generate"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// errUsage reports a command line that was wrong; what is wrong was printed.
var errUsage = errors.New("usage")

// version is the version of the binary, set at build time with
// -ldflags "-X main.version=v1.2.3"; empty, it is taken from the build
// information Go records.
var version string

// config is every setting of every command, read in this one place from
// flags, which default to environment variables, which default to constants.
type config struct {
	Command string   // serve, load, remove, export, generate or version; "" when help or completion was printed
	Args    []string // files, for load

	Addr            string
	Store           graph.Config
	LogFormat       string // text or json
	ShutdownTimeout time.Duration
	SeedIfEmpty     bool           // serve and load: fill an empty store with the seed data first
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
	ResponseCacheSize int     // query responses kept by snapshot version; 0 turns the cache off
	CORSOrigins       string  // comma-separated; "" means no CORS headers
	RateLimit         float64 // requests a second per client IP; 0 means no limit
	RateBurst         int
	Token             string // THRIVEGRAPH_TOKEN (environment only: argv is visible to every user)
	TokenFile         string // one token a line
	MaxLoadBytes      int64  // POST /load body limit
	LoadTimeout       time.Duration
	// FollowPoll is how often a server on a shared store (postgres,
	// cockroach) reads the change log without a notification.
	FollowPoll time.Duration
	// VersionWait is how long a request carrying ThriveGraph-Min-Version
	// waits for this server's read model to reach that version.
	VersionWait time.Duration
}

// dataConfig holds the flags of load, export and remove.
type dataConfig struct {
	DryRun   bool   // load: check only
	Replace  bool   // load: replace the facts of the files' sources
	Source   string // load: source of files without one; remove: the source to delete
	Format   string // load: force the input format; export: nquads, jsonld, csv, graphml or gexf
	Out      string // export: file (nquads, jsonld, graphml, gexf) or directory (csv); "" is stdout
	Progress string // load: auto, bar, log or none
}

// generateConfig is what `thrivegraph generate` makes, and where.
type generateConfig struct {
	Options generate.Options
	Out     string
}

// envAnnotation is the flag annotation that names a flag's environment
// variable.
const envAnnotation = "thrivegraph_env"

// flags registers flags on one flag set, each optionally bound to an
// environment variable (its name is added to the flag's help).
type flags struct{ fs *pflag.FlagSet }

// env binds the flag name to the environment variable key.
func (f flags) env(name, key string) {
	fl := f.fs.Lookup(name)
	fl.Usage += " (env " + key + ")"
	f.fs.SetAnnotation(name, envAnnotation, []string{key})
}

// storeFlags are the flags of every command that opens the store.
func (f flags) store(cfg *config) {
	f.fs.StringVar(&cfg.Store.Backend, "store", graph.BackendBbolt, "store backend: bbolt, memory, postgres or cockroach")
	f.env("store", "THRIVEGRAPH_STORE")
	f.fs.StringVar(&cfg.Store.Path, "db", "./thrivegraph.db", "bbolt database file")
	f.env("db", "THRIVEGRAPH_DB")
	f.fs.StringVar(&cfg.Store.DSN, "dsn", "", "PostgreSQL or CockroachDB connection string (the primary), for --store postgres|cockroach")
	f.env("dsn", "THRIVEGRAPH_DSN")
	f.fs.DurationVar(&cfg.Store.LogRetention, "log-retention", 7*24*time.Hour, "postgres, cockroach: how long the change log keeps a write (a server behind by more rebuilds its read model from a scan)")
	f.env("log-retention", "THRIVEGRAPH_LOG_RETENTION")
}

// seed is the --seed switch of serve and load.
func (f flags) seed(cfg *config, what string) {
	f.fs.BoolVar(&cfg.SeedIfEmpty, "seed", true, what)
	f.env("seed", "THRIVEGRAPH_SEED")
}

// serve registers the flags of serve.
func (f flags) serve(cfg *config) {
	fs, c, d := f.fs, &cfg.Serve, resolvers.DefaultLimits
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.env("addr", "THRIVEGRAPH_ADDR")
	fs.StringVar(&cfg.Store.ReadDSN, "read-dsn", "", "postgres, cockroach: read-only connection string (a hot standby) the read model is built and followed from; writes go to --dsn")
	f.env("read-dsn", "THRIVEGRAPH_READ_DSN")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGINT/SIGTERM")
	f.seed(cfg, "fill an empty store with the built-in seed data")
	for _, v := range []struct {
		p           *int
		name, usage string
		def         int
		env         string
	}{
		{&c.Limits.MaxDepth, "max-depth", "deepest nesting of fields in a query, fragments followed", d.MaxDepth, "THRIVEGRAPH_MAX_DEPTH"},
		{&c.Limits.MaxAliases, "max-aliases", "most aliases in one operation", d.MaxAliases, "THRIVEGRAPH_MAX_ALIASES"},
		{&c.Limits.MaxComplexity, "max-complexity", "highest cost of one operation (each field 1, times first for paged lists)", d.MaxComplexity, "THRIVEGRAPH_MAX_COMPLEXITY"},
		{&c.Limits.MaxTokens, "max-tokens", "most lexer tokens in one query document", d.MaxTokens, "THRIVEGRAPH_MAX_TOKENS"},
		{&c.APQCacheSize, "apq-cache-size", "automatic persisted queries kept (LRU); 0 turns them off", resolvers.DefaultAPQCacheSize, "THRIVEGRAPH_APQ_CACHE_SIZE"},
		{&c.ResponseCacheSize, "response-cache-size", "query responses kept (LRU, keyed on the snapshot version, query and variables; a write makes every one stale); 0 turns the cache off", resolvers.DefaultResponseCacheSize, "THRIVEGRAPH_RESPONSE_CACHE_SIZE"},
		{&c.RateBurst, "rate-burst", "burst of the rate limit", 20, "THRIVEGRAPH_RATE_BURST"},
	} {
		fs.IntVar(v.p, v.name, v.def, v.usage)
		f.env(v.name, v.env)
	}
	for _, v := range []struct {
		p           *time.Duration
		name, usage string
		def         time.Duration
		env         string
	}{
		{&c.Limits.Timeout, "request-timeout", "longest execution of one GraphQL operation", d.Timeout, "THRIVEGRAPH_REQUEST_TIMEOUT"},
		{&c.ReadHeaderTimeout, "read-header-timeout", "http.Server ReadHeaderTimeout", 10 * time.Second, "THRIVEGRAPH_READ_HEADER_TIMEOUT"},
		{&c.ReadTimeout, "read-timeout", "http.Server ReadTimeout (whole request)", 30 * time.Second, "THRIVEGRAPH_READ_TIMEOUT"},
		{&c.WriteTimeout, "write-timeout", "http.Server WriteTimeout (whole response)", 90 * time.Second, "THRIVEGRAPH_WRITE_TIMEOUT"},
		{&c.IdleTimeout, "idle-timeout", "http.Server IdleTimeout (keep-alive)", 120 * time.Second, "THRIVEGRAPH_IDLE_TIMEOUT"},
		{&c.LoadTimeout, "load-timeout", "longest POST /load", 60 * time.Second, "THRIVEGRAPH_LOAD_TIMEOUT"},
		{&c.FollowPoll, "follow-poll", "postgres, cockroach: how often the change log is read without a notification", time.Second, "THRIVEGRAPH_FOLLOW_POLL"},
		{&c.VersionWait, "version-wait", "longest wait of a request with a ThriveGraph-Min-Version header for this server to reach that version", 2 * time.Second, "THRIVEGRAPH_VERSION_WAIT"},
	} {
		fs.DurationVar(v.p, v.name, v.def, v.usage)
		f.env(v.name, v.env)
	}
	fs.Int64Var(&c.Limits.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "largest GraphQL POST body, in bytes")
	f.env("max-body-bytes", "THRIVEGRAPH_MAX_BODY_BYTES")
	fs.Int64Var(&c.MaxLoadBytes, "max-load-bytes", 16<<20, "largest data file POST /load takes, in bytes")
	f.env("max-load-bytes", "THRIVEGRAPH_MAX_LOAD_BYTES")
	fs.BoolVar(&c.Introspection, "introspection", true, "answer __schema and __type queries")
	f.env("introspection", "THRIVEGRAPH_INTROSPECTION")
	fs.BoolVar(&c.Suggestions, "suggestions", true, `"Did you mean …" in validation errors`)
	f.env("suggestions", "THRIVEGRAPH_SUGGESTIONS")
	fs.StringVar(&c.CORSOrigins, "cors-origins", "", `comma-separated origins browsers may call the API from ("*" any); empty: no CORS`)
	f.env("cors-origins", "THRIVEGRAPH_CORS_ORIGINS")
	fs.Float64Var(&c.RateLimit, "rate-limit", 0, "requests a second per client IP (token bucket); 0: no limit")
	f.env("rate-limit", "THRIVEGRAPH_RATE_LIMIT")
	fs.StringVar(&c.TokenFile, "token-file", "", "file of bearer tokens that may write, one a line (also THRIVEGRAPH_TOKEN, environment only); none: read-only")
	f.env("token-file", "THRIVEGRAPH_TOKEN_FILE")
}

// applyEnv sets every flag of cmd that the command line did not give from
// its environment variable, if set. A value the flag refuses is a usage
// error naming the variable.
func applyEnv(cmd *cobra.Command, getenv func(string) string) error {
	var errs []error
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		keys := fl.Annotations[envAnnotation]
		if fl.Changed || len(keys) == 0 {
			return
		}
		if v := getenv(keys[0]); v != "" {
			if err := fl.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", keys[0], v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// completions offers the values of the flags that take one of a few.
var completions = map[string][]string{
	"store":      {graph.BackendBbolt, graph.BackendMemory, graph.BackendPostgres, graph.BackendCockroach},
	"log-format": {"text", "json"},
	"progress":   {"auto", "bar", "log", "none"},
}

// newCLI returns the command tree. Running a command only fills cfg (the
// command, its arguments and its settings); run then does the work. Help,
// --version and shell completion are written to stdout by the tree itself.
func newCLI(cfg *config, getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	usageErr := func(c *cobra.Command, format string, args ...any) error {
		fmt.Fprintf(stderr, format+"\n", args...)
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", c.CommandPath())
		return errUsage
	}
	root := &cobra.Command{
		Use:   "thrivegraph",
		Short: "Serve, load and export the ThriveGraph knowledge graph",
		Long: `ThriveGraph is a knowledge graph of the organizations, events, people,
themes and policy levels that work on the economic inclusion of immigrants
and refugees. Every flag of the form --name also reads the environment
variable shown in its help; a flag on the command line wins.`,
		Version:           versionString(),
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if err := applyEnv(c, getenv); err != nil {
				return usageErr(c, "%v", err)
			}
			if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
				return usageErr(c, "--log-format must be text or json, got %q", cfg.LogFormat)
			}
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("thrivegraph {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageErr(c, "%v", err) })
	root.PersistentFlags().StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	flags{root.PersistentFlags()}.env("log-format", "THRIVEGRAPH_LOG_FORMAT")

	// leaf returns a command that records itself in cfg; check validates
	// what the flags cannot.
	leaf := func(use, short, long string, args cobra.PositionalArgs, check func(c *cobra.Command) error) *cobra.Command {
		c := &cobra.Command{Use: use, Short: short, Long: long, Args: args, RunE: func(c *cobra.Command, a []string) error {
			cfg.Command, cfg.Args = c.Name(), a
			if check != nil {
				return check(c)
			}
			return nil
		}}
		root.AddCommand(c)
		return c
	}
	noArgs := func(c *cobra.Command, a []string) error {
		if len(a) > 0 {
			return usageErr(c, "%s takes no arguments, got %q", c.Name(), a)
		}
		return nil
	}

	serve := leaf("serve", "Serve GraphQL at /graphql, the IDE at / and the graph at /export",
		"Serve GraphQL at /graphql (GET and POST), the IDE at /, the whole graph at /export,\n/healthz, /readyz and /metrics. An empty store is first filled with the\nbuilt-in seed data (--seed=false: not).",
		noArgs, nil)
	f := flags{serve.Flags()}
	f.store(cfg)
	f.serve(cfg)

	load := leaf("load FILE|DIR...", "Load data files, all or nothing, in one transaction",
		`Load data files: YAML/JSON (.yaml, .yml, .json), CSV sheets (.csv, or a
directory of them), N-Quads (.nq, .nquads) and JSON-LD (.jsonld), optionally
gzipped (.gz). A directory loads every data file in it (a directory of CSV
sheets is one source; a directory of such directories one source each). Every
file is checked before anything is written; a set of files loads all or
nothing. Into an empty store, the built-in seed data set is loaded first, in
the same transaction, as serve does (--seed=false: the files alone).`,
		func(c *cobra.Command, a []string) error {
			if len(a) == 0 {
				return usageErr(c, "load needs at least one file")
			}
			return nil
		},
		func(c *cobra.Command) error {
			if err := cfg.Data.check("load"); err != nil {
				return usageErr(c, "%v", err)
			}
			return nil
		})
	f = flags{load.Flags()}
	f.store(cfg)
	f.seed(cfg, "into an empty store, load the built-in seed data with the files")
	load.Flags().BoolVar(&cfg.Data.DryRun, "dry-run", false, "validate and report, write nothing")
	load.Flags().BoolVar(&cfg.Data.Replace, "replace", false, "replace every fact of the files' sources (facts no longer in the files disappear)")
	load.Flags().StringVar(&cfg.Data.Source, "source", "", "source id of files without one (N-Quads/JSON-LD quads without a graph label, CSV without sources.csv)")
	load.Flags().StringVar(&cfg.Data.Format, "format", "", "read every file as yaml, csv, nquads or jsonld (default: by extension)")
	load.Flags().StringVar(&cfg.Data.Progress, "progress", "auto", "progress bar (bar), structured log lines (log), none, or auto: a bar on a terminal, else log lines")
	load.RegisterFlagCompletionFunc("format", fixed("yaml", "csv", "nquads", "jsonld"))

	remove := leaf("remove --source ID", "Delete every fact of one source", "", noArgs, func(c *cobra.Command) error {
		if cfg.Data.Source == "" && !c.Flags().Changed("source") {
			return usageErr(c, "remove needs --source ID")
		}
		return nil
	})
	flags{remove.Flags()}.store(cfg)
	remove.Flags().StringVar(&cfg.Data.Source, "source", "", "the source to delete")

	export := leaf("export", "Write the whole graph, sorted (N-Quads, JSON-LD or CSV sheets), or its network (GraphML, GEXF)",
		`Write the whole graph, sorted: N-Quads (default) or JSON-LD to stdout or
--out FILE, or CSV sheets into --out DIR (a directory per source). Loading an
export into an empty store gives the same graph. --format graphml or gexf
writes the network for Gephi, NetworkX and igraph instead: organizations
(with their metrics and community) and events, the participations sources
state and the ties derived from shared events. Beside a running serve on the
same bbolt file, fetch GET /export?format=nquads|jsonld|csv|graphml|gexf from
the server.`,
		noArgs, func(c *cobra.Command) error {
			if err := cfg.Data.check("export"); err != nil {
				return usageErr(c, "%v", err)
			}
			return nil
		})
	flags{export.Flags()}.store(cfg)
	export.Flags().StringVar(&cfg.Data.Format, "format", "", "nquads (the default), jsonld, csv, graphml or gexf")
	export.Flags().StringVar(&cfg.Data.Out, "out", "", "write to this file (nquads, jsonld, graphml, gexf) or directory (csv, required) instead of stdout")
	export.RegisterFlagCompletionFunc("format", fixed("nquads", "jsonld", "csv", "graphml", "gexf"))

	gen := leaf("generate --out DIR", "Write a synthetic network as data files and N-Quads",
		"Write a synthetic but realistic network, deterministic for --orgs and\n--random-seed, as data files loadable with load and as graph.nq.",
		noArgs, func(c *cobra.Command) error {
			switch {
			case cfg.Generate.Out == "":
				return usageErr(c, "generate needs --out DIR")
			case cfg.Generate.Options.Orgs < 1:
				return usageErr(c, "--orgs must be at least 1")
			}
			return nil
		})
	g := gen.Flags()
	g.IntVar(&cfg.Generate.Options.Orgs, "orgs", 10000, "number of organizations (10k to 1M is the intended range)")
	g.Uint64Var(&cfg.Generate.Options.Seed, "random-seed", 1, "random seed; the same seed and sizes give the same bytes")
	g.Uint64Var(&cfg.Generate.Options.Seed, "seed", 1, "the random seed")
	g.MarkDeprecated("seed", "use --random-seed (--seed of serve and load is a switch)")
	g.IntVar(&cfg.Generate.Options.PerFile, "per-file", generate.DefaultPerFile, "organizations per data file")
	g.IntVar(&cfg.Generate.Options.Workers, "workers", 0, "parts made at once (0: one per CPU)")
	g.StringVar(&cfg.Generate.Out, "out", "", "output directory (created if needed)")
	gen.MarkFlagDirname("out")

	leaf("version", "Print the version of thrivegraph", "", noArgs, nil)

	for _, c := range root.Commands() {
		for name, values := range completions {
			if c.Flags().Lookup(name) != nil {
				c.RegisterFlagCompletionFunc(name, fixed(values...))
			}
		}
	}
	return root
}

// fixed completes a flag with one of the given values.
func fixed(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// versionString is the version of the binary and the Go that built it.
func versionString() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if v == "" && ok {
		v = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if ok {
		v += " (" + info.GoVersion + ")"
	}
	return v
}

// parseConfig reads the command line: the command, its flags and the
// environment. Help, the version and completion scripts are written to
// stderr; a wrong command line is reported there and returns errUsage.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	return parseArgs(args, getenv, stderr, stderr)
}

// parseArgs is parseConfig with the output of help, --version and
// completion going to stdout. A config whose Command is "" asks for no
// further work.
func parseArgs(args []string, getenv func(string) string, stdout, stderr io.Writer) (config, error) {
	var cfg config
	root := newCLI(&cfg, getenv, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	switch {
	case errors.Is(err, errUsage):
		return cfg, errUsage
	case err != nil: // an unknown command, or flags cobra itself checks
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "Run 'thrivegraph --help' for usage.")
		return cfg, errUsage
	}
	if cfg.Command == "serve" {
		cfg.Serve.Token = getenv("THRIVEGRAPH_TOKEN")
	}
	return cfg, nil
}

// newLogger returns the structured logger the configuration asks for.
func newLogger(cfg config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// check validates the data flags of a command.
func (d *dataConfig) check(command string) error {
	switch command {
	case "load":
		if _, ok := loaderFormats[d.Format]; !ok && d.Format != "" {
			return fmt.Errorf("--format must be yaml, csv, nquads or jsonld, got %q", d.Format)
		}
		if !slices.Contains(completions["progress"], d.Progress) {
			return fmt.Errorf("--progress must be auto, bar, log or none, got %q", d.Progress)
		}
	case "export":
		switch d.Format {
		case "":
			d.Format = "nquads"
		case "nquads", "jsonld", "graphml", "gexf":
		case "csv":
			if d.Out == "" {
				return errors.New("export --format csv writes a directory: give it with --out DIR")
			}
		default:
			return fmt.Errorf("--format must be nquads, jsonld, csv, graphml or gexf, got %q", d.Format)
		}
	}
	return nil
}

// loaderFormats are the values of load --format.
var loaderFormats = map[string]bool{"yaml": true, "csv": true, "nquads": true, "jsonld": true}
