// Package results serves stored tournaments and experiments to package
// server (server.Results): `parley serve --results FILE.db`. It opens
// each results database read-only (store/sqlite) and makes its reports
// with the code of the commands that print them, so that the web page
// shows the numbers the terminal shows: a tournament's leaderboard is
// `parley report`'s (sqlite.Store.Report), an experiment's arms and paired
// tests are `parley experiment`'s (experiment.Run over the stored runs,
// which runs nothing when every run is stored). A stored run is run again
// for its replay as `parley replay` runs it (tournament.RunNegotiation on
// the tournament rebuilt from the database).
package results

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// SchemaReport is the schema of a tournament's report: `parley report
// --json`'s (docs/tournaments.md).
const SchemaReport = "parley.report/2"

// Options configure a Set.
type Options struct {
	// Resolver rebuilds the stored tournaments from their specs and
	// scenario references (tournament.Rebuild), as `parley replay` does:
	// the parley command passes its registries.
	Resolver tournament.Resolver
	// NeedsDeclared tells the mediator specs that need declared
	// preferences (strategy/mediator.NeedsDeclared): with it, an
	// experiment whose arms are a sequencing experiment's is reported as
	// one, with its information note.
	NeedsDeclared func(spec string) bool
	// Limit is the wall-time limit of a replay (0: none).
	Limit time.Duration
}

// Set is the results databases a server shows. It implements
// server.Results; its methods are safe for concurrent use.
type Set struct {
	opt    Options
	dbs    []*db
	byName map[string]*db
}

var _ server.Results = (*Set)(nil)

// db is one results database.
type db struct {
	name string
	st   *sqlite.Store
	meta tournament.Meta

	mu     sync.Mutex
	cfg    *tournament.Config // rebuilt on first use
	report json.RawMessage    // the last report, of done runs
	done   int64
}

// Open opens the results databases at paths read-only, each named by its
// file's name without the extension. A missing file, a file that is not a
// Parley results database, one that holds no tournament yet, and two
// files of the same name are errors naming the file.
func Open(ctx context.Context, paths []string, opt Options) (*Set, error) {
	s := &Set{opt: opt, byName: map[string]*db{}}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		if old, ok := s.byName[name]; ok {
			s.Close()
			return nil, fmt.Errorf("results: %s and %s have the same name %q: rename one", old.st.Path(), p, name)
		}
		st, err := sqlite.OpenReadOnly(p)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("results: %s: %w", p, err)
		}
		m, ok, err := st.Meta(ctx)
		if err == nil && !ok {
			err = errors.New("it holds no tournament or experiment yet")
		}
		if err != nil {
			st.Close()
			s.Close()
			return nil, fmt.Errorf("results: %s: %w", p, err)
		}
		d := &db{name: name, st: st, meta: m}
		s.dbs = append(s.dbs, d)
		s.byName[name] = d
	}
	return s, nil
}

// Close closes the databases.
func (s *Set) Close() error {
	var errs []error
	for _, d := range s.dbs {
		errs = append(errs, d.st.Close())
	}
	return errors.Join(errs...)
}

// lookup returns the database called name.
func (s *Set) lookup(name string) (*db, error) {
	d, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q (GET /results lists them)", server.ErrNoResults, name)
	}
	return d, nil
}

// set summarises d.
func (d *db) set(ctx context.Context) (server.ResultSet, error) {
	m := d.meta
	n, err := d.st.Count(ctx)
	if err != nil {
		return server.ResultSet{}, err
	}
	rs := server.ResultSet{Name: d.name, Kind: "tournament", Protocol: string(cmp.Or(m.Protocol, tournament.ProtocolSAO)),
		Done: n, Total: m.Planned, Scenarios: m.Scenarios, Entrants: m.Agents}
	if m.Protocol == tournament.ProtocolMediated {
		rs.Entrants = m.Mediators
	}
	if len(m.Arms) > 0 {
		rs.Kind = "experiment"
		for _, a := range m.Arms {
			rs.Arms = append(rs.Arms, a.Name)
		}
		switch {
		case m.Design == nil:
			rs.Missing = d.st.Missing()
		case m.Design.Baseline == "":
			// Written before the baseline was stored (and perhaps
			// upgraded since): the report compares with the first arm.
			rs.Missing = cmp.Or(d.st.Missing(), fmt.Sprintf("%s does not store the experiment's baseline (an older parley wrote it), "+
				"so its paired tests compare the others with the first arm, %s; run its 'parley experiment' command again with --db (and --baseline) to store it",
				d.name, m.Arms[0].Name))
		}
	}
	return rs, nil
}

// List returns the databases.
func (s *Set) List(ctx context.Context) ([]server.ResultSet, error) {
	out := make([]server.ResultSet, 0, len(s.dbs))
	for _, d := range s.dbs {
		rs, err := d.set(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, rs)
	}
	return out, nil
}

// Report returns the database's report, made again when more runs are
// stored than when it was last made.
func (s *Set) Report(ctx context.Context, name string) (*server.ResultReport, error) {
	d, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	rs, err := d.set(ctx)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.report == nil || d.done != rs.Done {
		var v any
		if rs.Kind == "experiment" {
			v, err = s.experimentReport(ctx, d, rs)
		} else {
			v, err = d.st.Report(ctx)
			v = struct {
				Schema string `json:"schema"`
				*tournament.Report
			}{SchemaReport, v.(*tournament.Report)}
		}
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("results: %s: %w", d.name, err)
		}
		d.report, d.done = b, rs.Done
	}
	return &server.ResultReport{ResultSet: rs, Report: d.report}, nil
}

// experimentReport makes the report `parley experiment` prints for the
// experiment in d: experiment.Run on the experiment rebuilt from the
// database, over its stored runs (it runs nothing: every run is stored).
func (s *Set) experimentReport(ctx context.Context, d *db, rs server.ResultSet) (*experiment.Report, error) {
	m := d.meta
	if rs.Done < rs.Total {
		return nil, fmt.Errorf("%w: %s holds %d of the experiment's %d runs: its report needs them all (run the 'parley experiment' command that wrote it again with --db)",
			server.ErrUnavailable, d.name, rs.Done, rs.Total)
	}
	r := s.opt.Resolver
	if len(m.Scenarios) != 1 || r.Scenario == nil || r.Agent == nil {
		return nil, fmt.Errorf("%w: %s: cannot rebuild the experiment (scenarios %v)", server.ErrUnavailable, d.name, m.Scenarios)
	}
	sc, err := r.Scenario(m.Scenarios[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: scenario %q: %v", server.ErrUnavailable, d.name, m.Scenarios[0], err)
	}
	cfg := experiment.Config{Runs: m.Reps, Seed: m.Seed, Mediator: r.Mediator, NeedsDeclared: s.opt.NeedsDeclared,
		Ref: m.Scenarios[0], Store: readOnly{d.st}}
	for _, spec := range m.Agents {
		f, err := r.Agent(spec)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: negotiator %q: %v", server.ErrUnavailable, d.name, spec, err)
		}
		cfg.Pool.Negotiators = append(cfg.Pool.Negotiators, experiment.Negotiator{Name: spec, New: f})
	}
	for _, spec := range m.Voters {
		if r.Voter == nil {
			return nil, fmt.Errorf("%w: %s: no voters to rebuild voter %q", server.ErrUnavailable, d.name, spec)
		}
		f, err := r.Voter(spec)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: voter %q: %v", server.ErrUnavailable, d.name, spec, err)
		}
		cfg.Pool.Voters = append(cfg.Pool.Voters, experiment.Voter{Name: spec, New: f})
	}
	if m.Design != nil {
		// The design the command ran: its arms, with each cell's
		// parameter values and the information note, as it printed them.
		// The store checks that the design gives the stored arms.
		if m.Design.Kind != experiment.KindSequencing && m.Design.Kind != experiment.KindSweep {
			return nil, fmt.Errorf("%w: %s: an experiment of unknown kind %q (a newer parley wrote it?)", server.ErrUnavailable, d.name, m.Design.Kind)
		}
		// Its paired tests compare with the stored baseline ("" in a
		// database written before it was stored: the first arm).
		cfg.Baseline = m.Design.Baseline
		rep, err := experiment.Stored(*m.Design, s.opt.NeedsDeclared).Run(ctx, sc, cfg)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", server.ErrUnavailable, d.name, err)
		}
		return rep, nil
	}
	// Written before designs were stored (rs.Missing says so): the arms
	// by name only, unless they are a sequencing experiment's without
	// factors, the ones SequencingArms gives for their variants.
	ts := make([]experiment.Treatment, len(m.Arms))
	var variants []string
	for i, a := range m.Arms {
		ts[i] = experiment.Treatment{Name: a.Name, Variant: a.Variant, Set: a.Set}
		variants = append(variants, a.Variant)
	}
	kind, info := "experiment", ""
	if seq, text, err := experiment.SequencingArms(sc, variants, nil, s.opt.NeedsDeclared); err == nil && sameArms(seq, ts) {
		kind, info = experiment.KindSequencing, text
	}
	rep, err := experiment.Run(ctx, kind, sc, ts, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", server.ErrUnavailable, d.name, err)
	}
	rep.Information = info
	return rep, nil
}

// sameArms reports whether two lists of treatments name the same arms
// with the same variants and settings.
func sameArms(a, b []experiment.Treatment) bool {
	return slices.EqualFunc(a, b, func(x, y experiment.Treatment) bool {
		return x.Name == y.Name && x.Variant == y.Variant && slices.Equal(x.Set, y.Set)
	})
}

// readOnly is a read-only database as an experiment's store: the
// experiment only reads it (every run is stored), and a write would be a
// bug, refused.
type readOnly struct{ *sqlite.Store }

func (r readOnly) Write(context.Context, []tournament.Record) (int, error) {
	return 0, fmt.Errorf("results: %s is read-only", r.Path())
}

// Runs returns a page of the stored runs.
func (s *Set) Runs(ctx context.Context, name string, offset, limit int) (*server.RunPage, error) {
	d, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	n, err := d.st.Count(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := d.st.Page(ctx, offset, limit)
	if err != nil {
		return nil, err
	}
	page := &server.RunPage{Offset: offset, Total: n, Runs: make([]json.RawMessage, len(rs))}
	for i := range rs {
		if page.Runs[i], err = json.Marshal(&rs[i]); err != nil {
			return nil, fmt.Errorf("results: %s: run %d: %w", d.name, rs[i].JobID, err)
		}
	}
	return page, nil
}

// config returns d's tournament rebuilt (tournament.Rebuild), once.
func (s *Set) config(d *db) (*tournament.Config, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cfg != nil {
		return d.cfg, nil
	}
	cfg, err := tournament.Rebuild(d.meta, s.opt.Resolver, s.opt.Limit)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: rebuilding the tournament: %v", server.ErrUnavailable, d.name, err)
	}
	d.cfg = cfg
	return cfg, nil
}

// Replay returns stored run id of the database, to run again as `parley
// replay` runs it.
func (s *Set) Replay(ctx context.Context, name string, id int64) (*server.Replay, error) {
	d, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	if id < 0 || id >= d.meta.Planned {
		return nil, fmt.Errorf("%w: %s has runs 0 to %d, not %d", server.ErrNoResults, d.name, d.meta.Planned-1, id)
	}
	stored, err := d.st.Record(ctx, id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return nil, fmt.Errorf("%w: run %d of %s is not stored yet", server.ErrNoResults, id, d.name)
	}
	if err != nil {
		return nil, err
	}
	cfg, err := s.config(d)
	if err != nil {
		return nil, err
	}
	j, err := tournament.JobAt(cfg, id)
	if err != nil {
		return nil, fmt.Errorf("results: %s: %w", d.name, err)
	}
	set, err := cfg.SettingOf(j)
	if err != nil {
		return nil, fmt.Errorf("results: %s: %w", d.name, err)
	}
	rp := &server.Replay{Key: d.name + "/" + strconv.FormatInt(id, 10), Scenario: set.Scenario, Deadline: set.Deadline,
		Protocol: server.ProtocolSAO, Plan: set.Plan}
	rp.Setup = server.Setup{Scenario: set.Ref, Seed: j.Seed, Seats: make([]server.Seat, len(set.Scenario.Parties))}
	for i := range rp.Setup.Seats {
		st := server.Seat{Kind: server.SeatStrategy}
		if i < len(stored.Agents) {
			st.Spec = stored.Agents[i]
		}
		if i < len(stored.Voters) {
			st.Voter = stored.Voters[i]
		}
		rp.Setup.Seats[i] = st
	}
	if stored.Mediator != "" {
		rp.Setup.Mediator = &server.Seat{Kind: server.SeatStrategy, Spec: stored.Mediator}
	}
	switch cfg.Protocol {
	case tournament.ProtocolStaged:
		rp.Protocol = server.ProtocolStaged
		rp.Variant = cfg.Variant
		if len(cfg.Arms) > 0 {
			rp.Variant = cfg.Arms[j.Arm].Variant
		}
	case tournament.ProtocolMediated:
		// A mediated tournament's run is one mediated stage in which
		// every party votes.
		rp.Protocol = server.ProtocolMediated
		st := cfg.MediatedStage(len(set.Scenario.Parties), set.Deadline)
		rp.Plan = &staged.Plan{Stages: []parley.Stage{st}}
	}
	rp.Run = func(ctx context.Context, stage func(k, offset int), trace func(k int, e parley.Event)) (*parley.Result, string, error) {
		// The events parley replay shows and writes with --trace.
		r, err := tournament.ReplayRun(ctx, cfg, j)
		if err != nil {
			return nil, "", err
		}
		rec := r.Record
		if d := stored.Diff(rec); d != "" {
			// As parley replay: a strategy or scenario that changed since.
			return nil, "", fmt.Errorf("%w: run %d differs from the stored result: %s", server.ErrUnavailable, id, d)
		}
		begun := 0 // the stages announced
		begin := func(upto int) {
			for ; begun <= upto && begun < len(r.Offsets); begun++ {
				if r.Offsets[begun] >= 0 {
					stage(begun, r.Offsets[begun])
				}
			}
		}
		for _, e := range r.Events {
			begin(e.Stage)
			trace(e.Stage, e.Event)
		}
		begin(len(r.Offsets))
		res := r.Result
		if res == nil {
			// It failed before its end (a strategy's error or panic): the
			// record pays the reservation values, as it is stored.
			res = &parley.Result{Agreement: parley.NoOutcome, Reason: parley.ReasonError, Party: -1, Rounds: rec.Rounds,
				Utilities: rec.Utilities, Discounted: rec.Discounted, Err: errors.New(rec.Error)}
		}
		return res, rec.Stage, nil
	}
	return rp, nil
}
