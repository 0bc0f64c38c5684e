package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
)

// Values of --protocol.
const (
	protocolAuto   = "auto"
	protocolSAO    = "sao"
	protocolStaged = "staged"
)

// defaultVoter votes in mediated stages when --voters is not given.
const defaultVoter = "reservation"

// useStaged decides between plain alternating offers and the scenario's
// declared (staged) protocol.
func useStaged(f runFlags, s *scenario.Scenario) (bool, error) {
	switch f.protocol {
	case protocolAuto, "":
		return s.Protocol != nil && f.variant != "" || s.Protocol != nil && f.deadline == 0 && f.timing == "" && f.timeLimit == 0, nil
	case protocolSAO:
		if f.variant != "" {
			return false, usageError{fmt.Errorf("run: --variant goes with the scenario's declared protocol, not --protocol sao")}
		}
		return false, nil
	case protocolStaged:
		if s.Protocol == nil {
			return false, usageError{fmt.Errorf("run: --protocol staged: scenario %s declares no protocol", s.Name)}
		}
		return true, nil
	}
	return false, usageError{fmt.Errorf("run: --protocol %q: want auto, sao or staged", f.protocol)}
}

// StagedJSON is the --json output of 'parley run' for a scenario's declared
// protocol: RunJSON's fields plus the stage-level outcome.
type StagedJSON struct {
	RunJSON
	Protocol       string   `json:"protocol"`
	Variant        string   `json:"variant"`
	Stages         []string `json:"stages"`
	Voters         []string `json:"voters"`
	Mediator       string   `json:"mediator"`
	Stage          string   `json:"stage"`
	Cause          string   `json:"cause"`
	Ratified       bool     `json:"ratified"`
	Locked         []string `json:"locked_issues"`
	MetricsParties []string `json:"metrics_parties"`
}

func runStaged(ctx context.Context, out io.Writer, s *scenario.Scenario, f runFlags) error {
	if f.deadline != 0 || f.timeLimit != 0 || (f.timing != "" && f.timing != timingSteps) {
		return usageError{fmt.Errorf("run: --deadline, --time-limit and --timing apply to plain alternating offers (--protocol sao); the declared protocol's stages set their own rounds")}
	}
	pl, err := plan.FromScenario(s, f.variant)
	if err != nil {
		return usageError{fmt.Errorf("run: %w (variants: %s)", err, strings.Join(plan.Variants(s), ", "))}
	}
	n := len(s.Parties)
	negFactories, negSpecs, err := seats(splitAgents(f.agents), n)
	if err != nil {
		return err
	}
	voterSpecs := splitAgents(f.voters)
	if len(voterSpecs) == 0 {
		voterSpecs = []string{defaultVoter}
	}
	if len(voterSpecs) > n {
		return usageError{fmt.Errorf("run: %d voters for %d parties", len(voterSpecs), n)}
	}
	st := staged.Seats{Negotiators: make([]parley.Negotiator, n), Voters: make([]mediated.Voter, n)}
	vspecs := make([]string, n)
	for i := 0; i < n; i++ {
		st.Negotiators[i] = negFactories[i]()
		vspecs[i] = voterSpecs[i%len(voterSpecs)]
		vf, err := mediator.ParseVoter(vspecs[i])
		if err != nil {
			return usageError{fmt.Errorf("--voters: %w", err)}
		}
		st.Voters[i] = vf()
	}
	medSpec := f.mediator
	var stageNames []string
	participants := map[int]bool{}
	for _, sg := range pl.Stages {
		stageNames = append(stageNames, fmt.Sprintf("%s(%s %s, %d rounds)", sg.Name, sg.Mechanism, partyList(s, sg.Participants), sg.Rounds))
		for _, p := range sg.Participants {
			participants[p] = true
		}
		if sg.Mechanism == staged.Mediated && medSpec == "" {
			medSpec = sg.MediatorPolicy
		}
	}
	if medSpec != "" {
		mf, err := mediatorFactory(medSpec)
		if err != nil {
			return usageError{fmt.Errorf("run: mediator %q: %w", medSpec, err)}
		}
		st.Mediator = mf()
	}
	if err := s.Prepare(); err != nil {
		return err
	}

	type ev struct {
		stage int
		e     parley.Event
	}
	var events []ev
	var traceFile *os.File
	var enc *json.Encoder
	if f.trace != "" {
		traceFile, err = os.Create(f.trace)
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer traceFile.Close()
		enc = json.NewEncoder(traceFile)
	}
	var traceErr error
	pl.Trace = func(k int, e parley.Event) {
		events = append(events, ev{k, e})
		if enc != nil && traceErr == nil {
			l := stagedTraceLine{Stage: pl.Stages[k].Name, Step: e.Step, Round: e.Round, Time: e.Time,
				Party: eventParty(s, pl.Stages[k], e.Party), Action: e.Action.String()}
			if e.Outcome != parley.NoOutcome {
				l.Outcome = s.Space.Named(e.Outcome)
			}
			traceErr = enc.Encode(&l)
		}
	}
	res, err := staged.Run(ctx, s.Profiles(), s.Names(), pl, st, f.seed)
	if err != nil {
		return err
	}
	if traceErr != nil {
		return fmt.Errorf("run: trace: %w", traceErr)
	}
	if f.plot != "" {
		var moves []chart.Move
		for _, e := range events {
			if m, ok := stagedMove(pl, e.stage, e.e); ok {
				moves = append(moves, m)
			}
		}
		if err := saveRunPlot(f.plot, s, negSpecs, f.seed, planStages(pl), moves, &res.Result, stagedEnding(res)); err != nil {
			return err
		}
	}
	if traceFile != nil {
		if err := traceFile.Close(); err != nil {
			return fmt.Errorf("run: trace: %w", err)
		}
	}

	// Metrics over the parties that negotiate (for ceasefire: RU and UA;
	// the mediator's own utility is reported, not optimised for).
	var idx []int
	for i := range s.Parties {
		if participants[i] {
			idx = append(idx, i)
		}
	}
	profs := make([]*parley.Profile, len(idx))
	mnames := make([]string, len(idx))
	u := make([]float64, len(idx))
	for k, i := range idx {
		profs[k], mnames[k], u[k] = s.Parties[i].Profile, s.Parties[i].Name, res.Utilities[i]
	}
	rep, aerr := analysis.Analyze(s.Space, profs)
	j := &StagedJSON{RunJSON: *resultJSON(s, negSpecs, f.seed, pl.Rounds(), &res.Result, nil, nil),
		Protocol: protocolStaged, Variant: f.variant, Stages: stageNames, Voters: vspecs, Mediator: medSpec,
		Stage: res.StageName, Cause: res.Cause, Ratified: res.Ratified, Locked: []string{}, MetricsParties: mnames}
	if j.Variant == "" {
		j.Variant = "default"
	}
	for _, is := range res.Locked {
		j.Locked = append(j.Locked, s.Space.Issues[is].Name)
	}
	if aerr != nil {
		j.AnalysisError = aerr.Error()
	} else if m, err := rep.Metrics(u); err == nil {
		j.Metrics = &m
	}
	if f.asJSON {
		e := json.NewEncoder(out)
		e.SetIndent("", "  ")
		if err := e.Encode(j); err != nil {
			return err
		}
		return runFailure(&res.Result)
	}

	names := s.Names()
	fmt.Fprintf(out, "Scenario %s: %d parties, %d issues, %d outcomes; protocol %s, %d rounds in all, seed %d\n",
		s.Name, n, len(s.Space.Issues), s.Space.Size(), j.Variant, pl.Rounds(), f.seed)
	for k := range pl.Stages {
		fmt.Fprintf(out, "  stage %d  %s\n", k+1, stageNames[k])
	}
	fmt.Fprintf(out, "  negotiators %s; voters %s; mediator %s\n", strings.Join(negSpecs, ","), strings.Join(vspecs, ","), orNone(medSpec))
	utils := func(o parley.Outcome) string {
		var b strings.Builder
		for i, p := range s.Parties {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s=%.3f", p.Name, p.Profile.Utility.Utility(o))
		}
		return b.String()
	}
	for k, sg := range pl.Stages {
		var shown []ev
		for _, e := range events {
			if e.stage == k && (e.e.Action == parley.Offer || e.e.Action == parley.End) {
				shown = append(shown, e)
			}
		}
		if len(shown) == 0 {
			continue
		}
		verb := "offers "
		if sg.Mechanism == staged.Mediated {
			verb = "proposes"
		}
		fmt.Fprintf(out, "\nStage %q (%s): %d proposals or offers\n", sg.Name, sg.Mechanism, len(shown))
		for i, e := range shown {
			if f.show >= 0 && len(shown) > 2*f.show && i == f.show {
				fmt.Fprintf(out, "  ... %d more ...\n", len(shown)-2*f.show)
			}
			if f.show >= 0 && len(shown) > 2*f.show && i >= f.show && i < len(shown)-f.show {
				continue
			}
			who := eventParty(s, sg, e.e.Party)
			if e.e.Action == parley.End {
				fmt.Fprintf(out, "  round %3d  %-10s leaves\n", e.e.Round+1, who)
				continue
			}
			fmt.Fprintf(out, "  round %3d  %-10s %s %s\n", e.e.Round+1, who, verb, utils(e.e.Outcome))
		}
	}
	fmt.Fprintln(out)
	switch {
	case res.Agreed() && res.Ratified:
		fmt.Fprintf(out, "Agreement in stage %q, round %d of %d (t=%.3f), ratified:\n", res.StageName, res.Rounds, pl.Rounds(), res.Time)
	case res.Agreed():
		fmt.Fprintf(out, "Agreement signed in stage %q, round %d (t=%.3f), but ratification failed:\n", res.StageName, res.Rounds, res.Time)
	default:
		fmt.Fprintf(out, "No agreement (%s) in stage %q, round %d.\n", res.Cause, res.StageName, res.Rounds)
		if res.Err != nil {
			fmt.Fprintf(out, "  %v\n", res.Err)
		}
	}
	if res.Agreed() {
		for i := range s.Space.Issues {
			is := &s.Space.Issues[i]
			fmt.Fprintf(out, "  %-20s %s\n", is.Name, is.Value(s.Space.ValueIndex(res.Agreement, i)))
		}
	}
	if len(j.Locked) > 0 {
		fmt.Fprintf(out, "Issues locked between stages: %s\n", strings.Join(j.Locked, ", "))
	}
	fmt.Fprintln(out, "\nUtilities (undiscounted, discounted at the end; reservation value r(t) without a ratified agreement):")
	for i, nm := range names {
		fmt.Fprintf(out, "  %-10s %.3f  %.3f\n", nm, res.Utilities[i], res.Discounted[i])
	}
	if j.Metrics != nil {
		m := j.Metrics
		fmt.Fprintf(out, "\nAmong %s: welfare %.3f; distance to the Pareto frontier %.3f", strings.Join(mnames, ", "), m.Welfare, m.ParetoDistance)
		if m.HasNash {
			fmt.Fprintf(out, ", to the Nash point %.3f", m.NashDistance)
		}
		fmt.Fprintln(out)
	}
	return runFailure(&res.Result)
}

// stagedTraceLine is one line of a staged run's JSON-lines trace.
type stagedTraceLine struct {
	Stage   string            `json:"stage"`
	Step    int               `json:"step"`
	Round   int               `json:"round"`
	Time    float64           `json:"time"`
	Party   string            `json:"party"`
	Action  string            `json:"action"`
	Outcome map[string]string `json:"outcome,omitempty"`
}

// eventParty names the party of a stage event (stage-local index, -1 for
// the mediator).
func eventParty(s *scenario.Scenario, sg staged.Stage, p int) string {
	if p < 0 {
		if sg.Mediator >= 0 {
			return s.Parties[sg.Mediator].Name
		}
		return "mediator"
	}
	if p < len(sg.Participants) {
		return s.Parties[sg.Participants[p]].Name
	}
	return fmt.Sprint(p)
}

func partyList(s *scenario.Scenario, idx []int) string {
	ns := make([]string, len(idx))
	for k, i := range idx {
		ns[k] = s.Parties[i].Name
	}
	return strings.Join(ns, "+")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
