package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
)

// defaultDeadline is the round limit when neither --deadline nor the
// scenario gives one.
const defaultDeadline = 100

// splitAgents splits agent lists given to --agents: specs are separated by
// commas, except commas inside parentheses and commas that start another
// parameter of the same spec ("boulware:e=0.1,ac=next,conceder" is two
// specs).
func splitAgents(values []string) []string {
	var specs []string
	for _, v := range values {
		depth, start := 0, 0
		var parts []string
		for i, r := range v {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				if depth == 0 {
					parts = append(parts, v[start:i])
					start = i + 1
				}
			}
		}
		parts = append(parts, v[start:])
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			name, _, _ := strings.Cut(p, "=")
			if len(specs) > 0 && strings.Contains(p, "=") && !strings.Contains(name, ":") {
				specs[len(specs)-1] += "," + p
				continue
			}
			specs = append(specs, p)
		}
	}
	return specs
}

// seats builds one negotiator factory per party from the agent specs,
// cycling through the list when it is shorter than the party count.
func seats(specs []string, parties int) ([]strategy.Factory, []string, error) {
	if len(specs) == 0 {
		return nil, nil, usageError{errors.New("no agents given")}
	}
	if len(specs) > parties {
		return nil, nil, usageError{fmt.Errorf("%d agents for %d parties", len(specs), parties)}
	}
	fs := make([]strategy.Factory, parties)
	names := make([]string, parties)
	for i := range fs {
		spec := specs[i%len(specs)]
		f, err := strategy.Parse(spec)
		if err != nil {
			return nil, nil, usageError{err}
		}
		fs[i], names[i] = f, spec
	}
	return fs, names, nil
}

type runFlags struct {
	agents    []string
	profiles  []string
	deadline  int
	timeLimit time.Duration
	seed      uint64
	asJSON    bool
	trace     string
	show      int
	timing    string
	protocol  string
	variant   string
	voters    []string
	mediator  string
	plot      string
}

// Values of --timing.
const (
	timingSteps  = "steps"
	timingGenius = "genius"
)

// isGeniusSpec reports whether spec names one of the GENIUS-compatible
// agents (strategy/geniuscompat), whose names start with "genius-".
func isGeniusSpec(spec string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(spec)), "genius-")
}

// chooseTiming returns the sao timing for --timing (empty: GENIUS timing
// when every seat is a genius-* agent, as they reproduce GENIUS only with
// it, and Parley's step timing otherwise).
func chooseTiming(flag string, specs []string) (sao.Timing, error) {
	switch strings.ToLower(strings.TrimSpace(flag)) {
	case timingSteps:
		return sao.TimingSteps, nil
	case timingGenius:
		return sao.TimingGENIUS, nil
	case "":
		for _, s := range specs {
			if !isGeniusSpec(s) {
				return sao.TimingSteps, nil
			}
		}
		return sao.TimingGENIUS, nil
	}
	return 0, usageError{fmt.Errorf("run: --timing %q: want %s or %s", flag, timingSteps, timingGenius)}
}

func newRunCmd() *cobra.Command {
	var f runFlags
	c := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run one negotiation (alternating offers, or the scenario's declared stages)",
		Long: `Run one negotiation between automated negotiators, one per party in the
scenario's order, and print who offered what, the agreement, each party's
utility and the agreement's distance to the Pareto frontier and the Nash
point.

A scenario that declares a protocol (stages such as the ceasefire's direct
talks followed by mediation: see docs/mediation.md) runs it, or one of its
--variant's; --voters and --mediator then choose the strategies of the
mediated stages. Otherwise, or with --protocol sao, the parties negotiate by
stacked alternating offers for --deadline rounds.

--agents lists strategy specs (see 'parley agents'), one per party in
order; a shorter list is repeated. A spec is NAME or NAME:key=value,... :
"boulware,conceder:e=3" gives party 1 Boulware and party 2 a Conceder
with e=3.

--timing sets how normalised time t runs: "steps" (Parley's default: t =
turns taken / (parties x rounds)) or "genius" (GENIUS's DiscreteTimeline:
both turns of round R of D see t = R/(D+1), and a negotiation without
agreement ends at t = D/(D+1)). When every agent is a genius-* agent, which
reproduce GENIUS's classic agents exactly, the default is "genius"; see
docs/genius-compatibility.md.

The same --seed gives the same negotiation, byte for byte.`,
		Example: `  parley run ceasefire
  parley run ceasefire --variant mediated_from_start --voters annealer --mediator nash
  parley run ceasefire --protocol sao --deadline 120
  parley run ceasefire --agents boulware,conceder,linear --seed 7 --json
  parley run ../shared/scenarios/genius/EnglandZimbabwe_anac2010 --agents micro,boulware --trace ez.jsonl
  parley run EnglandZimbabwe_domain.xml --profiles England.xml,Zimbabwe.xml
  parley run EnglandZimbabwe_domain.xml --profiles England.xml,Zimbabwe.xml --agents genius-boulware,genius-conceder --deadline 100 --json`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runOnce(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), args[0], f)
		},
	}
	c.Flags().StringArrayVar(&f.agents, "agents", []string{"boulware"}, "strategy specs, one per party in order (comma-separated)")
	c.Flags().StringSliceVar(&f.profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO, in party order")
	c.Flags().IntVar(&f.deadline, "deadline", 0, fmt.Sprintf("rounds allowed (default: the scenario's, else %d)", defaultDeadline))
	c.Flags().DurationVar(&f.timeLimit, "time-limit", 0, "also end after this much wall time (makes runs speed-dependent)")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "random seed: fixes every random choice")
	c.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON (schema in docs/cli.md)")
	c.Flags().StringVar(&f.trace, "trace", "", "write every action as JSON lines to this file")
	c.Flags().IntVar(&f.show, "show", 6, "offers to list at the start and at the end of the negotiation")
	c.Flags().StringVar(&f.protocol, "protocol", protocolAuto, "auto, sao or staged: auto runs the scenario's declared protocol when it has one (unless --deadline, --time-limit or --timing ask for plain alternating offers), else alternating offers")
	c.Flags().StringVar(&f.variant, "variant", "", "a protocol variant the scenario declares (default: its stages in order)")
	c.Flags().StringArrayVar(&f.voters, "voters", nil, "voter specs for mediated stages, one per party in order (default "+defaultVoter+"; see 'parley agents')")
	c.Flags().StringVar(&f.mediator, "mediator", "", "mediator spec for mediated stages (default: the stage's mediator_policy)")
	c.Flags().StringVar(&f.timing, "timing", "", "how time runs: steps or genius (default: genius when every agent is genius-*, else steps)")
	c.Flags().StringVar(&f.plot, "plot", "", "draw the offers in the utility plane of every two parties "+plotFlagHelp)
	return c
}

// RunJSON is the --json output of 'parley run' (documented in docs/cli.md).
type RunJSON struct {
	Scenario            string             `json:"scenario"`
	Parties             []string           `json:"parties"`
	Agents              []string           `json:"agents"`
	Seed                uint64             `json:"seed"`
	Deadline            int                `json:"deadline"`
	Timing              string             `json:"timing,omitempty"` // "genius" for GENIUS timing; omitted for steps
	Agreement           map[string]string  `json:"agreement"`
	Utilities           map[string]float64 `json:"utilities"`
	DiscountedUtilities map[string]float64 `json:"discounted_utilities"`
	Reservation         map[string]float64 `json:"reservation"`
	Rounds              int                `json:"rounds"`
	Steps               int                `json:"steps"`
	Time                float64            `json:"time"`
	Reason              string             `json:"reason"`
	AcceptedBy          *string            `json:"accepted_by"`
	EndedBy             *string            `json:"ended_by"`
	Error               string             `json:"error,omitempty"`
	Metrics             *analysis.Metrics  `json:"metrics"`
	AnalysisError       string             `json:"analysis_error,omitempty"`
}

func runOnce(ctx context.Context, out, errOut io.Writer, arg string, f runFlags) error {
	if err := checkPlot("run", f.plot); err != nil {
		return err
	}
	s, err := openScenario(errOut, arg, f.profiles)
	if err != nil {
		return err
	}
	if st, err := useStaged(f, s); err != nil {
		return err
	} else if st {
		return runStaged(ctx, out, s, f)
	}
	factories, specs, err := seats(splitAgents(f.agents), len(s.Parties))
	if err != nil {
		return err
	}
	if err := s.Prepare(); err != nil {
		return err
	}
	deadline := f.deadline
	if deadline == 0 {
		deadline = s.Deadline
	}
	if deadline == 0 {
		deadline = defaultDeadline
	}
	if deadline < 0 {
		return usageError{fmt.Errorf("run: --deadline %d is negative", deadline)}
	}
	timing, err := chooseTiming(f.timing, specs)
	if err != nil {
		return err
	}
	var events []parley.Event
	var tr *sao.JSONTrace
	var traceFile *os.File
	if f.trace != "" {
		traceFile, err = os.Create(f.trace)
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer traceFile.Close()
		tr = sao.NewJSONTrace(traceFile, s.Space, s.Names())
	}
	opts := sao.Options{Deadline: deadline, TimeLimit: f.timeLimit, Timing: timing, Trace: func(e parley.Event) {
		events = append(events, e)
		if tr != nil {
			tr.Event(e)
		}
	}}
	m, err := sao.New(s.Profiles(), s.Names(), opts)
	if err != nil {
		return err
	}
	negs := make([]parley.Negotiator, len(factories))
	for i, fac := range factories {
		negs[i] = fac()
	}
	res, err := m.Run(ctx, negs, f.seed)
	if err != nil {
		return err
	}
	if tr != nil {
		if err := tr.Flush(); err != nil {
			return fmt.Errorf("run: trace: %w", err)
		}
		if err := traceFile.Close(); err != nil {
			return fmt.Errorf("run: trace: %w", err)
		}
	}
	if f.plot != "" {
		if err := saveRunPlot(f.plot, s, specs, f.seed, nil, saoMoves(events), res, saoEnding(s.Names(), res)); err != nil {
			return err
		}
	}
	rep, aerr := analysis.Analyze(s.Space, s.Profiles())
	j := resultJSON(s, specs, f.seed, deadline, res, rep, aerr)
	if timing == sao.TimingGENIUS {
		j.Timing = timingGenius
	}
	if f.asJSON {
		e := json.NewEncoder(out)
		e.SetIndent("", "  ")
		if err := e.Encode(j); err != nil {
			return err
		}
		return runFailure(res)
	}
	printRun(out, s, specs, deadline, f.seed, events, res, j, f.show)
	return runFailure(res)
}

// runFailure is what a run that ended in error returns after printing its
// result (every party paid its reservation value), so that the command
// exits with 1; nil for any other ending.
func runFailure(r *parley.Result) error {
	if r.Reason != parley.ReasonError {
		return nil
	}
	return fmt.Errorf("run: the negotiation ended in error: %w", r.Err)
}

func resultJSON(s *scenario.Scenario, specs []string, seed uint64, deadline int, res *parley.Result, rep *analysis.Report, aerr error) *RunJSON {
	names := s.Names()
	j := &RunJSON{Scenario: s.Name, Parties: names, Agents: specs, Seed: seed, Deadline: deadline,
		Utilities: map[string]float64{}, DiscountedUtilities: map[string]float64{}, Reservation: map[string]float64{},
		Rounds: res.Rounds, Steps: res.Steps, Time: res.Time, Reason: res.Reason.String()}
	if res.Agreed() {
		j.Agreement = s.Space.Named(res.Agreement)
	}
	for i, n := range names {
		j.Utilities[n] = res.Utilities[i]
		j.DiscountedUtilities[n] = res.Discounted[i]
		j.Reservation[n] = s.Parties[i].Profile.Reservation
	}
	if res.Party >= 0 {
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
	if aerr != nil {
		j.AnalysisError = aerr.Error()
	} else if rep == nil {
		return j
	} else if m, err := rep.Metrics(res.Utilities); err == nil {
		j.Metrics = &m
	}
	return j
}

func printRun(w io.Writer, s *scenario.Scenario, specs []string, deadline int, seed uint64, events []parley.Event, res *parley.Result, j *RunJSON, show int) {
	names := s.Names()
	clock := ""
	if j.Timing == timingGenius {
		clock = " (GENIUS timing)"
	}
	fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; alternating offers, deadline %d rounds%s, seed %d\n",
		s.Name, len(names), len(s.Space.Issues), s.Space.Size(), deadline, clock, seed)
	for i, p := range s.Parties {
		fmt.Fprintf(w, "  %-10s %-22s reservation %.3f  discount %.2f\n", p.Name, specs[i], p.Profile.Reservation, p.Profile.DiscountFactor())
	}
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
	var offers []parley.Event
	for _, e := range events {
		if e.Action == parley.Offer {
			offers = append(offers, e)
		}
	}
	fmt.Fprintf(w, "\nOffers: %d in %d rounds (utilities as each party values the offer)\n", len(offers), res.Rounds)
	for k, e := range offers {
		if show >= 0 && len(offers) > 2*show && k == show {
			fmt.Fprintf(w, "  ... %d more offers ...\n", len(offers)-2*show)
		}
		if show >= 0 && len(offers) > 2*show && k >= show && k < len(offers)-show {
			continue
		}
		fmt.Fprintf(w, "  round %3d  %-10s offers  %s\n", e.Round+1, names[e.Party], utils(e.Outcome))
	}
	fmt.Fprintln(w)
	switch res.Reason {
	case parley.ReasonAgreement:
		fmt.Fprintf(w, "Agreement in round %d (t=%.3f), accepted by %s:\n", res.Rounds, res.Time, names[res.Party])
		for i := range s.Space.Issues {
			is := &s.Space.Issues[i]
			fmt.Fprintf(w, "  %-20s %s\n", is.Name, is.Value(s.Space.ValueIndex(res.Agreement, i)))
		}
	case parley.ReasonDeadline:
		fmt.Fprintf(w, "No agreement: the deadline of %d rounds passed.\n", deadline)
	case parley.ReasonWalkAway:
		fmt.Fprintf(w, "No agreement: %s walked away in round %d.\n", names[res.Party], res.Rounds)
	case parley.ReasonError:
		fmt.Fprintf(w, "No agreement: error in round %d: %v\n", res.Rounds, res.Err)
	}
	fmt.Fprintln(w, "\nUtilities (undiscounted, discounted at the end; reservation value without agreement):")
	for i, n := range names {
		fmt.Fprintf(w, "  %-10s %.3f  %.3f\n", n, res.Utilities[i], res.Discounted[i])
	}
	if j.Metrics != nil {
		m := j.Metrics
		fmt.Fprintf(w, "\nWelfare %.3f; distance to the Pareto frontier %.3f", m.Welfare, m.ParetoDistance)
		if m.HasNash {
			fmt.Fprintf(w, ", to the Nash point %.3f", m.NashDistance)
		}
		if m.HasKS {
			fmt.Fprintf(w, ", to Kalai-Smorodinsky %.3f", m.KSDistance)
		}
		fmt.Fprintln(w)
	} else if j.AnalysisError != "" {
		fmt.Fprintf(w, "\nNo agreement metrics: %s\n", j.AnalysisError)
	}
}
