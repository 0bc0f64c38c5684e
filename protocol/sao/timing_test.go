package sao_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
)

// sleeper offers outcome 0 on every turn after sleeping d, never accepting.
type sleeper struct {
	d          time.Duration
	ignoresCtx bool // sleeps through its turn's deadline
}

func (s *sleeper) Init(context.Context, *parley.Session) error { return nil }
func (s *sleeper) Act(ctx context.Context, _ *parley.State) (parley.Action, error) {
	if s.ignoresCtx {
		time.Sleep(s.d)
		return offer(0), nil
	}
	select {
	case <-time.After(s.d):
		return offer(0), nil
	case <-ctx.Done():
		return parley.Action{}, ctx.Err()
	}
}

// TestTimeLimit: under a wall-time limit, normalised time is the elapsed
// share of the limit and the run ends with the deadline reason when it is
// used up. In a synctest bubble each 10 ms turn takes exactly 10 ms, so
// turn k starts at t = k/100 and the 100th turn is the last.
func TestTimeLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := []float64{1, 0.5, 0.2, 0}
		ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
		var times []float64
		m, err := sao.New(ps, names(2), sao.Options{TimeLimit: time.Second,
			Trace: func(e parley.Event) { times = append(times, e.Time) }})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := m.Run(context.Background(), []parley.Negotiator{&sleeper{d: 10 * time.Millisecond}, &sleeper{d: 10 * time.Millisecond}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el != time.Second {
			t.Errorf("the run took %v of the bubble's clock, want exactly 1s", el)
		}
		if r.Reason != parley.ReasonDeadline || r.Steps != 100 || r.Time != 1 {
			t.Errorf("reason %v after %d steps at t=%v; want deadline after 100 steps at t=1", r.Reason, r.Steps, r.Time)
		}
		if len(times) != 100 {
			t.Fatalf("%d events, want 100", len(times))
		}
		for k, tk := range times {
			if want := float64(k*10*int(time.Millisecond)) / float64(time.Second); tk != want {
				t.Fatalf("turn %d at t=%v, want %v", k, tk, want)
			}
		}
	})
}

// TestTurnTimeout: a turn that overruns TurnTimeout fails the run with an
// error naming the party, whether the seat honours its context (it is
// stopped at the timeout) or sleeps through it (the mechanism waits for it,
// then refuses its action).
func TestTurnTimeout(t *testing.T) {
	tests := []struct {
		name    string
		seat    *sleeper
		elapsed time.Duration // on the bubble's clock
		errHas  string
	}{
		{"honours its context", &sleeper{d: 2 * time.Hour}, time.Hour, `party "B": context deadline exceeded`},
		{"sleeps through", &sleeper{d: 2 * time.Hour, ignoresCtx: true}, 2 * time.Hour, `party "B": turn timed out after 1h0m0s`},
		{"in time", &sleeper{d: 59 * time.Minute}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				u := []float64{1, 0.5, 0.2, 0}
				ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
				m, err := sao.New(ps, names(2), sao.Options{Deadline: 3, TurnTimeout: time.Hour})
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				r, err := m.Run(context.Background(), []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, tc.seat}, 1)
				if err != nil {
					t.Fatal(err)
				}
				el := time.Since(start)
				if tc.errHas == "" {
					if r.Reason != parley.ReasonDeadline || r.Err != nil || el != 3*59*time.Minute {
						t.Errorf("reason %v, error %v after %v; want the deadline after 2h57m", r.Reason, r.Err, el)
					}
					return
				}
				if r.Reason != parley.ReasonError || r.Party != 1 || r.Err == nil || !strings.Contains(r.Err.Error(), tc.errHas) {
					t.Errorf("reason %v party %d error %v; want an error from party 1 containing %q", r.Reason, r.Party, r.Err, tc.errHas)
				}
				if el != tc.elapsed {
					t.Errorf("failed after %v, want %v", el, tc.elapsed)
				}
			})
		})
	}
}

// clockReader checks, on every turn, that its Session.Clock gives the time
// the protocol shows it.
type clockReader struct {
	s    *parley.Session
	errs *[]string
}

func (c *clockReader) Init(_ context.Context, s *parley.Session) error { c.s = s; return nil }
func (c *clockReader) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if got := c.s.Clock.At(st.Step); got != st.Time {
		*c.errs = append(*c.errs, fmt.Sprintf("turn %d: Clock.At = %v, State.Time = %v", st.Step, got, st.Time))
	}
	return offer(st.Step % 4), nil
}

// TestSessionClock: the Clock a seat gets tells the time of every turn as
// the protocol counts it, under both timings and on a longer clock.
func TestSessionClock(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	for _, o := range []sao.Options{
		{Deadline: 7},
		{Deadline: 7, Timing: sao.TimingGENIUS},
		{Deadline: 4, RoundOffset: 3, TotalRounds: 9},
		{Deadline: 4, RoundOffset: 3, TotalRounds: 9, Timing: sao.TimingGENIUS},
	} {
		ps := tiny(t, []float64{0, 0, 0}, []float64{1, 1, 1}, u, u, u)
		var errs []string
		m, err := sao.New(ps, names(3), o)
		if err != nil {
			t.Fatal(err)
		}
		r, err := m.Run(context.Background(), []parley.Negotiator{&clockReader{errs: &errs}, &clockReader{errs: &errs}, &clockReader{errs: &errs}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.Reason != parley.ReasonDeadline || r.Steps != 3*o.Deadline {
			t.Fatalf("%+v: %v after %d steps", o, r.Reason, r.Steps)
		}
		if len(errs) > 0 {
			t.Errorf("%+v: %s", o, strings.Join(errs, "; "))
		}
		c := parley.Clock{Parties: 3, Rounds: o.Deadline, Offset: o.RoundOffset, Total: o.TotalRounds, GENIUS: o.Timing == sao.TimingGENIUS}
		if r.Time != c.End() {
			t.Errorf("%+v: ended at t=%v, Clock.End = %v", o, r.Time, c.End())
		}
	}
}
