package httpapi

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter limits requests per client IP with a token bucket each
// (golang.org/x/time/rate). It remembers at most maxClients clients;
// buckets idle for a minute are forgotten first.
type RateLimiter struct {
	perSecond rate.Limit
	burst     int
	exempt    map[string]bool

	mu      sync.Mutex
	clients map[string]*client
}

type client struct {
	limiter *rate.Limiter
	seen    time.Time
}

// maxClients bounds the memory of a RateLimiter.
const maxClients = 10000

// NewRateLimiter allows each client IP perSecond requests a second on
// average and bursts of burst. Requests to the exempt paths (health and
// metrics probes) are never limited.
func NewRateLimiter(perSecond float64, burst int, exempt ...string) *RateLimiter {
	l := &RateLimiter{perSecond: rate.Limit(perSecond), burst: max(burst, 1), exempt: map[string]bool{}, clients: map[string]*client{}}
	for _, p := range exempt {
		l.exempt[p] = true
	}
	return l
}

// Allow takes a token from ip's bucket, and tells how long to wait when
// there was none.
func (l *RateLimiter) Allow(ip string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[ip]
	if !ok {
		if len(l.clients) >= maxClients {
			l.forget(now)
		}
		c = &client{limiter: rate.NewLimiter(l.perSecond, l.burst)}
		l.clients[ip] = c
	}
	c.seen = now
	r := c.limiter.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// forget drops idle clients, or all of them when none is idle (a flood of
// new addresses). Callers hold l.mu.
func (l *RateLimiter) forget(now time.Time) {
	for ip, c := range l.clients {
		if now.Sub(c.seen) > time.Minute {
			delete(l.clients, ip)
		}
	}
	if len(l.clients) >= maxClients {
		clear(l.clients)
	}
}

// Middleware answers 429 with Retry-After to clients over their rate.
func (l *RateLimiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.exempt[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		if ok, wait := l.Allow(clientIP(r), time.Now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			WriteError(w, r, http.StatusTooManyRequests, CodeRateLimited,
				fmt.Sprintf("too many requests from your address: at most %g a second; retry after %s", float64(l.perSecond), wait.Round(time.Millisecond)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address of the peer. Headers such as X-Forwarded-For are
// not trusted: any client can set them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
