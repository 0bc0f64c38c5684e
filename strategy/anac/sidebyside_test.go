package anac_test

import (
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/sharedtest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// ezRecord is one recorded GENIUS session (of
// shared/reference/genius-agents-ez.json.gz or testdata/genius-agents-*.json.gz).
type ezRecord struct {
	Profiles  []string  `json:"profiles"`
	Agents    []string  `json:"agents"`
	Agreement bool      `json:"agreement"`
	Round     *int      `json:"round"`
	U         []float64 `json:"u"`
}

// recorded is a file of recorded GENIUS sessions and the scenario they
// were played on.
type recorded struct {
	name   string // for messages
	file   string // under shared/ when shared, else under this package's folder
	shared bool
	dir    string // the scenario's folder under shared/scenarios/genius
	domain string // its domain file
	// discount, when not 0, is the discount factor the sessions gave both
	// profiles in place of their files' (the recording's "about" says so).
	discount float64
}

// ezData are the GENIUS 9.1.9 sessions on England-Zimbabwe that came with
// the issue; moreData are sessions recorded since with GENIUS's own code
// (see each file's "about").
var (
	ezData   = recorded{"England-Zimbabwe", "reference/genius-agents-ez.json.gz", true, "EnglandZimbabwe_anac2010", "EnglandZimbabwe_domain.xml", 0}
	moreData = []recorded{
		{"England-Zimbabwe rerun", "testdata/genius-agents-ez-rerun.json.gz", false, "EnglandZimbabwe_anac2010", "EnglandZimbabwe_domain.xml", 0},
		{"Itex-Cypress", "testdata/genius-agents-itexcypress.json.gz", false, "ItexvsCypress_anac2010", "ItexvsCypress_domain.xml", 0},
		{"Kitchen", "testdata/genius-agents-kitchen.json.gz", false, "Kitchen_anac2013", "Kitchen-domain.xml", 0},
		{"England-Zimbabwe δ=0.5", "testdata/genius-agents-ez-delta05.json.gz", false, "EnglandZimbabwe_anac2010", "EnglandZimbabwe_domain.xml", 0.5},
	}
)

// sharedDir returns the shared/ folder beside the repository root, or
// skips the test loudly when file is not in it: GENIUS fidelity is then
// not checked.
func sharedDir(tb testing.TB, file string) string {
	tb.Helper()
	return sharedtest.Dir(tb, file)
}

// loadRecords reads the recorded sessions of d; it returns the shared/
// folder, which holds the scenario.
func loadRecords(tb testing.TB, d recorded) (string, []ezRecord) {
	tb.Helper()
	shared := sharedDir(tb, filepath.Join("scenarios", "genius", d.dir, d.domain))
	path := d.file
	if d.shared {
		path = filepath.Join(sharedDir(tb, d.file), d.file)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", d.file, err)
	}
	var data struct {
		Records []ezRecord `json:"records"`
	}
	if err := json.NewDecoder(z).Decode(&data); err != nil {
		tb.Fatalf("%s: %v", d.file, err)
	}
	if len(data.Records) == 0 {
		tb.Fatalf("%s: no records", d.file)
	}
	return shared, data.Records
}

// loadEZ reads the recorded GENIUS sessions on England-Zimbabwe.
func loadEZ(tb testing.TB) (string, []ezRecord) {
	tb.Helper()
	return loadRecords(tb, ezData)
}

// readScenario reads the scenario of d with its profiles in the given order.
func readScenario(tb testing.TB, shared string, d recorded, profiles []string) *scenario.Prepared {
	tb.Helper()
	dir := filepath.Join(shared, "scenarios", "genius", d.dir)
	var ps []string
	for _, p := range profiles {
		ps = append(ps, filepath.Join(dir, p))
	}
	sc, err := genius.ReadFiles(filepath.Join(dir, d.domain), ps)
	if err != nil {
		tb.Fatal(err)
	}
	if d.discount != 0 {
		for i := range sc.Parties {
			sc.Parties[i].Profile.Discount = d.discount
		}
	}
	ready, err := sc.Prepare()
	if err != nil {
		tb.Fatal(err)
	}
	return ready
}

// readEZ reads England-Zimbabwe with the given profile first.
func readEZ(tb testing.TB, shared string, profiles []string) *scenario.Prepared {
	tb.Helper()
	return readScenario(tb, shared, ezData, profiles)
}

// ezAgents are the agents of the recorded sessions by their names there.
func ezAgents() map[string]func() parley.Negotiator {
	m := map[string]func() parley.Negotiator{
		"genius-boulware": func() parley.Negotiator { return geniuscompat.NewBoulware() },
		"genius-conceder": func() parley.Negotiator { return geniuscompat.NewConceder() },
	}
	for _, e := range anac.Agents() {
		m[e.Name] = e.New
	}
	return m
}

// sideBySide plays every pairing and start order recorded in d reps times with
// GENIUS timing and a 180-round deadline, and returns the mean utility
// per agent of GENIUS's sessions and of Parley's, and per pairing.
func sideBySide(t *testing.T, d recorded, reps int) (genius, parley_ map[string]float64, pairs map[string][2]float64) {
	shared, recs := loadRecords(t, d)
	agents := ezAgents()
	type key struct{ p0, a0, a1 string }
	groups := map[key][]ezRecord{}
	var keys []key
	for _, r := range recs {
		k := key{r.Profiles[0], r.Agents[0], r.Agents[1]}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.p0, b.p0), cmp.Compare(a.a0, b.a0), cmp.Compare(a.a1, b.a1))
	})
	scs := map[string]*scenario.Prepared{}
	gSum, pSum, n := map[string]float64{}, map[string]float64{}, map[string]float64{}
	pairs = map[string][2]float64{}
	for _, k := range keys {
		g := groups[k]
		sc := scs[k.p0]
		if sc == nil {
			sc = readScenario(t, shared, d, g[0].Profiles)
			scs[k.p0] = sc
		}
		m, err := sao.New(sc.Profiles(), sc.Names(), sao.Options{Deadline: 180, Timing: sao.TimingGENIUS})
		if err != nil {
			t.Fatal(err)
		}
		var gs, ps [2]float64
		for _, r := range g {
			for i := range 2 {
				gs[i] += r.U[i] / float64(len(g))
			}
		}
		for rep := range reps {
			f0, f1 := agents[k.a0], agents[k.a1]
			if f0 == nil || f1 == nil {
				t.Fatalf("no agent for %v", k)
			}
			res, err := m.Run(context.Background(), []parley.Negotiator{f0(), f1()}, uint64(rep+1))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				ps[i] += res.Utilities[i] / float64(reps)
			}
		}
		for i, a := range []string{k.a0, k.a1} {
			gSum[a] += gs[i]
			pSum[a] += ps[i]
			n[a]++
		}
		name := fmt.Sprintf("%s first: %s vs %s", strings.TrimSuffix(k.p0, ".xml"), k.a0, k.a1)
		pairs[name+" ["+k.a0+"]"] = [2]float64{gs[0], ps[0]}
		pairs[name+" ["+k.a1+"]"] = [2]float64{gs[1], ps[1]}
	}
	genius, parley_ = map[string]float64{}, map[string]float64{}
	for a := range n {
		genius[a], parley_[a] = gSum[a]/n[a], pSum[a]/n[a]
	}
	return genius, parley_, pairs
}

// TestSideBySideEZ compares the agents with the recorded GENIUS 9.1.9
// sessions on England-Zimbabwe (7 ANAC agents and 2 time-dependent
// controls, every ordered pair, both start orders, 180 rounds): the mean
// utility of each agent over its sessions.
func TestSideBySideEZ(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 1,440 negotiations")
	}
	// The target is 0.02; AgentGG (−0.019) is just within it
	// (docs/genius-compatibility.md), and GENIUS's own means, of ten
	// sessions per pairing, are noisy: the test allows 0.03. Before the
	// CUHKAgent fix the largest difference was 0.36, before HardHeaded's
	// TreeMap (jtree) HardHeaded was +0.024 and ranked above AgentGG.
	checkSideBySide(t, ezData, 40, 0.03, true)
}

// checkSideBySide plays the pairings of d reps times each and fails when
// an agent's mean utility differs from GENIUS's by more than tol or, with
// ranked, when the agents rank otherwise than in GENIUS.
func checkSideBySide(t *testing.T, d recorded, reps int, tol float64, ranked bool) {
	g, p, pairs := sideBySide(t, d, reps)
	names := make([]string, 0, len(g))
	for a := range g {
		names = append(names, a)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(g[b], g[a]) })
	var worst float64
	for _, a := range names {
		diff := p[a] - g[a]
		worst = max(worst, math.Abs(diff))
		t.Logf("%-16s GENIUS %.4f  Parley %.4f  diff %+.4f", a, g[a], p[a], diff)
	}
	t.Logf("%s: largest difference %.4f", d.name, worst)
	pn := make([]string, len(names))
	copy(pn, names)
	slices.SortFunc(pn, func(a, b string) int { return cmp.Compare(p[b], p[a]) })
	rank := map[string]int{}
	for i, a := range pn {
		rank[a] = i
	}
	var d2 float64
	for i, a := range names {
		d2 += float64((i - rank[a]) * (i - rank[a]))
	}
	nn := float64(len(names))
	t.Logf("Spearman rank correlation with GENIUS %.3f; Parley's ranking %v", 1-6*d2/(nn*(nn*nn-1)), pn)
	for _, a := range names {
		if diff := p[a] - g[a]; math.Abs(diff) > tol {
			t.Errorf("%s: %s: mean utility %.4f, GENIUS %.4f: differs by %+.4f, more than %v", d.name, a, p[a], g[a], diff, tol)
		}
	}
	if ranked && !slices.Equal(pn, names) {
		t.Errorf("%s: Parley ranks the agents %v, GENIUS %v", d.name, pn, names)
	}
	if testing.Verbose() {
		pn := make([]string, 0, len(pairs))
		for k := range pairs {
			pn = append(pn, k)
		}
		slices.Sort(pn)
		for _, k := range pn {
			v := pairs[k]
			if math.Abs(v[0]-v[1]) > 0.03 {
				t.Logf("  %-60s GENIUS %.4f Parley %.4f", k, v[0], v[1])
			}
		}
	}
}

// knownGaps are the pairings (first profile, agents) of TestRecordedModes
// where Parley is known to differ from GENIUS, with the reason; they are
// reported, not failed (docs/genius-compatibility.md lists them).
// There are none at present: the last one, Nice Tit-for-Tat first on
// Zimbabwe against HardHeaded, was HardHeaded offering its model's
// favourite bid, which GENIUS's HardHeaded loses in its TreeMap (jtree).
var knownGaps = map[[3]string]string{}

// TestRecordedModes: for the pairings whose ten GENIUS sessions all ended
// alike (the same agreement or none, in the same round, with the same
// utilities; mostly those with a time-dependent control, and CUHKAgent
// holding out to the deadline against HardHeaded, AgentK, PonPoko and
// AgentGG), Parley's most frequent ending over 20 seeds must be that one.
// (The agents draw random numbers, so single seeds may differ: AgentK
// accepts early with a small probability that GENIUS's ten sessions may
// simply not have drawn.)
func TestRecordedModes(t *testing.T) {
	if n := checkRecordedModes(t, ezData); n < 60 {
		t.Errorf("only %d pairings ended alike in all ten GENIUS sessions, want at least 60 (was the file replaced?)", n)
	}
}

// TestRecordedModesMore is TestRecordedModes on the sessions recorded
// with GENIUS's own code (TestSideBySideMore).
func TestRecordedModesMore(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 20 negotiations per pairing")
	}
	for _, d := range moreData {
		t.Run(d.name, func(t *testing.T) {
			n := checkRecordedModes(t, d)
			t.Logf("%s: %d pairings ended alike in all their GENIUS sessions", d.name, n)
		})
	}
}

// checkRecordedModes plays, 20 times each, the pairings of d whose
// recorded sessions all ended alike, fails those whose most frequent
// ending in Parley is another, and returns how many there were.
func checkRecordedModes(t *testing.T, d recorded) int {
	shared, recs := loadRecords(t, d)
	agents := ezAgents()
	type key struct{ p0, a0, a1 string }
	type end struct {
		agreed bool
		round  int
		u0, u1 float64
	}
	ends := map[key]map[end]int{}
	profiles := map[key][]string{}
	var keys []key
	for _, r := range recs {
		k := key{r.Profiles[0], r.Agents[0], r.Agents[1]}
		if ends[k] == nil {
			ends[k] = map[end]int{}
			profiles[k] = r.Profiles
			keys = append(keys, k)
		}
		e := end{agreed: r.Agreement, u0: r.U[0], u1: r.U[1]}
		if r.Round != nil {
			e.round = *r.Round
		}
		ends[k][e]++
	}
	scs := map[string]*scenario.Prepared{}
	n := 0
	for _, k := range keys {
		if len(ends[k]) != 1 {
			continue
		}
		var want end
		for e := range ends[k] {
			want = e
		}
		n++
		sc := scs[k.p0]
		if sc == nil {
			sc = readScenario(t, shared, d, profiles[k])
			scs[k.p0] = sc
		}
		m, err := sao.New(sc.Profiles(), sc.Names(), sao.Options{Deadline: 180, Timing: sao.TimingGENIUS})
		if err != nil {
			t.Fatal(err)
		}
		got := map[end]int{}
		for seed := uint64(1); seed <= 20; seed++ {
			res, err := m.Run(context.Background(), []parley.Negotiator{agents[k.a0](), agents[k.a1]()}, seed)
			if err != nil {
				t.Fatal(err)
			}
			e := end{agreed: res.Agreed(), u0: res.Utilities[0], u1: res.Utilities[1]}
			if e.agreed {
				e.round = res.Rounds
			}
			got[e]++
		}
		var mode end
		best := 0
		for e, c := range got {
			if c > best || c == best && (e.round < mode.round || e.round == mode.round && e.u0 < mode.u0) {
				mode, best = e, c
			}
		}
		if mode.agreed != want.agreed || mode.round != want.round ||
			math.Abs(mode.u0-want.u0) > 1e-9 || math.Abs(mode.u1-want.u1) > 1e-9 {
			if why, ok := knownGaps[[3]string{k.p0, k.a0, k.a1}]; ok {
				t.Logf("KNOWN GAP (%s): %s first, %s vs %s: mostly (%d of 20) agreed %v in round %d with (%.4f, %.4f); GENIUS always %v in round %d with (%.4f, %.4f)",
					why, strings.TrimSuffix(k.p0, ".xml"), k.a0, k.a1, best, mode.agreed, mode.round, mode.u0, mode.u1,
					want.agreed, want.round, want.u0, want.u1)
				continue
			}
			t.Errorf("%s first, %s vs %s: mostly (%d of 20) agreed %v in round %d with (%.4f, %.4f); GENIUS always %v in round %d with (%.4f, %.4f)",
				strings.TrimSuffix(k.p0, ".xml"), k.a0, k.a1, best, mode.agreed, mode.round, mode.u0, mode.u1,
				want.agreed, want.round, want.u0, want.u1)
		}
	}
	return n
}

// TestSideBySideMore compares the agents with GENIUS sessions recorded
// by running GENIUS's own code (testdata/genius-agents-*.json.gz; each
// file's "about" says how): England-Zimbabwe again, and further ANAC
// scenarios. Each agent's mean must be within the target, 0.02; the
// ranking is not required, as GENIUS's means of some agents lie closer
// together than its sampling noise (Itex-Cypress: Atlas3 0.5552,
// genius-boulware 0.5535).
//
// Two recordings are discounted, Kitchen (δ = 0.8 in its files) and
// England-Zimbabwe with both profiles given δ = 0.5, so they also check
// that HardHeaded, CUHKAgent and Atlas3 use δ as GENIUS's do: with their
// reading of δ replaced by 1, the largest difference was 0.18 on Kitchen
// (CUHKAgent) and 0.23 on England-Zimbabwe at δ = 0.5 (HardHeaded), and
// TestRecordedModesMore failed 14 and 19 pairings. Nice Tit-for-Tat, not
// in the Kitchen recording, plays England-Zimbabwe at δ = 0.5 within
// 0.001 of the same whether it reads δ or not, so these sessions do not
// check its use of δ; TestDiscountResponse does.
func TestSideBySideMore(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 1,440 negotiations per scenario")
	}
	for _, d := range moreData {
		t.Run(d.name, func(t *testing.T) {
			checkSideBySide(t, d, 40, 0.02, false)
		})
	}
}
