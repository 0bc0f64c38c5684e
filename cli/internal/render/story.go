package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
)

// Question writes the scenario's protocol question, wrapped to
// BriefWidth, and a blank line: the head of 'parley run' on a scenario
// that asks one.
func Question(w io.Writer, s *scenario.Scenario) {
	for _, l := range Wrap("Question: ", "  ", strings.Fields(s.Protocol.Question), BriefWidth) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
}

// Story writes the short answer to the scenario's question under a run:
// each compared variant's agreement rate (experiment.WriteStory) and a
// one-line caveat naming the command that tests the assumed values. err
// is why there is no story (experiment.TellStory's error): Story then
// says so instead, since the run itself succeeded.
func Story(w io.Writer, s *scenario.Scenario, st *experiment.Story, err error) error {
	if err != nil {
		fmt.Fprintf(w, "\nNo short answer to the question here: %v\n", err)
		return nil
	}
	fmt.Fprintln(w)
	if err := experiment.WriteStory(w, st); err != nil {
		return err
	}
	if len(s.Assumptions) > 0 {
		fmt.Fprintf(w, "Caveat: these rates rest on assumed values; to test them: parley experiment robustness %s\n", s.Name)
		return nil
	}
	fmt.Fprintf(w, "Caveat: these rates rest on assumed values; vary them: parley experiment sequencing %s --factor\n", s.Name)
	return nil
}

// Run prints a run as 'parley run' does: its JSON (asJSON) or its
// Summary (show actions at each end); a run of a scenario's declared
// protocol that asks a question gets the question first and, unless
// full, the short account (Brief) instead of the summary. It reports
// whether it printed a question, which the story answers.
func Run(w io.Writer, s *scenario.Scenario, r *session.Outcome, asJSON bool, show int, full bool) (question bool, err error) {
	switch {
	case asJSON:
		return false, JSON(w, r.Run)
	case r.Staged == nil || s.Protocol.Question == "":
		Summary(w, s, r.Run, r.Events, show)
		return false, nil
	}
	Question(w, s)
	if full {
		Summary(w, s, r.Run, r.Events, show)
	} else {
		// The short account, so that the question, the run and the answer
		// fit on one screen.
		Brief(w, s, r.Run, r.Events)
	}
	return true, nil
}
