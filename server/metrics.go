package server

import (
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/parley-dev/parley"
)

// metrics are the server's Prometheus metrics, on a registry of its own.
type metrics struct {
	reg       *prometheus.Registry
	active    prometheus.Gauge
	ended     *prometheus.CounterVec
	actions   prometheus.Counter
	latency   prometheus.Histogram
	connected prometheus.Gauge
	spaces    prometheus.Counter
	refused   prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		active: prometheus.NewGauge(prometheus.GaugeOpts{Name: "parley_negotiations_active",
			Help: "Negotiations running now."}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parley_negotiations_finished_total",
			Help: "Negotiations ended, by reason."}, []string{"reason"}),
		actions: prometheus.NewCounter(prometheus.CounterOpts{Name: "parley_actions_total",
			Help: "Actions (offers, acceptances, walk-aways) taken in all negotiations."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "parley_action_latency_seconds",
			Help:    "Server-side time from taking a remote seat's action to publishing its next turn (the protocol's step, the other seats' moves and the log's commit), or, for its last action, to the ending.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{Name: "parley_seats_connected",
			Help: "Streams open with a seat's token."}),
		spaces: prometheus.NewCounter(prometheus.CounterOpts{Name: "parley_space_analyses_total",
			Help: "Analyses of a negotiation's utility space for a pair of parties (GET /negotiations/{id}/space): one per negotiation and pair, kept until the negotiation is dropped."}),
	}
	m.refused = prometheus.NewCounter(prometheus.CounterOpts{Name: "parley_negotiations_refused_total",
		Help: "Negotiations refused because MaxActive (parley serve --max-active) were running."})
	m.reg.MustRegister(m.active, m.ended, m.actions, m.latency, m.connected, m.spaces, m.refused)
	for _, r := range parley.Reasons() {
		m.ended.WithLabelValues(r.String()) // every reason from 0
	}
	return m
}

// finished counts a negotiation that ended for reason r.
func (m *metrics) finished(r parley.Reason) { m.ended.WithLabelValues(r.String()).Inc() }

// handler serves the metrics in Prometheus's text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// maxLimiterKeys bounds the tokens and client addresses whose budgets the
// limiter keeps: every key seen within one refill period (Burst /
// RateLimit, a second by default). A new key beyond it waits until the
// oldest budgets are full again and dropped.
const maxLimiterKeys = 1 << 16

// limiter limits the request rate of each token (or client address). A
// key's budget is dropped once it is full again (unused for Burst /
// RateLimit): a fresh one is the same, so the map holds only the keys
// seen within that period.
type limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time
	stale time.Duration // the time a budget takes to fill up from empty

	mu    sync.Mutex
	keys  map[string]*bucket
	sweep int // the size of keys at which stale budgets are next dropped
}

// bucket is one key's budget and when it was last drawn from.
type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiter(perSecond float64, burst int, now func() time.Time) *limiter {
	l := &limiter{limit: rate.Limit(perSecond), burst: burst, now: now, keys: map[string]*bucket{}, sweep: 1024}
	switch {
	case math.IsInf(perSecond, 1):
		l.stale = 0
	case perSecond <= 0:
		l.stale = math.MaxInt64 // never refills: never dropped
	default:
		l.stale = time.Duration(min(float64(burst)/perSecond*float64(time.Second), math.MaxInt64/2))
	}
	return l
}

// drop removes the budgets that are full again at now; l.mu is held.
func (l *limiter) drop(now time.Time) {
	for k, b := range l.keys {
		if now.Sub(b.last) >= l.stale {
			delete(l.keys, k)
		}
	}
	l.sweep = max(1024, 2*len(l.keys))
}

// wait returns 0 when the request with token tok (or, without one, from
// r's address) may go ahead now, and takes it from the budget; otherwise
// the time until the budget allows it.
func (l *limiter) wait(r *http.Request, tok string) time.Duration {
	if tok != "" {
		return l.waitKey(tokenKey(tok))
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return l.waitKey("addr:" + host)
}

// tokenKey is the limiter's key of a token.
func tokenKey(tok string) string { return "token:" + hashToken(tok) }

// allowKey reports whether one more request of key may go ahead now.
func (l *limiter) allowKey(key string) bool { return l.waitKey(key) == 0 }

// waitKey returns 0 when one more request of key may go ahead now, and
// takes it from key's budget; otherwise the time until the budget holds
// one request (at least a nanosecond).
func (l *limiter) waitKey(key string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= l.sweep {
			l.drop(now)
		}
		if len(l.keys) >= maxLimiterKeys {
			return max(l.stale, time.Second) // too many clients at once: a new one waits
		}
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.keys[key] = b
	}
	b.last = now
	if b.lim.AllowN(now, 1) {
		return 0
	}
	if l.limit <= 0 || math.IsInf(float64(l.limit), 1) {
		return time.Second // no refill: ask again later
	}
	need := 1 - b.lim.TokensAt(now)
	return max(time.Duration(need/float64(l.limit)*float64(time.Second)), 1)
}
