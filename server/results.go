package server

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// Results are the stored tournaments and experiments the server shows,
// read-only, at GET /results (Config.Results). Package server/results
// implements it over SQLite databases (store/sqlite), with the report
// code of `parley report` and `parley experiment`. Its methods are called
// from several requests at once. An error wrapping ErrNoResults is a
// 404, one wrapping ErrUnavailable a 409; both show their text.
type Results interface {
	// List returns the databases, in the order they were given.
	List(ctx context.Context) ([]ResultSet, error)
	// Report returns the report of the named database: for a tournament
	// the document `parley report --json` prints, for an experiment the
	// one `parley experiment ... --json` prints.
	Report(ctx context.Context, name string) (*ResultReport, error)
	// Runs returns limit stored runs of the named database from the
	// offset-th, in run order (limit 0: none, only the total).
	Runs(ctx context.Context, name string, offset, limit int) (*RunPage, error)
	// Replay returns stored run id of the named database, ready to run
	// again (as `parley replay` runs it).
	Replay(ctx context.Context, name string, id int64) (*Replay, error)
}

// ErrNoResults is wrapped by a Results' error for a database or a run it
// does not hold.
var ErrNoResults = errors.New("no such results")

// ErrUnavailable is wrapped by a Results' error for a report that cannot
// be made now (an experiment with runs still missing).
var ErrUnavailable = errors.New("not available")

// ResultSet is one database of GET /results.
type ResultSet struct {
	Name     string `json:"name"`     // its file's name without the extension
	Kind     string `json:"kind"`     // "tournament" or "experiment"
	Protocol string `json:"protocol"` // the tournament's protocol: sao, mediated or staged
	Done     int64  `json:"done"`     // runs stored
	Total    int64  `json:"total"`    // runs planned
	// Scenarios are the scenario references; Entrants the agents (or,
	// for a tournament of mediators, the mediators) and Arms an
	// experiment's arms.
	Scenarios []string `json:"scenarios"`
	Entrants  []string `json:"entrants,omitempty"`
	Arms      []string `json:"arms,omitempty"`
	// Missing says what the report lacks because an older Parley wrote
	// the database ("" when nothing is missing).
	Missing string `json:"missing,omitempty"`
}

// ResultReport is GET /results/{name}: the database and its report.
type ResultReport struct {
	ResultSet
	// Report is `parley report --json`'s document for a tournament,
	// `parley experiment --json`'s for an experiment.
	Report json.RawMessage `json:"report"`
}

// RunPage is GET /results/{name}/runs: a page of the stored runs, each
// as `parley report` counts it (tournament.Record's JSON).
type RunPage struct {
	Offset int               `json:"offset"`
	Total  int64             `json:"total"` // runs stored
	Runs   []json.RawMessage `json:"runs"`
}

// ReplayResponse is POST /results/{name}/runs/{run}/replay: the replayed
// run as a finished negotiation, and a token of the owner's lens on it
// (read-only: it takes no actions) for GET /negotiations/{id}, its events
// and its stream, and the web UI's #/watch/ID/TOKEN.
type ReplayResponse struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// Replay is a stored run to run again as a finished negotiation: the
// server's log of it is made by the server's own event code from the
// actions Run reports, so that it reads as a live negotiation's.
type Replay struct {
	// Key names the run among all the Results' runs: a replay of the same
	// key is made once and shown again.
	Key string
	// Scenario is the run's scenario (with an arm's settings applied).
	Scenario *scenario.Scenario
	// Setup is the owner's record: the scenario reference, the seats
	// (strategy specs) and the run's seed.
	Setup Setup
	// Protocol is ProtocolSAO, ProtocolMediated or ProtocolStaged;
	// Variant a staged run's protocol variant.
	Protocol, Variant string
	// Plan is a mediated or staged run's stages (nil for protocol sao).
	Plan *staged.Plan
	// Deadline is the run's rounds.
	Deadline int
	// Run negotiates the run again, calling stage as each stage begins
	// and trace with each action (stage -1 in protocol sao; the party is
	// the stage's own index of the participant, as staged.Plan.Trace
	// gives it); it returns the result and the stage it ended in.
	Run func(ctx context.Context, stage func(k, offset int), trace func(k int, e parley.Event)) (*parley.Result, string, error)
}

// MaxRunsPage bounds the limit parameter of GET /results/{name}/runs.
const MaxRunsPage = 1000

// resultsError maps a Results' error to its HTTP status.
func resultsError(err error) error {
	switch {
	case errors.Is(err, ErrNoResults):
		return &apiError{http.StatusNotFound, err}
	case errors.Is(err, ErrUnavailable):
		return &apiError{http.StatusConflict, err}
	}
	return err
}

// admitResults checks the admin token and that the server has results.
func (s *Server) admitResults(r *http.Request) error {
	if err := s.admitAdmin(r); err != nil {
		return err
	}
	if s.cfg.Results == nil {
		return &apiError{http.StatusNotFound, errors.New("this server shows no results (parley serve --results FILE.db)")}
	}
	return nil
}

func (s *Server) resultsList(w http.ResponseWriter, r *http.Request) {
	if err := s.admitResults(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	sets, err := s.cfg.Results.List(r.Context())
	if err != nil {
		s.writeError(w, r, resultsError(err))
		return
	}
	if sets == nil {
		sets = []ResultSet{}
	}
	writeJSON(w, http.StatusOK, struct {
		Results []ResultSet `json:"results"`
	}{sets})
}

func (s *Server) resultsReport(w http.ResponseWriter, r *http.Request) {
	if err := s.admitResults(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, err := s.cfg.Results.Report(r.Context(), r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, resultsError(err))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) resultsRuns(w http.ResponseWriter, r *http.Request) {
	if err := s.admitResults(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	offset, err := queryInt(r, "offset", 1<<40)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := int64(100)
	if r.URL.Query().Has("limit") {
		if limit, err = queryInt(r, "limit", MaxRunsPage); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	page, err := s.cfg.Results.Runs(r.Context(), r.PathValue("name"), int(offset), int(limit))
	if err != nil {
		s.writeError(w, r, resultsError(err))
		return
	}
	if page.Runs == nil {
		page.Runs = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) resultsReplay(w http.ResponseWriter, r *http.Request) {
	if err := s.admitResults(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("run"), 10, 64)
	if err != nil || id < 0 {
		s.writeError(w, r, badRequest(fmt.Errorf("run %q: want a run id (a non-negative integer)", r.PathValue("run"))))
		return
	}
	res, err := s.ReplayRun(r.Context(), r.PathValue("name"), id)
	if err != nil {
		s.writeError(w, r, resultsError(err))
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

// ReplayRun runs stored run id of the named database (Config.Results)
// again as a finished negotiation, once per run (a later call shows the
// same negotiation), and returns its ID and a fresh token of the owner's
// lens on it. The replay is kept in memory only: it is not written to
// the Log, not listed by GET /negotiations, and gone after a restart.
func (s *Server) ReplayRun(ctx context.Context, name string, id int64) (ReplayResponse, error) {
	if s.cfg.Results == nil {
		return ReplayResponse{}, fmt.Errorf("%w: this server shows no results", ErrNoResults)
	}
	rp, err := s.cfg.Results.Replay(ctx, name, id)
	if err != nil {
		return ReplayResponse{}, err
	}
	s.mu.Lock()
	rep, ok := s.replays[rp.Key]
	s.mu.Unlock()
	if !ok {
		// Two requests for the same run may both make it: the first
		// kept is shown, with the same events.
		n, err := s.replay(ctx, rp)
		if err != nil {
			return ReplayResponse{}, err
		}
		s.mu.Lock()
		if rep, ok = s.replays[rp.Key]; !ok {
			rep = &replayed{key: rp.Key, n: n}
			s.keepReplay(rep)
		}
		s.mu.Unlock()
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
		return ReplayResponse{}, fmt.Errorf("server: making a token: %w", err)
	}
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch cur, ok := s.replays[rp.Key]; {
	case !ok:
		s.keepReplay(rep) // dropped meanwhile: kept again
	case cur != rep:
		rep = cur // dropped and made anew meanwhile
	}
	h := hashToken(tok)
	s.grants[h] = grant{id: rep.n.id, lens: Lens{Kind: LensOwner}}
	rep.tokens = append(rep.tokens, h)
	if len(rep.tokens) > MaxReplayTokens {
		delete(s.grants, rep.tokens[0])
		rep.tokens = rep.tokens[1:]
	}
	return ReplayResponse{ID: rep.n.id, Token: tok}, nil
}

// MaxReplays bounds the replays a server keeps, and MaxReplayTokens the
// tokens of one replay: beyond them the oldest replay (or token) is
// dropped, and its tokens no longer show it (replaying the run again
// makes it anew, with the same actions).
const (
	MaxReplays      = 256
	MaxReplayTokens = 16
)

// replayed is a replay the server keeps, with the hashes of its tokens.
type replayed struct {
	key    string
	n      *negotiation
	tokens []string
}

// keepReplay registers rep, dropping the oldest replay beyond
// MaxReplays; s.mu is held.
func (s *Server) keepReplay(rep *replayed) {
	if s.replays == nil {
		s.replays = map[string]*replayed{}
	}
	s.replays[rep.key] = rep
	s.byID[rep.n.id] = rep.n
	s.replayOrder = append(s.replayOrder, rep)
	for len(s.replayOrder) > MaxReplays {
		old := s.replayOrder[0]
		s.replayOrder = s.replayOrder[1:]
		for _, h := range old.tokens {
			delete(s.grants, h)
		}
		delete(s.byID, old.n.id)
		if s.replays[old.key] == old {
			delete(s.replays, old.key)
		}
	}
}

// replay builds the finished negotiation of rp: its log is the opening
// events, the stages and actions rp.Run reports, and the ending, as a
// live negotiation's.
func (s *Server) replay(ctx context.Context, rp *Replay) (*negotiation, error) {
	ready, err := rp.Scenario.Prepare()
	if err != nil {
		return nil, fmt.Errorf("server: replay %s: %w", rp.Key, err)
	}
	s.mu.Lock()
	s.replayCount++
	id := "r" + strconv.Itoa(s.replayCount)
	s.mu.Unlock()
	req := CreateRequest{Scenario: rp.Setup.Scenario, Protocol: rp.Protocol, Variant: rp.Variant, Seats: rp.Setup.Seats,
		Mediator: rp.Setup.Mediator, Seed: rp.Setup.Seed}
	n := &negotiation{id: id, srv: s, def: definition{Request: req, Tokens: map[string]string{}}, scn: rp.Scenario, scnName: rp.Scenario.Name, ready: ready,
		space: ready.Space(), names: ready.Names(), deadline: rp.Deadline, remotes: make([]*remoteSeat, len(rp.Scenario.Parties)),
		done: make(chan struct{}), wake: make(chan struct{}), stage: -1, plan: rp.Plan, replayed: true}
	if err := n.start(); err != nil {
		return nil, err
	}
	var traceErr error
	keep := func(err error) {
		if err != nil && traceErr == nil {
			traceErr = err
		}
	}
	stage := func(k, offset int) { keep(n.startStage(k, offset)) }
	trace := func(k int, e parley.Event) {
		if k < 0 || n.plan == nil {
			keep(n.action(e))
			return
		}
		keep(n.stagedAction(k, e))
	}
	res, end, err := rp.Run(ctx, stage, trace)
	if err == nil {
		err = traceErr
	}
	if err != nil {
		return nil, fmt.Errorf("server: replay %s: %w", rp.Key, err)
	}
	n.endStage = end
	if err := n.finish(res); err != nil {
		return nil, err
	}
	n.mu.Lock()
	n.flushed = len(n.events)
	n.mu.Unlock()
	n.readyMu.Lock()
	n.ready = nil // its scenario stays, to prepare again (prepared)
	n.readyMu.Unlock()
	close(n.done)
	return n, nil
}
