package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/thrivegraph/thrivegraph/generate"
)

// generateConfig is what `thrivegraph generate` makes, and where.
type generateConfig struct {
	Options generate.Options
	Out     string
}

// parseGenerate reads the flags of `thrivegraph generate`. They are its own:
// --seed here is the random seed, not serve's switch.
func parseGenerate(cfg *config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g := &cfg.Generate
	fs.IntVar(&g.Options.Orgs, "orgs", 10000, "generate: number of organizations (10k to 1M is the intended range)")
	fs.Uint64Var(&g.Options.Seed, "seed", 1, "generate: random seed; the same seed and sizes give the same bytes")
	fs.IntVar(&g.Options.PerFile, "per-file", generate.DefaultPerFile, "generate: organizations per data file")
	fs.IntVar(&g.Options.Workers, "workers", 0, "generate: parts made at once (0: one per CPU)")
	fs.StringVar(&g.Out, "out", "", "generate: output directory (created if needed)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch {
	case len(fs.Args()) > 0:
		fmt.Fprintf(stderr, "generate takes no arguments, got %q\n", fs.Args())
		return errUsage
	case g.Out == "":
		fmt.Fprintln(stderr, "generate needs --out DIR")
		return errUsage
	case g.Options.Orgs < 1:
		fmt.Fprintln(stderr, "--orgs must be at least 1")
		return errUsage
	}
	return nil
}

// generateCmd runs `thrivegraph generate`.
func generateCmd(ctx context.Context, cfg config, stdout io.Writer) error {
	start := time.Now()
	res, err := generate.Write(ctx, cfg.Generate.Out, cfg.Generate.Options)
	if err != nil {
		return err
	}
	c := res.Counts
	fmt.Fprintf(stdout, "generated %d organizations, %d people, %d events, %d participations, %d affiliations in %d data files and %s (%d quads) in %s\n",
		c.Organizations, c.People, c.Events, c.Participations, c.Affiliations, len(res.Files), res.NQuads, c.Quads, time.Since(start).Round(time.Millisecond))
	return nil
}
