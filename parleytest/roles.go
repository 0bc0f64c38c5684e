package parleytest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// TestVoter checks that the voters made by f behave as every
// mediated.Voter must, as TestNegotiator does for negotiators. It seats one
// in every position of the scenario given by profiles (TwoIssue when none
// are given), with BetterVoters in the other seats and a RandomMediator,
// and runs protocol/mediated for 60 rounds. It checks that:
//
//   - Init with no profile returns an error, and Vote before Init returns
//     without panicking;
//   - every run ends without error (no vote that crosses its own red line,
//     no failure);
//   - the same seed gives the same trace, with fresh voters and with the
//     same voters initialised again;
//   - it keeps no State: the trace stays the same when each State it is
//     handed is a private copy overwritten with garbage after Vote returns.
func TestVoter(t *testing.T, f func() mediated.Voter, profiles ...*parley.Profile) {
	t.Helper()
	if len(profiles) == 0 {
		_, profiles = TwoIssue()
	}
	t.Run("bad-input", func(t *testing.T) {
		for _, err := range badInput(func(ctx context.Context) error { return f().Init(ctx, &parley.Session{}) },
			func(ctx context.Context) { _, _ = f().Vote(ctx, &parley.State{Parties: 2, Standing: 0, Text: 0}) }) {
			t.Error(err)
		}
	})
	for seat := range profiles {
		t.Run(fmt.Sprintf("seat%d", seat), func(t *testing.T) {
			seats := func(poisoned bool) ([]mediated.Voter, mediated.Mediator) {
				vs := make([]mediated.Voter, len(profiles))
				for i := range vs {
					vs[i] = &BetterVoter{}
				}
				vs[seat] = f()
				if poisoned {
					vs[seat] = &poisonVoter{inner: vs[seat]}
				}
				return vs, &RandomMediator{}
			}
			if err := checkRole(profiles, mediated.Options{}, seats); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestMediator checks that the mediators made by f behave as every
// mediated.Mediator must, under opts (Rounds 0 means 60; Info and Rule as
// the mediator needs), with BetterVoters on the scenario given by profiles
// (TwoIssue when none are given). It checks what TestVoter checks, for the
// mediator's seat: clean failure on bad input, runs without error, the
// same trace from the same seed, and no kept State.
func TestMediator(t *testing.T, f func() mediated.Mediator, opts mediated.Options, profiles ...*parley.Profile) {
	t.Helper()
	if len(profiles) == 0 {
		_, profiles = TwoIssue()
	}
	t.Run("bad-input", func(t *testing.T) {
		for _, err := range badInput(func(ctx context.Context) error { return f().Init(ctx, &parley.Session{Party: -1}) },
			func(ctx context.Context) {
				_, _ = f().Propose(ctx, &parley.State{Parties: 2, Me: -1, Standing: parley.NoOutcome, Text: 0})
			}) {
			t.Error(err)
		}
	})
	seats := func(poisoned bool) ([]mediated.Voter, mediated.Mediator) {
		vs := make([]mediated.Voter, len(profiles))
		for i := range vs {
			vs[i] = &BetterVoter{}
		}
		m := f()
		if poisoned {
			m = &poisonMediator{inner: m}
		}
		return vs, m
	}
	if err := checkRole(profiles, opts, seats); err != nil {
		t.Error(err)
	}
}

// checkRole runs the determinism and kept-State checks for one seat
// arrangement: seats(poisoned) builds fresh seats, the one under test
// poisoned or not.
func checkRole(profiles []*parley.Profile, opts mediated.Options, seats func(poisoned bool) ([]mediated.Voter, mediated.Mediator)) error {
	if opts.Rounds == 0 {
		opts.Rounds = conformanceDeadline
	}
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = fmt.Sprintf("party%d", i)
	}
	run := func(what string, vs []mediated.Voter, med mediated.Mediator, seed uint64) ([]parley.Event, error) {
		var trace []parley.Event
		o := opts
		o.Trace = func(e parley.Event) { trace = append(trace, e) }
		m, err := mediated.New(profiles, names, nil, o)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		res, err := m.Run(context.Background(), vs, med, seed)
		if err != nil {
			return nil, fmt.Errorf("%s: seed %d: %w", what, seed, err)
		}
		if res.Reason == parley.ReasonError {
			return nil, fmt.Errorf("%s: seed %d: run failed: %w", what, seed, res.Err)
		}
		return trace, nil
	}
	for _, seed := range []uint64{1, 2} {
		vs, med := seats(false)
		want, err := run("first run", vs, med, seed)
		if err != nil {
			return err
		}
		vs2, med2 := seats(false)
		got, err := run("fresh seats", vs2, med2, seed)
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: fresh seats gave another trace: %s", seed, diff(want, got))
		}
		if got, err = run("seats initialised again", vs, med, seed); err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: initialising the same seats again gave another trace (does Init reset everything?): %s", seed, diff(want, got))
		}
		vs3, med3 := seats(true)
		if got, err = run("with poisoned states", vs3, med3, seed); err != nil {
			return fmt.Errorf("%w (does it keep the State or its slices?)", err)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("seed %d: the trace changed when each State was overwritten after the call (does it keep the State or its slices?): %s", seed, diff(want, got))
		}
	}
	return nil
}

// badInput checks that Init with an empty session fails cleanly and that a
// call before Init does not panic.
func badInput(init func(context.Context) error, call func(context.Context)) (errs []error) {
	ctx := context.Background()
	func() {
		defer func() {
			if r := recover(); r != nil {
				errs = append(errs, fmt.Errorf("Init with an empty Session panicked: %v", r))
			}
		}()
		if err := init(ctx); err == nil {
			errs = append(errs, errors.New("Init with no profile returned no error"))
		}
	}()
	func() {
		defer func() {
			if r := recover(); r != nil {
				errs = append(errs, fmt.Errorf("a call before Init panicked: %v", r))
			}
		}()
		call(ctx)
	}()
	return errs
}

// privateCopy returns a copy of st with its own slices.
func privateCopy(st *parley.State) *parley.State {
	c := *st
	c.Offers = slices.Clone(st.Offers)
	c.Votes = slices.Clone(st.Votes)
	return &c
}

type poisonVoter struct{ inner mediated.Voter }

func (p *poisonVoter) Init(ctx context.Context, s *parley.Session) error { return p.inner.Init(ctx, s) }

func (p *poisonVoter) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	c := privateCopy(st)
	v, err := p.inner.Vote(ctx, c)
	Vandalize(c)
	return v, err
}

// poisonMediator poisons the State of every mediator call, the optional
// capabilities (Adopter, Caller, Locker) included.
type poisonMediator struct{ inner mediated.Mediator }

func (p *poisonMediator) Init(ctx context.Context, s *parley.Session) error {
	return p.inner.Init(ctx, s)
}

func (p *poisonMediator) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	c := privateCopy(st)
	o, err := p.inner.Propose(ctx, c)
	Vandalize(c)
	return o, err
}

func (p *poisonMediator) Adopt(ctx context.Context, st *parley.State) bool {
	a, ok := p.inner.(mediated.Adopter)
	return ok && onCopy(st, func(c *parley.State) bool { return a.Adopt(ctx, c) })
}

func (p *poisonMediator) CallVote(ctx context.Context, st *parley.State) bool {
	c, ok := p.inner.(mediated.Caller)
	return ok && onCopy(st, func(s *parley.State) bool { return c.CallVote(ctx, s) })
}

// onCopy calls f with a private copy of st and vandalises the copy after.
func onCopy(st *parley.State, f func(*parley.State) bool) bool {
	c := privateCopy(st)
	r := f(c)
	Vandalize(c)
	return r
}

func (p *poisonMediator) Lock(issues []int) {
	if l, ok := p.inner.(mediated.Locker); ok {
		l.Lock(issues)
	}
}
