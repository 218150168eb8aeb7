package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/cayleygraph/cayley/clog"
)

// Cayley logs through its clog package, to the standard log by default:
// outside the structured logs and their format. slogCayley routes it
// through log/slog's default logger, which the command sets up.
func init() { clog.SetLogger(slogCayley{}) }

// slogCayley is a clog.Logger that writes to slog.Default(), with the
// attribute component=cayley. Verbose (V) logs are off.
type slogCayley struct{}

func (slogCayley) log(level slog.Level, format string, args []any) {
	slog.Default().Log(context.Background(), level, fmt.Sprintf(format, args...), "component", "cayley")
}

func (l slogCayley) Infof(format string, args ...any)    { l.log(slog.LevelInfo, format, args) }
func (l slogCayley) Warningf(format string, args ...any) { l.log(slog.LevelWarn, format, args) }
func (l slogCayley) Errorf(format string, args ...any)   { l.log(slog.LevelError, format, args) }

// Fatalf logs at error level and ends the process, as clog.Fatalf promises.
func (l slogCayley) Fatalf(format string, args ...any) {
	l.log(slog.LevelError, format, args)
	os.Exit(1)
}

func (slogCayley) V(int) bool { return false }
func (slogCayley) SetV(int)   {}
