// Package httpapi is the HTTP middleware of the ThriveGraph server: request
// ids, one structured log line per request, recovery from panics, CORS,
// per-client rate limits, bearer tokens and Prometheus metrics.
//
// A request passes through Chain's middleware in this order: request id and
// request info, recovery, logging and metrics, CORS, rate limit, then the
// handler. Handlers deeper in the chain tell the log and the metrics what
// they did through Info (the GraphQL operation, the error codes it
// returned).
//
// The package knows nothing of GraphQL or the graph: it is plain net/http.
package httpapi
