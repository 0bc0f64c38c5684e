package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/scenario"
)

// Schema names of the JSON outputs: every JSON object a command prints
// carries one in its "schema" field, and docs/cli.md documents each.
const (
	schemaRun        = "parley.run/2"
	schemaTrace      = "parley.trace/2"
	schemaAnalyze    = "parley.analyze/2"
	schemaAgents     = "parley.agents/2"
	schemaExperiment = "parley.experiment/2"
	schemaReport     = "parley.report/2"
	schemaScenarios  = "parley.scenarios/2"
	schemaBench      = "parley.bench/2"
)

// RunJSON is the --json output of 'parley run' (schema parley.run/2,
// documented in docs/cli.md), and the result line of its trace. Per-party
// values are objects keyed by party name; rounds count from 1.
type RunJSON struct {
	Schema string `json:"schema"`
	RunSetup

	// Reason is why the negotiation ended (parley.Reason names).
	Reason string `json:"reason"`
	// Stage is the stage in which a staged run ended and StageRound the
	// round within it; Rounds is the global round in which the run ended,
	// from 1.
	Stage      string  `json:"stage,omitempty"`
	StageRound int     `json:"stage_round,omitempty"`
	Rounds     int     `json:"rounds"`
	Steps      int     `json:"steps"`
	Time       float64 `json:"time"`
	// Agreement is the agreed outcome (also the signed one when Reason is
	// ratification_failed), issue -> value (numbers for numeric issues);
	// null without one.
	Agreement map[string]any `json:"agreement"`
	Ratified  *bool          `json:"ratified,omitempty"`

	Utilities           map[string]float64 `json:"utilities"`
	DiscountedUtilities map[string]float64 `json:"discounted_utilities"`
	Reservation         map[string]float64 `json:"reservation"`
	Advantage           map[string]float64 `json:"advantage"`

	AcceptedBy   *string  `json:"accepted_by"`
	EndedBy      *string  `json:"ended_by"`
	Error        string   `json:"error,omitempty"`
	LockedIssues []string `json:"locked_issues,omitempty"`

	Metrics        *analysis.Metrics `json:"metrics"`
	MetricsParties []string          `json:"metrics_parties"`
	AnalysisError  string            `json:"analysis_error,omitempty"`
}

// RunSetup is what ran: the part of a run's JSON that its trace header
// repeats, so that a trace file stands alone.
type RunSetup struct {
	Scenario string `json:"scenario"`
	// Protocol is "sao" (alternating offers) or "staged" (the scenario's
	// declared stages); Variant the --variant that chose the stages
	// (omitted: the declared stages in order).
	Protocol string            `json:"protocol"`
	Variant  string            `json:"variant,omitempty"`
	Parties  []string          `json:"parties"`
	Agents   map[string]string `json:"agents"`
	// Voters are the voter strategies of mediated stages; Mediator is the
	// mediator's strategy spec (the mediating party, if any, is
	// Stages[k].MediatingParty).
	Voters   map[string]string `json:"voters,omitempty"`
	Mediator string            `json:"mediator,omitempty"`
	Stages   []StageJSON       `json:"stages,omitempty"`
	Seed     uint64            `json:"seed"`
	Deadline int               `json:"deadline"`
	Timing   string            `json:"timing"`
}

// StageJSON describes one stage of a staged protocol.
type StageJSON struct {
	Name         string   `json:"name"`
	Mechanism    string   `json:"mechanism"`
	Participants []string `json:"participants"`
	Rounds       int      `json:"rounds"`
	// FirstRound is the stage's first round on the global clock, from 1.
	FirstRound     int    `json:"first_round"`
	MediatingParty string `json:"mediating_party,omitempty"`
}

// TraceHeader is the first line of a trace file: what ran, so that the
// file stands alone.
type TraceHeader struct {
	Schema string `json:"schema"`
	Type   string `json:"type"` // "header"
	RunSetup
	Issues []string `json:"issues"`
}

// traceHeader returns the header line for the run j describes.
func traceHeader(s *scenario.Scenario, j *RunJSON) *TraceHeader {
	h := &TraceHeader{Schema: schemaTrace, Type: "header", RunSetup: j.RunSetup}
	for i := range s.Space.Issues {
		h.Issues = append(h.Issues, s.Space.Issues[i].Name)
	}
	return h
}

// TraceResult is the last line of a trace file: the run's result, as
// 'parley run --json' prints it, with "type": "result".
type TraceResult struct {
	Type string `json:"type"` // "result"
	*RunJSON
}

// traceFile writes a trace: a header line, event lines, a result line.
type traceFile struct {
	f   *os.File
	w   *bufio.Writer
	enc *json.Encoder
	err error
}

func createTrace(path string) (*traceFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("run: trace: %w", err)
	}
	w := bufio.NewWriter(f)
	return &traceFile{f: f, w: w, enc: json.NewEncoder(w)}, nil
}

// line writes v as one JSON line; the first error sticks.
func (t *traceFile) line(v any) {
	if t == nil || t.err != nil {
		return
	}
	t.err = t.enc.Encode(v)
}

// close flushes and closes the file, returning the first error met.
func (t *traceFile) close() error {
	if t == nil {
		return nil
	}
	if t.err == nil {
		t.err = t.w.Flush()
	}
	if err := t.f.Close(); err != nil && t.err == nil {
		t.err = err
	}
	if t.err != nil {
		return fmt.Errorf("run: trace %s: %w", t.f.Name(), t.err)
	}
	return nil
}

// outcomeJSON returns o as issue name -> value: a number for integer and
// real issues, the value's name for discrete ones; nil for NoOutcome.
func outcomeJSON(space *parley.OutcomeSpace, o parley.Outcome) map[string]any {
	if !space.Valid(o) {
		return nil
	}
	m := make(map[string]any, len(space.Issues))
	for i := range space.Issues {
		is := &space.Issues[i]
		k := space.ValueIndex(o, i)
		if is.Kind == parley.Discrete {
			m[is.Name] = is.Value(k)
		} else {
			m[is.Name] = is.Number(k)
		}
	}
	return m
}

// namedOutcomeJSON converts an outcome given as issue -> value text (as
// tournament records store it) to outcomeJSON's form.
func namedOutcomeJSON(space *parley.OutcomeSpace, named map[string]string) map[string]any {
	if named == nil {
		return nil
	}
	o, err := space.Parse(named)
	if err != nil {
		m := make(map[string]any, len(named))
		for k, v := range named {
			m[k] = v
		}
		return m
	}
	return outcomeJSON(space, o)
}

// byParty returns xs keyed by party name.
func byParty[T any](names []string, xs []T) map[string]T {
	m := make(map[string]T, len(names))
	for i, n := range names {
		if i < len(xs) {
			m[n] = xs[i]
		}
	}
	return m
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

// table writes rows (cells) as aligned columns, each line indented by two
// spaces, with no trailing blanks.
func table(w io.Writer, rows [][]string) {
	for _, l := range tableLines(rows) {
		io.WriteString(w, l+"\n")
	}
}

// tableLines returns the lines table writes, without their newlines.
func tableLines(rows [][]string) []string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(r, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// f3 writes x with three decimals.
func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// traceEvent is an event of a run with its stage (-1 for plain
// alternating offers) and the global rounds before that stage.
type traceEvent struct {
	stage, offset int
	e             parley.Event
}

// printSummary writes the human-readable summary of a run: the setup, the
// events (the first and last show of them; every one when show < 0), the
// result and the utilities. 'parley run' and 'parley replay' share it.
func printSummary(w io.Writer, s *scenario.Scenario, j *RunJSON, events []traceEvent, show int) {
	names := s.Names()
	if j.Protocol == protocolStaged {
		variant := "the declared stages"
		if j.Variant != "" {
			variant = "variant " + j.Variant
		}
		fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; staged protocol (%s), %d rounds in all, seed %d\n",
			s.Name, len(names), len(s.Space.Issues), s.Space.Size(), variant, j.Deadline, j.Seed)
		rows := [][]string{{"STAGE", "NAME", "MECHANISM", "PARTICIPANTS", "ROUNDS", "GLOBAL ROUNDS", "MEDIATING PARTY"}}
		for k, st := range j.Stages {
			rows = append(rows, []string{strconv.Itoa(k + 1), st.Name, st.Mechanism, strings.Join(st.Participants, "+"),
				strconv.Itoa(st.Rounds), fmt.Sprintf("%d-%d", st.FirstRound, st.FirstRound+st.Rounds-1), orNone(st.MediatingParty)})
		}
		table(w, rows)
		rows = [][]string{{"PARTY", "NEGOTIATOR", "VOTER", "RESERVATION", "DISCOUNT"}}
		for _, p := range s.Parties {
			rows = append(rows, []string{p.Name, j.Agents[p.Name], j.Voters[p.Name], f3(p.Profile.Reservation), fmt.Sprintf("%.2f", p.Profile.DiscountFactor())})
		}
		table(w, rows)
		fmt.Fprintf(w, "  mediator strategy: %s\n", orNone(j.Mediator))
	} else {
		clock := ""
		if j.Timing == timingGenius {
			clock = " (GENIUS timing)"
		}
		fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; alternating offers, deadline %d rounds%s, seed %d\n",
			s.Name, len(names), len(s.Space.Issues), s.Space.Size(), j.Deadline, clock, j.Seed)
		rows := [][]string{{"PARTY", "AGENT", "RESERVATION", "DISCOUNT"}}
		for _, p := range s.Parties {
			rows = append(rows, []string{p.Name, j.Agents[p.Name], f3(p.Profile.Reservation), fmt.Sprintf("%.2f", p.Profile.DiscountFactor())})
		}
		table(w, rows)
	}

	printEvents(w, s, j, events, show)

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Result: %s\n", resultLine(j))
	if j.Agreement != nil {
		rows := [][]string{{"ISSUE", "VALUE"}}
		for i := range s.Space.Issues {
			is := &s.Space.Issues[i]
			rows = append(rows, []string{is.Name, fmt.Sprint(j.Agreement[is.Name])})
		}
		table(w, rows)
	}
	if len(j.LockedIssues) > 0 {
		fmt.Fprintf(w, "Issues locked between stages: %s\n", strings.Join(j.LockedIssues, ", "))
	}
	if j.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", j.Error)
	}

	fmt.Fprintln(w)
	rows := [][]string{{"PARTY", "UTILITY", "DISCOUNTED", "ADVANTAGE"}}
	for _, n := range names {
		rows = append(rows, []string{n, f3(j.Utilities[n]), f3(j.DiscountedUtilities[n]), fmt.Sprintf("%+.3f", j.Advantage[n])})
	}
	table(w, rows)
	fmt.Fprintln(w, "  (UTILITY: of the agreement, else the reservation value r(t) at the end; DISCOUNTED: at the end time;")
	fmt.Fprintln(w, "   ADVANTAGE: utility - r(t))")
	if j.Metrics != nil {
		m := j.Metrics
		lead := "W"
		if len(j.MetricsParties) < len(names) {
			lead = "Among " + strings.Join(j.MetricsParties, ", ") + ": w"
		}
		fmt.Fprintf(w, "\n%selfare %.3f; distance to the Pareto frontier %.3f", lead, m.Welfare, m.ParetoDistance)
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

// resultLine says how the run ended, naming the reason as every output
// does.
func resultLine(j *RunJSON) string {
	var b strings.Builder
	b.WriteString(j.Reason)
	fmt.Fprintf(&b, " in round %d", j.Rounds)
	if j.Stage != "" {
		fmt.Fprintf(&b, " (stage %q, its round %d)", j.Stage, j.StageRound)
	}
	if j.Time >= 0 {
		fmt.Fprintf(&b, ", t=%.3f", j.Time)
	}
	switch {
	case j.AcceptedBy != nil:
		fmt.Fprintf(&b, ", accepted last by %s", *j.AcceptedBy)
	case j.EndedBy != nil:
		fmt.Fprintf(&b, ", by %s", *j.EndedBy)
	}
	switch j.Reason {
	case parley.ReasonAgreement.String():
		if j.Ratified != nil {
			b.WriteString(", ratified")
		}
	case parley.ReasonRatificationFailed.String():
		b.WriteString(": the agreement below was signed, then not ratified")
	case parley.ReasonDeadline.String():
		fmt.Fprintf(&b, ": no agreement within %d rounds", j.Deadline)
	}
	return b.String()
}

// printEvents lists the events as a table: the global round (and, in a
// staged run, the stage and its round), the party, the action (as traces
// name it), the utilities of the outcome for every party, and in mediated
// stages the votes on each proposal.
func printEvents(w io.Writer, s *scenario.Scenario, j *RunJSON, events []traceEvent, show int) {
	names := s.Names()
	staged := j.Protocol == protocolStaged
	type row struct {
		cells []string
	}
	var rows []row
	offers := 0
	partyName := func(ev traceEvent) string {
		if !staged {
			if ev.e.Party >= 0 && ev.e.Party < len(names) {
				return names[ev.e.Party]
			}
			return "mediator"
		}
		st := j.Stages[ev.stage]
		if ev.e.Party < 0 {
			if st.MediatingParty != "" {
				return st.MediatingParty
			}
			return "mediator"
		}
		if ev.e.Party < len(st.Participants) {
			return st.Participants[ev.e.Party]
		}
		return strconv.Itoa(ev.e.Party)
	}
	utils := func(o parley.Outcome) []string {
		c := make([]string, len(s.Parties))
		if o == parley.NoOutcome {
			return c
		}
		for i, p := range s.Parties {
			c[i] = f3(p.Profile.Utility.Utility(o))
		}
		return c
	}
	mediated := func(ev traceEvent) bool { return staged && j.Stages[ev.stage].Mechanism == "mediated" }
	voted := map[string]bool{} // who has voted since the last proposal
	last := -1                 // the row of the last proposal or vote group
	for _, ev := range events {
		e := ev.e
		head := []string{strconv.Itoa(ev.offset + e.Round + 1)}
		if staged {
			head = append(head, j.Stages[ev.stage].Name, strconv.Itoa(e.Round+1))
		}
		who := partyName(ev)
		if mediated(ev) && (e.Action == parley.Accept || e.Action == parley.Reject) {
			if last < 0 || voted[who] {
				// A vote with no proposal before it: the final vote on the text.
				cells := append(head, "-", "final vote")
				cells = append(cells, utils(e.Outcome)...)
				rows = append(rows, row{append(cells, "")})
				last = len(rows) - 1
				clear(voted)
			}
			voted[who] = true
			c := rows[last].cells
			v := c[len(c)-1]
			if v != "" {
				v += " "
			}
			c[len(c)-1] = v + who + ":" + e.Action.String()
			continue
		}
		if e.Action == parley.Offer {
			offers++
		}
		cells := append(head, who, e.Action.String())
		cells = append(cells, utils(e.Outcome)...)
		if staged {
			cells = append(cells, "")
		}
		rows = append(rows, row{cells})
		if mediated(ev) && e.Action == parley.Offer {
			last = len(rows) - 1
			clear(voted)
		} else {
			last = -1
		}
	}
	fmt.Fprintln(w)
	if len(rows) == 0 {
		fmt.Fprintln(w, "Events: none")
		return
	}
	what := "offers"
	if staged {
		what = "offers or proposals"
	}
	fmt.Fprintf(w, "Events: %d %s in %d rounds", offers, what, j.Rounds)
	if staged {
		fmt.Fprint(w, " (ROUND: global round; STAGE ROUND: the round within the stage; U(party): utility of the outcome to that party)\n")
	} else {
		fmt.Fprint(w, " (U(party): utility of the outcome to that party)\n")
	}
	head := []string{"ROUND"}
	if staged {
		head = append(head, "STAGE", "STAGE ROUND")
	}
	head = append(head, "PARTY", "ACTION")
	for _, n := range names {
		head = append(head, "U("+n+")")
	}
	if staged {
		head = append(head, "VOTES")
	}
	// The first and last show rows, aligned as one table, with a line
	// saying how many are left out between them.
	out := [][]string{head}
	cut := show >= 0 && len(rows) > 2*show
	for k, r := range rows {
		if !cut || k < show || k >= len(rows)-show {
			out = append(out, r.cells)
		}
	}
	for k, l := range tableLines(out) {
		if cut && k == show+1 {
			fmt.Fprintf(w, "  ... %d more ...\n", len(rows)-2*show)
		}
		fmt.Fprintln(w, l)
	}
}

// orNone returns s, or "none" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
