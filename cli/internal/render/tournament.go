package render

import (
	"fmt"
	"io"

	"github.com/parley-dev/parley/tournament"
)

// IgnoredProtocols says, for each scenario of an alternating-offers
// tournament that declares a protocol (stages, a mediator), that the
// tournament plays it by plain alternating offers among all its parties
// rather than switch silently.
func IgnoredProtocols(w io.Writer, cfg *tournament.Config) {
	if cfg.Protocol != tournament.ProtocolSAO {
		return
	}
	for i, sc := range cfg.Scenarios {
		if sc.Protocol != nil {
			fmt.Fprintf(w, "tournament: scenario %s declares a protocol (stages); this tournament runs it by plain alternating offers among all %d parties for %d rounds (--protocol staged runs its stages)\n",
				cfg.ScenarioRefs[i], len(sc.Parties), cfg.Deadline)
		}
	}
}

// TournamentSummary is the line 'parley tournament' ends with: the runs of
// the tournament (or of its shard) stored in db, how many ran here, how
// fast, how many were stored already (by an earlier run, or first by
// another process writing the same database) and how many ended in error.
func TournamentSummary(sum tournament.Summary, shard tournament.Shard, db string) string {
	what := fmt.Sprintf("%d runs", sum.Selected)
	if shard.Count > 1 {
		what = fmt.Sprintf("%d runs of shard %s (%d in the tournament)", sum.Selected, shard, sum.Planned)
	}
	// Ran counts what this process stored: with another process writing
	// the same database, its duplicates are counted apart.
	dups := ""
	if sum.Duplicates > 0 {
		dups = fmt.Sprintf(", %d run here but stored first by another process", sum.Duplicates)
	}
	return fmt.Sprintf("tournament: %s: ran %d in %.2fs (%.0f/s), %d already stored%s, %d errors; results in %s",
		what, sum.Ran, sum.Elapsed.Seconds(), sum.Rate(), sum.Skipped, dups, sum.Errors, db)
}
