package experiment

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
)

// DefaultStoryRuns is the number of runs per arm of a Story.
const DefaultStoryRuns = 200

// Story is the short answer to a scenario's protocol question
// (scenario.Protocol.Question): the agreement rate of each compared
// variant, at matched information (the mediator sees votes only) and at
// the information level the scenario declares, on the same seeds.
type Story struct {
	Question string
	Runs     int
	Seed     uint64
	Variants []string
	// Levels are the mediator's information levels compared: MatchedInfo,
	// then the declared one when it differs.
	Levels []parley.Info
	// Agreed[i][j] is variant i's agreement rate at Levels[j] (Wilson
	// 95%).
	Agreed [][]Estimate
	// Errors counts the runs that ended in error (they count as failures
	// to agree).
	Errors int
}

// TellStory runs the compared variants of s's protocol (all of them when
// Compare is empty) at matched information and, when the scenario declares
// a richer one, at that level too, cfg.Runs times each (0 means
// DefaultStoryRuns). It needs a protocol with a question.
func TellStory(ctx context.Context, s *scenario.Scenario, cfg Config) (*Story, error) {
	if s.Protocol == nil || s.Protocol.Question == "" {
		return nil, fmt.Errorf("experiment: scenario %s states no question (protocol.question)", s.Name)
	}
	if cfg.Runs == 0 {
		cfg.Runs = DefaultStoryRuns
	}
	declared := MatchedInfo
	for _, st := range s.Protocol.Stages {
		if st.Mechanism == parley.MechanismMediated && st.Info != MatchedInfo && st.Info != parley.InfoNothing {
			declared = st.Info
			break
		}
	}
	levels := []parley.Info{MatchedInfo}
	if declared != MatchedInfo {
		levels = append(levels, declared)
	}
	var factors []Param
	for _, st := range s.Protocol.Stages {
		if st.Mechanism != parley.MechanismMediated {
			continue
		}
		vals := make([]string, len(levels))
		for i, l := range levels {
			vals[i] = l.String()
		}
		p, err := ParseParam(s, st.Name+".info="+strings.Join(vals, ","))
		if err != nil {
			return nil, err
		}
		factors = append(factors, p)
	}
	if len(factors) > 1 {
		// Every mediated stage moves together: one factor per stage would
		// cross their levels.
		return nil, fmt.Errorf("experiment: scenario %s: a story needs at most one mediated stage, has %d", s.Name, len(factors))
	}
	variants := s.Protocol.Compare
	ts, _, err := SequencingArms(s, variants, factors, cfg.NeedsDeclared)
	if err != nil {
		return nil, err
	}
	r, err := Run(ctx, "story", s, ts, cfg)
	if err != nil {
		return nil, err
	}
	if len(variants) == 0 {
		for _, v := range s.Protocol.Variants {
			variants = append(variants, v.Name)
		}
	}
	st := &Story{Question: s.Protocol.Question, Runs: cfg.Runs, Seed: cfg.Seed, Variants: variants, Levels: levels}
	st.Agreed = make([][]Estimate, len(variants))
	for i := range variants {
		st.Agreed[i] = make([]Estimate, len(levels))
	}
	// SequencingArms orders the arms by cell (level), then variant.
	if len(r.Arms) != len(variants)*max(len(levels), 1) {
		return nil, fmt.Errorf("experiment: story: %d arms for %d variants at %d levels", len(r.Arms), len(variants), len(levels))
	}
	for j := range levels {
		for i := range variants {
			a := &r.Arms[j*len(variants)+i]
			st.Agreed[i][j] = a.AgreementRate
			st.Errors += a.Breakdown[parley.ReasonError]
		}
	}
	return st, nil
}

// levelName says what a mediator at level l sees, for a column head.
func levelName(l parley.Info) string {
	switch l {
	case parley.InfoVotes:
		return "MEDIATOR SEES VOTES (MATCHED)"
	case parley.InfoSelfReport:
		return "MEDIATOR SEES SELF-REPORTS"
	case parley.InfoDeclared:
		return "MEDIATOR SEES NOISY PROFILES"
	case parley.InfoFull:
		return "MEDIATOR SEES TRUE PROFILES"
	}
	return "MEDIATOR: " + strings.ToUpper(l.String())
}

// WriteStory writes st as a short table: one row per variant, one column
// per information level, each an agreement rate with its 95% interval.
func WriteStory(w io.Writer, st *Story) error {
	fmt.Fprintf(w, "What the model says: agreement rate over %d runs per arm (seeds from %d; Wilson 95%% CI)\n", st.Runs, st.Seed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := []string{"  VARIANT"}
	for _, l := range st.Levels {
		head = append(head, levelName(l))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i, v := range st.Variants {
		row := []string{"  " + v}
		for j := range st.Levels {
			e := st.Agreed[i][j]
			row = append(row, fmt.Sprintf("%s %s", f3(e.Mean), ci3(e)))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if st.Errors > 0 {
		fmt.Fprintf(w, "  (%d runs ended in error and count as failures to agree)\n", st.Errors)
	}
	return nil
}
