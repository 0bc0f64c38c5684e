package render

import (
	"fmt"
	"io"

	"github.com/parley-dev/parley/tournament"
)

// Replay prints a run of the tournament m stored in db, replayed (r), in
// the form 'parley run' prints a run of its protocol (show actions at each
// end; every one when show < 0), then whether it matches the stored
// record (nil when the database does not hold it yet; diff is what
// differs, "" when nothing does).
func Replay(w io.Writer, db string, m *tournament.Meta, r *tournament.Replay, show int, stored *tournament.Record, diff string) {
	id := r.Job.ID
	switch {
	case len(m.Arms) > 0:
		fmt.Fprintf(w, "Run %d of %d (arm %s, run %d) of the experiment in %s; scenario %s\n", id, m.Planned, m.Arms[r.Job.Arm].Name, r.Job.Rep, db, m.Scenarios[r.Job.Scenario])
	case m.Protocol == "" || m.Protocol == tournament.ProtocolSAO:
		fmt.Fprintf(w, "Run %d of %d (rep %d) of the tournament in %s; scenario %s\n", id, m.Planned, r.Job.Rep, db, m.Scenarios[r.Job.Scenario])
	default:
		fmt.Fprintf(w, "Run %d of %d (rep %d) of the %s tournament in %s; scenario %s\n", id, m.Planned, r.Job.Rep, m.Protocol, db, m.Scenarios[r.Job.Scenario])
	}
	Summary(w, r.Scenario, r.Run, r.Events, show)
	switch {
	case stored == nil:
		fmt.Fprintf(w, "\nRun %d is not stored in %s (the tournament has not run it yet).\n", id, db)
	case diff == "":
		fmt.Fprintf(w, "\nSame result as stored in %s.\n", db)
	}
}
