package sqlite

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley/tournament"
)

// Report tallies every stored run of the database's tournament
// (tournament.Tally): the report `parley report` prints and `parley serve
// --results` serves.
func (s *Store) Report(ctx context.Context) (*tournament.Report, error) {
	m, ok, err := s.Meta(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("sqlite: %s holds no tournament", s.path)
	}
	t := tournament.NewTally(m)
	for r, err := range s.Records(ctx) {
		if err != nil {
			return nil, err
		}
		if err := t.Add(&r); err != nil {
			return nil, err
		}
	}
	return t.Report()
}
