package tournament

import (
	"context"
	"errors"
	"iter"
)

// ErrNoTournament is ReportOf's error for a store that holds no
// tournament.
var ErrNoTournament = errors.New("tournament: the store holds no tournament")

// An ExperimentError is ReportOf's error for a store that holds an
// experiment, a tournament of arms: a leaderboard would pool the arms,
// which is not what an experiment compares; its report is the
// experiment's paired statistics.
type ExperimentError struct {
	Arms []string // the arms' names
}

// Error says that the store holds an experiment.
func (e *ExperimentError) Error() string {
	return "tournament: the store holds an experiment, whose report is the experiment's"
}

// A Stored is a tournament read back from a store (store/sqlite's Store,
// MemStore): its settings and its records.
type Stored interface {
	// Meta returns the stored tournament; ok is false when there is none.
	Meta(ctx context.Context) (m Meta, ok bool, err error)
	// Records returns every stored record.
	Records(ctx context.Context) iter.Seq2[Record, error]
}

// ReportOf tallies every record of the tournament st holds (Tally) and
// returns its report.
func ReportOf(ctx context.Context, st Stored) (*Report, error) {
	m, ok, err := st.Meta(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNoTournament
	}
	if len(m.Arms) > 0 {
		names := make([]string, len(m.Arms))
		for i, a := range m.Arms {
			names[i] = a.Name
		}
		return nil, &ExperimentError{Arms: names}
	}
	t := NewTally(m)
	for r, err := range st.Records(ctx) {
		if err != nil {
			return nil, err
		}
		if err := t.Add(&r); err != nil {
			return nil, err
		}
	}
	return t.Report()
}
