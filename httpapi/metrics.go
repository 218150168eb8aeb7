package httpapi

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus metrics of the HTTP layer.
type Metrics struct {
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	operations *prometheus.CounterVec
	opDuration *prometheus.HistogramVec
	errors     *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool // operation names seen, at most maxOperationNames
}

// maxOperationNames bounds the operation label: clients choose operation
// names, and each name is a time series. Names beyond it count as "other".
const maxOperationNames = 200

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thrivegraph_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thrivegraph_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thrivegraph_graphql_operations_total", Help: "GraphQL operations by operation name, type and HTTP status code.",
		}, []string{"operation", "type", "code"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thrivegraph_graphql_operation_duration_seconds", Help: "GraphQL operation latency by operation name.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thrivegraph_errors_total", Help: "Errors returned to clients, by extensions.code.",
		}, []string{"code"}),
		names: map[string]bool{},
	}
	reg.MustRegister(m.requests, m.duration, m.operations, m.opDuration, m.errors)
	return m
}

func (m *Metrics) observe(route string, status int, op, opType string, codes []string, elapsed time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, code).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
	if opType != "" || op != "" {
		name := m.operationName(op)
		m.operations.WithLabelValues(name, opType, code).Inc()
		m.opDuration.WithLabelValues(name).Observe(elapsed.Seconds())
	}
	for _, c := range codes {
		m.errors.WithLabelValues(c).Inc()
	}
}

// operationName returns the label of an operation name.
func (m *Metrics) operationName(op string) string {
	name := operationLabel(op)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

// operationLabel is an operation name fit for logs and labels: anonymous
// operations are "anonymous", odd or long names "other".
func operationLabel(op string) string {
	if op == "" {
		return "anonymous"
	}
	if len(op) > 64 {
		return "other"
	}
	for _, r := range op {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return "other"
		}
	}
	return op
}
