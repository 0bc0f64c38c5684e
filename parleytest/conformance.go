package parleytest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/protocol/sao"
)

// conformanceDeadline is the number of rounds of each conformance run.
const conformanceDeadline = 60

// TestNegotiator checks that the negotiators made by f behave as every
// parley.Negotiator must. It seats one in every position of the scenario
// given by profiles (TwoIssue when none are given) against three kinds of
// opponents in turn (a Scripted one that never accepts, a Conceder, and
// negotiators from f itself), and runs each pairing through protocol/sao
// with a 60-round deadline. It checks that:
//
//   - Init with no profile returns an error, and Act before Init returns
//     (an error or an action) without panicking;
//   - every run ends without error: the negotiator offers only outcomes of
//     the space, accepts only when an offer stands, does not fail and
//     answers each turn within 10 seconds;
//   - the same seed gives the same trace, with fresh negotiators and with
//     the same negotiators initialised again;
//   - it keeps no State: the trace stays the same when each turn's State
//     is a private copy that is overwritten with garbage (invalid outcomes,
//     NaN times) as soon as Act returns, so reading a kept State, Offers
//     slice or record in a later turn changes the run.
func TestNegotiator(t *testing.T, f func() parley.Negotiator, profiles ...*parley.Profile) {
	t.Helper()
	if len(profiles) == 0 {
		_, profiles = TwoIssue()
	}
	if len(profiles) < 2 {
		t.Fatalf("parleytest: %d profiles, need at least 2", len(profiles))
	}
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = fmt.Sprintf("party%d", i)
	}
	t.Run("bad-input", func(t *testing.T) {
		for _, err := range checkBadInput(f) {
			t.Error(err)
		}
	})
	for seat := range profiles {
		for _, opp := range opponents(profiles[0].Space, f) {
			t.Run(fmt.Sprintf("seat%d-vs-%s", seat, opp.name), func(t *testing.T) {
				if err := checkSeat(f, opp.make, profiles, names, seat); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

type opponent struct {
	name string
	make func() parley.Negotiator
}

// opponents returns the kinds of opponents the conformance check uses.
func opponents(space *parley.OutcomeSpace, f func() parley.Negotiator) []opponent {
	script := make([]parley.Outcome, conformanceDeadline)
	r := rng.New(0x5eed, 0)
	for i := range script {
		script[i] = parley.Outcome(r.Int64N(int64(space.Size())))
	}
	return []opponent{
		{"scripted", func() parley.Negotiator { return &Scripted{Actions: Offers(script...)} }},
		{"conceder", func() parley.Negotiator { return &Conceder{} }},
		{"self", f},
	}
}

// checkSeat runs the negotiator from f in the given seat against opponents
// from opp in every other seat and returns the first problem found.
func checkSeat(f, opp func() parley.Negotiator, profiles []*parley.Profile, names []string, seat int) error {
	negs := func() []parley.Negotiator {
		ns := make([]parley.Negotiator, len(profiles))
		for i := range ns {
			if i == seat {
				ns[i] = f()
			} else {
				ns[i] = opp()
			}
		}
		return ns
	}
	for _, seed := range []uint64{1, 2} {
		ns := negs()
		want, err := run("first run", profiles, names, ns, seed)
		if err != nil {
			return err
		}
		got, err := run("fresh negotiators", profiles, names, negs(), seed)
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: fresh negotiators gave another trace: %s", seed, diff(want, got))
		}
		if got, err = run("negotiators initialised again", profiles, names, ns, seed); err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: initialising the same negotiators again gave another trace (does Init reset everything?): %s", seed, diff(want, got))
		}
		ps := negs()
		ps[seat] = &poisoner{inner: ps[seat]}
		if got, err = run("with poisoned states", profiles, names, ps, seed); err != nil {
			return fmt.Errorf("%w (does it keep the State or its Offers?)", err)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: the trace changed when each State was overwritten after Act (does it keep the State or its Offers?): %s", seed, diff(want, got))
		}
	}
	return nil
}

// run negotiates once and returns the trace.
func run(what string, profiles []*parley.Profile, names []string, negs []parley.Negotiator, seed uint64) ([]parley.Event, error) {
	var trace []parley.Event
	m, err := sao.New(profiles, names, sao.Options{Deadline: conformanceDeadline, TurnTimeout: 10 * time.Second,
		Trace: func(e parley.Event) { trace = append(trace, e) }})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	res, err := m.Run(context.Background(), negs, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: seed %d: %w", what, seed, err)
	}
	if res.Reason == parley.ReasonError {
		return nil, fmt.Errorf("%s: seed %d: negotiation failed: %w", what, seed, res.Err)
	}
	if res.Rounds > conformanceDeadline {
		return nil, fmt.Errorf("%s: seed %d: ran %d rounds past the deadline of %d", what, seed, res.Rounds, conformanceDeadline)
	}
	for _, e := range trace {
		if e.Action == parley.Offer && !profiles[0].Space.Valid(e.Outcome) {
			return nil, fmt.Errorf("%s: seed %d: step %d: party %d offered invalid outcome %d", what, seed, e.Step, e.Party, e.Outcome)
		}
	}
	return trace, nil
}

// checkBadInput checks that a negotiator fails cleanly without a profile
// and before Init.
func checkBadInput(f func() parley.Negotiator) (errs []error) {
	ctx := context.Background()
	func() {
		defer func() {
			if r := recover(); r != nil {
				errs = append(errs, fmt.Errorf("Init with an empty Session panicked: %v", r))
			}
		}()
		if err := f().Init(ctx, &parley.Session{}); err == nil {
			errs = append(errs, errors.New("Init with no profile returned no error"))
		}
	}()
	func() {
		defer func() {
			if r := recover(); r != nil {
				errs = append(errs, fmt.Errorf("Act before Init panicked: %v", r))
			}
		}()
		_, _ = f().Act(ctx, &parley.State{Parties: 2, Standing: parley.NoOutcome, Proposer: -1})
	}()
	return errs
}

// poisoner hands the negotiator a private copy of each State and overwrites
// it with garbage as soon as Act returns.
type poisoner struct {
	inner parley.Negotiator
}

func (p *poisoner) Init(ctx context.Context, s *parley.Session) error { return p.inner.Init(ctx, s) }

func (p *poisoner) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	c := *st
	c.Offers = slices.Clone(st.Offers)
	a, err := p.inner.Act(ctx, &c)
	for i := range c.Offers {
		c.Offers[i] = parley.OfferRecord{Party: -3, Outcome: -7, Step: -1, Round: -1, Time: math.NaN()}
	}
	c.Offers = c.Offers[:0]
	c.Step, c.Round, c.Time, c.Deadline, c.Parties, c.Me = -1, -1, math.NaN(), -1, -1, -1
	c.Standing, c.Proposer, c.Accepts = -7, -3, -1
	return a, err
}

// diff describes the first difference between two traces.
func diff(want, got []parley.Event) string {
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			return fmt.Sprintf("event %d: want %+v, got %+v", i, want[i], got[i])
		}
	}
	return fmt.Sprintf("want %d events, got %d", len(want), len(got))
}
