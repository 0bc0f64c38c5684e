package natsq

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/tournament"
)

// fill sets every field of the struct v points to a distinct non-zero
// value, by reflection, so that a field missing from the wire types fails
// the round trip.
func fill(t *testing.T, v any) {
	t.Helper()
	n := 0
	var set func(f reflect.Value)
	set = func(f reflect.Value) {
		n++
		switch f.Kind() {
		case reflect.String:
			f.SetString("s" + strings.Repeat("x", n))
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(1000 + n))
		case reflect.Uint64:
			f.SetUint(math.MaxUint64 - uint64(n))
		case reflect.Float64:
			f.SetFloat(1.0/3 + float64(n))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			set(s.Index(0))
			set(s.Index(1))
			f.Set(s)
		case reflect.Map:
			m := reflect.MakeMap(f.Type())
			k, e := reflect.New(f.Type().Key()).Elem(), reflect.New(f.Type().Elem()).Elem()
			set(k)
			set(e)
			m.SetMapIndex(k, e)
			f.Set(m)
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
			set(f.Elem())
		case reflect.Struct:
			for i := range f.NumField() {
				if f.Type().Field(i).IsExported() {
					set(f.Field(i))
				}
			}
		default:
			t.Fatalf("fill: unhandled kind %v", f.Kind())
		}
	}
	set(reflect.ValueOf(v).Elem())
}

// TestWireRoundTrip: Meta, Job and Record survive the wire field by field,
// floats bit for bit (NaN and infinities included), nil apart from empty.
func TestWireRoundTrip(t *testing.T) {
	var m tournament.Meta
	var j tournament.Job
	var r tournament.Record
	fill(t, &m)
	fill(t, &j)
	fill(t, &r)
	r.MetricsNote = ""     // not on the wire: the coordinator sets it from the scenario (tournament.Run)
	m.Design.Baseline = "" // not on the wire: it changes the report, not the runs, and the coordinator keeps it
	j.ID = 1
	m.Planned = 5
	empty := tournament.Job{ID: 2, Agents: []int{}}

	jm, err := decodeJobs(encodeJobs(tournamentID(m), m, []tournament.Job{j, empty}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(jm.Meta, m) {
		t.Errorf("meta:\n got %+v\nwant %+v", jm.Meta, m)
	}
	if !reflect.DeepEqual(jm.Jobs, []tournament.Job{j, empty}) {
		t.Errorf("jobs:\n got %+v\nwant %+v", jm.Jobs, []tournament.Job{j, empty})
	}

	for _, special := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 5e-324, math.MaxFloat64, 0.1 + 0.2} {
		r := r
		r.Utilities = []float64{special, 1}
		r.Welfare = special
		r.Elapsed = 1234567 * time.Nanosecond
		bare := tournament.Record{JobID: 3, Agents: []string{}, Utilities: []float64{}}
		parts := encodeResults("t", []tournament.Record{r, bare}, 1<<20)
		rm, err := decodeResults(parts[0].body)
		if err != nil {
			t.Fatal(err)
		}
		got := rm.Records[0]
		if math.Float64bits(got.Utilities[0]) != math.Float64bits(special) || math.Float64bits(got.Welfare) != math.Float64bits(special) {
			t.Errorf("%v came back as %v, %v", special, got.Utilities[0], got.Welfare)
		}
		got.Utilities[0], got.Welfare, r.Utilities[0], r.Welfare = 0, 0, 0, 0
		if !reflect.DeepEqual(got, r) {
			t.Errorf("record:\n got %+v\nwant %+v", got, r)
		}
		if !reflect.DeepEqual(rm.Records[1], bare) {
			t.Errorf("record:\n got %#v\nwant %#v", rm.Records[1], bare)
		}
	}
}

// TestEncodeResultsSplits: records beyond the payload limit go in several
// messages, each within the limit, together holding every record once.
func TestEncodeResultsSplits(t *testing.T) {
	var rs []tournament.Record
	for i := range 100 {
		rs = append(rs, tournament.Record{JobID: int64(i), Scenario: strings.Repeat("s", 100), Utilities: []float64{0.5, 0.25}})
	}
	parts := encodeResults("t", rs, 2000)
	if len(parts) < 8 {
		t.Errorf("%d parts, want at least 8", len(parts))
	}
	var next int64
	keys := map[string]bool{}
	for _, p := range parts {
		if len(p.body) > 2000 {
			t.Errorf("part of %d bytes", len(p.body))
		}
		keys[p.key] = true
		rm, err := decodeResults(p.body)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rm.Records {
			if r.JobID != next {
				t.Fatalf("record %d, want %d", r.JobID, next)
			}
			next++
		}
	}
	if next != 100 || len(keys) != len(parts) {
		t.Errorf("%d records, %d distinct keys for %d parts", next, len(keys), len(parts))
	}
}

// Golden messages: the format is fixed by these files (regenerate with
// -update after a deliberate change of format, and bump the version).
var (
	update     = flag.Bool("update", false, "rewrite testdata/*.bin")
	goldenMeta = tournament.Meta{Agents: []string{"boulware", "conceder", "hardheaded"},
		Scenarios: []string{"ceasefire", "../shared/scenarios/genius/Laptop"}, Reps: 1, Deadline: 50, Seed: 42, Planned: 12}
	goldenJobs = []tournament.Job{{ID: 0, Agents: []int{0, 1}, Seed: 123456789012345},
		{ID: 7, Scenario: 1, Agents: []int{1, 0}, Seed: math.MaxUint64},
		{ID: 11, Scenario: 1, Mediator: 2, Voters: []int{1, 0}, Rep: 1, Seed: 77},
		{ID: 5, Agents: []int{-1, 1}, Voters: []int{-1, 0}, Rep: 2, Seed: 78, Arm: 1}}
	goldenRecords = []tournament.Record{
		{JobID: 7, Scenario: "ceasefire", Agents: []string{"boulware", "conceder"}, Agreement: map[string]string{"price": "low", "delivery": "fast"},
			Utilities: []float64{0.7, 0.55}, Discounted: []float64{0.7, 0.55}, Advantage: []float64{0.2, 0.05}, Rounds: 12, Reason: "agreement",
			Elapsed: 52 * time.Microsecond, ParetoDistance: 0.01, NashDistance: 0.1, HasNash: true, Welfare: 1.25, Worker: "host:12"},
		{JobID: 8, Rep: 1, Scenario: "ceasefire", Agents: []string{"conceder", "boulware"}, Utilities: []float64{math.NaN(), math.Inf(1)},
			Reason: "error", Error: "panic: boom", NashDistance: math.Inf(-1)},
		{JobID: 11, Rep: 1, Scenario: "ceasefire", Agents: []string{"", ""}, Mediator: "biased:bias=0.5", Voters: []string{"annealer", "hillclimber"},
			Utilities: []float64{0.6, 0.5}, Discounted: []float64{0.6, 0.5}, Advantage: []float64{0.3, 0.2}, Rounds: 30, Reason: "agreement",
			Welfare: 1.1, Fairness: 0.4, HasFairness: true, Worker: "host:13"},
		{JobID: 5, Rep: 2, Scenario: "ceasefire", Agents: []string{"", "conceder"}, Mediator: "hillclimb", Voters: []string{"", "annealer"},
			Utilities: []float64{0.6, 0.5}, Discounted: []float64{0.6, 0.5}, Advantage: []float64{0.3, 0.2}, Rounds: 30, Reason: "agreement",
			Welfare: 1.1, Worker: "host:13", Arm: "mediated_from_start", Stage: "mediated", Time: 0.25, Locked: 2},
	}
)

func TestGolden(t *testing.T) {
	for _, g := range []struct {
		file string
		body []byte
	}{
		{"jobs.bin", encodeJobs(tournamentID(goldenMeta), goldenMeta, goldenJobs)},
		{"results.bin", encodeResults(tournamentID(goldenMeta), goldenRecords, 1<<20)[0].body},
	} {
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(path, g.body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g.body, want) {
			t.Errorf("%s: the encoding changed (run with -update if deliberate, and bump the version)\n got %x\nwant %x", g.file, g.body, want)
		}
	}
	jm, err := decodeJobs(encodeJobs(tournamentID(goldenMeta), goldenMeta, goldenJobs))
	if err != nil || !reflect.DeepEqual(jm.Jobs, goldenJobs) {
		t.Errorf("golden jobs: %v %+v", err, jm)
	}
}

// TestTournamentID: the id is a stable function of the Meta (coordinator
// and workers of different builds must agree) and differs with any field.
func TestTournamentID(t *testing.T) {
	m := tournament.Meta{Agents: []string{"boulware", "conceder"}, Scenarios: []string{"ceasefire"}, Reps: 2, Deadline: 100, Seed: 1, Planned: 4}
	const want = "bf1ee75698f33524" // first 8 bytes of SHA-256 of the encoded meta
	if got := tournamentID(m); got != want {
		t.Errorf("tournamentID = %s, want %s", got, want)
	}
	m.SelfPlay = true
	if tournamentID(m) == want {
		t.Error("self-play does not change the id")
	}
	m.SelfPlay = false
	m.Timing = tournament.TimingGENIUS
	if tournamentID(m) == want {
		t.Error("timing does not change the id")
	}
	m.Timing = ""
	m.Arms = []tournament.Arm{{Name: "a", Set: []string{"UA.reservation=0.4"}}}
	if tournamentID(m) == want {
		t.Error("arms do not change the id")
	}
	m.Arms = nil
	m.Protocol, m.Mediators = tournament.ProtocolMediated, []string{"nash"}
	if tournamentID(m) == want {
		t.Error("the protocol and mediators do not change the id")
	}
}

// TestDecodeErrors: what is not a valid message is refused with errWire.
func TestDecodeErrors(t *testing.T) {
	m := tournament.Meta{Agents: []string{"a", "b"}, Scenarios: []string{"s"}, Reps: 1, Deadline: 10, Planned: 2}
	tid := tournamentID(m)
	good := encodeJobs(tid, m, []tournament.Job{{ID: 1, Agents: []int{1, 0}}})
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"empty", nil, `not a "PQJ" message`},
		{"results tag", encodeResults(tid, nil, 100)[0].body, `not a "PQJ" message`},
		{"version", append([]byte("PQJ2"), good[4:]...), `format version '2', this parley reads version '5'`},
		{"truncated", good[:len(good)-1], "bad job arm"},
		{"trailing", append(slices.Clone(good), 0), "1 bytes after the message"},
		{"no jobs", encodeJobs(tid, m, nil), "no jobs"},
		{"wrong id", encodeJobs("0123456789abcdef", m, []tournament.Job{{ID: 1}}), "does not match its meta"},
		{"job outside", encodeJobs(tid, m, []tournament.Job{{ID: 2}}), "job 2 outside the tournament's 2 jobs"},
		{"huge count", append(append([]byte("PQJ5"), 0), 0xff, 0xff, 0xff, 0xff, 0x0f), "elements in"},
		{"negative reps", encodeJobs(tid, tournament.Meta{Reps: -1}, []tournament.Job{{}}), "reps -1 out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeJobs(tc.body)
			if !errors.Is(err, errWire) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("decodeJobs: %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := decodeJobs(good); err != nil {
		t.Errorf("good message: %v", err)
	}
	r := encodeResults(tid, []tournament.Record{{Agreement: map[string]string{"a": "1", "b": "2"}}}, 1000)[0].body
	bad := bytes.Replace(slices.Clone(r), []byte("\x01a\x011\x01b"), []byte("\x01b\x011\x01a"), 1)
	if _, err := decodeResults(bad); !errors.Is(err, errWire) || !strings.Contains(err.Error(), "keys not sorted") {
		t.Errorf("unsorted agreement: %v", err)
	}
	// A nil record list (count 0) is never written: refused, so that what
	// decodes encodes back to the same bytes (a fuzz finding).
	if _, err := decodeResults([]byte("PQR3\x00\x00")); !errors.Is(err, errWire) || !strings.Contains(err.Error(), "records: no list") {
		t.Errorf("nil record list: %v", err)
	}
	if rm, err := decodeResults([]byte("PQR3\x00\x01")); err != nil || len(rm.Records) != 0 {
		t.Errorf("empty record list: %+v, %v", rm, err)
	}
}

// TestCheckURL: only NATS URLs with a host pass.
func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"nats://127.0.0.1:4222", true},
		{"nats://a:4222,nats://b:4222", true},
		{"tls://nats.example.org:4222", true},
		{"ws://h:8080", true},
		{"nats://user:pw@h:4222", true},
		{"", false},
		{"http://h:4222", false},
		{"h:4222", false},
		{"nats://", false},
		{"nats://h:4222,", false},
	} {
		if err := checkURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("checkURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}

// fuzzSeeds adds the golden messages of testdata/ as fuzz seeds.
func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"jobs.bin", "results.bin"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeJobs: any body decodes or fails cleanly, and a decoded message
// encodes back to the same bytes.
func FuzzDecodeJobs(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		jm, err := decodeJobs(b)
		if err != nil {
			return
		}
		if b2 := encodeJobs(jm.TID, jm.Meta, jm.Jobs); !bytes.Equal(b, b2) {
			t.Fatalf("round trip:\n%x\n%x", b, b2)
		}
	})
}

// FuzzDecodeResults: the same for results messages.
func FuzzDecodeResults(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		rm, err := decodeResults(b)
		if err != nil {
			return
		}
		if b2 := encodeResults(rm.TID, rm.Records, math.MaxInt)[0].body; !bytes.Equal(b, b2) {
			t.Fatalf("round trip:\n%x\n%x", b, b2)
		}
	})
}
