package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tracefile"
)

// Values of --protocol.
const (
	protocolAuto   = "auto"
	protocolSAO    = tracefile.ProtocolSAO
	protocolStaged = tracefile.ProtocolStaged
)

// defaultVoter votes in mediated stages when --voters is not given.
const defaultVoter = "reservation"

// saoFlags are the flags of plain alternating offers: the declared
// protocol's stages set their own rounds and clock.
var saoFlags = []string{"deadline", "time-limit", "timing"}

// stagedFlags are the flags of a declared protocol's stages.
var stagedFlags = []string{"variant", "voters", "mediator"}

// useStaged decides between plain alternating offers and the scenario's
// declared (staged) protocol. A flag of the protocol not chosen is a usage
// error naming it, never silently ignored; in particular --deadline,
// --time-limit and --timing do not switch a scenario with a declared
// protocol to alternating offers unless --protocol sao says so.
func useStaged(f runFlags, s *scenario.Scenario) (bool, error) {
	given := func(names []string) string {
		for _, n := range names {
			if f.set(n) || n == "variant" && f.variant != "" {
				return n
			}
		}
		return ""
	}
	switch f.protocol {
	case protocolAuto, "":
		if s.Protocol == nil {
			if n := given(stagedFlags); n != "" {
				return false, usageError{fmt.Errorf("run: --%s: scenario %s declares no protocol (no stages, no variants): it runs by plain alternating offers", n, s.Name)}
			}
			return false, nil
		}
		if n := given(saoFlags); n != "" {
			return false, usageError{fmt.Errorf("run: --%s applies to plain alternating offers, but scenario %s declares a protocol whose stages set their own rounds: add --protocol sao to run it by alternating offers, or leave --%s out", n, s.Name, n)}
		}
		return true, nil
	case protocolSAO:
		if n := given(stagedFlags); n != "" {
			return false, usageError{fmt.Errorf("run: --%s goes with the scenario's declared protocol, not --protocol sao", n)}
		}
		return false, nil
	case protocolStaged:
		if s.Protocol == nil {
			return false, usageError{fmt.Errorf("run: --protocol staged: scenario %s declares no protocol", s.Name)}
		}
		if n := given(saoFlags); n != "" {
			return false, usageError{fmt.Errorf("run: --%s applies to plain alternating offers (--protocol sao); the declared protocol's stages set their own rounds", n)}
		}
		return true, nil
	}
	return false, usageError{fmt.Errorf("run: --protocol %q: want auto, sao or staged", f.protocol)}
}

func (pg *program) runStaged(ctx context.Context, out, errOut io.Writer, s *scenario.Scenario, f runFlags) error {
	if f.deadline != 0 || f.timeLimit != 0 || (f.timing != "" && f.timing != timingSteps) {
		return usageError{fmt.Errorf("run: --deadline, --time-limit and --timing apply to plain alternating offers (--protocol sao); the declared protocol's stages set their own rounds")}
	}
	pl, err := plan.FromScenario(s, f.variant)
	if err != nil {
		return usageError{fmt.Errorf("run: %w (variants: %s)", err, strings.Join(plan.Variants(s), ", "))}
	}
	n := len(s.Parties)
	agentSpecs := splitAgents(f.agents)
	negFactories, negSpecs, err := pg.seats(agentSpecs, n)
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
	if err := pg.checkSeats(f, s, pl, agentSpecs, voterSpecs); err != nil {
		return err
	}
	st := staged.Seats{Negotiators: make([]parley.Negotiator, n), Voters: make([]mediated.Voter, n)}
	vspecs := make([]string, n)
	for i := 0; i < n; i++ {
		st.Negotiators[i] = negFactories[i]()
		vspecs[i] = voterSpecs[i%len(voterSpecs)]
		vf, err := pg.voter(vspecs[i])
		if err != nil {
			return usageError{fmt.Errorf("--voters: %w", err)}
		}
		st.Voters[i] = vf()
	}
	medSpec := f.mediator
	if medSpec == "" {
		if medSpec, err = plan.MediatorPolicy(s, f.variant); err != nil {
			return fmt.Errorf("run: %w", err)
		}
	}
	j := tracefile.NewRun(s, protocolStaged, negSpecs, f.seed, pl.Rounds())
	j.Variant, j.Voters = f.variant, tracefile.ByParty(s.Names(), vspecs)
	j.Stages = tracefile.StagesOf(s, pl)
	participants := map[int]bool{}
	for _, sg := range pl.Stages {
		for _, p := range sg.Participants {
			participants[p] = true
		}
	}
	j.Mediator = medSpec
	if medSpec != "" {
		mf, err := pg.mediatorFactory(medSpec)
		if err != nil {
			return usageError{fmt.Errorf("run: mediator %q: %w", medSpec, err)}
		}
		st.Mediator = mf()
		if err := checkMediatorRule(f, pl, medSpec, st.Mediator); err != nil {
			return err
		}
	}
	ready, err := s.Prepare()
	if err != nil {
		return err
	}

	var events []tracefile.Entry
	tf, err := createTrace(f.trace, s, j)
	if err != nil {
		return err
	}
	defer tf.abort()
	offsets := make([]int, len(pl.Stages))
	pl.StageStart = func(k, offset int) { offsets[k] = offset }
	pl.Trace = func(k int, e parley.Event) {
		ev := tracefile.Entry{Stage: k, Offset: offsets[k], Event: e}
		events = append(events, ev)
		tf.event(ev)
	}
	res, err := staged.Run(ctx, ready.Profiles(), ready.Names(), pl, st, f.seed)
	if err != nil {
		return err
	}
	if f.plot != "" {
		n := chart.StagedRunOf(s, negSpecs, f.seed, pl, events, res, res.Rounds-offsets[res.Stage])
		if err := saveRunPlot(errOut, f.plot, n); err != nil {
			return err
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
		profs[k], mnames[k], u[k] = ready.Profile(i), s.Parties[i].Name, res.Utilities[i]
	}
	rep, aerr := analysis.Analyze(ready.Space(), profs)
	j.SetStagedResult(s, res, res.Rounds-offsets[res.Stage])
	j.MetricsParties = mnames
	j.SetMetrics(rep, aerr, u)
	if err := tf.close(j); err != nil {
		return err
	}
	story := !f.asJSON && s.Protocol != nil && s.Protocol.Question != ""
	if !story {
		return printRun(out, s, j, events, f, &res.Result)
	}
	for _, l := range render.Wrap("Question: ", "  ", strings.Fields(s.Protocol.Question), render.BriefWidth) {
		fmt.Fprintln(out, l)
	}
	fmt.Fprintln(out)
	if f.set("show") {
		render.Summary(out, s, j, events, f.show)
	} else {
		// The short account, so that the question, the run and the answer
		// fit on one screen; --show asks for the full one.
		render.Brief(out, s, j, events)
	}
	if err := runFailure(&res.Result); err != nil {
		return err
	}
	return pg.printStory(ctx, out, s, f.seed)
}

// printStory answers the scenario's protocol question after a text run:
// each compared variant's agreement rate over experiment.DefaultStoryRuns
// runs, at matched information and as declared (experiment.TellStory),
// and a one-line caveat.
func (pg *program) printStory(ctx context.Context, out io.Writer, s *scenario.Scenario, seed uint64) error {
	pool, err := pg.experimentPool(nil, nil)
	if err != nil {
		return err
	}
	st, err := experiment.TellStory(ctx, s, experiment.Config{Seed: seed, Pool: pool,
		Mediator: pg.mediatorFactory, NeedsDeclared: mediator.NeedsDeclared})
	if err != nil {
		// The run itself succeeded: say why there is no short answer.
		fmt.Fprintf(out, "\nNo short answer to the question here: %v\n", err)
		return nil
	}
	fmt.Fprintln(out)
	if err := experiment.WriteStory(out, st); err != nil {
		return err
	}
	if len(s.Assumptions) > 0 {
		fmt.Fprintf(out, "Caveat: these rates rest on assumed values; to test them: parley experiment robustness %s\n", s.Name)
		return nil
	}
	fmt.Fprintf(out, "Caveat: these rates rest on assumed values; vary them: parley experiment sequencing %s --factor\n", s.Name)
	return nil
}

// checkSeats rejects strategy specs that no seat would use: --agents
// specs that fall only on parties that make no offers in any
// alternating-offers stage of the plan (the ceasefire's US, which
// mediates), --voters specs that fall only on parties that vote in no
// mediated stage, and --agents, --voters or --mediator given for a plan
// without stages of their kind. Party i gets spec i mod len(specs), as
// seats does.
func (pg *program) checkSeats(f runFlags, s *scenario.Scenario, pl staged.Plan, agents, voters []string) error {
	negotiates, votes := map[int]bool{}, map[int]bool{}
	mediatedStages := 0
	for _, sg := range pl.Stages {
		for _, p := range sg.Participants {
			if sg.Mechanism == parley.MechanismMediated {
				votes[p] = true
			} else {
				negotiates[p] = true
			}
		}
		if sg.Mechanism == parley.MechanismMediated {
			mediatedStages++
		}
	}
	variant := f.variant
	if variant == "" {
		variant = "default"
	}
	who := func(m map[int]bool) string {
		var ns []string
		for i, p := range s.Parties {
			if m[i] {
				ns = append(ns, p.Name)
			}
		}
		return strings.Join(ns, ", ")
	}
	unused := func(flag, role string, specs []string, used map[int]bool) error {
		if !f.set(flag) {
			return nil
		}
		if len(used) == 0 {
			return usageError{fmt.Errorf("run: --%s: no party %s in protocol variant %s", flag, role, variant)}
		}
		for k, spec := range specs {
			ok := false
			for i := k; i < len(s.Parties); i += len(specs) {
				ok = ok || used[i]
			}
			if !ok {
				return usageError{fmt.Errorf("run: --%s: spec %d (%s) would go to %s, who %s in no stage of protocol variant %s (%s do): give specs for the parties in order, up to the last who %s",
					flag, k+1, spec, s.Parties[k].Name, role, variant, who(used), role)}
			}
		}
		return nil
	}
	if err := unused("agents", "negotiates", agents, negotiates); err != nil {
		return err
	}
	if err := unused("voters", "votes", voters, votes); err != nil {
		return err
	}
	if f.set("mediator") && mediatedStages == 0 {
		return usageError{fmt.Errorf("run: --mediator: protocol variant %s has no mediated stage", variant)}
	}
	return nil
}

// checkMediatorRule rejects the annealing mediator in a plan where it
// would never be asked to adopt a rejected proposal: only
// parley.RuleMediator consults it, and under any other rule it runs as
// hill-climbing.
func checkMediatorRule(f runFlags, pl staged.Plan, spec string, m mediated.Mediator) error {
	for _, sg := range pl.Stages {
		if sg.Mechanism != parley.MechanismMediated || mediator.AsDesigned(m, sg.Rule) {
			continue
		}
		err := fmt.Errorf("mediator %q adopts rejected proposals only under rule %q, but stage %q has rule %q, under which it would run as hill-climbing (use hillclimb, or a stage with rule: mediator)",
			spec, parley.RuleMediator, sg.Name, sg.Rule)
		if f.set("mediator") {
			return usageError{fmt.Errorf("run: --mediator: %w", err)}
		}
		return fmt.Errorf("run: the scenario's mediator_policy: %w", err)
	}
	return nil
}
