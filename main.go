// Command thrivegraph serves, loads and exports the ThriveGraph knowledge
// graph of the organizations, events, people, themes and policy levels that
// work on the economic inclusion of immigrants and refugees.
//
//	thrivegraph serve            serve GraphQL and the IDE (fills an empty store with the seed data)
//	thrivegraph load FILE...     load data files, all or nothing
//	thrivegraph remove --source ID   delete every fact of one source
//	thrivegraph export           write the whole graph as N-Quads (or JSON-LD, CSV)
//	thrivegraph generate --orgs N --random-seed S --out DIR   write a synthetic network
//	thrivegraph version          print the version
//	thrivegraph completion SHELL write a shell completion script (bash, zsh, fish, powershell)
//
// `thrivegraph help COMMAND` (or COMMAND --help) lists a command's flags and
// the environment variables they read.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, slog.SetDefault); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "thrivegraph:", err)
		}
		os.Exit(1)
	}
}

// run executes one command; it is main without the process around it.
// setDefault, when not nil, is given the command's logger to make it the
// process's default: Cayley logs through slog.Default (store/clog.go). main
// passes slog.SetDefault; tests, which run commands side by side, pass nil.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, setDefault func(*slog.Logger)) error {
	cfg, err := parseArgs(args, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	if setDefault != nil {
		setDefault(logger)
	}
	switch cfg.Command {
	case "":
		return nil // help, --version or a completion script was written
	case "serve":
		return serve(ctx, cfg, logger)
	case "load":
		return load(ctx, cfg, logger, stdout, stderr)
	case "remove":
		return remove(ctx, cfg, logger, stdout)
	case "generate":
		return generateCmd(ctx, cfg, stdout)
	case "export":
		return export(ctx, cfg, logger, stdout)
	case "version":
		_, err := fmt.Fprintln(stdout, "thrivegraph", versionString())
		return err
	}
	return fmt.Errorf("unknown command %q", cfg.Command)
}
