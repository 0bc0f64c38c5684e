package server

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parley-dev/parley"
)

// Config configures a Server. The zero value is valid: logs in memory, no
// built-in strategies, no admin token, default limits.
type Config struct {
	// Log persists the negotiations' event logs (nil: in memory, lost when
	// the process ends).
	Log Log
	// Negotiator resolves a strategy seat's spec ("boulware") to a
	// constructor of fresh negotiators (nil: only remote seats). The
	// parley command passes its registry of strategies.
	Negotiator func(spec string) (func() parley.Negotiator, error)
	// Voter and Mediator resolve the voter and mediator specs of the
	// mediated stages of staged protocols (a stage that names no mediator
	// gets plan.MediatorPolicy's default, plan.DefaultMediatorPolicy);
	// nil: only remote voters and mediators.
	Voter    func(spec string) (func() parley.Voter, error)
	Mediator func(spec string) (func() parley.Mediator, error)
	// Agents lists the strategies that Negotiator, Voter and Mediator
	// resolve, for GET /catalog (empty: none listed). The parley command
	// lists the registries its resolvers parse with, the agents its
	// options register (cli.WithNegotiator) included.
	Agents Agents
	// GeniusWeb resolves a geniusweb seat's party URL to a constructor of
	// negotiators that drive that party (nil: no geniusweb seats). The
	// parley command passes package server/gwseat's Factory.
	GeniusWeb func(url string) (func() parley.Negotiator, error)
	// AdminToken, when set, is required to create and to list
	// negotiations (Authorization: Bearer TOKEN).
	AdminToken string
	// TurnTimeout is how long a remote seat has for a turn (default 60s).
	TurnTimeout time.Duration
	// Grace is how long a remote seat may stay disconnected (no open
	// stream) before it fails (default 10s).
	Grace time.Duration
	// RateLimit is the requests (and stream messages) per second allowed
	// to one token (or, for requests without one, to one client address);
	// Burst the requests allowed at once (defaults 200 and 200).
	RateLimit float64
	Burst     int
	// OriginPatterns are the origins, besides the server's own host, from
	// which a browser may open a stream (coder/websocket's
	// AcceptOptions.OriginPatterns, such as "localhost:5173").
	OriginPatterns []string
	// Logger receives the server's structured logs (nil: discarded).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the source of tokens (default crypto/rand).
	Rand io.Reader
	// MaxActive bounds the negotiations running at once (default
	// DefaultMaxActive): creating one more answers 503 with Retry-After
	// (ErrBusy) until one ends.
	MaxActive int
	// MaxFinished bounds the finished negotiations kept in memory
	// (default DefaultMaxFinished): beyond it the least recently used is
	// dropped, and read back from the Log when one of its tokens is next
	// used.
	MaxFinished int
	// Results, when set, are the stored tournaments and experiments
	// served read-only at GET /results (package server/results), behind
	// the admin token when there is one.
	Results Results
}

// Validate names the first bad field.
func (c *Config) Validate() error {
	switch {
	case c.TurnTimeout < 0:
		return fmt.Errorf("server: TurnTimeout %v is negative", c.TurnTimeout)
	case c.Grace < 0:
		return fmt.Errorf("server: Grace %v is negative", c.Grace)
	case c.RateLimit < 0:
		return fmt.Errorf("server: RateLimit %v is negative", c.RateLimit)
	case c.Burst < 0:
		return fmt.Errorf("server: Burst %d is negative", c.Burst)
	case c.MaxActive < 0:
		return fmt.Errorf("server: MaxActive %d is negative", c.MaxActive)
	case c.MaxFinished < 0:
		return fmt.Errorf("server: MaxFinished %d is negative", c.MaxFinished)
	}
	return nil
}

// Server serves negotiations over HTTP: it creates them, runs them, keeps
// their event logs and shows each token its lens of them. Create one with
// New, serve its Handler, and stop it with Shutdown.
type Server struct {
	cfg     Config
	log     Log
	logger  *slog.Logger
	metrics *metrics
	limits  *limiter
	mux     *http.ServeMux
	// builtins is GET /catalog's answer, made on first use.
	builtins func() (Catalog, error)

	ctx    context.Context // cancelled by Shutdown: stops the negotiations
	cancel context.CancelFunc
	wg     sync.WaitGroup // running negotiations

	mu     sync.Mutex
	closed bool
	// order and scenarios are every negotiation of the Log, oldest first,
	// and their scenarios' names (GET /negotiations).
	order     []string
	scenarios map[string]string
	// byID holds the negotiations in memory: the running ones, the
	// finished ones of finished (most recently used first, at most
	// MaxFinished) and the replays. A finished negotiation that is not
	// in memory is read back from the Log (Server.negotiation).
	byID     map[string]*negotiation
	finished *list.List       // of *negotiation
	grants   map[string]grant // token hash → what it grants
	counter  int
	active   int // negotiations created and not yet ended

	// preps are the prepared scenarios rebuilt for finished negotiations
	// (negotiation.prepared), most recently used last.
	prepMu sync.Mutex
	preps  []prepEntry

	// Replays of stored runs (ReplayRun), by Replay.Key and oldest
	// first; replayCount numbers them.
	replays     map[string]*replayed
	replayOrder []*replayed
	replayCount int
}

// grant is what a token grants: one lens of one negotiation (by ID: it
// may have left memory).
type grant struct {
	id   string
	lens Lens
}

// The defaults of Config.MaxActive and Config.MaxFinished.
const (
	// DefaultMaxActive is ten times the 1,000 negotiations with remote
	// agents that the load benchmark runs at once on two cores
	// (docs/benchmarks.md): a running negotiation holds its prepared
	// scenario (a few MiB for a space of 10^5 outcomes), so the bound
	// keeps a server within a few tens of GiB at worst.
	DefaultMaxActive = 10_000
	// DefaultMaxFinished keeps the last thousand finished negotiations in
	// memory: a finished one holds its log (tens of KiB for a negotiation
	// of a thousand actions) and the analyses of its utility space that
	// its owner asked for (GET /space: at most maxSpaces pairs).
	DefaultMaxFinished = 1000
)

// New returns a server. It reads every negotiation in cfg.Log: one that
// was still running when the last server stopped (a crash, a kill) cannot
// resume, and ends with reason error and the cause "the server restarted
// during the negotiation", every party paid its reservation value; its
// tokens still show its log.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.TurnTimeout == 0 {
		cfg.TurnTimeout = 60 * time.Second
	}
	if cfg.Grace == 0 {
		cfg.Grace = 10 * time.Second
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 200
	}
	if cfg.Burst == 0 {
		cfg.Burst = 200
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxActive == 0 {
		cfg.MaxActive = DefaultMaxActive
	}
	if cfg.MaxFinished == 0 {
		cfg.MaxFinished = DefaultMaxFinished
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	s := &Server{cfg: cfg, log: cfg.Log, logger: cfg.Logger, byID: map[string]*negotiation{},
		scenarios: map[string]string{}, finished: list.New(), grants: map[string]grant{}}
	if s.log == nil {
		s.log = newMemLog()
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.metrics = newMetrics()
	s.limits = newLimiter(cfg.RateLimit, cfg.Burst, cfg.Now)
	s.builtins = sync.OnceValues(func() (Catalog, error) { return builtinCatalog(cfg.Agents) })
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.recover(context.Background()); err != nil {
		return nil, err
	}
	s.mux = s.routes()
	return s, nil
}

// now reads the server's clock.
func (s *Server) now() time.Time { return s.cfg.Now() }

// Handler returns the server's HTTP handler (its routes: see Routes).
func (s *Server) Handler() http.Handler { return s.mux }

// errRestarted is the cause of a negotiation that was running when the
// server stopped without ending it.
var errRestarted = errors.New("the server restarted during the negotiation, which cannot resume")

// recover reads the logs of earlier runs of the server, one at a time:
// it keeps each negotiation's tokens and scenario name, and none of the
// negotiations themselves, which are read back when a token is used.
func (s *Server) recover(ctx context.Context) error {
	ids, err := s.log.Negotiations(ctx)
	if err != nil {
		return fmt.Errorf("server: reading the negotiations: %w", err)
	}
	for _, id := range ids {
		n, err := s.readBack(ctx, id)
		if err != nil {
			return err
		}
		if n == nil {
			continue
		}
		if !n.ended {
			res := n.abandon(errRestarted)
			if err := n.finish(res); err != nil {
				return err
			}
			if err := n.flush(ctx); err != nil {
				return err
			}
			s.logger.Warn("negotiation ended by the restart", "negotiation", id)
			s.metrics.finished(res.Reason)
		}
		s.mu.Lock()
		err = s.register(n)
		if k, perr := strconv.Atoi(strings.TrimPrefix(id, "n")); perr == nil {
			s.counter = max(s.counter, k)
		}
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// readBack rebuilds negotiation id from its log, without its prepared
// scenario or strategies (nil for a log without records).
func (s *Server) readBack(ctx context.Context, id string) (*negotiation, error) {
	recs, err := s.log.Records(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("server: negotiation %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	first, err := decodeEvent(recs[0])
	if err != nil || first.Definition == nil {
		return nil, fmt.Errorf("server: negotiation %s: entry 1 is not its definition (%v)", id, err)
	}
	n, err := s.newNegotiation(id, *first.Definition, false)
	if err != nil {
		return nil, fmt.Errorf("server: negotiation %s: rebuilding it: %w", id, err)
	}
	for i, rec := range recs {
		e, err := decodeEvent(rec)
		if err != nil {
			return nil, fmt.Errorf("server: negotiation %s: entry %d: %w", id, i+1, err)
		}
		if e.Seq != int64(i)+1 {
			return nil, fmt.Errorf("server: negotiation %s: entry %d has seq %d", id, i+1, e.Seq)
		}
		n.events = append(n.events, e)
		n.records = append(n.records, rec)
		n.ended = n.ended || e.Type == TypeEnded
	}
	n.flushed = len(n.events)
	close(n.done)
	return n, nil
}

// register adds a negotiation's tokens and its entry in the list; s.mu
// is held.
func (s *Server) register(n *negotiation) error {
	for h, l := range n.def.Tokens {
		lens, err := parseLens(l)
		if err != nil {
			return fmt.Errorf("server: negotiation %s: token: %w", n.id, err)
		}
		s.grants[h] = grant{id: n.id, lens: lens}
	}
	s.scenarios[n.id] = n.scnName
	s.order = append(s.order, n.id)
	return nil
}

// keepFinished puts a finished negotiation first among those kept in
// memory, dropping the least recently used beyond MaxFinished; s.mu is
// held.
func (s *Server) keepFinished(n *negotiation) {
	s.byID[n.id] = n
	if n.elem != nil {
		s.finished.MoveToFront(n.elem)
		return
	}
	n.elem = s.finished.PushFront(n)
	for s.finished.Len() > s.cfg.MaxFinished {
		old := s.finished.Remove(s.finished.Back()).(*negotiation)
		old.elem = nil
		delete(s.byID, old.id)
	}
}

// stopped notes that a running negotiation has ended: it no longer
// counts against MaxActive.
func (s *Server) stopped() {
	s.mu.Lock()
	s.active--
	s.mu.Unlock()
}

// keep puts a negotiation that has ended (and released its heavy state)
// among the finished ones in memory.
func (s *Server) keep(n *negotiation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepFinished(n)
}

// ErrBusy is returned by Create when Config.MaxActive negotiations are
// running.
var ErrBusy = errors.New("server: too many negotiations running: try again when one has ended")

// Tokens are the tokens of a new negotiation: one per lens.
type Tokens struct {
	Owner    string   `json:"owner"`
	Observer string   `json:"observer"`
	Seats    []string `json:"seats"`              // by party; "" for a strategy seat
	Mediator string   `json:"mediator,omitempty"` // a remote mediator's
}

// ErrClosed is returned by Create after Shutdown.
var ErrClosed = errors.New("server: shut down")

// Create creates a negotiation from req and starts it. It returns the
// negotiation's ID and its tokens; a bad request is an error naming its
// field.
func (s *Server) Create(ctx context.Context, req CreateRequest) (string, Tokens, error) {
	if req.Seed == 0 {
		req.Seed = 1
	}
	if req.Protocol == "" {
		req.Protocol = ProtocolSAO
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", Tokens{}, ErrClosed
	}
	if s.active >= s.cfg.MaxActive {
		s.mu.Unlock()
		s.metrics.refused.Inc()
		return "", Tokens{}, ErrBusy
	}
	s.active++ // reserved: given back unless the negotiation starts
	started := false
	defer func() {
		if !started {
			s.mu.Lock()
			s.active--
			s.mu.Unlock()
		}
	}()
	s.counter++
	id := "n" + strconv.Itoa(s.counter)
	s.mu.Unlock()

	var toks Tokens
	def := definition{Request: req, Tokens: map[string]string{}}
	newToken := func(l Lens) (string, error) {
		b := make([]byte, 24)
		if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
			return "", fmt.Errorf("server: making a token: %w", err)
		}
		t := hex.EncodeToString(b)
		def.Tokens[hashToken(t)] = l.String()
		return t, nil
	}
	var err error
	if toks.Owner, err = newToken(Lens{Kind: LensOwner}); err != nil {
		return "", Tokens{}, err
	}
	if toks.Observer, err = newToken(Lens{Kind: LensObserver}); err != nil {
		return "", Tokens{}, err
	}
	toks.Seats = make([]string, len(req.Seats))
	for i, st := range req.Seats {
		if st.Kind != SeatRemote {
			continue
		}
		if toks.Seats[i], err = newToken(Lens{Kind: LensSeat, Party: i}); err != nil {
			return "", Tokens{}, err
		}
	}
	if req.Mediator != nil && req.Mediator.Kind == SeatRemote {
		if toks.Mediator, err = newToken(Lens{Kind: LensMediator}); err != nil {
			return "", Tokens{}, err
		}
	}
	n, err := s.newNegotiation(id, def, true)
	if err != nil {
		return "", Tokens{}, badRequest(err)
	}
	if err := n.start(); err != nil {
		return "", Tokens{}, err
	}
	if err := n.flush(ctx); err != nil {
		return "", Tokens{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", Tokens{}, ErrClosed
	}
	if err := s.register(n); err != nil {
		return "", Tokens{}, err
	}
	s.byID[n.id] = n
	s.wg.Add(1)
	s.metrics.active.Inc()
	go func() {
		defer s.wg.Done()
		n.run(s.ctx)
	}()
	started = true
	s.logger.Info("negotiation created", "negotiation", id, "scenario", n.scnName, "seats", len(req.Seats))
	return id, toks, nil
}

// Shutdown stops the server: it refuses new negotiations, ends the
// running ones with reason error ("the server shut down during the
// negotiation", every party paid its reservation value), persists their
// logs, and waits for them to finish or for ctx to end. It does not stop
// the HTTP server serving Handler: stop that first (http.Server.Shutdown),
// then this.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
}

// negotiation returns the negotiation called id: the one in memory, or
// else a finished one read back from the Log (and kept among the
// finished ones in memory).
func (s *Server) negotiation(ctx context.Context, id string) (*negotiation, error) {
	s.mu.Lock()
	if n, ok := s.byID[id]; ok {
		if n.elem != nil {
			s.finished.MoveToFront(n.elem)
		}
		s.mu.Unlock()
		return n, nil
	}
	s.mu.Unlock()
	n, err := s.readBack(ctx, id)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, errNotFound // a replay dropped meanwhile
	}
	if !n.ended {
		return nil, fmt.Errorf("server: negotiation %s: not in memory, and its log has no ending", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.byID[id]; ok {
		n = m // read back meanwhile by another request
	}
	s.keepFinished(n)
	return n, nil
}

// grantOf returns what a token grants.
func (s *Server) grantOf(tok string) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.grants[hashToken(tok)]
	return g, ok
}
