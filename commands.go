package main

import (
	"context"
	"fmt"
	"io"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
)

// load runs `thrivegraph load FILE...`.
func load(ctx context.Context, cfg config, stdout io.Writer) error {
	store, err := graph.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := loader.Load(ctx, store, loader.Paths(cfg.Args...)...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded %d file(s): %d quads, %d new\n", len(cfg.Args), res.QuadsTotal, res.QuadsAdded)
	return nil
}

// export runs `thrivegraph export`.
func export(ctx context.Context, cfg config, stdout io.Writer) error {
	store, err := graph.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer store.Close()
	return store.Export(ctx, stdout)
}
