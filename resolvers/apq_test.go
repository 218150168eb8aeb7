package resolvers_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/thrivegraph/thrivegraph/httpapi"
	"github.com/thrivegraph/thrivegraph/resolvers"
)

// TestAPQErrorCodes checks that every error of automatic persisted queries
// carries extensions.code, and that the request log names that code.
func TestAPQErrorCodes(t *testing.T) {
	const query = `{ policyLevels { id } }`
	hash := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }
	body := func(q, h string) string {
		m := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": h}}}
		if q != "" {
			m["query"] = q
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, body, code, msg string
	}{
		{"unknown hash", body("", hash(query)), "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"},
		{"hash of another query", body(query, hash("{ themes { id } }")), "BAD_REQUEST", "provided APQ hash does not match query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			h := httpapi.Chain(resolvers.NewHandler(seedStore, resolvers.Options{Logger: logger}), httpapi.Options{Logger: logger})
			ex := send(t, h, http.MethodPost, "/graphql", tc.body, map[string]string{"Content-Type": "application/json"})
			resp, _ := ex.decode(t)
			e := onlyError(t, resp, tc.code)
			if e.Message != tc.msg {
				t.Errorf("message %q, want %q", e.Message, tc.msg)
			}
			if !strings.Contains(logs.String(), tc.code) || strings.Contains(logs.String(), "UNKNOWN") {
				t.Errorf("the request log does not name %s:\n%s", tc.code, logs.String())
			}
		})
	}
}
