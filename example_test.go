package parley_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/cli"
	"github.com/parley-dev/parley/ufun"
)

// firm asks for its best outcome on every turn and accepts any offer
// worth at least 0.7 to it.
type firm struct {
	best parley.Outcome
	u    parley.UtilityFunction
}

func (f *firm) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil {
		return parley.ErrNoProfile
	}
	t, err := ufun.NewTable(s.Profile.Space, s.Profile.Utility)
	if err != nil {
		return err
	}
	f.best, f.u = t.Index().Best(), t
	return nil
}

func (f *firm) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me && f.u.Utility(st.Standing) >= 0.7 {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(f.best), nil
}

// A negotiator of your own is a type with Init and Act. Registered with
// cli.WithNegotiator, it plays in every command of your own build of
// parley (run, tournament, experiment, replay, bench), here a run against
// the built-in Conceder; docs/agents.md walks through writing, testing and
// entering one in a tournament.
func Example_ownNegotiator() {
	var out bytes.Buffer
	err := cli.Run(context.Background(),
		[]string{"run", "cli/testdata/tournament/market.yaml", "--agents", "firm,conceder", "--json"},
		&out, os.Stderr,
		cli.WithNegotiator("firm", "asks for its best, accepts 0.7", func() parley.Negotiator { return &firm{} }))
	if err != nil {
		fmt.Println(err)
		return
	}
	var run struct {
		Agents    map[string]string  `json:"agents"`
		Reason    string             `json:"reason"`
		Rounds    int                `json:"rounds"`
		Utilities map[string]float64 `json:"utilities"`
	}
	if err := json.Unmarshal(out.Bytes(), &run); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("buyer %s, seller %s: %s in round %d\n", run.Agents["buyer"], run.Agents["seller"], run.Reason, run.Rounds)
	fmt.Printf("utilities: buyer %.3f, seller %.3f\n", run.Utilities["buyer"], run.Utilities["seller"])
	// Output:
	// buyer firm, seller conceder: agreement in round 31
	// utilities: buyer 0.703, seller 0.464
}
