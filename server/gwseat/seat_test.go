package gwseat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario/geniusweb"
	"github.com/parley-dev/parley/server/gwseat"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/ufun"
)

// testScenario is a buyer and a seller over a discrete, an integer and a
// real issue (so that bids carry JSON text and numbers), linear-additive
// as GeniusWeb profiles are.
func testScenario(t testing.TB) (*parley.OutcomeSpace, []*parley.Profile) {
	t.Helper()
	space, profiles, err := buyerSeller()
	if err != nil {
		t.Fatal(err)
	}
	return space, profiles
}

func buyerSeller() (*parley.OutcomeSpace, []*parley.Profile, error) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "color", Values: []string{"red", "green", "blue"}},
		{Name: "price", Kind: parley.Integer, Min: 10, Max: 14},
		{Name: "warranty", Kind: parley.Real, Min: 0, Max: 1, Steps: 3},
	})
	if err != nil {
		return nil, nil, err
	}
	buyer, err := ufun.NewLinearAdditive(space, []float64{0.3, 0.5, 0.2},
		[][]float64{{1, 0.5, 0}, {1, 0.75, 0.5, 0.25, 0}, {0, 0.5, 1}}, 0)
	if err != nil {
		return nil, nil, err
	}
	seller, err := ufun.NewLinearAdditive(space, []float64{0.2, 0.6, 0.2},
		[][]float64{{0, 0.4, 1}, {0, 0.25, 0.5, 0.75, 1}, {1, 0.5, 0}}, 0)
	if err != nil {
		return nil, nil, err
	}
	return space, []*parley.Profile{
		{Name: "buyer", Space: space, Utility: buyer},
		{Name: "seller", Space: space, Utility: seller},
	}, nil
}

var names = []string{"buyer", "seller"}

func boulware(t testing.TB) parley.Negotiator {
	t.Helper()
	f, err := strategy.Parse("boulware")
	if err != nil {
		t.Fatal(err)
	}
	return f()
}

// mirror plays the double's strategy in process, on the profile as the
// double receives it: a GeniusWeb seat driving the double must give the
// same trace.
type mirror struct {
	b *brain
	d int
}

func (m *mirror) Init(_ context.Context, s *parley.Session) error {
	var buf bytes.Buffer
	if err := geniusweb.WriteProfile(&buf, "parley", s.Profile); err != nil {
		return err
	}
	b, err := newBrain(buf.Bytes())
	m.b, m.d = b, s.Deadline
	return err
}

func (m *mirror) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	standing := st.Standing
	if st.Proposer == st.Me {
		standing = parley.NoOutcome
	}
	if accept, o := m.b.move(st.Round, m.d, standing); !accept {
		return parley.OfferOf(o), nil
	}
	return parley.AcceptAction(), nil
}

func run(t testing.TB, profiles []*parley.Profile, names []string, negs []parley.Negotiator, opts sao.Options) ([]parley.Event, *parley.Result) {
	t.Helper()
	var evs []parley.Event
	opts.Trace = func(e parley.Event) { evs = append(evs, e) }
	m, err := sao.New(profiles, names, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), negs, 7)
	if err != nil {
		t.Fatal(err)
	}
	return evs, res
}

// outcomeOf reads a bid as written on the wire.
func outcomeOf(t testing.TB, space *parley.OutcomeSpace, bid string) parley.Outcome {
	t.Helper()
	var b struct {
		IssueValues map[string]any `json:"issuevalues"`
	}
	if err := json.Unmarshal([]byte(bid), &b); err != nil {
		t.Fatalf("bid %s: %v", bid, err)
	}
	named := map[string]string{}
	for k, v := range b.IssueValues {
		switch v := v.(type) {
		case string:
			named[k] = v
		case float64:
			named[k] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	o, err := space.Parse(named)
	if err != nil {
		t.Fatalf("bid %s: %v", bid, err)
	}
	return o
}

// expectedInforms is what the party at seat must have received, given the
// trace: Settings; before each of its turns the other parties' actions
// since its last one, then YourTurn and its own action; at the end the
// closing acceptances of an agreement (other trailing actions are unknown
// to a seat), then Finished.
func expectedInforms(evs []parley.Event, res *parley.Result, names []string, seat, gen int) []string {
	tag := func(k parley.ActionKind) string {
		t := map[parley.ActionKind][2]string{parley.Offer: {"Offer", "offer"}, parley.Accept: {"Accept", "accept"},
			parley.End: {"EndNegotiation", "endnegotiation"}}[k]
		return t[2-gen]
	}
	last := -1
	for i, e := range evs {
		if e.Party == seat {
			last = i
		}
	}
	out := []string{"Settings"}
	for i, e := range evs {
		if e.Party == seat {
			out = append(out, "YourTurn")
		} else if i > last && res.Reason != parley.ReasonAgreement {
			continue
		}
		out = append(out, "ActionDone "+tag(e.Action)+" "+names[e.Party])
	}
	return append(out, "Finished")
}

// TestNegotiationLoopback runs SAO between a GeniusWeb seat driving the
// double over loopback TCP (the seat serving the profile itself) and the
// built-in boulware, in both tag generations, both seat positions, by a
// ws:// URL and by a parties-server run reference. The trace must be the
// one the double's strategy gives in process, and the double must have
// seen exactly the GeniusWeb message flow of that trace.
func TestNegotiationLoopback(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  int
		tags gwseat.Tags
		seat int
		run  bool
	}{
		{"2.x tags, seat first, ws URL", 2, gwseat.Tags2, 0, false},
		{"1.x tags, seat second, run reference", 1, gwseat.Tags1, 1, true},
		{"1.x tags, seat first, ws URL", 1, gwseat.Tags1, 0, false},
		{"2.x tags, seat second, run reference", 2, gwseat.Tags2, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			space, profiles := testScenario(t)
			double := newParty(tc.gen, "", http.DefaultClient)
			srv := httptest.NewServer(double)
			defer srv.Close()
			url := "WS" + strings.TrimPrefix(srv.URL, "http") + "/party" // schemes are case-blind
			if tc.run {
				url = srv.URL + "/partiesserver/run/double"
			}
			params := map[string]any{"e": 1.2}
			seat, err := gwseat.New(url, gwseat.Options{Tags: tc.tags, Parameters: params})
			if err != nil {
				t.Fatal(err)
			}
			params["e"] = 9.0 // the seat keeps its own copy
			negs := make([]parley.Negotiator, 2)
			negs[tc.seat], negs[1-tc.seat] = seat, boulware(t)
			opts := sao.Options{Deadline: 20, TurnTimeout: time.Minute}
			got, res := run(t, profiles, names, negs, opts)
			negs[tc.seat], negs[1-tc.seat] = &mirror{}, boulware(t)
			want, wantRes := run(t, profiles, names, negs, opts)

			if res.Err != nil {
				t.Fatalf("negotiation failed: %v", res.Err)
			}
			if res.Reason != parley.ReasonAgreement && res.Reason != parley.ReasonDeadline {
				t.Fatalf("ended with %v", res.Reason)
			}
			if !slices.Equal(got, want) {
				t.Errorf("trace through GeniusWeb differs from the in-process one:\n got %v\nwant %v", got, want)
			}
			if res.Reason != wantRes.Reason || res.Agreement != wantRes.Agreement {
				t.Errorf("result %v %v, in process %v %v", res.Reason, res.Agreement, wantRes.Reason, wantRes.Agreement)
			}
			t.Logf("%d events, %v, agreement %s", len(got), res.Reason, space.Format(res.Agreement))
			if len(got) < 4 {
				t.Errorf("trace of %d events is too short to test the relay", len(got))
			}

			informs, agreed, err := double.summary()
			if err != nil {
				t.Fatalf("double: %v", err)
			}
			if w := expectedInforms(got, res, names, tc.seat, tc.gen); !slices.Equal(informs, w) {
				t.Errorf("double received\n%s\nwant\n%s", strings.Join(informs, "\n"), strings.Join(w, "\n"))
			}
			if res.Agreed() {
				if ks := sortedKeys(agreed); !slices.Equal(ks, []string{"buyer", "seller"}) {
					t.Errorf("Finished.agreements for %v", ks)
				}
				for id, bid := range agreed {
					if o := outcomeOf(t, space, bid); o != res.Agreement {
						t.Errorf("Finished gives %s %s, agreement is %s", id, space.Format(o), space.Format(res.Agreement))
					}
				}
			} else if len(agreed) != 0 {
				t.Errorf("Finished.agreements %v without agreement", agreed)
			}

			double.mu.Lock()
			set := double.settings
			double.mu.Unlock()
			var keys []string
			for k := range set {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, []string{"id", "parameters", "profile", "progress", "protocol"}) {
				t.Errorf("Settings fields %v", keys)
			}
			if set["id"] != names[tc.seat] || !reflect.DeepEqual(set["parameters"], map[string]any{"e": 1.2}) {
				t.Errorf("Settings id %v parameters %v", set["id"], set["parameters"])
			}
			rounds := set["progress"].(map[string]any)[map[int]string{1: "rounds", 2: "ProgressRounds"}[tc.gen]].(map[string]any)
			if rounds["duration"] != 20.0 || rounds["currentRound"] != 0.0 {
				t.Errorf("progress %v, want 20 rounds from round 0", rounds)
			}
		})
	}
}

// TestMultilateral: with three parties the seat relays the other two
// parties' offers and acceptances (acceptances inferred from the turn
// order) in the order they happened, and the trace is still the one the
// double's strategy gives in process.
func TestMultilateral(t *testing.T) {
	_, profiles := testScenario(t)
	profiles = append(profiles, &parley.Profile{Name: "broker", Space: profiles[0].Space, Utility: profiles[0].Utility, Reservation: 0.3})
	names := []string{"buyer", "seller", "broker"}
	for seat := range 3 {
		double := newParty(2, "", http.DefaultClient)
		srv := httptest.NewServer(double)
		s, err := gwseat.New("ws"+strings.TrimPrefix(srv.URL, "http")+"/party", gwseat.Options{})
		if err != nil {
			t.Fatal(err)
		}
		negs := []parley.Negotiator{boulware(t), boulware(t), boulware(t)}
		negs[seat] = s
		opts := sao.Options{Deadline: 30}
		got, res := run(t, profiles, names, negs, opts)
		negs = []parley.Negotiator{boulware(t), boulware(t), boulware(t)}
		negs[seat] = &mirror{}
		want, _ := run(t, profiles, names, negs, opts)
		informs, _, err := double.summary()
		srv.Close()
		if err != nil || res.Err != nil {
			t.Fatalf("seat %d: double %v, negotiation %v", seat, err, res.Err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("seat %d: trace through GeniusWeb differs from the in-process one:\n got %v\nwant %v", seat, got, want)
		}
		accepts := 0
		for _, e := range got {
			if e.Action == parley.Accept && e.Party != seat {
				accepts++
			}
		}
		if accepts == 0 {
			t.Errorf("seat %d: no acceptance by another party to relay (%v)", seat, res.Reason)
		}
		if w := expectedInforms(got, res, names, seat, 2); !slices.Equal(informs, w) {
			t.Errorf("seat %d: double received\n%s\nwant\n%s", seat, strings.Join(informs, "\n"), strings.Join(w, "\n"))
		}
	}
}

// harness runs one negotiation inside a synctest bubble over an in-memory
// network: the double at ws://party.test/party, profiles served by a
// shared ProfileHost at ws://profiles.test/gw/. The seat is the buyer,
// seated second, against a deterministic conceder; turns time out after
// 30 s of the bubble's fake clock.
func harness(t *testing.T, double *party, n *memnet, opts gwseat.Options, sopts sao.Options, opp ...parley.Negotiator) *parley.Result {
	t.Helper()
	_, profiles := testScenario(t)
	profiles[0], profiles[1] = profiles[1], profiles[0]
	names := []string{"seller", "buyer"}

	pl, hl := n.listen("party.test:80"), n.listen("profiles.test:80")
	host, err := gwseat.NewProfileHost("ws://profiles.test:80/gw")
	if err != nil {
		t.Fatal(err)
	}
	ps, hs := &http.Server{Handler: double}, &http.Server{Handler: host}
	go ps.Serve(pl)
	go hs.Serve(hl)
	defer hs.Close()
	defer ps.Close()

	opts.Profiles, opts.HTTPClient = host, n.client()
	seat, err := gwseat.New("ws://party.test:80/party", opts)
	if err != nil {
		t.Fatal(err)
	}
	if sopts.Deadline == 0 && sopts.TimeLimit == 0 {
		sopts.Deadline = 10
	}
	switch sopts.TurnTimeout {
	case 0:
		sopts.TurnTimeout = 30 * time.Second
	case -1:
		sopts.TurnTimeout = 0 // none
	}
	if len(opp) == 0 {
		opp = append(opp, boulware(t))
	}
	_, res := run(t, profiles, names, []parley.Negotiator{opp[0], seat}, sopts)
	<-double.done
	return res
}

// TestFaults: every way a party can fail ends the negotiation with reason
// error, charged to the party, with an error naming it.
func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		fault string
		delay time.Duration
		want  error
		text  string
	}{
		{"unknown-issue", 0, gwseat.ErrBid, `unknown issue "colour"`},
		{"unknown-value", 0, gwseat.ErrBid, `unknown value "purple"`},
		{"partial", 0, gwseat.ErrBid, `issue "price" missing`},
		{"malformed", 0, gwseat.ErrMalformed, "unexpected EOF"},
		{"wrong-actor", 0, gwseat.ErrMalformed, `actor "mallory"`},
		{"accept-other", 0, gwseat.ErrOutOfTurn, "but the offer on the table is"},
		{"huge", 0, gwseat.ErrTooBig, "more than 65536 bytes"},
		{"close", 0, gwseat.ErrClosed, `"party gave up"`},
		{"silent", 0, gwseat.ErrLate, "no action in time"},
		{"late", time.Minute, gwseat.ErrLate, "no action in time"},
		{"twice", 0, gwseat.ErrOutOfTurn, "before its turn"},
		{"binary", 0, gwseat.ErrMalformed, "binary message"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := newMemnet()
				double := newParty(2, tc.fault, n.client())
				double.delay = tc.delay
				res := harness(t, double, n, gwseat.Options{}, sao.Options{})
				if res.Reason != parley.ReasonError || res.Party != 1 {
					t.Fatalf("ended with %v by party %d (%v), want error by party 1", res.Reason, res.Party, res.Err)
				}
				if !errors.Is(res.Err, tc.want) {
					t.Errorf("error %v does not wrap %v", res.Err, tc.want)
				}
				var ge *gwseat.Error
				if !errors.As(res.Err, &ge) || ge.Party != "buyer" || ge.URL != "ws://party.test:80/party" {
					t.Errorf("error %v does not name the party", res.Err)
				}
				if !strings.Contains(res.Err.Error(), `party "buyer"`) || !strings.Contains(res.Err.Error(), tc.text) {
					t.Errorf("error %q lacks %q", res.Err, tc.text)
				}
			})
		})
	}
}

// TestWalkAway: a party's EndNegotiation ends the negotiation as a walk
// away, and another party's walk-out is relayed to the party before
// Finished with no agreements.
func TestWalkAway(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault string
		opp   parley.Negotiator
		by    int
		tail  []string
	}{
		{"the party ends", "end", nil, 1, []string{"YourTurn", "ActionDone EndNegotiation buyer", "Finished"}},
		{"the other party ends", "", &parleytest.Scripted{Actions: []parley.Action{parley.OfferOf(4), parley.EndAction()}}, 0,
			[]string{"YourTurn", "ActionDone Offer buyer", "ActionDone EndNegotiation seller", "Finished"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := newMemnet()
				double := newParty(2, tc.fault, n.client())
				var opp []parley.Negotiator
				if tc.opp != nil {
					opp = append(opp, tc.opp)
				}
				res := harness(t, double, n, gwseat.Options{}, sao.Options{}, opp...)
				if res.Reason != parley.ReasonWalkAway || res.Party != tc.by || res.Err != nil {
					t.Fatalf("ended with %v by party %d (%v), want walk_away by %d", res.Reason, res.Party, res.Err, tc.by)
				}
				informs, agreed, err := double.summary()
				if err != nil || len(agreed) != 0 {
					t.Errorf("double: %v, agreements %v", err, agreed)
				}
				if len(informs) < len(tc.tail) || !slices.Equal(informs[len(informs)-len(tc.tail):], tc.tail) {
					t.Errorf("double received %q, want it to end with %q", informs, tc.tail)
				}
			})
		})
	}
}

// TestProgressDeadline: without a turn deadline from the protocol, a
// silent party is late once the time it was told it has (TimeLimit, here
// two minutes of the bubble's clock) has passed.
func TestProgressDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newMemnet()
		double := newParty(2, "silent", n.client())
		start := time.Now()
		res := harness(t, double, n, gwseat.Options{TimeLimit: 2 * time.Minute}, sao.Options{TurnTimeout: -1})
		if !errors.Is(res.Err, gwseat.ErrLate) || res.Party != 1 {
			t.Fatalf("ended with %v by %d (%v), want ErrLate by the party", res.Reason, res.Party, res.Err)
		}
		if d := time.Since(start); d != 2*time.Minute {
			t.Errorf("the party was given %v, want 2m", d)
		}
	})
}

// TestProgressTime: without a round deadline the party is told
// ProgressTime{duration, start} from the seat's clock (the bubble's fake
// clock starts at 2000-01-01 UTC), and still gets its profile and plays.
func TestProgressTime(t *testing.T) {
	for _, gen := range []int{1, 2} {
		t.Run(strconv.Itoa(gen)+".x", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := newMemnet()
				double := newParty(gen, "", n.client())
				tags := map[int]gwseat.Tags{1: gwseat.Tags1, 2: gwseat.Tags2}[gen]
				res := harness(t, double, n, gwseat.Options{Tags: tags, TimeLimit: time.Minute}, sao.Options{TimeLimit: time.Minute})
				if res.Err != nil || !res.Agreed() {
					t.Fatalf("ended with %v (%v)", res.Reason, res.Err)
				}
				double.mu.Lock()
				prog := double.settings["progress"]
				double.mu.Unlock()
				tag := map[int]string{1: "time", 2: "ProgressTime"}[gen]
				want := map[string]any{tag: map[string]any{"duration": 60000.0, "start": 946684800000.0}}
				if !reflect.DeepEqual(prog, want) {
					t.Errorf("progress %v, want %v", prog, want)
				}
				if _, _, err := double.summary(); err != nil {
					t.Errorf("double: %v", err)
				}
			})
		})
	}
}

// TestProfileHost: a profile is served once per connection to its own
// unguessable URI, refused when too large, and gone once withdrawn.
func TestProfileHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newMemnet()
		host, err := gwseat.NewProfileHost("ws://profiles.test:80/gw/")
		if err != nil {
			t.Fatal(err)
		}
		hs := &http.Server{Handler: host}
		go hs.Serve(n.listen("profiles.test:80"))
		defer hs.Close()
		uri, withdraw, err := host.Publish([]byte(`{"x":1}`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(uri, "ws://profiles.test:80/gw/") || len(uri) != len("ws://profiles.test:80/gw/")+32 {
			t.Errorf("uri %s", uri)
		}
		client := n.client()
		got := fetch(t, client, uri)
		if got != `{"x":1}` {
			t.Errorf("fetched %q", got)
		}
		resp, err := client.Get("http://profiles.test:80/gw/0123")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown profile: HTTP %d", resp.StatusCode)
		}
		withdraw()
		resp, err = client.Get("http" + strings.TrimPrefix(uri, "ws"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("withdrawn profile: HTTP %d", resp.StatusCode)
		}
		if _, _, err := host.Publish(make([]byte, gwseat.MaxProfile+1)); err == nil {
			t.Error("an oversized profile was published")
		}
		for _, bad := range []string{"http://x/", "ws:///p", "ws://x/p?q=1", "::"} {
			if _, err := gwseat.NewProfileHost(bad); err == nil {
				t.Errorf("base %q accepted", bad)
			}
		}
	})
}

// TestNew refuses URLs a GeniusWeb party cannot be reached at, and bad
// options, naming them.
func TestNew(t *testing.T) {
	for _, tc := range []struct {
		url  string
		opts gwseat.Options
		want string
	}{
		{"ftp://x/party", gwseat.Options{}, "want ws://"},
		{"ws:///party", gwseat.Options{}, "no host"},
		{"ws://x/party", gwseat.Options{Tags: 7}, "unknown tags"},
		{"ws://x/party", gwseat.Options{TimeLimit: -1}, "negative time limit"},
		{"ws://x/party", gwseat.Options{MaxMessage: -1}, "negative message bound"},
		{"ws://x/party", gwseat.Options{Parameters: map[string]any{"f": func() {}}}, "parameters are not JSON"},
	} {
		if _, err := gwseat.New(tc.url, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q, %+v) = %v, want an error with %q", tc.url, tc.opts, err, tc.want)
		}
		if _, err := gwseat.Factory(tc.url, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Factory(%q, %+v) = %v, want an error with %q", tc.url, tc.opts, err, tc.want)
		}
	}
}

// TestInitFaults: a party that cannot be reached, a parties server without
// room, a profile GeniusWeb cannot express, or no deadline to tell the
// party fails Init with an error naming the party.
func TestInitFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newMemnet()
		busy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "retry later at 1556631286760", http.StatusServiceUnavailable)
		})}
		go busy.Serve(n.listen("busy.test:80"))
		defer busy.Close()
		space, profiles := testScenario(t)
		table, err := ufun.NewTable(space, profiles[0].Utility)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			url      string
			profile  *parley.Profile
			deadline int
			want     error
			text     string
		}{
			{"ws://nobody.test:80/party", profiles[0], 10, gwseat.ErrClosed, "nothing listens"},
			{"http://busy.test:80/run/x", profiles[0], 10, gwseat.ErrClosed, "no room"},
			{"ws://nobody.test:80/party", profiles[0], 0, nil, "no round deadline"},
			{"ws://nobody.test:80/party", &parley.Profile{Name: "t", Space: space, Utility: ufun.TableOf(table.Values())}, 10, nil, "has no GeniusWeb form"},
		} {
			seat, err := gwseat.New(tc.url, gwseat.Options{HTTPClient: n.client()})
			if err != nil {
				t.Fatal(err)
			}
			err = seat.Init(context.Background(), &parley.Session{Party: 0, Names: names, Profile: tc.profile, Deadline: tc.deadline})
			if err == nil || !strings.Contains(err.Error(), `party "buyer"`) || !strings.Contains(err.Error(), tc.text) ||
				tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s: Init = %v, want %v naming the party with %q", tc.url, err, tc.want, tc.text)
			}
			if _, err := seat.Act(context.Background(), &parley.State{}); err == nil {
				t.Errorf("%s: Act after a failed Init succeeded", tc.url)
			}
		}
	})
}

// fetch reads a profile as a GeniusWeb party does.
func fetch(t testing.TB, client *http.Client, uri string) string {
	t.Helper()
	ctx := context.Background()
	c, _, err := websocket.Dial(ctx, uri, &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	_, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Close(websocket.StatusNormalClosure, "")
	return string(data)
}

// TestConformance holds the seat to what every parley.Negotiator must do
// (parleytest.TestNegotiator): clean failures without a profile or before
// Init, valid actions within the turn deadline, the same trace for the same
// seed with fresh seats and with a seat initialised again (a new
// connection to a new party instance), and no use of a State after Act.
// The conformance check wraps seats in a State poisoner that hides Finish,
// so those parties never hear Finished: Close ends them.
func TestConformance(t *testing.T) {
	_, profiles := testScenario(t)
	ps := &parties{gen: 1, client: http.DefaultClient}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	url := srv.URL + "/partiesserver/run/double"
	f, err := gwseat.Factory(url, gwseat.Options{Tags: gwseat.Tags1})
	if err != nil {
		t.Fatal(err)
	}
	var seats []*gwseat.Seat
	parleytest.TestNegotiator(t, func() parley.Negotiator {
		s := f()
		seats = append(seats, s.(*gwseat.Seat))
		return s
	}, profiles...)
	for _, s := range seats {
		s.Close()
	}
	finished, unfinished := ps.outcomes(t)
	// 2 seats x 3 opponents x 2 seeds poisoned runs; every other session
	// (36 runs, plus the opponent seats of the self-play runs) finishes.
	if unfinished > 12 || finished < 36 {
		t.Errorf("%d sessions finished, %d did not (want at least 36 and at most the 12 poisoned ones)", finished, unfinished)
	}
}
