package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/resolvers/generated"
)

// Options tunes the GraphQL handler. The zero value is ready to use.
type Options struct {
	// Logger receives the details of internal errors and recovered panics,
	// which clients never see. nil means slog.Default().
	Logger *slog.Logger
}

// queryCacheSize is how many parsed query documents the server keeps.
const queryCacheSize = 1000

// NewHandler returns the GraphQL endpoint over store: GET and POST
// transports, a cache of parsed queries, introspection, and errors that
// carry a code in extensions.code and never leak internal details.
func NewHandler(store graph.Store, opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Store: store}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.Use(extension.Introspection{})
	// Automatic persisted queries (extension.AutomaticPersistedQuery) stay
	// off for now.
	srv.SetErrorPresenter(errorPresenter(logger))
	srv.SetRecoverFunc(recoverPanic)
	return srv
}

// errorPresenter maps errors to what clients see. An error carrying a
// *graph.Error gets its code in extensions.code and its client-safe message;
// the errors gqlgen makes itself (parse, validation) pass unchanged; anything
// else is internal: logged, and reported as "internal error".
func errorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		code := graph.ErrorCode(err)
		if _, ok := errors.AsType[*graph.Error](err); !ok {
			if gqlErr.Err == nil {
				return gqlErr // made by gqlgen or gqlparser, with its own code
			}
			if _, nested := errors.AsType[*gqlerror.Error](gqlErr.Err); nested {
				return gqlErr
			}
		}
		msg := graph.ErrorMessage(err)
		if code == graph.CodeInternal {
			logger.ErrorContext(ctx, "graphql: internal error", "path", gqlErr.Path.String(), "error", err.Error())
			msg = "internal error"
		}
		return &gqlerror.Error{
			Message:    msg,
			Path:       gqlErr.Path,
			Locations:  gqlErr.Locations,
			Extensions: map[string]any{"code": string(code)},
		}
	}
}

// recoverPanic turns a panic in a resolver into an internal error; the error
// presenter logs it with the stack and tells the client "internal error".
func recoverPanic(_ context.Context, p any) error {
	return &graph.Error{Code: graph.CodeInternal, Op: "graphql", Err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
}
