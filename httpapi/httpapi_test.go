package httpapi

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tokens")
	os.WriteFile(file, []byte("# writers\nfirst-token-aaaaaaaaaa\n\n  second-token-bbbbbbbbb  \n"), 0o600)
	fromFile, err := ReadTokenFile(file)
	if err != nil || len(fromFile) != 2 {
		t.Fatalf("ReadTokenFile: %v %q", err, fromFile)
	}
	tokens, err := NewTokens(append(fromFile, "")...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		header string
		status int
		ok     bool
	}{
		{"Bearer first-token-aaaaaaaaaa", 200, true},
		{"bearer second-token-bbbbbbbbb", 200, true},
		{"Bearer first-token-aaaaaaaaab", 401, false},
		{"Bearer first-token-aaaaaaaaa", 401, false},
		{"Basic Zmlyc3Q6dG9rZW4=", 401, false},
		{"first-token-aaaaaaaaaa", 401, false},
		{"", 401, false},
	} {
		r := httptest.NewRequest("POST", "/", nil)
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		status, _, _, ok := tokens.Authorize(r)
		if status != c.status || ok != c.ok {
			t.Errorf("%q: %d %v", c.header, status, ok)
		}
	}
	none, _ := NewTokens("")
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", "Bearer first-token-aaaaaaaaaa")
	if status, code, _, ok := none.Authorize(r); ok || status != 403 || code != CodeForbidden {
		t.Errorf("no tokens: %d %s %v", status, code, ok)
	}
	if _, err := NewTokens("short"); err == nil {
		t.Error("a short token is accepted")
	}
}

func TestRateLimiterForgets(t *testing.T) {
	l := NewRateLimiter(1, 1)
	now := time.Unix(0, 0)
	if ok, _ := l.Allow("a", now); !ok {
		t.Fatal("first request refused")
	}
	if ok, wait := l.Allow("a", now); ok || wait <= 0 {
		t.Fatalf("second request allowed: %v %s", ok, wait)
	}
	if ok, _ := l.Allow("a", now.Add(time.Second)); !ok {
		t.Fatal("a refill is not honoured")
	}
	for i := range maxClients + 10 {
		l.Allow(string(rune(i)), now.Add(2*time.Minute))
	}
	if n := len(l.clients); n > maxClients {
		t.Errorf("%d clients remembered, at most %d", n, maxClients)
	}
}
