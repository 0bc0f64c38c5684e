package tournament_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// scriptMediator proposes script[round] (the last one after the script).
type scriptMediator struct{ script []parley.Outcome }

func (m *scriptMediator) Init(context.Context, *parley.Session) error { return nil }
func (m *scriptMediator) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	return m.script[min(st.Round, len(m.script)-1)], nil
}

// atLeast accepts what is worth at least min to it.
type atLeast struct {
	min float64
	u   parley.UtilityFunction
}

func (v *atLeast) Init(_ context.Context, s *parley.Session) error {
	v.u = s.Profile.Utility
	return nil
}
func (v *atLeast) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	return parley.Vote{Accept: v.u.Utility(st.Standing) >= v.min}, nil
}

// replayTrace replays job id of cfg, checks that its record is the one
// the tournament stored, and returns its trace file.
func replayTrace(t *testing.T, cfg *tournament.Config, id int64) (*tournament.Replay, string) {
	t.Helper()
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Worker: "w"}); err != nil {
		t.Fatal(err)
	}
	j, err := tournament.JobAt(cfg, id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tournament.ReplayRun(context.Background(), cfg, j)
	if err != nil {
		t.Fatal(err)
	}
	stored := st.sorted()[id]
	if d := stored.Diff(r.Record); d != "" {
		t.Errorf("run %d: the replay differs from the stored run: %s", id, d)
	}
	var b bytes.Buffer
	if err := r.WriteTrace(&b); err != nil {
		t.Fatal(err)
	}
	return r, b.String()
}

// TestReplayMediated replays a short mediated run whose every action is
// known: the mediator proposes outcomes 1, 3 and 5 (TwoIssue: buyer 1.0,
// 0.7, 0.4; seller 0.0, 0.4, 0.8), each voter accepts what is worth at
// least 0.4 to it, so the first proposal is rejected by the seller and
// the other two adopted, and the final vote adopts the text, 5.
func TestReplayMediated(t *testing.T) {
	cfg := &tournament.Config{Protocol: tournament.ProtocolMediated,
		Mediators: []tournament.Mediator{{Name: "script", New: func() mediated.Mediator { return &scriptMediator{[]parley.Outcome{1, 3, 5}} }}},
		Voters:    []tournament.Voter{{Name: "atleast", New: func() mediated.Voter { return &atLeast{min: 0.4} }}},
		Scenarios: []*scenario.Scenario{twoIssue("tiny")}, Reps: 1, Deadline: 3, Seed: 1}
	r, trace := replayTrace(t, cfg, 0)
	lines := strings.Split(strings.TrimSuffix(trace, "\n"), "\n")
	want := []string{
		`{"type":"event","stage":"mediated","stage_round":1,"round":1,"time":0,"party":"mediator","action":"offer","outcome":{"delivery":"fast","price":"low"}}`,
		`{"type":"event","stage":"mediated","stage_round":1,"round":1,"time":0,"party":"buyer","action":"accept","outcome":{"delivery":"fast","price":"low"}}`,
		`{"type":"event","stage":"mediated","stage_round":1,"round":1,"time":0,"party":"seller","action":"reject","outcome":{"delivery":"fast","price":"low"}}`,
		`{"type":"event","stage":"mediated","stage_round":2,"round":2,"time":0.3333333333333333,"party":"mediator","action":"offer","outcome":{"delivery":"fast","price":"mid"}}`,
		`{"type":"event","stage":"mediated","stage_round":2,"round":2,"time":0.3333333333333333,"party":"buyer","action":"accept","outcome":{"delivery":"fast","price":"mid"}}`,
		`{"type":"event","stage":"mediated","stage_round":2,"round":2,"time":0.3333333333333333,"party":"seller","action":"accept","outcome":{"delivery":"fast","price":"mid"}}`,
		`{"type":"event","stage":"mediated","stage_round":3,"round":3,"time":0.6666666666666666,"party":"mediator","action":"offer","outcome":{"delivery":"fast","price":"high"}}`,
		`{"type":"event","stage":"mediated","stage_round":3,"round":3,"time":0.6666666666666666,"party":"buyer","action":"accept","outcome":{"delivery":"fast","price":"high"}}`,
		`{"type":"event","stage":"mediated","stage_round":3,"round":3,"time":0.6666666666666666,"party":"seller","action":"accept","outcome":{"delivery":"fast","price":"high"}}`,
		`{"type":"event","stage":"mediated","stage_round":4,"round":4,"time":1,"party":"buyer","action":"accept","outcome":{"delivery":"fast","price":"high"}}`,
		`{"type":"event","stage":"mediated","stage_round":4,"round":4,"time":1,"party":"seller","action":"accept","outcome":{"delivery":"fast","price":"high"}}`,
	}
	if len(lines) != len(want)+2 {
		t.Fatalf("%d lines, want a header, %d events and a result:\n%s", len(lines), len(want), trace)
	}
	for i, w := range want {
		if lines[i+1] != w {
			t.Errorf("event %d:\n got %s\nwant %s", i+1, lines[i+1], w)
		}
	}
	for _, w := range []string{`"protocol":"mediated"`, `"voters":{"buyer":"atleast","seller":"atleast"}`, `"mediator":"script"`,
		`"stages":[{"name":"mediated","mechanism":"mediated","participants":["buyer","seller"],"rounds":3,"first_round":1,"round_cost":1,` +
			`"transition":"deadline","carry":"none","on_walk_away_next":0,"start":"random","rule":"unanimous","info":"votes","noise":0,"final_vote":true}]`} {
		if !strings.Contains(lines[0], w) {
			t.Errorf("the header lacks %s:\n%s", w, lines[0])
		}
	}
	for _, w := range []string{`"type":"result"`, `"reason":"agreement"`, `"agreement":{"delivery":"fast","price":"high"}`, `"utilities":{"buyer":0.4,"seller":0.8}`} {
		if !strings.Contains(lines[len(lines)-1], w) {
			t.Errorf("the result lacks %s:\n%s", w, lines[len(lines)-1])
		}
	}
	if r.Record.Reason != "agreement" || r.Record.Agreement["price"] != "high" {
		t.Errorf("record %+v", r.Record)
	}
	// Again: the same bytes.
	if _, again := replayTrace(t, cfg, 0); again != trace {
		t.Errorf("a second replay wrote another trace:\n%s\nthen\n%s", trace, again)
	}
	// With a limit, on the Runner's helper goroutine: the same bytes.
	cfg.Limit = time.Minute
	if _, limited := replayTrace(t, cfg, 0); limited != trace {
		t.Errorf("a replay with a limit wrote another trace:\n%s\nthen\n%s", trace, limited)
	}
}

// TestReplayStagedAsRun replays runs of a staged tournament on the
// ceasefire and checks that the trace is the one 'parley run ceasefire
// --trace' writes for the same negotiation (the same negotiators, voters,
// mediator and seed), but for the agent spec of the US, which makes no
// offers: a tournament seats no negotiator there (""), parley run gives
// every party one.
func TestReplayStagedAsRun(t *testing.T) {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: competitors(t, "boulware", "conceder", "linear"),
		Mediators: mediators(t, "biased:bias=0.25"), Voters: voters(t, "reservation", "hillclimber"),
		Scenarios: []*scenario.Scenario{s}, Reps: 2, Seed: 5}
	res := session.Resolver{Negotiator: strategy.Parse,
		Voter: func(spec string) (func() mediated.Voter, error) {
			f, err := mediator.ParseVoter(spec)
			return func() mediated.Voter { return f() }, err
		},
		Mediator: func(spec string) (func() mediated.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			return func() mediated.Mediator { return f() }, err
		}}
	for _, id := range []int64{0, 3, 11} {
		r, trace := replayTrace(t, cfg, id)
		if len(r.Events) == 0 || !strings.Contains(trace, `"stage":"`) {
			t.Fatalf("run %d: no staged events:\n%s", id, trace)
		}
		rec := r.Record
		var b bytes.Buffer
		o := session.Options{Agents: rec.Agents[:2], Voters: rec.Voters, Mediator: rec.Mediator, Seed: r.Job.Seed,
			OpenTrace: func() (io.Writer, error) { return &b, nil }}
		if _, err := session.Run(context.Background(), s, o, res); err != nil {
			t.Fatal(err)
		}
		// parley run seats RU's spec at the US (specs cycle); the
		// tournament none.
		want := strings.ReplaceAll(b.String(), `"US":"`+rec.Agents[0]+`"`, `"US":""`)
		if trace != want {
			t.Errorf("run %d: the replay's trace differs from parley run's:\n%s\nwant\n%s", id, trace, want)
		}
	}
}

// TestReplayMediatedStageRoundTrip: the trace of a mediated tournament's
// run says under which rule, information level and noise it ran: its one
// stage reads back (tracefile.Stage.Parley) as the tournament's
// MediatedStage, and a tournament configured from that stage alone
// replays the run to the same trace bytes.
func TestReplayMediatedStageRoundTrip(t *testing.T) {
	med, vot := mediator.Mediators(), mediator.Voters()
	vf, err := vot.Parse("reservation")
	if err != nil {
		t.Fatal(err)
	}
	config := func(spec string, rule parley.Rule, info parley.Info, noise float64, rounds int) *tournament.Config {
		mf, err := med.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		return &tournament.Config{Protocol: tournament.ProtocolMediated,
			Mediators: []tournament.Mediator{{Name: spec, New: mf}}, Voters: []tournament.Voter{{Name: "reservation", New: vf}},
			Scenarios: []*scenario.Scenario{twoIssue("tiny")}, Reps: 1, Deadline: rounds, Seed: 7, Rule: rule, Info: info, Noise: noise}
	}
	// The mediators that read declared profiles (nash) run differently
	// under another information level or noise.
	for _, tc := range []struct {
		mediator string
		rule     parley.Rule
		info     parley.Info
		noise    float64
	}{{"hillclimb", parley.RuleUnanimous, parley.InfoVotes, 0}, {"nash", parley.RuleMajority, parley.InfoDeclared, 0.2}, {"nash", parley.RuleUnanimous, parley.InfoFull, 0}} {
		t.Run(tc.mediator+"/"+tc.rule.String()+"/"+tc.info.String(), func(t *testing.T) {
			cfg := config(tc.mediator, tc.rule, tc.info, tc.noise, 6)
			r, trace := replayTrace(t, cfg, 0)
			h, _, _, err := tracefile.Read(strings.NewReader(trace))
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Stages) != 1 {
				t.Fatalf("stages %+v, want one", h.Stages)
			}
			st, err := h.Stages[0].Parley(h.Parties, r.Scenario.Space)
			if err != nil {
				t.Fatal(err)
			}
			if want := cfg.MediatedStage(len(h.Parties), cfg.Deadline); !reflect.DeepEqual(st, want) {
				t.Errorf("the trace's stage reads back as\n%+v, want\n%+v", st, want)
			}
			if _, again := replayTrace(t, config(h.Mediator, st.Rule, st.Info, st.Noise, st.Rounds), 0); again != trace {
				t.Errorf("the run of the trace's stage wrote another trace:\n%s\nthen\n%s", trace, again)
			}
		})
	}
}
