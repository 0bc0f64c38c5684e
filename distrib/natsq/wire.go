package natsq

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/parley-dev/parley/tournament"
)

// The message format: jobs version 4, results version 3. A body is a
// 4-byte tag, "PQJ5" (jobs) or "PQR3" (results), then fields in order: integers as varints (unsigned
// where they cannot be negative), strings as a length and bytes, float64s
// as 8 little-endian bytes of their IEEE 754 bits (exact, NaN and
// infinities included), booleans as one byte, and lists and maps as a
// count plus one (0 for nil) then their elements (map keys sorted).
//
//	jobs:    tag, tid, meta, count, jobs...
//	meta:    agents, scenarios, reps, deadline, seed, self-play, timing,
//	         planned, protocol, mediators, voters, variant, rule, info,
//	         noise, arms (a count, then per arm: name, variant, settings,
//	         mediator), design (a boolean, then when true: kind, variants,
//	         params)
//	job:     id, scenario, agents (list of ints), mediator, voters (list
//	         of ints), rep, seed, arm
//	results: tag, tid, count, records...
//	record:  job id, scenario, rep, agents, mediator, voters, agreement,
//	         utilities, discounted, advantage, rounds, reason, error,
//	         elapsed (ns), pareto distance, nash distance, has nash,
//	         welfare, fairness, has fairness, worker, arm, stage, time,
//	         locked
//
// It is binary rather than JSON because the coordinator decodes every
// result of the tournament: JSON (which cannot hold NaN) cost several
// microseconds a record, more than storing it. A reader refuses another
// tag or version with an error naming both.
const (
	tagJobs    = "PQJ5"
	tagResults = "PQR3"
)

// errWire marks a message that is not a valid Parley queue message.
var errWire = errors.New("natsq: bad message")

// jobsMsg is a batch of jobs of one tournament, with the tournament's Meta
// so that any worker can rebuild its configuration.
type jobsMsg struct {
	TID  string
	Meta tournament.Meta
	Jobs []tournament.Job
}

// resultsMsg is a batch of records of one tournament.
type resultsMsg struct {
	TID     string
	Records []tournament.Record
}

// tournamentID names a tournament on the queue: a hash of its Meta, so the
// coordinator and every worker agree on it without talking, and two
// tournaments sharing a server never mix their jobs or results. It is a
// valid NATS subject token.
func tournamentID(m tournament.Meta) string {
	var e enc
	e.meta(m)
	h := sha256.Sum256(e.b)
	return hex.EncodeToString(h[:8])
}

// enc appends values to a message body.
type enc struct{ b []byte }

func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) f64(f float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }
func (e *enc) bool(v bool)   { e.b = append(e.b, b2u(v)) }
func (e *enc) count(n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
}

func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func (e *enc) strs(ss []string) {
	e.count(len(ss), ss == nil)
	for _, s := range ss {
		e.str(s)
	}
}

func (e *enc) ints(vs []int) {
	e.count(len(vs), vs == nil)
	for _, v := range vs {
		e.int(int64(v))
	}
}

func (e *enc) f64s(fs []float64) {
	e.count(len(fs), fs == nil)
	for _, f := range fs {
		e.f64(f)
	}
}

func (e *enc) strMap(m map[string]string) {
	e.count(len(m), m == nil)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

func (e *enc) meta(m tournament.Meta) {
	e.strs(m.Agents)
	e.strs(m.Scenarios)
	e.int(int64(m.Reps))
	e.int(int64(m.Deadline))
	e.uint(m.Seed)
	e.bool(m.SelfPlay)
	e.str(string(m.Timing))
	e.int(m.Planned)
	e.str(string(m.Protocol))
	e.strs(m.Mediators)
	e.strs(m.Voters)
	e.str(m.Variant)
	e.str(m.Rule)
	e.str(m.Info)
	e.f64(m.Noise)
	e.count(len(m.Arms), m.Arms == nil)
	for _, a := range m.Arms {
		e.str(a.Name)
		e.str(a.Variant)
		e.strs(a.Set)
		e.str(a.Mediator)
	}
	e.bool(m.Design != nil)
	if d := m.Design; d != nil {
		// Not its Baseline: it changes the report, not the runs.
		e.str(d.Kind)
		e.strs(d.Variants)
		e.strs(d.Params)
	}
}

func (e *enc) job(j tournament.Job) {
	e.int(j.ID)
	e.int(int64(j.Scenario))
	e.ints(j.Agents)
	e.int(int64(j.Mediator))
	e.ints(j.Voters)
	e.int(int64(j.Rep))
	e.uint(j.Seed)
	e.int(int64(j.Arm))
}

func (e *enc) record(r *tournament.Record) {
	e.int(r.JobID)
	e.str(r.Scenario)
	e.int(int64(r.Rep))
	e.strs(r.Agents)
	e.str(r.Mediator)
	e.strs(r.Voters)
	e.strMap(r.Agreement)
	e.f64s(r.Utilities)
	e.f64s(r.Discounted)
	e.f64s(r.Advantage)
	e.int(int64(r.Rounds))
	e.str(r.Reason)
	e.str(r.Error)
	e.int(int64(r.Elapsed))
	e.f64(r.ParetoDistance)
	e.f64(r.NashDistance)
	e.bool(r.HasNash)
	e.f64(r.Welfare)
	e.f64(r.Fairness)
	e.bool(r.HasFairness)
	e.str(r.Worker)
	e.str(r.Arm)
	e.str(r.Stage)
	e.f64(r.Time)
	e.int(int64(r.Locked))
}

// encodeJobs returns the body of a jobs message.
func encodeJobs(tid string, m tournament.Meta, jobs []tournament.Job) []byte {
	e := enc{b: make([]byte, 0, 256+24*len(jobs))}
	e.b = append(e.b, tagJobs...)
	e.str(tid)
	e.meta(m)
	e.count(len(jobs), false)
	for _, j := range jobs {
		e.job(j)
	}
	return e.b
}

// dec reads values from a message body; the first error sticks.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errWire, what)
	}
}

func (d *dec) int(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad " + what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// small reads an int that must fit an int and be at least lo.
func (d *dec) small(what string, lo int64) int {
	v := d.int(what)
	if d.err == nil && (v < lo || v > math.MaxInt32) {
		d.fail(fmt.Sprintf("%s %d out of range", what, v))
		return 0
	}
	return int(v)
}

func (d *dec) uint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad " + what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str(what string) string {
	n := d.uint(what)
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail(what + " runs past the end")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) f64(what string) float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail(what + " runs past the end")
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

func (d *dec) bool(what string) bool {
	if d.err != nil {
		return false
	}
	if len(d.b) < 1 || d.b[0] > 1 {
		d.fail("bad " + what)
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

// count reads a list length (-1 for nil); each element takes at least min
// bytes, so a corrupt count cannot make the reader allocate more than the
// message's size.
func (d *dec) count(what string, min int) int {
	n := d.uint(what)
	if d.err != nil {
		return -1
	}
	if n == 0 {
		return -1
	}
	n--
	if n > uint64(len(d.b)/min) {
		d.fail(fmt.Sprintf("%s: %d elements in %d bytes", what, n, len(d.b)))
		return -1
	}
	return int(n)
}

func (d *dec) strs(what string) []string {
	n := d.count(what, 1)
	if n < 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str(what)
	}
	return ss
}

func (d *dec) ints(what string) []int {
	n := d.count(what, 1)
	if n < 0 {
		return nil
	}
	vs := make([]int, n)
	for i := range vs {
		vs[i] = d.small(what, math.MinInt32)
	}
	return vs
}

func (d *dec) f64s(what string) []float64 {
	n := d.count(what, 8)
	if n < 0 {
		return nil
	}
	fs := make([]float64, n)
	for i := range fs {
		fs[i] = d.f64(what)
	}
	return fs
}

func (d *dec) strMap(what string) map[string]string {
	n := d.count(what, 2)
	if n < 0 {
		return nil
	}
	m := make(map[string]string, n)
	prev := ""
	for i := range n {
		k := d.str(what)
		if i > 0 && k <= prev {
			d.fail(what + ": keys not sorted or repeated")
		}
		m[k], prev = d.str(what), k
	}
	return m
}

func (d *dec) tag(want string) {
	if len(d.b) < 4 || string(d.b[:3]) != want[:3] {
		d.fail(fmt.Sprintf("not a %q message", want[:3]))
		return
	}
	if d.b[3] != want[3] {
		d.fail(fmt.Sprintf("format version %q, this parley reads version %q", d.b[3], want[3]))
		return
	}
	d.b = d.b[4:]
}

func (d *dec) end() {
	if d.err == nil && len(d.b) > 0 {
		d.fail(fmt.Sprintf("%d bytes after the message", len(d.b)))
	}
}

// decodeJobs reads and checks a jobs message.
func decodeJobs(b []byte) (*jobsMsg, error) {
	d := dec{b: b}
	d.tag(tagJobs)
	var m jobsMsg
	m.TID = d.str("tournament id")
	m.Meta.Agents = d.strs("agents")
	m.Meta.Scenarios = d.strs("scenarios")
	m.Meta.Reps = d.small("reps", 0)
	m.Meta.Deadline = d.small("deadline", 0)
	m.Meta.Seed = d.uint("seed")
	m.Meta.SelfPlay = d.bool("self-play")
	m.Meta.Timing = tournament.Timing(d.str("timing"))
	m.Meta.Planned = d.int("planned")
	m.Meta.Protocol = tournament.Protocol(d.str("protocol"))
	m.Meta.Mediators = d.strs("mediators")
	m.Meta.Voters = d.strs("voters")
	m.Meta.Variant = d.str("variant")
	m.Meta.Rule = d.str("rule")
	m.Meta.Info = d.str("info")
	m.Meta.Noise = d.f64("noise")
	if na := d.count("arms", 4); na >= 0 {
		m.Meta.Arms = make([]tournament.Arm, 0, na)
		for range na {
			var a tournament.Arm
			a.Name = d.str("arm name")
			a.Variant = d.str("arm variant")
			a.Set = d.strs("arm settings")
			a.Mediator = d.str("arm mediator")
			m.Meta.Arms = append(m.Meta.Arms, a)
		}
	}
	if d.bool("has design") {
		m.Meta.Design = &tournament.Design{Kind: d.str("design kind"), Variants: d.strs("design variants"), Params: d.strs("design params")}
	}
	n := d.count("jobs", 8)
	for range max(n, 0) {
		var j tournament.Job
		j.ID = d.int("job id")
		j.Scenario = d.small("job scenario", 0)
		j.Agents = d.ints("job agents")
		j.Mediator = d.small("job mediator", 0)
		j.Voters = d.ints("job voters")
		j.Rep = d.small("job rep", 0)
		j.Seed = d.uint("job seed")
		j.Arm = d.small("job arm", 0)
		m.Jobs = append(m.Jobs, j)
	}
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	if len(m.Jobs) == 0 {
		return nil, fmt.Errorf("%w: no jobs", errWire)
	}
	if want := tournamentID(m.Meta); m.TID != want {
		return nil, fmt.Errorf("%w: tournament id %q does not match its meta (%q)", errWire, m.TID, want)
	}
	for _, j := range m.Jobs {
		if j.ID < 0 || j.ID >= m.Meta.Planned {
			return nil, fmt.Errorf("%w: job %d outside the tournament's %d jobs", errWire, j.ID, m.Meta.Planned)
		}
	}
	return &m, nil
}

// decodeResults reads a results message.
func decodeResults(b []byte) (*resultsMsg, error) {
	d := dec{b: b}
	d.tag(tagResults)
	var m resultsMsg
	m.TID = d.str("tournament id")
	n := d.count("records", 45)
	if d.err == nil && n < 0 {
		// A writer always sends a list, possibly empty: a nil list has
		// no encoding to round-trip to.
		d.fail("records: no list (count 0)")
	}
	if n > 0 {
		m.Records = make([]tournament.Record, n)
	}
	for i := range max(n, 0) {
		r := &m.Records[i]
		r.JobID = d.int("job id")
		r.Scenario = d.str("scenario")
		r.Rep = d.small("rep", 0)
		r.Agents = d.strs("agents")
		r.Mediator = d.str("mediator")
		r.Voters = d.strs("voters")
		r.Agreement = d.strMap("agreement")
		r.Utilities = d.f64s("utilities")
		r.Discounted = d.f64s("discounted")
		r.Advantage = d.f64s("advantage")
		r.Rounds = d.small("rounds", 0)
		r.Reason = d.str("reason")
		r.Error = d.str("error")
		r.Elapsed = time.Duration(d.int("elapsed"))
		r.ParetoDistance = d.f64("pareto distance")
		r.NashDistance = d.f64("nash distance")
		r.HasNash = d.bool("has nash")
		r.Welfare = d.f64("welfare")
		r.Fairness = d.f64("fairness")
		r.HasFairness = d.bool("has fairness")
		r.Worker = d.str("worker")
		r.Arm = d.str("arm")
		r.Stage = d.str("stage")
		r.Time = d.f64("time")
		r.Locked = d.small("locked", 0)
	}
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	return &m, nil
}

// resultsPart is one results message body with a key naming its records
// (first job id and count), for its Nats-Msg-Id.
type resultsPart struct {
	body []byte
	key  string
}

// encodeResults encodes records into one or more message bodies of at most
// max bytes each (a single record larger than max is sent alone and left
// to the server to refuse).
func encodeResults(tid string, rs []tournament.Record, max int) []resultsPart {
	e := enc{b: make([]byte, 0, 64+160*len(rs))}
	e.b = append(e.b, tagResults...)
	e.str(tid)
	e.count(len(rs), false)
	for i := range rs {
		e.record(&rs[i])
	}
	if len(e.b) <= max || len(rs) <= 1 {
		key := "0.0"
		if len(rs) > 0 {
			key = fmt.Sprintf("%d.%d", rs[0].JobID, len(rs))
		}
		return []resultsPart{{body: e.b, key: key}}
	}
	h := len(rs) / 2
	return append(encodeResults(tid, rs[:h], max), encodeResults(tid, rs[h:], max)...)
}
