package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
)

// Info is what a request's handlers tell the log and the metrics. Every
// method is safe on a nil *Info and for concurrent use.
type Info struct {
	ID string // the request id, also sent back in the X-Request-Id header

	mu        sync.Mutex
	operation string
	opType    string
	codes     []string
}

type infoKey struct{}

// InfoFrom returns the Info of the request whose context is ctx, or nil.
func InfoFrom(ctx context.Context) *Info {
	i, _ := ctx.Value(infoKey{}).(*Info)
	return i
}

// WithInfo returns ctx carrying info.
func WithInfo(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// RequestID returns the id of the request whose context is ctx, or "".
func RequestID(ctx context.Context) string {
	if i := InfoFrom(ctx); i != nil {
		return i.ID
	}
	return ""
}

// SetOperation records the GraphQL operation a request runs: its name ("" for
// an anonymous one) and type (query, mutation).
func (i *Info) SetOperation(name, typ string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.operation, i.opType = name, typ
}

// AddCode records the code of an error the request answers with.
func (i *Info) AddCode(code string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.codes = append(i.codes, code)
}

// Operation returns what SetOperation recorded.
func (i *Info) Operation() (name, typ string) {
	if i == nil {
		return "", ""
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.operation, i.opType
}

// Codes returns the error codes recorded so far.
func (i *Info) Codes() []string {
	if i == nil {
		return nil
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.codes...)
}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validRequestID accepts a client's X-Request-Id when it is short and plain.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// Error codes of the HTTP layer, in extensions.code of the GraphQL-shaped
// error bodies it sends.
const (
	CodeBadRequest       = "BAD_REQUEST"
	CodeRateLimited      = "RATE_LIMITED"
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodeForbidden        = "FORBIDDEN"
	CodeInternal         = "INTERNAL"
	CodeLimitExceeded    = "LIMIT_EXCEEDED"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeNotAcceptable    = "NOT_ACCEPTABLE"
	CodeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
)

// WriteError sends a GraphQL-shaped error body {"errors":[{"message",
// "extensions":{"code"}}]} with the given HTTP status, as
// application/json, and records the code in the request's Info.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	InfoFrom(r.Context()).AddCode(code)
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]any{"code": code},
	}}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
