package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-dev/parley/tournament"
)

// Report tallies every stored run of the database's tournament
// (tournament.ReportOf): the report `parley report` prints and `parley
// serve --results` serves. A database of an experiment is an error
// (*tournament.ExperimentError): its report is the experiment's.
func (s *Store) Report(ctx context.Context) (*tournament.Report, error) {
	rep, err := tournament.ReportOf(ctx, s)
	if errors.Is(err, tournament.ErrNoTournament) {
		return nil, fmt.Errorf("sqlite: %s holds no tournament", s.path)
	}
	return rep, err
}
