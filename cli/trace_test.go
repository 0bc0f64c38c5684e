package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/parley-dev/parley/tracefile"
)

// TestReplayTraceIsRunTrace: 'parley replay --trace' writes the same
// header and events as 'parley run --trace' of the same negotiation (its
// agents, seed and deadline), through the one trace writer.
func TestReplayTraceIsRunTrace(t *testing.T) {
	dir := t.TempDir()
	db, market := filepath.Join(dir, "r.db"), filepath.Join("testdata", "tournament", "market.yaml")
	cli(t, "tournament", "--agents", "boulware,conceder", "--scenarios", market, "--db", db, "--deadline", "30", "-q")
	replayed := filepath.Join(dir, "replay.jsonl")
	cli(t, "replay", db, "1", "--trace", replayed)
	rh, revents, rrun := readTrace(t, replayed)
	ran := filepath.Join(dir, "run.jsonl")
	cli(t, "run", market, "--agents", rh.Agents["buyer"]+","+rh.Agents["seller"], "--seed", strconv.FormatUint(rh.Seed, 10),
		"--deadline", "30", "--trace", ran)
	h, events, run := readTrace(t, ran)
	if !reflect.DeepEqual(rh, h) {
		t.Errorf("replay header %+v, run header %+v", rh, h)
	}
	if len(events) == 0 || !reflect.DeepEqual(revents, events) {
		t.Errorf("replay and run events differ:\n%+v\n%+v", revents, events)
	}
	if rrun.Reason != run.Reason || rrun.Rounds != run.Rounds || rrun.Steps != run.Steps || rrun.Time != run.Time {
		t.Errorf("replay result %+v, run result %+v", rrun, run)
	}
}

func readTrace(t *testing.T, path string) (*tracefile.Header, []tracefile.Event, *tracefile.Run) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, events, run, err := tracefile.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return h, events, run
}
