package resolvers

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"github.com/thrivegraph/thrivegraph/analysis"
)

// staleMark says in a response's extensions when a network analysis in it
// answered the previous snapshot's values, the current ones being computed
// in the background: `"extensions": {"analysis": {"stale": true}}`. The
// response cache keeps no response with extensions, so a stale answer is
// never served again once the analysis is ready. It runs inside the
// response cache (NewHandler adds it after).
type staleMark struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = staleMark{}

func (staleMark) ExtensionName() string                          { return "AnalysisStale" }
func (staleMark) Validate(schema graphql.ExecutableSchema) error { return nil }

// InterceptOperation watches the operation's analyses and marks its
// response when one was stale.
func (staleMark) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	flag := new(atomic.Bool)
	responses := next(analysis.WatchStale(ctx, flag))
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil && flag.Load() {
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["analysis"] = map[string]any{"stale": true}
		}
		return resp
	}
}
