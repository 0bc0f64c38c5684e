package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// saoFlags are the options of plain alternating offers: the declared
// protocol's stages set their own rounds and clock.
var saoFlags = []string{"deadline", "time-limit", "timing"}

// stagedFlags are the options of a declared protocol's stages.
var stagedFlags = []string{"variant", "voters", "mediator"}

// Run runs one negotiation of s with the options, resolving specs through
// r, and writes its trace to o.OpenTrace's writer. A run that ends in error is an
// Outcome, not an error (see Outcome.Failure); the error reports options
// that do not fit (*OptionError), a trace that could not be written, or
// a mechanism that could not run.
func Run(ctx context.Context, s *scenario.Scenario, o Options, r Resolver) (*Outcome, error) {
	if o.set("deadline") && o.Deadline < 1 { // 0 would silently mean the scenario's deadline
		return nil, optionErr(fmt.Errorf("run: --deadline %d: want at least 1 round (leave it out for the scenario's deadline)", o.Deadline))
	}
	st, err := useStaged(&o, s)
	if err != nil {
		return nil, err
	}
	if st {
		return runStaged(ctx, s, &o, r)
	}
	return runSAO(ctx, s, &o, r)
}

// useStaged decides between plain alternating offers and the scenario's
// declared (staged) protocol. An option of the protocol not chosen is an
// error naming it, never silently ignored; in particular --deadline,
// --time-limit and --timing do not switch a scenario with a declared
// protocol to alternating offers unless --protocol sao says so.
func useStaged(o *Options, s *scenario.Scenario) (bool, error) {
	given := func(names []string) string {
		for _, n := range names {
			if o.set(n) || n == "variant" && o.Variant != "" {
				return n
			}
		}
		return ""
	}
	switch o.Protocol {
	case ProtocolAuto, "":
		if s.Protocol == nil {
			if n := given(stagedFlags); n != "" {
				return false, optionErr(fmt.Errorf("run: --%s: scenario %s declares no protocol (no stages, no variants): it runs by plain alternating offers", n, s.Name))
			}
			return false, nil
		}
		if n := given(saoFlags); n != "" {
			return false, optionErr(fmt.Errorf("run: --%s applies to plain alternating offers, but scenario %s declares a protocol whose stages set their own rounds: add --protocol sao to run it by alternating offers, or leave --%s out", n, s.Name, n))
		}
		return true, nil
	case ProtocolSAO:
		if n := given(stagedFlags); n != "" {
			return false, optionErr(fmt.Errorf("run: --%s goes with the scenario's declared protocol, not --protocol sao", n))
		}
		return false, nil
	case ProtocolStaged:
		if s.Protocol == nil {
			return false, optionErr(fmt.Errorf("run: --protocol staged: scenario %s declares no protocol", s.Name))
		}
		if n := given(saoFlags); n != "" {
			return false, optionErr(fmt.Errorf("run: --%s applies to plain alternating offers (--protocol sao); the declared protocol's stages set their own rounds", n))
		}
		return true, nil
	}
	return false, optionErr(fmt.Errorf("run: --protocol %q: want auto, sao or staged", o.Protocol))
}

// chooseTiming returns the sao timing for the Timing option (empty:
// GENIUS timing when every seat is a genius-* agent, as they reproduce
// GENIUS only with it, and Parley's step timing otherwise).
func chooseTiming(flag string, specs []string) (sao.Timing, error) {
	switch strings.ToLower(strings.TrimSpace(flag)) {
	case TimingSteps:
		return sao.TimingSteps, nil
	case TimingGenius:
		return sao.TimingGENIUS, nil
	case "":
		for _, s := range specs {
			if !IsGeniusSpec(s) {
				return sao.TimingSteps, nil
			}
		}
		return sao.TimingGENIUS, nil
	}
	return 0, optionErr(fmt.Errorf("run: --timing %q: want %s or %s", flag, TimingSteps, TimingGenius))
}

// runSAO runs s by plain alternating offers.
func runSAO(ctx context.Context, s *scenario.Scenario, o *Options, r Resolver) (*Outcome, error) {
	factories, specs, err := Seats(o.Agents, len(s.Parties), r.Negotiator)
	if err != nil {
		return nil, err
	}
	ready, err := s.Prepare()
	if err != nil {
		return nil, err
	}
	deadline := o.Deadline
	if deadline == 0 {
		deadline = s.Deadline
	}
	if deadline == 0 {
		deadline = DefaultDeadline
	}
	if deadline < 0 {
		return nil, optionErr(fmt.Errorf("run: --deadline %d is negative", deadline))
	}
	timing, err := chooseTiming(o.Timing, specs)
	if err != nil {
		return nil, err
	}
	j := tracefile.NewRun(s, tracefile.ProtocolSAO, specs, o.Seed, deadline)
	if timing == sao.TimingGENIUS {
		j.Timing = TimingGenius
	}
	out := &Outcome{Run: j, Specs: specs}
	tf, err := newTrace(o.OpenTrace, s.Space, j)
	if err != nil {
		return nil, err
	}
	rc := tracefile.NewRecorder(tf.w)
	opts := sao.Options{Deadline: deadline, TimeLimit: o.TimeLimit, Timing: timing, Trace: rc.Event}
	m, err := sao.New(ready.Profiles(), ready.Names(), opts)
	if err != nil {
		return nil, err
	}
	negs := make([]parley.Negotiator, len(factories))
	for i, fac := range factories {
		negs[i] = fac()
	}
	res, err := m.Run(ctx, negs, o.Seed)
	if err != nil {
		return nil, err
	}
	rep, aerr := analysis.Analyze(ready.Space(), ready.Profiles())
	j.SetResult(s, res)
	j.SetMetrics(rep, aerr, res.Utilities)
	out.Result, out.Events = res, rc.Events
	return out, tf.result(j)
}

// runStaged runs s by its declared protocol.
func runStaged(ctx context.Context, s *scenario.Scenario, o *Options, r Resolver) (*Outcome, error) {
	if o.Deadline != 0 || o.TimeLimit != 0 || (o.Timing != "" && o.Timing != TimingSteps) {
		return nil, optionErr(fmt.Errorf("run: --deadline, --time-limit and --timing apply to plain alternating offers (--protocol sao); the declared protocol's stages set their own rounds"))
	}
	pl, err := plan.FromScenario(s, o.Variant)
	if err != nil {
		return nil, optionErr(fmt.Errorf("run: %w (variants: %s)", err, strings.Join(plan.Variants(s), ", ")))
	}
	n := len(s.Parties)
	negFactories, negSpecs, err := Seats(o.Agents, n, r.Negotiator)
	if err != nil {
		return nil, err
	}
	voterSpecs := o.Voters
	if len(voterSpecs) == 0 {
		voterSpecs = []string{DefaultVoter}
	}
	if len(voterSpecs) > n {
		return nil, optionErr(fmt.Errorf("run: %d voters for %d parties", len(voterSpecs), n))
	}
	if err := checkSeats(o, s, pl, o.Agents, voterSpecs); err != nil {
		return nil, err
	}
	st := staged.Seats{Negotiators: make([]parley.Negotiator, n), Voters: make([]mediated.Voter, n)}
	vspecs := make([]string, n)
	for i := 0; i < n; i++ {
		st.Negotiators[i] = negFactories[i]()
		vspecs[i] = voterSpecs[i%len(voterSpecs)]
		vf, err := r.Voter(vspecs[i])
		if err != nil {
			return nil, optionErr(fmt.Errorf("--voters: %w", err))
		}
		st.Voters[i] = vf()
	}
	medSpec := o.Mediator
	if medSpec == "" {
		if medSpec, err = plan.MediatorPolicy(s, o.Variant); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
	}
	if medSpec != "" {
		mf, err := r.Mediator(medSpec)
		if err != nil {
			return nil, optionErr(fmt.Errorf("run: mediator %q: %w", medSpec, err))
		}
		st.Mediator = mf()
		if err := checkMediatorRule(o, r, pl, medSpec, st.Mediator); err != nil {
			return nil, err
		}
	}
	ready, err := s.Prepare()
	if err != nil {
		return nil, err
	}

	j := tracefile.NewStagedRun(s, pl, o.Variant, negSpecs, vspecs, medSpec, o.Seed)
	out := &Outcome{Run: j, Specs: negSpecs}
	tf, err := newTrace(o.OpenTrace, s.Space, j)
	if err != nil {
		return nil, err
	}
	rc := tracefile.NewRecorder(tf.w)
	pl.StageStart, pl.Trace = rc.Start, rc.Stage
	res, err := staged.Run(ctx, ready.Profiles(), ready.Names(), pl, st, o.Seed)
	if err != nil {
		return nil, err
	}
	out.Plan, out.StageRound, out.Staged, out.Result, out.Events = pl, res.Rounds-rc.Offset(res.Stage), res, &res.Result, rc.Events
	j.SetStagedOutcome(s, ready.Space(), ready.Profiles(), pl, res, out.StageRound)
	return out, tf.result(j)
}

// checkSeats rejects strategy specs that no seat would use: --agents
// specs that fall only on parties that make no offers in any
// alternating-offers stage of the plan (the ceasefire's US, which
// mediates), --voters specs that fall only on parties that vote in no
// mediated stage, and --agents, --voters or --mediator given for a plan
// without stages of their kind. Party i gets spec i mod len(specs), as
// Seats does.
func checkSeats(o *Options, s *scenario.Scenario, pl staged.Plan, agents, voters []string) error {
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
	variant := o.Variant
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
		if !o.set(flag) {
			return nil
		}
		if len(used) == 0 {
			return optionErr(fmt.Errorf("run: --%s: no party %s in protocol variant %s", flag, role, variant))
		}
		for k, spec := range specs {
			ok := false
			for i := k; i < len(s.Parties); i += len(specs) {
				ok = ok || used[i]
			}
			if !ok {
				return optionErr(fmt.Errorf("run: --%s: spec %d (%s) would go to %s, who %s in no stage of protocol variant %s (%s do): give specs for the parties in order, up to the last who %s",
					flag, k+1, spec, s.Parties[k].Name, role, variant, who(used), role))
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
	if o.set("mediator") && mediatedStages == 0 {
		return optionErr(fmt.Errorf("run: --mediator: protocol variant %s has no mediated stage", variant))
	}
	return nil
}

// checkMediatorRule rejects the annealing mediator in a plan where it
// would never be asked to adopt a rejected proposal: only
// parley.RuleMediator consults it, and under any other rule it runs as
// hill-climbing.
func checkMediatorRule(o *Options, r Resolver, pl staged.Plan, spec string, m mediated.Mediator) error {
	if r.AsDesigned == nil {
		return nil
	}
	for _, sg := range pl.Stages {
		if sg.Mechanism != parley.MechanismMediated || r.AsDesigned(m, sg.Rule) {
			continue
		}
		err := fmt.Errorf("mediator %q adopts rejected proposals only under rule %q, but stage %q has rule %q, under which it would run as hill-climbing (use hillclimb, or a stage with rule: mediator)",
			spec, parley.RuleMediator, sg.Name, sg.Rule)
		if o.set("mediator") {
			return optionErr(fmt.Errorf("run: --mediator: %w", err))
		}
		return fmt.Errorf("run: the scenario's mediator_policy: %w", err)
	}
	return nil
}
