//go:build unix

package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/store/sqlite"
)

// The load benchmark's settings (docs/benchmarks.md).
var (
	loadNegotiations = flag.Int("load.negotiations", 1000, "BenchmarkRemoteLoad: negotiations running at once")
	loadRounds       = flag.Int("load.rounds", 40, "BenchmarkRemoteLoad: the deadline of each negotiation, in rounds")
	loadMemory       = flag.Bool("load.memory", false, "BenchmarkRemoteLoad: keep the event logs in memory instead of SQLite")
	loadThink        = flag.Duration("load.think", 0, "BenchmarkRemoteLoad: each agent's mean thinking time before an action (drawn uniformly from 0.5 to 1.5 times it)")
)

// loadScenario is the load benchmark's scenario: two parties, three
// issues, 64 outcomes, no red lines, opposed preferences, so that the
// two time-dependent players agree late.
const loadScenario = `name: load
issues:
  - {name: price, values: [p1, p2, p3, p4]}
  - {name: term, values: [t1, t2, t3, t4]}
  - {name: extra, values: [e1, e2, e3, e4]}
parties:
  - name: buyer
    reservation: 0.2
    weights: {price: 3, term: 2, extra: 1}
    values:
      price: {p1: 1, p2: 0.7, p3: 0.4, p4: 0}
      term: {t1: 0, t2: 0.4, t3: 0.7, t4: 1}
      extra: {e1: 1, e2: 0.6, e3: 0.3, e4: 0}
  - name: seller
    reservation: 0.2
    weights: {price: 2, term: 1, extra: 3}
    values:
      price: {p1: 0, p2: 0.4, p3: 0.7, p4: 1}
      term: {t1: 1, t2: 0.6, t3: 0.3, t4: 0}
      extra: {e1: 0, e2: 0.3, e3: 0.7, e4: 1}
`

// BenchmarkRemoteLoad runs -load.negotiations negotiations at once
// against one server behind a loopback listener, every seat a remote
// agent on its own WebSocket stream, and reports the server's action
// latency (its parley_action_latency_seconds histogram, scraped from
// /metrics), the latency a client sees from sending an action to reading
// it back in the log, and the throughput. Each iteration is one batch:
// the negotiations are created, every seat connects, and only then do
// they all start, so the batch runs that many at once. The agents run in
// this process, on the same cores as the server. It asserts no time.
//
//	go test ./server -run '^$' -bench BenchmarkRemoteLoad -benchtime 1x
func BenchmarkRemoteLoad(b *testing.B) {
	cfg := server.Config{Negotiator: resolve, RateLimit: 1e9, Burst: 1 << 30}
	if !*loadMemory {
		ev, err := sqlite.OpenEvents(filepath.Join(b.TempDir(), "load.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer ev.Close()
		cfg.Log = ev
	}
	var tl *timedLog
	if cfg.Log != nil {
		tl = &timedLog{Log: cfg.Log}
		cfg.Log = tl
	}
	s, err := server.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer s.Shutdown(context.Background())
	defer hs.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	first := scrape(b, hc, hs.URL)
	var (
		seen    []time.Duration // client-side: action sent → read back
		persist []time.Duration // server-side: appends to the SQLite log
		elapsed time.Duration
		cpu     time.Duration
		sched   []uint64 // goroutines' scheduling latencies
		batches int
		peak    float64
	)
	for b.Loop() {
		st := loadBatch(b, hc, hs.URL, *loadNegotiations, *loadRounds, tl.reset)
		persist = append(persist, tl.took()...)
		seen = append(seen, st.seen...)
		elapsed += st.elapsed
		cpu += st.cpu
		if sched == nil {
			sched = make([]uint64, len(st.sched))
		}
		for i, c := range st.sched {
			sched[i] += c
		}
		peak = max(peak, st.active)
		batches++
	}
	last := scrape(b, hc, hs.URL)

	lat := last.latency.minus(first.latency)
	errs := last.finished["error"] - first.finished["error"]
	if errs > 0 {
		b.Errorf("%v negotiations ended with reason error", errs)
	}
	slices.Sort(seen)
	sec := elapsed.Seconds()
	b.ReportMetric(peak, "concurrent")
	b.ReportMetric(float64(batches**loadNegotiations)/sec, "negotiations/s")
	actions := last.actions - first.actions
	b.ReportMetric(actions/sec, "actions/s")
	b.ReportMetric(cpu.Seconds()*1e6/actions, "cpu-µs/action")
	b.ReportMetric(lat.quantile(0.5)*1e6, "server-p50≤µs")
	b.ReportMetric(lat.quantile(0.99)*1e6, "server-p99≤µs")
	b.ReportMetric(100*lat.share(0.005), "server-%≤5ms")
	b.ReportMetric(pct(seen, 0.5).Seconds()*1e6, "client-p50-µs")
	b.ReportMetric(pct(seen, 0.99).Seconds()*1e6, "client-p99-µs")
	b.ReportMetric(schedQuantile(sched, 0.99).Seconds()*1e6, "sched-p99≤µs")
	if len(persist) > 0 {
		slices.Sort(persist)
		b.ReportMetric(pct(persist, 0.5).Seconds()*1e6, "append-p50-µs")
		b.ReportMetric(pct(persist, 0.99).Seconds()*1e6, "append-p99-µs")
		b.Logf("%d appends to the SQLite log (one a turn, waiting for the writer's group commit included): p50 %v, p99 %v, max %v",
			len(persist), pct(persist, 0.5), pct(persist, 0.99), pct(persist, 1))
	}
	b.Logf("%d batches of %d negotiations (%.0f at once), %.2fs running; server's action latency: %v actions, p50 ≤ %.0fµs, p99 ≤ %.0fµs (bucket bounds), %.2f%% ≤ 5ms; action sent → read back: p50 %v, p99 %v, max %v; goroutines waiting for a thread: p50 ≤ %v, p99 ≤ %v",
		batches, *loadNegotiations, peak, sec, lat.count, lat.quantile(0.5)*1e6, lat.quantile(0.99)*1e6, 100*lat.share(0.005),
		pct(seen, 0.5), pct(seen, 0.99), pct(seen, 1), schedQuantile(sched, 0.5), schedQuantile(sched, 0.99))
}

// timedLog is a server.Log that times the server's appends from reset to
// took (a nil timedLog records nothing).
type timedLog struct {
	server.Log
	mu   sync.Mutex
	on   bool
	durs []time.Duration
}

func (l *timedLog) Append(ctx context.Context, id string, first int64, recs [][]byte) error {
	start := time.Now()
	err := l.Log.Append(ctx, id, first, recs)
	d := time.Since(start)
	l.mu.Lock()
	if l.on {
		l.durs = append(l.durs, d)
	}
	l.mu.Unlock()
	return err
}

// reset starts recording anew.
func (l *timedLog) reset() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.on, l.durs = true, nil
	l.mu.Unlock()
}

// took returns the appends' durations recorded since reset.
func (l *timedLog) took() []time.Duration {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.durs
}

// TestRemoteLoadBatch runs a small batch of the load benchmark, so that
// the load generator is tested: every negotiation runs at once and ends
// without an error, every agent sees each of its actions come back, and
// the server counts every action in its latency histogram.
func TestRemoteLoadBatch(t *testing.T) {
	s, err := server.New(server.Config{Negotiator: resolve, RateLimit: 1e9, Burst: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer s.Shutdown(context.Background())
	defer hs.Close()
	const n, rounds = 6, 5
	st := loadBatch(t, hs.Client(), hs.URL, n, rounds, func() {})
	page := scrape(t, hs.Client(), hs.URL)
	if st.active != n {
		t.Errorf("%v negotiations active at the release, want %d", st.active, n)
	}
	if page.finished["error"] != 0 || page.active != 0 {
		t.Errorf("after the batch: %v ended with an error, %v still active", page.finished["error"], page.active)
	}
	if page.latency.count != page.actions || len(st.seen) != int(page.actions) || page.actions < n*rounds {
		t.Errorf("%v actions, %v in the latency histogram, %d seen back by the agents; want the same, at least %d", page.actions, page.latency.count, len(st.seen), n*rounds)
	}
}

// TestLoadHistogram checks the load benchmark's reading of a histogram
// against hand-computed answers.
func TestLoadHistogram(t *testing.T) {
	h := histogram{bounds: []float64{0.0001, 0.00025, 0.005, math.Inf(1)}, counts: []float64{50, 90, 99, 100}, count: 100}
	for _, tc := range []struct{ q, want float64 }{{0.5, 0.0001}, {0.51, 0.00025}, {0.9, 0.00025}, {0.99, 0.005}, {0.995, math.Inf(1)}} {
		if got := h.quantile(tc.q); got != tc.want {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := h.share(0.005); got != 0.99 {
		t.Errorf("share(0.005) = %v, want 0.99", got)
	}
	d := h.minus(histogram{bounds: h.bounds, counts: []float64{40, 40, 40, 40}, count: 40})
	if !slices.Equal(d.counts, []float64{10, 50, 59, 60}) || d.count != 60 || d.quantile(0.5) != 0.00025 {
		t.Errorf("minus: %+v", d)
	}
}

// batchStats is what one batch measured.
type batchStats struct {
	seen    []time.Duration
	elapsed time.Duration
	active  float64       // negotiations the server counted active at the start
	cpu     time.Duration // the process's CPU time (server and agents) while running
	sched   []uint64      // goroutines' scheduling latencies while running (schedBuckets)
}

// schedMetric is the Go runtime's histogram of the time goroutines wait,
// ready to run, for a thread: high when the process is short of CPU.
const schedMetric = "/sched/latencies:seconds"

// schedCounts reads schedMetric's counts; schedBuckets are its buckets.
func schedCounts() []uint64 {
	s := []metrics.Sample{{Name: schedMetric}}
	metrics.Read(s)
	return slices.Clone(s[0].Value.Float64Histogram().Counts)
}

func schedBuckets() []float64 {
	s := []metrics.Sample{{Name: schedMetric}}
	metrics.Read(s)
	return s[0].Value.Float64Histogram().Buckets
}

// schedQuantile returns an upper bound of the q-quantile of the
// scheduling latencies counted in counts.
func schedQuantile(counts []uint64, q float64) time.Duration {
	var total, sum uint64
	for _, c := range counts {
		total += c
	}
	buckets := schedBuckets() // len(counts)+1 boundaries
	for i, c := range counts {
		sum += c
		if float64(sum) >= q*float64(total) {
			return time.Duration(buckets[i+1] * 1e9)
		}
	}
	return 0
}

// loadBatch creates n negotiations, connects their seats' agents, starts
// them all at once (calling started first) and waits for their ends.
func loadBatch(b testing.TB, hc *http.Client, url string, n, rounds int, started func()) batchStats {
	made := make([]server.CreateResponse, n)
	parallel(n, 8, func(i int) error {
		req := server.CreateRequest{Files: map[string]string{"load.yaml": loadScenario}, Deadline: rounds, Seed: uint64(i) + 1,
			Seats: []server.Seat{{Kind: server.SeatRemote}, {Kind: server.SeatRemote}}}
		body, _ := json.Marshal(req)
		resp, err := hc.Post(url+"/negotiations", "application/json", strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("create: status %d", resp.StatusCode)
		}
		return json.NewDecoder(resp.Body).Decode(&made[i])
	}, b)

	release := make(chan struct{})
	var ready, done sync.WaitGroup
	var mu sync.Mutex
	var seen []time.Duration
	var failed atomic.Int64
	for i, m := range made {
		for j, tok := range m.Tokens.Seats {
			think := thinker(*loadThink, uint64(i), uint64(j))
			ready.Add(1)
			done.Add(1)
			go func() {
				defer done.Done()
				d, err := loadAgent(url, m.ID, tok, think, &ready, release)
				if err != nil && failed.Add(1) <= 3 {
					b.Errorf("negotiation %s: %v", m.ID, err)
				}
				mu.Lock()
				seen = append(seen, d...)
				mu.Unlock()
			}()
		}
	}
	ready.Wait()
	active := scrape(b, hc, url).active
	started()
	start, cpu0, sched0 := time.Now(), cpuTime(b), schedCounts()
	close(release)
	done.Wait()
	elapsed := time.Since(start)
	sched := schedCounts()
	for i := range sched {
		sched[i] -= sched0[i]
	}
	return batchStats{seen: seen, elapsed: elapsed, active: active, cpu: cpuTime(b) - cpu0, sched: sched}
}

// parallel runs f(0..n-1) on w goroutines, failing b on the first error.
func parallel(n, w int, f func(int) error, b testing.TB) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if err := f(i); err != nil {
					once.Do(func() { b.Errorf("%d: %v", i, err) })
				}
			}
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
}

// thinker returns an agent's thinking times: uniform from 0.5 to 1.5
// times mean, from a stream seeded by the agent's negotiation and seat.
func thinker(mean time.Duration, neg, seat uint64) func() time.Duration {
	r := rand.New(rand.NewPCG(neg, seat))
	return func() time.Duration { return time.Duration((0.5 + r.Float64()) * float64(mean)) }
}

// loadEvent is the part of an event a load agent reads.
type loadEvent struct {
	Type    string `json:"type"`
	Session *struct {
		Party       int       `json:"party"`
		Utilities   []float64 `json:"utilities"`
		Reservation float64   `json:"reservation"`
	} `json:"session"`
	Turn *struct {
		Step     int     `json:"step"`
		Time     float64 `json:"time"`
		Standing int     `json:"standing"`
	} `json:"turn"`
	Action *struct {
		Step  int `json:"step"`
		Party int `json:"party"`
	} `json:"action"`
}

// loadAgent plays a seat on its stream with the examples' Boulware
// (examples/python/agent.py), from release on, until the stream closes
// normally. It returns, for each of its actions, the time from sending it
// to reading it back in the log.
func loadAgent(url, id, tok string, think func() time.Duration, ready *sync.WaitGroup, release <-chan struct{}) ([]time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	u := "ws" + strings.TrimPrefix(url, "http") + "/negotiations/" + id + "/stream"
	c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + tok}}})
	ready.Done()
	if err != nil {
		return nil, err
	}
	defer c.CloseNow()
	<-release
	var (
		me           = -1
		utils, ranks []float64
		order        []int
		low, high    float64
		sent         = -1
		at           time.Time
		seen         []time.Duration
	)
	for {
		_, msg, err := c.Read(ctx)
		if websocket.CloseStatus(err) == websocket.StatusNormalClosure {
			return seen, nil
		}
		if err != nil {
			return seen, err
		}
		var e loadEvent
		if err := json.Unmarshal(msg, &e); err != nil {
			return seen, err
		}
		switch {
		case e.Session != nil:
			me, utils = e.Session.Party, e.Session.Utilities
			order = make([]int, len(utils))
			for o := range order {
				order[o] = o
			}
			sort.SliceStable(order, func(i, j int) bool { return utils[order[i]] < utils[order[j]] })
			ranks = make([]float64, len(order))
			for i, o := range order {
				ranks[i] = utils[o]
			}
			low, high = max(e.Session.Reservation, ranks[0]), ranks[len(ranks)-1]
		case e.Turn != nil:
			t := e.Turn
			aim := low + (high-low)*(1-math.Pow(t.Time, 1/0.2))
			act := map[string]any{"step": t.Step, "action": "accept"}
			if t.Standing < 0 || utils[t.Standing] < aim {
				k, _ := slices.BinarySearch(ranks, aim)
				act = map[string]any{"step": t.Step, "action": "offer", "outcome": order[min(k, len(order)-1)]}
			}
			msg, _ := json.Marshal(act)
			time.Sleep(think())
			sent, at = t.Step, time.Now()
			if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
				return seen, err
			}
		case e.Type == "error":
			return seen, fmt.Errorf("the server refused an action: %s", msg)
		case e.Action != nil && e.Action.Party == me && e.Action.Step == sent:
			seen = append(seen, time.Since(at))
			sent = -1
		}
	}
}

// cpuTime returns the CPU time the process has used.
func cpuTime(b testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pct returns the q-quantile of sorted durations (q = 1: the largest).
func pct(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}

// metricsPage is what the load benchmark reads from /metrics.
type metricsPage struct {
	active, actions float64
	finished        map[string]float64
	latency         histogram
}

// histogram is a Prometheus histogram: cumulative counts by upper bound.
type histogram struct {
	bounds []float64 // ascending, +Inf last
	counts []float64
	count  float64
}

func (h histogram) minus(o histogram) histogram {
	d := histogram{bounds: h.bounds, counts: slices.Clone(h.counts), count: h.count - o.count}
	for i := range d.counts {
		if i < len(o.counts) {
			d.counts[i] -= o.counts[i]
		}
	}
	return d
}

// quantile returns an upper bound of the q-quantile: the upper bound of
// the bucket that holds it (+Inf beyond the last finite bucket). The
// histogram's buckets are all it knows; interpolating inside one, as
// Prometheus's histogram_quantile does, would report a resolution it
// does not have.
func (h histogram) quantile(q float64) float64 {
	if h.count == 0 {
		return math.NaN()
	}
	for i, c := range h.counts {
		if c >= q*h.count {
			return h.bounds[i]
		}
	}
	return math.Inf(1)
}

// share is the fraction of observations at most le (a bucket bound).
func (h histogram) share(le float64) float64 {
	for i, b := range h.bounds {
		if b == le {
			return h.counts[i] / h.count
		}
	}
	return math.NaN()
}

// scrape reads the server's metrics.
func scrape(b testing.TB, hc *http.Client, url string) metricsPage {
	resp, err := hc.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	p := metricsPage{finished: map[string]float64{}}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			b.Fatalf("/metrics: %q: %v", sc.Text(), err)
		}
		switch {
		case name == "parley_negotiations_active":
			p.active = v
		case name == "parley_actions_total":
			p.actions = v
		case name == "parley_action_latency_seconds_count":
			p.latency.count = v
		case strings.HasPrefix(name, `parley_negotiations_finished_total{reason="`):
			p.finished[strings.TrimSuffix(strings.TrimPrefix(name, `parley_negotiations_finished_total{reason="`), `"}`)] = v
		case strings.HasPrefix(name, `parley_action_latency_seconds_bucket{le="`):
			le, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(name, `parley_action_latency_seconds_bucket{le="`), `"}`), 64)
			if err != nil {
				b.Fatalf("/metrics: %q: %v", sc.Text(), err)
			}
			p.latency.bounds = append(p.latency.bounds, le)
			p.latency.counts = append(p.latency.counts, v)
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(errors.Join(errors.New("/metrics"), err))
	}
	return p
}
