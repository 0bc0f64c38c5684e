package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/tracefile"
)

// TestReplayProtocols: parley replay prints a mediated and a staged
// tournament's run with its actions as parley run prints a run of the
// protocol (testdata/golden/replay-*.golden; -update rewrites them), and
// --trace writes the whole trace: the same bytes at every replay, and for
// the staged run the bytes parley run --trace writes for the same
// negotiation.
func TestReplayProtocols(t *testing.T) {
	dir := t.TempDir()
	med, stg := filepath.Join(dir, "med.db"), filepath.Join(dir, "staged.db")
	cli(t, "tournament", "--protocol", "mediated", "--mediators", "hillclimb,nash", "--voters", "hillclimber", "--reps", "1", "--deadline", "12",
		"--scenarios", filepath.Join("..", "server", "testdata", "lunch.yaml"), "--db", med, "-q")
	cli(t, "tournament", "--agents", "boulware,conceder", "--scenarios", "ceasefire", "--protocol", "staged", "--reps", "1", "--seed", "5", "--db", stg, "-q")
	for _, tc := range []struct {
		name, db, run, protocol string
	}{
		{"replay-mediated", med, "0", tracefile.ProtocolMediated},
		{"replay-staged", stg, "1", tracefile.ProtocolStaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := cli(t, "replay", tc.db, tc.run, "--show", "3")
			golden.Check(t, "golden/"+tc.name, []byte(strings.ReplaceAll(out, dir, "DIR")))
			var traces []string
			for k := range 2 {
				path := filepath.Join(dir, tc.name+string(rune('a'+k))+".jsonl")
				cli(t, "replay", tc.db, tc.run, "--trace", path)
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("--trace wrote nothing: %v", err)
				}
				traces = append(traces, string(b))
			}
			if traces[0] != traces[1] {
				t.Errorf("two replays wrote different traces:\n%s\nthen\n%s", traces[0], traces[1])
			}
			h, events, run, err := tracefile.Read(strings.NewReader(traces[0]))
			if err != nil {
				t.Fatal(err)
			}
			if h.Protocol != tc.protocol || len(h.Stages) == 0 || len(events) == 0 || events[0].Stage == "" || run.Steps != len(events) {
				t.Fatalf("the trace: header %+v, %d events (first %+v), result %+v", h, len(events), events, run)
			}
			if tc.protocol != tracefile.ProtocolStaged {
				return
			}
			// The same negotiation by parley run: its negotiators (RU's and
			// UA's; the US makes no offers), voters, mediator and seed.
			path := filepath.Join(dir, "run.jsonl")
			cli(t, "run", "ceasefire", "--agents", h.Agents["RU"]+","+h.Agents["UA"], "--voters", h.Voters["RU"], "--mediator", h.Mediator,
				"--seed", strconv.FormatUint(h.Seed, 10), "--trace", path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// parley run seats a spec at every party (RU's at the US); a
			// tournament none where no offers are made.
			want := strings.ReplaceAll(string(b), `"US":"`+h.Agents["RU"]+`"`, `"US":""`)
			if traces[0] != want {
				t.Errorf("the replay's trace differs from parley run's:\n%s\nwant\n%s", traces[0], want)
			}
		})
	}
}
