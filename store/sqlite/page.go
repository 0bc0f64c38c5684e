package sqlite

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley/tournament"
)

// Page returns at most limit stored runs in job order, skipping the first
// offset of them (a results page shows them a page at a time).
func (s *Store) Page(ctx context.Context, offset, limit int) ([]tournament.Record, error) {
	if offset < 0 || limit < 0 {
		return nil, fmt.Errorf("sqlite: %s: page at %d of %d runs: want non-negative numbers", s.path, offset, limit)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM runs ORDER BY job_id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	defer rows.Close()
	rs := []tournament.Record{}
	for rows.Next() {
		r, err := s.scan(rows)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	return rs, nil
}
