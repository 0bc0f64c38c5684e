package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley/server"
)

// TestRemoteMediatorFinalVote: a remote mediator may call the final vote
// early, on a turn with can_call (not on its first), and a unanimous
// vote on the text ends the negotiation in agreement there.
func TestRemoteMediatorFinalVote(t *testing.T) {
	srv := start(t, server.Config{})
	pick := pickYAML("0", "1") // both want b, and a is worth nothing to either
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"pick.yaml": pick}, Protocol: "mediated", Seed: 3,
		Seats:    []server.Seat{{Kind: "strategy", Voter: "reservation"}, {Kind: "strategy", Voter: "reservation"}},
		Mediator: &server.Seat{Kind: "remote"}})
	tok := cr.Tokens.Mediator
	b := map[string]string{"x": "b"}
	var after int64
	turns, calls := 0, 0
	var ended *server.Ended
	for range 200 {
		got := events(t, srv.hs, cr.ID, tok, after, 10)
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			switch {
			case e.Turn != nil:
				turns++
				act := server.ActionRequest{Step: e.Turn.Step, Action: "offer", Values: b}
				if e.Turn.CanCall {
					act = server.ActionRequest{Step: e.Turn.Step, Action: server.ActionFinalVote}
					calls++
				} else if turns > 1 {
					t.Errorf("turn %d (round %d) does not let the mediator call the vote", turns, e.Turn.Round)
				}
				if turns == 1 { // the first turn cannot call
					var ae apiErr
					bad := server.ActionRequest{Step: e.Turn.Step, Action: server.ActionFinalVote}
					if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", tok, bad, &ae); st != http.StatusBadRequest || !strings.Contains(ae.Error, "can_call is false") {
						t.Errorf("final_vote on the first turn: %d %q", st, ae.Error)
					}
				}
				var ae apiErr
				if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", tok, act, &ae); st != http.StatusAccepted {
					t.Fatalf("%+v: %d %s", act, st, ae.Error)
				}
			case e.Ended != nil:
				ended = e.Ended
			}
		}
		if got.Complete {
			break
		}
	}
	if ended == nil || ended.Reason != "agreement" || calls != 1 || turns != 2 {
		t.Fatalf("ended %+v after %d turns, %d calls; want agreement on the first call, after the first round", ended, turns, calls)
	}
	if ended.Values["x"] != "b" || ended.Rounds != 1 {
		t.Errorf("agreement %v in %d rounds, want b after the first round", ended.Values, ended.Rounds)
	}
}

// TestRemoteMediatorAdopts: under rule mediator, a proposal that not every
// party accepted goes to the remote mediator in an adopt turn, with the
// votes; adopting it makes it the text.
//
// Under info nothing the mediator learns no votes, in its adopt turns
// either: their ballots are empty.
func TestRemoteMediatorAdopts(t *testing.T) {
	for _, info := range []string{"full", "nothing"} {
		t.Run(info, func(t *testing.T) { remoteMediatorAdopts(t, info) })
	}
}

func remoteMediatorAdopts(t *testing.T, info string) {
	srv := start(t, server.Config{})
	pick := pickYAML("1", "0.6") // p prefers a, q prefers b; both can live with b
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"pick.yaml": pick}, Protocol: "mediated", Rule: "mediator", Info: info, Seed: 3,
		Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	tok := cr.Tokens.Mediator
	var after int64
	var kinds []string
	adoptedText, proposed := -2, -1
	for range 200 {
		got := events(t, srv.hs, cr.ID, tok, after, 10)
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			if e.Turn == nil {
				continue
			}
			tu := e.Turn
			kinds = append(kinds, tu.Kind)
			if info == "nothing" && slices.ContainsFunc(tu.Votes, func(b server.Ballot) bool { return b != server.Ballot{} }) {
				t.Errorf("under info nothing, a %s turn shows votes %+v", tu.Kind, tu.Votes)
			}
			var act server.ActionRequest
			switch {
			case tu.Kind == server.TurnAdopt:
				if info == "full" && (len(tu.Votes) != 2 || tu.Votes[0].Accept == tu.Votes[1].Accept) {
					t.Errorf("adopt turn with votes %+v, want one accept and one reject", tu.Votes)
				}
				act = server.ActionRequest{Step: tu.Step, Action: "accept"}
			case adoptedText == -2 && len(kinds) > 2:
				adoptedText = *tu.Text // the turn after the adoption
				fallthrough
			default:
				// The other value than the text: one party gains, the
				// other loses, so the vote is split.
				other := 1 - max(*tu.Text, 0)
				if proposed < 0 {
					proposed = other
				}
				act = server.ActionRequest{Step: tu.Step, Action: "offer", Outcome: &other}
			}
			var ae apiErr
			if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", tok, act, &ae); st != http.StatusAccepted {
				t.Fatalf("%+v: %d %s", act, st, ae.Error)
			}
		}
		if got.Complete {
			break
		}
	}
	if len(kinds) < 2 || kinds[0] != server.TurnPropose || kinds[1] != server.TurnAdopt {
		t.Fatalf("mediator turns %v, want propose then adopt", kinds)
	}
	if adoptedText != proposed || len(kinds) < 3 {
		t.Fatalf("text %d after adopting proposal %d (turns %v)", adoptedText, proposed, kinds)
	}
}

// pickYAML is a two-party scenario over one issue x in {a, b}: pa and pb
// are p's utilities of a and b (q's are 0 and 1), both reservations 0.5.
func pickYAML(pa, pb string) string {
	return `name: pick
deadline: 6
issues:
  - name: x
    values: [a, b]
parties:
  - name: p
    reservation: 0.5
    weights: {x: 1}
    values:
      x: {a: ` + pa + `, b: ` + pb + `}
  - name: q
    reservation: 0.5
    weights: {x: 1}
    values:
      x: {a: 0, b: 1}
`
}
