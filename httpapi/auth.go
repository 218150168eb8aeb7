package httpapi

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// Tokens are the bearer tokens that may write. A nil or empty *Tokens
// means the server is read-only.
type Tokens struct {
	sums [][sha256.Size]byte
}

// MinTokenLength is the shortest token accepted, in bytes.
const MinTokenLength = 16

// NewTokens returns the tokens given, ignoring empty ones. A token shorter
// than MinTokenLength is an error.
func NewTokens(tokens ...string) (*Tokens, error) {
	t := &Tokens{}
	for _, tok := range tokens {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		if len(tok) < MinTokenLength {
			return nil, fmt.Errorf("a write token must have at least %d characters", MinTokenLength)
		}
		t.sums = append(t.sums, sha256.Sum256([]byte(tok)))
	}
	return t, nil
}

// ReadTokenFile reads one token a line; blank lines and lines starting
// with # are skipped.
func ReadTokenFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// Configured reports whether any token is set; without one the server is
// read-only.
func (t *Tokens) Configured() bool { return t != nil && len(t.sums) > 0 }

// Valid reports whether token is one of the tokens. It compares SHA-256
// sums in constant time against every token, so that its time tells
// nothing about how much of a token was right, nor which one matched.
func (t *Tokens) Valid(token string) bool {
	if !t.Configured() || token == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	ok := 0
	for _, s := range t.sums {
		ok |= subtle.ConstantTimeCompare(sum[:], s[:])
	}
	return ok == 1
}

// Bearer returns the token of an "Authorization: Bearer TOKEN" header, or "".
func Bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// Authorize tells whether r may write: nil when it carries a valid bearer
// token, else the HTTP status (401 or, when no token is configured, 403),
// the error code and a message for the client.
func (t *Tokens) Authorize(r *http.Request) (status int, code, message string, ok bool) {
	switch {
	case !t.Configured():
		return http.StatusForbidden, CodeForbidden, "this server is read-only: no write token is configured (THRIVEGRAPH_TOKEN or --token-file)", false
	case Bearer(r) == "":
		return http.StatusUnauthorized, CodeUnauthenticated, "writing needs a bearer token (Authorization: Bearer TOKEN)", false
	case !t.Valid(Bearer(r)):
		return http.StatusUnauthorized, CodeUnauthenticated, "the bearer token is not valid", false
	}
	return http.StatusOK, "", "", true
}

// RequireToken lets through only requests that Authorize accepts; others
// get a 401 or 403 error body.
func (t *Tokens) RequireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status, code, msg, ok := t.Authorize(r); !ok {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="thrivegraph"`)
			}
			WriteError(w, r, status, code, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}
