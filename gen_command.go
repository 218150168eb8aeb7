package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/thrivegraph/thrivegraph/generate"
)

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
