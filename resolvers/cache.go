package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/thrivegraph/thrivegraph/graph"
)

// DefaultResponseCacheSize is how many query responses the response cache
// keeps (see responseCache).
const DefaultResponseCacheSize = 512

// maxCachedResponse is the largest response data, in bytes, the response
// cache keeps: with DefaultResponseCacheSize entries it holds at most
// 32 MiB of answers.
const maxCachedResponse = 64 << 10

// responseCache answers a query operation that was answered before with
// the response it got then. A request reads one snapshot of the graph
// (graph.Pinner), and a snapshot never changes, so the response of a query
// is a function of:
//
//   - the version of the snapshot the request pinned (graph.Versioned):
//     every write makes a new version, so an answer cached before a write
//     is never served after it (it just ages out of the LRU);
//   - the query document, the operation name and the variables (as gqlgen
//     coerced them, defaults applied).
//
// Nothing else of a request reaches a resolver: reading needs no token
// (only mutations are authorized, by the transport, and they are never
// cached), no resolver reads a header, the clock or anything random, and
// the limits, introspection and suggestions are the handler's own, the
// same for every request it serves. Only a complete answer is kept: one
// without errors (a time limit, a cancelled request, a bad argument) or
// extensions, and not larger than maxCachedResponse.
type responseCache struct {
	store   graph.Versioned
	entries *lru.LRU[*graphql.Response]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = responseCache{}

// newResponseCache returns the response cache of a handler over store, of
// size entries; ok is false when size is not positive or the store's reads
// are not versioned snapshots.
func newResponseCache(store graph.Store, size int) (responseCache, bool) {
	v, versioned := store.(graph.Versioned)
	if _, pins := store.(graph.Pinner); !versioned || !pins || size <= 0 {
		return responseCache{}, false
	}
	return responseCache{store: v, entries: lru.New[*graphql.Response](size)}, true
}

func (responseCache) ExtensionName() string                          { return "ResponseCache" }
func (responseCache) Validate(schema graphql.ExecutableSchema) error { return nil }

// InterceptOperation serves a query from the cache, or runs it and keeps
// its response.
func (c responseCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	key, ok := c.key(ctx)
	if !ok {
		return next(ctx)
	}
	if resp, hit := c.entries.Get(ctx, key); hit {
		answer := *resp // the transport may not change the cached one
		return graphql.OneShot(&answer)
	}
	responses := next(ctx)
	first := true
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if first && resp != nil && len(resp.Errors) == 0 && len(resp.Extensions) == 0 &&
			resp.HasNext == nil && len(resp.Data) <= maxCachedResponse {
			kept := *resp
			c.entries.Add(ctx, key, &kept)
		}
		first = false
		return resp
	}
}

// key is the cache key of the operation in ctx: a hash of the snapshot
// version, the operation name, the query document and the variables. ok
// is false for anything but a query.
func (c responseCache) key(ctx context.Context) (string, bool) {
	op := graphql.GetOperationContext(ctx)
	if op.Operation == nil || op.Operation.Operation != ast.Query {
		return "", false
	}
	vars, err := json.Marshal(op.Variables) // maps in key order: one text per value
	if err != nil {
		return "", false
	}
	h := sha256.New()
	var n [8]byte
	write := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	binary.BigEndian.PutUint64(n[:], c.store.Version(ctx))
	h.Write(n[:])
	write([]byte(op.OperationName))
	write([]byte(op.RawQuery))
	write(vars)
	return string(h.Sum(nil)), true
}
