package natsq

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/tournament"
)

// TestCached: a worker asks its resolver once per name, errors included,
// however many goroutines ask at once, and forgets everything past
// memoLimit names rather than grow without bound.
func TestCached(t *testing.T) {
	var calls atomic.Int64
	r := cached(tournament.Resolver{Agent: func(spec string) (func() parley.Negotiator, error) {
		calls.Add(1)
		if spec == "bad" {
			return nil, errors.New("unknown")
		}
		return func() parley.Negotiator { return &parleytest.Conceder{} }, nil
	}})
	if r.Scenario != nil || r.Mediator != nil || r.Voter != nil {
		t.Error("cached made functions the resolver did not have")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				if f, err := r.Agent("good"); err != nil || f == nil {
					t.Errorf("good: %v", err)
				}
				if _, err := r.Agent("bad"); err == nil {
					t.Error("bad: no error")
				}
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls for 2 names", n)
	}
	for i := range memoLimit {
		r.Agent(fmt.Sprint("a", i))
	}
	r.Agent("good")
	if n := calls.Load(); n != 2+memoLimit+1 {
		t.Errorf("%d calls, want %d: the memo kept more than %d names", n, 2+memoLimit+1, memoLimit)
	}
}
