package chart

import (
	"fmt"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/experiment/stats"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// RunOf returns the figure of a run of s by alternating offers with the
// agents specs (one per party) from seed: its offers (events, as the run
// traced them) and how it ended (res).
func RunOf(s *scenario.Scenario, specs []string, seed uint64, events []tracefile.Entry, res *parley.Result) *Negotiation {
	var moves []Move
	for _, e := range events {
		if e.Action == parley.Offer && e.Party >= 0 && e.Outcome != parley.NoOutcome {
			moves = append(moves, Move{Party: e.Party, Outcome: e.Outcome})
		}
	}
	return runFigure(s, specs, seed, nil, moves, res, saoEnding(s.Names(), res))
}

// StagedRunOf returns the figure of a run of s through the stages of pl:
// the offers of its alternating-offers stages and the proposals of its
// mediated ones, by stage, and how it ended (res; stageRound is its last
// round counted within its stage).
func StagedRunOf(s *scenario.Scenario, specs []string, seed uint64, pl staged.Plan, events []tracefile.Entry, res *staged.Result, stageRound int) *Negotiation {
	var moves []Move
	for _, e := range events {
		if m, ok := stagedMove(pl, e.Stage, e.Event); ok {
			moves = append(moves, m)
		}
	}
	return runFigure(s, specs, seed, pl.Stages, moves, &res.Result, stagedEnding(res, stageRound))
}

// stagedMove returns stage k's event e as a move (an offer in an
// alternating-offers stage, the mediator's proposal in a mediated one),
// with parties numbered as in the scenario.
func stagedMove(pl staged.Plan, k int, e parley.Event) (Move, bool) {
	if e.Action != parley.Offer || e.Outcome == parley.NoOutcome || k < 0 || k >= len(pl.Stages) {
		return Move{}, false
	}
	sg := pl.Stages[k]
	who := -1
	switch {
	case e.Party < 0:
		who = sg.Mediator
	case e.Party < len(sg.Participants):
		who = sg.Participants[e.Party]
	default:
		return Move{}, false
	}
	return Move{Stage: k, Party: who, Outcome: e.Outcome}, true
}

func runFigure(s *scenario.Scenario, specs []string, seed uint64, stages []parley.Stage, moves []Move, res *parley.Result, ended string) *Negotiation {
	label := ""
	if res.Reason == parley.ReasonRatificationFailed {
		label = "agreement, not ratified"
	}
	seats := make([]string, len(specs))
	for i, sp := range specs {
		seats[i] = s.Parties[i].Name + " " + sp
	}
	agreement := parley.NoOutcome
	if res.Agreement != parley.NoOutcome && res.Err == nil {
		agreement = res.Agreement
	}
	return &Negotiation{
		Title:          fmt.Sprintf("%s, seed %d: %s", s.Name, seed, strings.Join(seats, ", ")),
		Subtitle:       ended,
		Parties:        s.Names(),
		Profiles:       s.Profiles(),
		Stages:         stages,
		Moves:          moves,
		Agreement:      agreement,
		AgreementLabel: label,
	}
}

// saoEnding says how an alternating-offers run ended.
func saoEnding(names []string, res *parley.Result) string {
	switch {
	case res.Agreed():
		return fmt.Sprintf("agreement in round %d, accepted by %s", res.Rounds, names[res.Party])
	case res.Party >= 0 && res.Reason == parley.ReasonWalkAway:
		return fmt.Sprintf("no agreement: %s walked away in round %d", names[res.Party], res.Rounds)
	}
	return fmt.Sprintf("no agreement (%s) after %d rounds", res.Reason, res.Rounds)
}

// stagedEnding says how a staged run ended; stageRound is the final round
// counted within its stage, res.Rounds on the run's clock.
func stagedEnding(res *staged.Result, stageRound int) string {
	where := fmt.Sprintf("in stage %s, its round %d (round %d of the run)", res.StageName, stageRound, res.Rounds)
	switch {
	case res.Agreed():
		return "agreement " + where + ", ratified"
	case res.Agreement != parley.NoOutcome && res.Reason == parley.ReasonRatificationFailed:
		return "agreement signed " + where + ", not ratified"
	}
	return fmt.Sprintf("no agreement (%s) %s", res.Reason, where)
}

// LeaderboardOf returns the figure of a tournament report: mean utility
// and advantage per agent that took a seat, with their intervals.
func LeaderboardOf(rep *tournament.Report) *Leaderboard {
	lb := &Leaderboard{
		Title: fmt.Sprintf("Tournament: %s, %s, %s, seed %d", count(len(rep.Meta.Agents), "agent"), count(len(rep.Meta.Scenarios), "scenario"),
			count(int(rep.Runs), "run"), rep.Meta.Seed),
	}
	for _, s := range rep.Leaderboard {
		if s.Seats == 0 {
			continue
		}
		lb.Rows = append(lb.Rows, LeaderboardRow{Agent: s.Agent, Utility: IntervalOf(s.Utility), Advantage: IntervalOf(s.Advantage)})
	}
	return lb
}

// ArmsOf returns the figure of an experiment's report: agreement and
// ratification rates and welfare per arm (per protocol variant, or per
// parameter cell of a sweep).
func ArmsOf(rep *experiment.Report, sweep bool) *Arms {
	a := &Arms{
		Title:   fmt.Sprintf("%s %s, %d runs per arm, seed %d", rep.Experiment, rep.Scenario, rep.Runs, rep.Seed),
		XLabel:  "protocol variant",
		Welfare: "welfare of " + strings.Join(rep.Negotiators, "+"),
	}
	if sweep {
		a.XLabel = "parameter cell"
	}
	for _, r := range rep.Arms {
		a.Rows = append(a.Rows, ArmRow{Name: r.Name, Agreement: IntervalOf(r.AgreementRate), Ratified: IntervalOf(r.RatifiedRate), Welfare: IntervalOf(r.Welfare)})
	}
	return a
}

// IntervalOf is an estimate as the charts draw it.
func IntervalOf(e stats.Estimate) Interval {
	return Interval{Mean: e.Mean, Low: e.Low, High: e.High, HasCI: e.HasCI}
}

// count writes n things, in the plural unless n is 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// SensitivityOf returns the figure of a robustness analysis: the
// total-effect indices of the agreement contrasts that vary over the
// points, with their bootstrap intervals; an error when no contrast
// varies.
func SensitivityOf(rep *experiment.RobustnessReport) (*Sensitivity, error) {
	s := &Sensitivity{
		Title: fmt.Sprintf("robustness %s: %d base samples, %d points, %d runs per arm per point, seed %d",
			rep.Scenario, rep.Samples, rep.Points, rep.Runs, rep.Seed),
		Subtitle: "total-effect Sobol index of each assumption on the difference of agreement rates between two arms, bootstrap 95% CIs",
	}
	for _, a := range rep.Assumptions {
		s.Assumptions = append(s.Assumptions, a.Name)
	}
	for _, c := range rep.Indices {
		if c.Metric != experiment.MetricAgreement || !c.Defined {
			continue
		}
		sc := SensitivityContrast{Name: c.Arm + " − " + c.Other}
		for _, e := range c.Effects {
			sc.Indices = append(sc.Indices, IntervalOf(e.Total))
		}
		s.Contrasts = append(s.Contrasts, sc)
	}
	if len(s.Contrasts) == 0 {
		return nil, fmt.Errorf("no agreement contrast varies over the points: nothing to draw")
	}
	return s, nil
}

// SessionOf returns the figure of a run of s (session.Run with seed):
// its offers, or in a staged run its offers and the mediator's
// proposals, in the utility plane of every two parties.
func SessionOf(s *scenario.Scenario, seed uint64, r *session.Outcome) *Negotiation {
	if r.Staged != nil {
		return StagedRunOf(s, r.Specs, seed, r.Plan, r.Events, r.Staged, r.StageRound)
	}
	return RunOf(s, r.Specs, seed, r.Events, r.Result)
}
