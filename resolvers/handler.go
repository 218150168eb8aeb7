package resolvers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/thrivegraph/thrivegraph/analysis"
	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/resolvers/generated"
)

// Options tunes the GraphQL handler. The zero value is ready to use.
type Options struct {
	// Logger receives the details of internal errors and recovered panics,
	// which clients never see. nil means slog.Default().
	Logger *slog.Logger
	// Limits bound each request; zero fields take DefaultLimits.
	Limits Limits
	// DisableIntrospection turns off __schema and __type (on by default:
	// the schema of this public knowledge graph is no secret).
	DisableIntrospection bool
	// DisableSuggestions turns off "Did you mean …" in validation errors.
	DisableSuggestions bool
	// APQCacheSize is how many automatic persisted queries are kept (an LRU
	// cache); 0 means DefaultAPQCacheSize, negative turns them off.
	APQCacheSize int
	// ResponseCacheSize is how many query responses are kept (an LRU cache
	// keyed on the snapshot version and the operation, see responseCache);
	// 0 means DefaultResponseCacheSize, negative turns it off. It is off
	// anyway over a store that does not pin versioned snapshots.
	ResponseCacheSize int
	// Tokens may write (mutations); with none the server is read-only.
	Tokens *httpapi.Tokens
	// Analysis answers the network analyses; nil makes one over the
	// store's snapshots (resolver.go).
	Analysis *analysis.Analyzer
}

// DefaultAPQCacheSize is how many automatic persisted queries are kept.
const DefaultAPQCacheSize = 1000

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
	limits := opts.Limits.withDefaults()
	srv := handler.New(costedSchema{generated.NewExecutableSchema(generated.Config{Resolvers: newResolver(store, opts)})})
	srv.AddTransport(transport.Options{AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions}})
	srv.AddTransport(httpTransport{maxBody: limits.MaxBodyBytes, timeout: limits.Timeout, tokens: opts.Tokens})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.SetParserTokenLimit(limits.MaxTokens)
	srv.SetDisableSuggestion(opts.DisableSuggestions)
	if !opts.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	if opts.APQCacheSize >= 0 {
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](cmp.Or(opts.APQCacheSize, DefaultAPQCacheSize))})
	}
	srv.Use(shapeLimit{limits: limits, introspection: !opts.DisableIntrospection})
	srv.Use(complexityLimit{extension.FixedComplexityLimit(limits.MaxComplexity)})
	if cache, ok := newResponseCache(store, cmp.Or(opts.ResponseCacheSize, DefaultResponseCacheSize)); ok {
		srv.Use(cache)
	}
	srv.Use(staleMark{}) // inside the cache, which keeps no marked response
	srv.SetErrorPresenter(errorPresenter(logger))
	srv.SetRecoverFunc(recoverPanic)
	return onlyGraphQLMethods(pinned(store, srv))
}

// pinned makes every request read one snapshot of the graph from start to
// end, when the store keeps snapshots (graph.Pinner).
func pinned(store graph.Store, next http.Handler) http.Handler {
	p, ok := store.(graph.Pinner)
	if !ok {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(p.Pin(r.Context())))
	})
}

// onlyGraphQLMethods answers 405 to methods other than GET, POST and OPTIONS.
func onlyGraphQLMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodOptions:
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			httpapi.WriteError(w, r, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed, "GraphQL is served over GET (queries) and POST")
		}
	})
}

// errorPresenter maps errors to what clients see. An error carrying a
// *graph.Error gets its code in extensions.code and its client-safe message;
// the errors gqlgen makes itself (parse, validation) pass unchanged; anything
// else is internal: logged, and reported as "internal error".
func errorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		e := presentError(ctx, logger, err)
		code, _ := e.Extensions["code"].(string)
		if code == "" { // every error carries a code: about the request, or internal
			code = string(graph.CodeInternal)
			if len(e.Path) == 0 {
				code = requestErrorCode(e.Message)
			}
			if e.Extensions == nil {
				e.Extensions = map[string]any{}
			}
			e.Extensions["code"] = code
		}
		httpapi.InfoFrom(ctx).AddCode(code)
		return e
	}
}

func presentError(ctx context.Context, logger *slog.Logger, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	code := graph.ErrorCode(err)
	if _, ok := errors.AsType[*graph.Error](err); !ok {
		if gqlErr.Err == nil {
			if code, _ := gqlErr.Extensions["code"].(string); code == "" || strings.HasPrefix(gqlErr.Message, "exceeded token limit") {
				gqlErr.Extensions = map[string]any{"code": requestErrorCode(gqlErr.Message)}
			}
			return gqlErr // made by gqlgen or gqlparser, with its own code
		}
		if _, nested := errors.AsType[*gqlerror.Error](gqlErr.Err); nested {
			return gqlErr
		}
	}
	msg := graph.ErrorMessage(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		code, msg = graph.CodeLimit, "the request took longer than the time limit"
	case errors.Is(err, context.Canceled):
		code, msg = graph.CodeInternal, "the request was cancelled"
	case code == graph.CodeInternal:
		logger.ErrorContext(ctx, "graphql: internal error", "request_id", httpapi.RequestID(ctx), "path", gqlErr.Path.String(), "error", err.Error())
		msg = "internal error"
	}
	ext := map[string]any{"code": string(code)}
	if s := graph.ErrorSuggestions(err); len(s) > 0 && code != graph.CodeInternal {
		ext["suggestions"] = s // did you mean? (graph/suggest.go)
	}
	return &gqlerror.Error{
		Message:    msg,
		Path:       gqlErr.Path,
		Locations:  gqlErr.Locations,
		Extensions: ext,
	}
}

// requestErrorCode gives a code to the errors gqlgen makes about a request
// without one: the token limit of the parser (LIMIT_EXCEEDED), and anything
// else about the request itself, such as an automatic persisted query
// whose hash does not match its query (BAD_REQUEST, as Apollo Server
// answers it).
func requestErrorCode(msg string) string {
	if strings.HasPrefix(msg, "exceeded token limit") {
		return string(graph.CodeLimit)
	}
	return httpapi.CodeBadRequest
}

// recoverPanic turns a panic in a resolver into an internal error; the error
// presenter logs it with the stack and tells the client "internal error".
func recoverPanic(_ context.Context, p any) error {
	return &graph.Error{Code: graph.CodeInternal, Op: "graphql", Err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
}
