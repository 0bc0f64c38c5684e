package tracefile

import (
	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// ByParty returns xs keyed by party name, the form of every per-party
// value of the JSON documents.
func ByParty[T any](names []string, xs []T) map[string]T {
	m := make(map[string]T, len(names))
	for i, n := range names {
		if i < len(xs) {
			m[n] = xs[i]
		}
	}
	return m
}

// NewRun returns the setup part of a run of s by protocol with the agent
// specs, one per party, from seed, with step timing (Setup.Timing
// "steps"); its Set methods fill in the rest.
func NewRun(s *scenario.Scenario, protocol string, specs []string, seed uint64, deadline int) *Run {
	names := s.Names()
	return &Run{Schema: SchemaRun, Setup: Setup{Scenario: s.Name, Protocol: protocol, Parties: names,
		Agents: ByParty(names, specs), Seed: seed, Deadline: deadline, Timing: "steps"}, MetricsParties: names}
}

// SetUtilities fills in the per-party utilities, discounted utilities,
// reservation values (of s) and advantages, keyed by party name.
func (j *Run) SetUtilities(s *scenario.Scenario, u, disc, adv []float64) {
	names := s.Names()
	j.Utilities = ByParty(names, u)
	j.DiscountedUtilities = ByParty(names, disc)
	j.Reservation = ByParty(names, Reservations(s))
	j.Advantage = ByParty(names, adv)
}

// Reservations returns every party's reservation value at t = 0.
func Reservations(s *scenario.Scenario) []float64 {
	resv := make([]float64, len(s.Parties))
	for i := range s.Parties {
		resv[i] = s.Parties[i].Profile.Reservation
	}
	return resv
}

// SetResult fills in how the negotiation of s ended: its reason, clock,
// agreement, utilities, who ended it and its error.
func (j *Run) SetResult(s *scenario.Scenario, res *parley.Result) {
	names := s.Names()
	j.Rounds, j.Steps, j.Time, j.Reason = res.Rounds, res.Steps, res.Time, res.Reason.String()
	if res.Agreed() {
		j.Agreement = Outcome(s.Space, res.Agreement)
	}
	j.SetUtilities(s, res.Utilities, res.Discounted, advantages(s.Profiles(), res.Utilities, res.Time))
	j.AcceptedBy, j.EndedBy = nil, nil
	if res.Party >= 0 && res.Party < len(names) {
		who := names[res.Party]
		if res.Reason == parley.ReasonAgreement {
			j.AcceptedBy = &who
		} else {
			j.EndedBy = &who
		}
	}
	if res.Err != nil {
		j.Error = res.Err.Error()
	}
}

// StagesOf describes the stages of pl, whose participants are parties of
// s, with their first rounds on the run's global clock (StageOf).
func StagesOf(s *scenario.Scenario, pl staged.Plan) []Stage {
	var out []Stage
	names, first := s.Names(), 1
	for k := range pl.Stages {
		out = append(out, StageOf(names, s.Space, &pl.Stages[k], first))
		first += pl.Stages[k].Rounds
	}
	return out
}

// SetStagedResult fills in how a staged run of s ended: SetResult's
// fields, then the run's reason (the stage mechanism's or the
// ratification's), the stage it ended in and its round there
// (stageRound), whether it was ratified, the signed agreement of a failed
// ratification and the issues locked between stages.
func (j *Run) SetStagedResult(s *scenario.Scenario, res *staged.Result, stageRound int) {
	j.SetResult(s, &res.Result)
	j.Reason, j.Stage, j.StageRound = res.Reason.String(), res.StageName, stageRound
	ratified := res.Ratified
	j.Ratified = &ratified
	if res.Reason == parley.ReasonRatificationFailed && res.Agreement != parley.NoOutcome {
		j.Agreement = Outcome(s.Space, res.Agreement)
	}
	j.LockedIssues = []string{}
	for _, is := range res.Locked {
		j.LockedIssues = append(j.LockedIssues, s.Space.Issues[is].Name)
	}
}

// SetMetrics fills in the agreement metrics among j.MetricsParties, whose
// utilities are u, from their analysis rep (or its error aerr).
func (j *Run) SetMetrics(rep *analysis.Report, aerr error, u []float64) {
	switch {
	case aerr != nil:
		j.AnalysisError = aerr.Error()
	case rep != nil:
		if m, err := rep.Metrics(u); err == nil {
			j.Metrics = &m
		} else {
			j.AnalysisError = err.Error()
		}
	}
}

// advantages returns each party's advantage: its utility minus its
// reservation value at the end time t, u_i − r_i(t), the one definition
// every output uses (NegMAS's "advantage"); 0 without agreement.
func advantages(profiles []*parley.Profile, utilities []float64, t float64) []float64 {
	adv := make([]float64, len(profiles))
	for i, p := range profiles {
		adv[i] = utilities[i] - p.ReservationAt(t)
	}
	return adv
}
