package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/experiment/stats"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// plotFlagHelp is the help of every --plot flag after its "draw ... ".
const plotFlagHelp = "to this file (.png, .svg or .pdf)"

// checkPlot rejects a --plot file whose extension names no format, before
// anything runs.
func checkPlot(cmd, path string) error {
	if path == "" {
		return nil
	}
	if _, err := chart.FormatOf(path); err != nil {
		return usageError{fmt.Errorf("%s: --plot: %w", cmd, err)}
	}
	return nil
}

// runMoves returns the offers (and a mediated stage's proposals) of a run's
// events: of plain alternating offers when pl is nil, else of pl's stages.
func runMoves(pl *staged.Plan, events []tracefile.Entry) []chart.Move {
	var ms []chart.Move
	for _, e := range events {
		if pl == nil {
			if e.Event.Action == parley.Offer && e.Event.Party >= 0 && e.Event.Outcome != parley.NoOutcome {
				ms = append(ms, chart.Move{Party: e.Event.Party, Outcome: e.Event.Outcome})
			}
		} else if m, ok := stagedMove(*pl, e.Stage, e.Event); ok {
			ms = append(ms, m)
		}
	}
	return ms
}

// stagedMove returns stage k's event e as a move (an offer in an
// alternating-offers stage, the mediator's proposal in a mediated one),
// with parties numbered as in the scenario.
func stagedMove(pl staged.Plan, k int, e parley.Event) (chart.Move, bool) {
	if e.Action != parley.Offer || e.Outcome == parley.NoOutcome {
		return chart.Move{}, false
	}
	sg := pl.Stages[k]
	who := -1
	switch {
	case e.Party < 0:
		who = sg.Mediator
	case e.Party < len(sg.Participants):
		who = sg.Participants[e.Party]
	default:
		return chart.Move{}, false
	}
	return chart.Move{Stage: k, Party: who, Outcome: e.Outcome}, true
}

// planStages names a plan's stages for a plot.
func planStages(pl staged.Plan) []chart.Stage {
	st := make([]chart.Stage, len(pl.Stages))
	for k, sg := range pl.Stages {
		st[k] = chart.Stage{Name: sg.Name, Mediated: sg.Mechanism == staged.Mediated}
	}
	return st
}

// saveRunPlot draws one negotiation of s to path and says so on errOut.
func saveRunPlot(errOut io.Writer, path string, s *scenario.Scenario, specs []string, seed uint64, stages []chart.Stage, moves []chart.Move, res *parley.Result, ended string) error {
	label := ""
	if res.Reason == parley.ReasonRatificationFailed {
		label = "agreement, not ratified"
	}
	seatsText := make([]string, len(specs))
	for i, sp := range specs {
		seatsText[i] = s.Parties[i].Name + " " + sp
	}
	agreement := parley.NoOutcome
	if res.Agreement != parley.NoOutcome && res.Err == nil {
		agreement = res.Agreement
	}
	n := &chart.Negotiation{
		Title:          fmt.Sprintf("%s, seed %d: %s", s.Name, seed, strings.Join(seatsText, ", ")),
		Subtitle:       ended,
		Parties:        s.Names(),
		Profiles:       s.Profiles(),
		Stages:         stages,
		Moves:          moves,
		Agreement:      agreement,
		AgreementLabel: label,
	}
	if err := chart.Save(path, n); err != nil {
		return fmt.Errorf("run: --plot: %w", err)
	}
	fmt.Fprintf(errOut, "run: wrote the plot to %s\n", path)
	return nil
}

// saoEnding says how an alternating-offers run ended, for a plot.
func saoEnding(names []string, res *parley.Result) string {
	switch {
	case res.Agreed():
		return fmt.Sprintf("agreement in round %d, accepted by %s", res.Rounds, names[res.Party])
	case res.Party >= 0 && res.Reason == parley.ReasonWalkAway:
		return fmt.Sprintf("no agreement: %s walked away in round %d", names[res.Party], res.Rounds)
	}
	return fmt.Sprintf("no agreement (%s) after %d rounds", res.Reason, res.Rounds)
}

// stagedEnding says how a staged run ended, for a plot; stageRound is the
// final round counted within its stage, res.Rounds on the run's clock.
func stagedEnding(res *staged.Result, stageRound int) string {
	where := fmt.Sprintf("in stage %s, its round %d (round %d of the run)", res.StageName, stageRound, res.Rounds)
	switch {
	case res.Agreed():
		return "agreement " + where + ", ratified"
	case res.Agreement != parley.NoOutcome && res.Cause == staged.CauseRatificationFailure:
		return "agreement signed " + where + ", not ratified"
	}
	return fmt.Sprintf("no agreement (%s) %s", res.Cause, where)
}

// saveLeaderboardPlot draws a tournament report's mean utility and
// advantage per agent to path.
func saveLeaderboardPlot(path string, rep *tournament.Report) error {
	lb := &chart.Leaderboard{
		Title: fmt.Sprintf("Tournament: %s, %s, %s, seed %d", count(len(rep.Meta.Agents), "agent"), count(len(rep.Meta.Scenarios), "scenario"),
			count(int(rep.Runs), "run"), rep.Meta.Seed),
	}
	for _, s := range rep.Leaderboard {
		if s.Seats == 0 {
			continue
		}
		lb.Rows = append(lb.Rows, chart.LeaderboardRow{Agent: s.Agent,
			Utility: interval(s.Utility), Advantage: interval(s.Advantage)})
	}
	if err := chart.Save(path, lb); err != nil {
		return fmt.Errorf("report: --plot: %w", err)
	}
	return nil
}

// saveArmsPlot draws an experiment's agreement rates and welfare per arm
// to path.
func saveArmsPlot(path string, rep *experiment.Report, sweep bool) error {
	a := &chart.Arms{
		Title:   fmt.Sprintf("%s %s, %d runs per arm, seed %d", rep.Experiment, rep.Scenario, rep.Runs, rep.Seed),
		XLabel:  "protocol variant",
		Welfare: "welfare of " + strings.Join(rep.Negotiators, "+"),
	}
	if sweep {
		a.XLabel = "parameter cell"
	}
	for _, r := range rep.Arms {
		a.Rows = append(a.Rows, chart.ArmRow{Name: r.Name,
			Agreement: interval(r.AgreementRate), Ratified: interval(r.RatifiedRate), Welfare: interval(r.Welfare)})
	}
	return chart.Save(path, a)
}

// count writes n things, in the plural unless n is 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// interval is an estimate as the charts take it.
func interval(e stats.Estimate) chart.Interval {
	return chart.Interval{Mean: e.Mean, Low: e.Low, High: e.High, HasCI: e.HasCI}
}
