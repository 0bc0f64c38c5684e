package server

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// defaultDeadline is the rounds of a negotiation when neither the request
// nor the scenario gives any (as parley run).
const defaultDeadline = 100

// definition is the server's record of a negotiation: the request it was
// made from and the hashes of its tokens, by lens ("owner", "observer",
// "seat:N"). It is the first event of every log; no lens shows it.
type definition struct {
	Request CreateRequest     `json:"request"`
	Tokens  map[string]string `json:"tokens"` // SHA-256 (hex) of a token → its lens
}

// hashToken returns the hash under which a token is stored.
func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// parseLens reads a lens written by Lens.String.
func parseLens(s string) (Lens, error) {
	switch s {
	case LensOwner, LensObserver, LensMediator:
		return Lens{Kind: s}, nil
	}
	if p, ok := audienceParty(s); ok && p >= 0 {
		return Lens{Kind: LensSeat, Party: p}, nil
	}
	return Lens{}, fmt.Errorf("unknown lens %q", s)
}

// negotiation is one negotiation: its setting, its log (in memory and
// persisted) and, while it runs, its remote seats.
type negotiation struct {
	id      string
	srv     *Server
	def     definition
	scn     *scenario.Scenario // until it ends (nil for one read back from the Log; a replay\'s is kept)
	scnName string
	// ready is the prepared scenario while the negotiation runs (and a
	// replay's); a finished negotiation releases it, and prepared
	// rebuilds it from the request when asked. readyMu guards it for
	// every goroutine but the protocol's.
	readyMu  sync.Mutex
	ready    *scenario.Prepared
	space    *parley.OutcomeSpace
	names    []string
	deadline int
	turn     time.Duration // how long a remote seat has for a turn
	remotes  []*remoteSeat // by party; nil for a strategy seat
	done     chan struct{} // closed when the negotiation has ended and its log is persisted

	// The constructors of the built-in seats, by party (nil for remote
	// seats, and for roles a seat does not play), and of the mediator.
	negs   []func() parley.Negotiator
	voters []func() parley.Voter
	med    func() parley.Mediator

	// Staged and mediated protocols only.
	plan     *staged.Plan
	mediator *remoteSeat // a remote mediator, or nil
	stage    int         // the running stage (-1 for protocol sao); the protocol's goroutine only
	endStage string      // the stage the run ended in
	carried  *Carried    // what the next stage opens with from the one before; the protocol's goroutine only

	flushMu sync.Mutex // serialises flush
	// elem is the negotiation's place among the finished ones kept in
	// memory (Server.finished; nil when not there); Server.mu guards it.
	elem *list.Element

	// The sample of a space above MaxSpacePoints (space.go).
	sampleOnce sync.Once
	sampled    []int
	// The analyses of the utility space by pair (space.go): each computed
	// once, at most maxSpaces of them, dropped with the negotiation.
	spacesMu sync.Mutex
	spaces   map[[2]int]*spaceOnce

	mu      sync.Mutex
	events  []Event  // the whole log: events[i].Seq == i+1
	records [][]byte // their encodings, for the Log and the lenses
	flushed int      // events persisted, and shown to lenses
	// answered are when the remote actions taken since the last flush
	// were received (server action latency, observed by flush).
	answered []time.Time
	wake     chan struct{}
	ended    bool // the log holds its ended event

	// replayed marks a stored run replayed (Server.ReplayRun): its
	// actions are not the server's, and the metrics do not count them.
	replayed bool
}

// newNegotiation builds a negotiation from its definition, without
// events: its scenario is loaded and checked against the seats. With run
// unset (a negotiation read back from the log, which will not run again)
// no strategy is resolved.
func (s *Server) newNegotiation(id string, def definition, run bool) (*negotiation, error) {
	req := &def.Request
	if err := req.validate(); err != nil {
		return nil, err
	}
	scn, err := req.loadScenario()
	if err != nil {
		return nil, err
	}
	if len(req.Seats) != len(scn.Parties) {
		return nil, fmt.Errorf("seats: %d seats for the %d parties of %s (%v)", len(req.Seats), len(scn.Parties), scn.Name, scn.Names())
	}
	n := &negotiation{id: id, srv: s, def: def, scnName: scn.Name, space: scn.Space, names: scn.Names(),
		remotes: make([]*remoteSeat, len(req.Seats)), done: make(chan struct{}), wake: make(chan struct{}), stage: -1}
	if run {
		// Only a negotiation that will run prepares its scenario now:
		// one read back from the log is finished.
		if n.ready, err = scn.Prepare(); err != nil {
			return nil, err
		}
		n.scn = scn
	}
	remote := func(field string) error {
		if n.space.Size() > MaxTableOutcomes {
			return fmt.Errorf("%s: a remote seat gets its utilities as a table: %d outcomes exceed %d", field, n.space.Size(), MaxTableOutcomes)
		}
		return nil
	}
	for i, st := range req.Seats {
		if st.Kind == SeatRemote {
			if err := remote(fmt.Sprintf("seats[%d]", i)); err != nil {
				return nil, err
			}
			n.remotes[i] = newRemoteSeat(n, i)
		}
	}
	if req.Mediator != nil && req.Mediator.Kind == SeatRemote {
		if err := remote("mediator"); err != nil {
			return nil, err
		}
		n.mediator = newRemoteSeat(n, -1)
	}
	n.turn = s.cfg.TurnTimeout
	if req.TurnTimeout > 0 {
		n.turn = time.Duration(req.TurnTimeout) * time.Second
	}
	n.deadline = req.Deadline
	if n.deadline == 0 {
		n.deadline = scn.Deadline
	}
	if n.deadline <= 0 {
		n.deadline = defaultDeadline
	}
	switch req.Protocol {
	case ProtocolStaged:
		if req.Deadline != 0 {
			return nil, errors.New("deadline: the stages of protocol staged set their own rounds")
		}
		pl, err := plan.FromScenario(scn, req.Variant)
		if err != nil {
			return nil, fmt.Errorf("protocol: %w", err)
		}
		n.plan, n.deadline = &pl, pl.Rounds()
	case ProtocolMediated:
		if n.plan, err = mediatedPlan(scn, req, n.deadline); err != nil {
			return nil, err
		}
	}
	if run {
		if err := n.resolve(); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// release drops what only a running negotiation needs: its prepared
// scenario (utility tables and their indices), its scenario, the
// constructors of its strategies and what its remote seats kept for
// their fallbacks. The lenses need its log alone; /space rebuilds the
// prepared scenario (prepared). Called by the protocol's goroutine once
// the ending is persisted.
func (n *negotiation) release() {
	n.negs, n.voters, n.med, n.carried = nil, nil, nil, nil
	for _, r := range append(n.remotes, n.mediator) {
		if r != nil {
			r.fallback, r.voter, r.session, r.replaced, r.negFor, r.replacedVoter, r.voterFor, r.early = nil, nil, nil, nil, nil, nil, nil, nil
		}
	}
	n.readyMu.Lock()
	n.ready, n.scn = nil, nil
	n.readyMu.Unlock()
}

// maxPrepared bounds the prepared scenarios the server keeps rebuilt for
// finished negotiations (GET /negotiations/{id}/space and /space/points
// of the analyst view, which asks several in a row).
const maxPrepared = 4

// prepEntry is a prepared scenario rebuilt for a finished negotiation.
type prepEntry struct {
	id    string
	ready *scenario.Prepared
}

// prepared returns the negotiation's prepared scenario: its own while it
// runs, else the one rebuilt from its scenario (a replay's, which its
// request names only by reference) or its request (deterministic: the
// same request gives the same tables), kept among the server's last
// maxPrepared.
func (n *negotiation) prepared() (*scenario.Prepared, error) {
	n.readyMu.Lock()
	defer n.readyMu.Unlock() // held while preparing: one request prepares, the others wait
	if n.ready != nil {
		return n.ready, nil
	}
	s := n.srv
	s.prepMu.Lock()
	for i, e := range s.preps {
		if e.id == n.id {
			s.preps = append(append(s.preps[:i:i], s.preps[i+1:]...), e)
			s.prepMu.Unlock()
			return e.ready, nil
		}
	}
	s.prepMu.Unlock()
	scn := n.scn
	if scn == nil {
		var err error
		if scn, err = n.def.Request.loadScenario(); err != nil {
			return nil, fmt.Errorf("server: negotiation %s: loading its scenario again: %w", n.id, err)
		}
	}
	ready, err := scn.Prepare()
	if err != nil {
		return nil, fmt.Errorf("server: negotiation %s: preparing its scenario again: %w", n.id, err)
	}
	s.prepMu.Lock()
	s.preps = append(s.preps, prepEntry{n.id, ready})
	if len(s.preps) > maxPrepared {
		s.preps = slices.Delete(s.preps, 0, 1)
	}
	s.prepMu.Unlock()
	return ready, nil
}

// mediatedPlan is protocol mediated as a plan of one mediated stage:
// every party votes for rounds rounds, under the request's rule and
// information level, on the proposals of a mediator without interests.
func mediatedPlan(scn *scenario.Scenario, req *CreateRequest, rounds int) (*staged.Plan, error) {
	st := parley.Stage{Name: ProtocolMediated, Mechanism: parley.MechanismMediated, Mediator: -1, Rounds: rounds}
	for i, p := range scn.Parties {
		if p.Role == scenario.Mediator {
			return nil, fmt.Errorf("protocol: party %q of %s has role mediator: declare its stage in the scenario's protocol and use protocol %s", p.Name, scn.Name, ProtocolStaged)
		}
		st.Participants = append(st.Participants, i)
	}
	var err error
	if req.Rule != "" {
		if st.Rule, err = parley.ParseRule(req.Rule); err != nil {
			return nil, fmt.Errorf("rule: %w", err)
		}
	}
	if req.Info != "" {
		if st.Info, err = parley.ParseInfo(req.Info); err != nil {
			return nil, fmt.Errorf("info: %w", err)
		}
	}
	pl := &staged.Plan{Stages: []parley.Stage{st}}
	if err := pl.Validate(scn.Names(), scn.Space); err != nil {
		return nil, fmt.Errorf("protocol: %w", err)
	}
	return pl, nil
}

// resolve finds the constructors of the negotiation's built-in seats
// (strategies, voters, the mediator, remote seats' fallbacks, GeniusWeb
// parties) through the server's Config, naming the seat at fault.
func (n *negotiation) resolve() error {
	cfg := &n.srv.cfg
	req := &n.def.Request
	mediation := n.plan != nil && n.hasMediated()
	n.negs = make([]func() parley.Negotiator, len(req.Seats))
	n.voters = make([]func() parley.Voter, len(req.Seats))
	negotiator := func(spec string) (func() parley.Negotiator, error) {
		if cfg.Negotiator == nil {
			return nil, errors.New("this server has no built-in strategies")
		}
		return cfg.Negotiator(spec)
	}
	for i, st := range req.Seats {
		var err error
		switch st.Kind {
		case SeatRemote:
			if st.Fallback != "" {
				if n.remotes[i].fallback, err = negotiator(st.Fallback); err != nil {
					return fmt.Errorf("seats[%d]: fallback: %w", i, err)
				}
				if mediation {
					spec := st.Voter
					if spec == "" {
						spec = DefaultVoter
					}
					if cfg.Voter == nil {
						return fmt.Errorf("seats[%d]: this server has no built-in voters", i)
					}
					if n.remotes[i].voter, err = cfg.Voter(spec); err != nil {
						return fmt.Errorf("seats[%d]: fallback voter: %w", i, err)
					}
				}
			}
		case SeatGeniusWeb:
			if cfg.GeniusWeb == nil {
				return fmt.Errorf("seats[%d]: this server seats no GeniusWeb parties", i)
			}
			f, err := cfg.GeniusWeb(st.URL)
			if err != nil {
				return fmt.Errorf("seats[%d]: %w", i, err)
			}
			d := n.turn
			n.negs[i] = func() parley.Negotiator { return &timed{Negotiator: f(), d: d} }
		case SeatStrategy:
			if st.Spec != "" {
				if n.negs[i], err = negotiator(st.Spec); err != nil {
					return fmt.Errorf("seats[%d]: %w", i, err)
				}
			}
			if !mediation {
				continue
			}
			spec := st.Voter
			if spec == "" {
				spec = DefaultVoter
			}
			if cfg.Voter == nil {
				return fmt.Errorf("seats[%d]: this server has no built-in voters", i)
			}
			if n.voters[i], err = cfg.Voter(spec); err != nil {
				return fmt.Errorf("seats[%d]: voter: %w", i, err)
			}
		}
	}
	if !mediation || n.mediator != nil {
		return nil
	}
	// A mediated protocol is one mediated stage that names no policy.
	spec := plan.DefaultMediatorPolicy
	switch {
	case req.Mediator != nil && req.Mediator.Spec != "":
		spec = req.Mediator.Spec
	case req.Protocol == ProtocolStaged:
		var err error
		if spec, err = plan.MediatorPolicy(n.scn, req.Variant); err != nil {
			return fmt.Errorf("mediator: %w", err)
		}
	}
	if cfg.Mediator == nil {
		return errors.New("mediator: this server has no built-in mediators")
	}
	var err error
	if n.med, err = cfg.Mediator(spec); err != nil {
		return fmt.Errorf("mediator: %w", err)
	}
	return nil
}

// seatOf returns the remote seat whose token grants lens l (a seat's or
// the mediator's), or nil.
func (n *negotiation) seatOf(l Lens) *remoteSeat {
	switch l.Kind {
	case LensSeat:
		return n.remotes[l.Party]
	case LensMediator:
		return n.mediator
	}
	return nil
}

// append adds an event to the log (not yet persisted or shown).
func (n *negotiation) append(e Event) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	e.Seq = int64(len(n.events)) + 1
	rec, err := compactJSON(&e)
	if err != nil {
		return fmt.Errorf("server: negotiation %s: encoding event %d (%s): %w", n.id, e.Seq, e.Type, err)
	}
	n.events = append(n.events, e)
	n.records = append(n.records, rec)
	if e.Type == TypeEnded {
		n.ended = true
	}
	return nil
}

// flush persists the events appended since the last flush, then shows
// them to the lenses: a lens never shows an event that a crash could
// lose.
func (n *negotiation) flush(ctx context.Context) error {
	n.flushMu.Lock()
	defer n.flushMu.Unlock()
	n.mu.Lock()
	from, recs := n.flushed, n.records[n.flushed:]
	var taken []time.Time
	if len(recs) > 0 {
		taken, n.answered = n.answered, nil
	}
	n.mu.Unlock()
	if len(recs) == 0 {
		return nil
	}
	// The write must not be cut short by a cancelled negotiation: the
	// ending is persisted after a shutdown too.
	if err := n.srv.log.Append(context.WithoutCancel(ctx), n.id, int64(from)+1, recs); err != nil {
		return fmt.Errorf("server: negotiation %s: %w", n.id, err)
	}
	// The server's action latency: from an action's request to its event
	// committed, and shown right after (observed first, so that a client
	// that sees the event finds the action counted).
	now := n.srv.now()
	for _, t := range taken {
		n.srv.metrics.latency.Observe(now.Sub(t).Seconds())
	}
	n.mu.Lock()
	n.flushed = from + len(recs)
	close(n.wake)
	n.wake = make(chan struct{})
	n.mu.Unlock()
	return nil
}

// taken notes that the protocol took a remote action received at t: the
// flush that commits its event observes the server's action latency.
func (n *negotiation) taken(t time.Time) {
	n.mu.Lock()
	n.answered = append(n.answered, t)
	n.mu.Unlock()
}

// since returns the persisted events after seq after that lens l shows,
// with their encodings, a channel closed when more are persisted, and
// whether the log is complete (ended and persisted).
func (n *negotiation) since(l Lens, after int64) (evs []Event, recs [][]byte, wake <-chan struct{}, complete bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i := int(max(after, 0)); i < n.flushed; i++ {
		if l.Sees(n.events[i].Audience) {
			evs = append(evs, n.events[i])
			recs = append(recs, n.records[i])
		}
	}
	return evs, recs, n.wake, n.ended && n.flushed == len(n.events)
}

// running reports whether the negotiation has not ended.
func (n *negotiation) running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return !n.ended
}

// start appends the opening events: the definition, the public creation
// and the owner's setup.
func (n *negotiation) start() error {
	req := &n.def.Request
	def := n.def
	evs := []Event{
		{Type: typeDefinition, Audience: audienceServer, Definition: &def},
		{Type: TypeCreated, Audience: AudiencePublic, Created: &Created{ID: n.id, Scenario: n.scnName, Protocol: req.Protocol,
			Variant: req.Variant, Deadline: n.deadline, Parties: n.names, Issues: issuesOf(n.space), Outcomes: n.space.Size()}},
		{Type: TypeSetup, Audience: AudienceOwner, Setup: &Setup{Scenario: req.Scenario, Files: req.Files, Seats: req.Seats,
			Mediator: req.Mediator, Seed: req.Seed}},
	}
	for _, e := range evs {
		if err := n.append(e); err != nil {
			return err
		}
	}
	return nil
}

// errShutdown is the cause of a negotiation cut short by the server's
// shutdown.
var errShutdown = errors.New("the server shut down during the negotiation")

// run negotiates to the end, appends the ending and persists the log.
// ctx is cancelled when the server shuts down.
func (n *negotiation) run(ctx context.Context) {
	defer close(n.done)
	start := n.srv.now()
	res, err := n.negotiate(ctx)
	if err == nil && ctx.Err() != nil && res.Reason == parley.ReasonError {
		err = errShutdown
	}
	if err != nil {
		if ctx.Err() != nil {
			err = errShutdown
		}
		res = n.abandon(err)
	}
	if err := n.finish(res); err != nil {
		n.srv.logger.Error("negotiation: recording the ending", "negotiation", n.id, "err", err)
	}
	// The metrics count the ending before any client can see it.
	n.srv.metrics.finished(res.Reason)
	n.srv.metrics.active.Dec()
	n.srv.stopped() // before any client can see the ending: a client that saw it may create another
	if err := n.flush(ctx); err != nil {
		n.srv.logger.Error("negotiation: persisting the log", "negotiation", n.id, "err", err)
	}
	n.release()
	n.srv.keep(n)
	n.srv.logger.Info("negotiation ended", "negotiation", n.id, "reason", res.Reason.String(), "steps", res.Steps,
		"duration", n.srv.now().Sub(start))
}

// negotiate runs the protocol with the seats.
func (n *negotiation) negotiate(ctx context.Context) (*parley.Result, error) {
	if n.plan != nil {
		return n.negotiateStaged(ctx)
	}
	req := &n.def.Request
	negs := n.negotiators()
	var traceErr error
	// Remote seats keep their own turn deadlines (TurnTimeout), so that a
	// fallback strategy can take over within the turn.
	opts := sao.Options{Deadline: n.deadline, Now: n.srv.cfg.Now,
		Trace: func(e parley.Event) {
			if err := n.action(e); err != nil && traceErr == nil {
				traceErr = err
			}
		}}
	m, err := sao.New(n.ready.Profiles(), n.names, opts)
	if err != nil {
		return nil, err
	}
	res, err := m.Run(ctx, negs, req.Seed)
	if err == nil {
		err = traceErr
	}
	return res, err
}

// negotiators returns the parties' seats as negotiators: the remote seats
// and a fresh negotiator for each built-in seat (nil for a seat that only
// votes).
func (n *negotiation) negotiators() []parley.Negotiator {
	negs := make([]parley.Negotiator, len(n.negs))
	for i, f := range n.negs {
		switch {
		case n.remotes[i] != nil:
			negs[i] = n.remotes[i]
		case f != nil:
			negs[i] = f()
		}
	}
	return negs
}

// timed holds a seat that is neither a remote seat (which keeps its own
// deadlines) nor an in-process strategy (which needs none), such as a
// GeniusWeb party, to the server's turn deadline in Init and Act.
type timed struct {
	parley.Negotiator
	d time.Duration
}

// Init calls the seat's Init under the deadline.
func (t *timed) Init(ctx context.Context, s *parley.Session) error {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	defer cancel()
	return t.Negotiator.Init(ctx, s)
}

// Act calls the seat's Act under the deadline.
func (t *timed) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	defer cancel()
	return t.Negotiator.Act(ctx, st)
}

// Finish passes the ending on to a seat that wants it.
func (t *timed) Finish(ctx context.Context, e parley.Ending) {
	if f, ok := t.Negotiator.(parley.Finisher); ok {
		f.Finish(ctx, e)
	}
}

// action appends a public action event.
func (n *negotiation) action(e parley.Event) error {
	typ, err := actionType(e.Action)
	if err != nil {
		return err
	}
	ev := &ActionEvent{Stage: -1, Step: e.Step, Round: e.Round, Time: e.Time, Party: e.Party, Outcome: -1}
	if e.Action != parley.End && n.space.Valid(e.Outcome) {
		ev.Outcome, ev.Values = int(e.Outcome), n.space.Named(e.Outcome)
	}
	if !n.replayed {
		n.srv.metrics.actions.Inc()
	}
	return n.append(Event{Type: typ, Audience: AudiencePublic, Action: ev})
}

// abandon is the result of a negotiation that could not run to its end
// (a shutdown, a restart, a seat that could not be built): reason error,
// every party paid its reservation value at the time of the last action,
// after the turns its log shows (every action and vote: Result.Steps).
func (n *negotiation) abandon(cause error) *parley.Result {
	n.mu.Lock()
	var last *ActionEvent
	steps := 0
	for i := range n.events {
		if a := n.events[i].Action; a != nil {
			last, steps = a, steps+1
		} else if n.events[i].Vote != nil {
			steps++
		}
	}
	n.mu.Unlock()
	res := &parley.Result{Agreement: parley.NoOutcome, Reason: parley.ReasonError, Party: -1, Rounds: 1, Steps: steps, Err: cause}
	if last != nil {
		res.Rounds, res.Time = last.Round+1, last.Time
	}
	ready, err := n.prepared()
	if err != nil {
		res.Err = fmt.Errorf("%w (and preparing the scenario for the reservation values: %v)", cause, err)
		return res
	}
	for _, p := range ready.Profiles() {
		u := p.ReservationAt(res.Time)
		res.Utilities = append(res.Utilities, u)
		res.Discounted = append(res.Discounted, p.Discounted(u, res.Time))
	}
	return res
}

// finish appends the public ending and each party's own result.
func (n *negotiation) finish(res *parley.Result) error {
	e := &Ended{Reason: res.Reason.String(), Agreement: -1, Rounds: res.Rounds, Steps: res.Steps, Time: res.Time, Party: res.Party}
	if res.Agreed() {
		e.Agreement, e.Values = int(res.Agreement), n.space.Named(res.Agreement)
	}
	if res.Err != nil {
		e.Cause = res.Err.Error()
	}
	e.Stage = n.endStage
	if err := n.append(Event{Type: TypeEnded, Audience: AudiencePublic, Ended: e}); err != nil {
		return err
	}
	for i := range res.Utilities {
		r := &Result{Party: i, Utility: res.Utilities[i], Discounted: res.Discounted[i]}
		if err := n.append(Event{Type: TypeResult, Audience: SeatAudience(i), Result: r}); err != nil {
			return err
		}
	}
	return n.append(Event{Type: TypeAnalysis, Audience: AudienceOwner, Analysis: n.analyse(res)})
}

// analyse is the owner's analysis of res over the parties that negotiate,
// as parley run reports it.
func (n *negotiation) analyse(res *parley.Result) *Analysis {
	idx := n.negotiating()
	a := &Analysis{Parties: idx}
	ready, err := n.prepared()
	if err != nil {
		a.Error = err.Error()
		return a
	}
	profs := make([]*parley.Profile, len(idx))
	u := make([]float64, len(idx))
	for k, i := range idx {
		profs[k] = ready.Profile(i)
		if i < len(res.Utilities) {
			u[k] = res.Utilities[i]
		}
	}
	rep, err := analysis.Analyze(ready.Space(), profs)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	a.Nash, a.KalaiSmorodinsky, a.Opposition = rep.Nash, rep.KalaiSmorodinsky, rep.Opposition
	if len(rep.Frontier) > 0 {
		mw := rep.MaxWelfare
		a.MaxWelfare = &mw
	}
	if m, err := rep.Metrics(u); err == nil {
		a.Metrics = &m
	} else {
		a.Error = err.Error()
	}
	return a
}

// profileOf returns what a seat may know of a profile: its utilities by
// outcome, reservation value and red lines.
func (n *negotiation) profileOf(p *parley.Profile) (u []float64, redLines []Value) {
	u = make([]float64, n.space.Size())
	for o := range u {
		u[o] = p.Utility.Utility(parley.Outcome(o))
	}
	for _, v := range p.Vetoes {
		is := &n.space.Issues[v.Issue]
		redLines = append(redLines, Value{Issue: is.Name, Value: is.Value(v.Value)})
	}
	return u, redLines
}

// sessionOf is the session event of remote seat r (party -1: the
// mediator) for its parley.Session s.
func (n *negotiation) sessionOf(r *remoteSeat, s *parley.Session) *Session {
	p := s.Profile
	ses := &Session{Stage: n.stage, Role: "negotiator", Party: r.party, Reservation: p.Reservation, Discount: p.Discount,
		Drift: p.Drift, Hazard: p.Hazard,
		Clock: Clock{Parties: s.Clock.Parties, Rounds: s.Clock.Rounds, Cost: s.Clock.Cost, Offset: s.Clock.Offset, Total: s.Clock.Total, GENIUS: s.Clock.GENIUS}}
	ses.Utilities, ses.RedLines = n.profileOf(p)
	switch {
	case r.party < 0:
		ses.Role = "mediator"
		if k := n.plan.Stages[n.stage].Mediator; k >= 0 {
			ses.Party, ses.Name = k, n.names[k]
		}
	case s.Protocol == "mediated":
		ses.Role, ses.Name = "voter", n.names[r.party]
	default:
		ses.Name = n.names[r.party]
	}
	if ses.Discount == 0 {
		ses.Discount = 1
	}
	for j, d := range s.Declared {
		u, red := n.profileOf(d)
		ses.Declared = append(ses.Declared, Declared{Party: n.global(j), Utilities: u, Reservation: d.Reservation, RedLines: red})
	}
	if n.plan == nil {
		// The stream protocol/sao gives party i: rng.Reseed(pcg, seed, i).
		a := rng.Derive(n.def.Request.Seed, uint64(s.Party))
		ses.Rand = []string{strconv.FormatUint(a, 10), strconv.FormatUint(rng.SplitMix64(a), 10)}
	}
	return ses
}

// global returns the party index of the running stage's participant j
// (-1 stays -1: the mediator, or nobody).
func (n *negotiation) global(j int) int {
	if n.plan == nil || n.stage < 0 || j < 0 {
		return j
	}
	return n.plan.Stages[n.stage].Participants[j]
}

// decodeEvent reads a record of the log.
func decodeEvent(rec []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(rec, &e); err != nil {
		return e, err
	}
	return e, nil
}

// turnTimeoutMS is the per-turn deadline in milliseconds (0: none).
func (n *negotiation) turnTimeoutMS() int64 {
	return int64(n.turn / time.Millisecond)
}
