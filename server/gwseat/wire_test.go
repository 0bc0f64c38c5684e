package gwseat

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario/geniusweb"
	"github.com/parley-dev/parley/ufun"
)

// example is the domain of GeniusWeb's own serialisation examples
// (GeniusWeb 1.5.8 classes serialised by their Jackson mapper):
// {"name":"example","issuesValues":{"color":{"values":["red","blue"]},"price":{"range":[1E+1,2E+1,0.5]}}}.
func example(t testing.TB) *parley.OutcomeSpace {
	t.Helper()
	s, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "color", Values: []string{"red", "blue"}},
		{Name: "price", Kind: parley.Real, Min: 10, Max: 20, Steps: 21},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Verbatim messages from GeniusWeb 1.5.8's serialisation of real objects.
const (
	refOffer      = `{"offer":{"actor":"party1","bid":{"issuevalues":{"color":"red","price":12.5}}}}`
	refAccept     = `{"accept":{"actor":"party2","bid":{"issuevalues":{"color":"red","price":12.5}}}}`
	refEnd        = `{"endnegotiation":{"actor":"party1"}}`
	refActionDone = `{"ActionDone":{"action":{"offer":{"actor":"party1","bid":{"issuevalues":{"color":"red","price":12.5}}}}}}`
	refFinished   = `{"Finished":{"agreements":{"party2":{"issuevalues":{"color":"red","price":12.5}},"party1":{"issuevalues":{"color":"red","price":12.5}}}}}`
	refSettings   = `{"Settings":{"id":"party1","profile":"ws://localhost:8080/profilesserver-1.5.8/websocket/get/example/example_profileA","protocol":"SAOP","progress":{"time":{"duration":10000,"start":1600000000000}},"parameters":{"e":1.2}}}`
	refRounds     = `{"rounds":{"duration":200,"currentRound":0,"endtime":1600000000000}}`
	refYourTurn   = `{"YourTurn":{}}`
)

// red125 is color=red, price=12.5 in the example space.
func red125(t testing.TB, s *parley.OutcomeSpace) parley.Outcome {
	t.Helper()
	o, err := s.Parse(map[string]string{"color": "red", "price": "12.5"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func jsonEqual(t testing.TB, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

// TestReferenceMessages writes the messages of GeniusWeb's reference
// serialisation byte for byte (Finished up to key order, which Jackson
// leaves to its map) in 1.x tags, and the 2.x forms with the class-name
// tags.
func TestReferenceMessages(t *testing.T) {
	s := example(t)
	o := red125(t, s)
	c1, c2 := codec{space: s, tags: Tags1}, codec{space: s, tags: Tags2}

	var b bytes.Buffer
	if err := c1.action(&b, "party1", parley.Offer, o); err != nil || b.String() != refOffer {
		t.Errorf("offer %s (%v)\nwant  %s", b.String(), err, refOffer)
	}
	b.Reset()
	if err := c1.action(&b, "party2", parley.Accept, o); err != nil || b.String() != refAccept {
		t.Errorf("accept %s (%v)\nwant   %s", b.String(), err, refAccept)
	}
	b.Reset()
	if err := c1.action(&b, "party1", parley.End, parley.NoOutcome); err != nil || b.String() != refEnd {
		t.Errorf("end %s (%v)\nwant %s", b.String(), err, refEnd)
	}
	if got, err := c1.actionDone("party1", parley.Offer, o); err != nil || string(got) != refActionDone {
		t.Errorf("ActionDone %s (%v)\nwant       %s", got, err, refActionDone)
	}
	if got := c1.finished([]string{"party1", "party2"}, o); !jsonEqual(t, string(got), refFinished) {
		t.Errorf("Finished %s\nwant     %s", got, refFinished)
	}
	if got := c1.finished([]string{"party1", "party2"}, parley.NoOutcome); string(got) != `{"Finished":{"agreements":{}}}` {
		t.Errorf("Finished without agreement: %s", got)
	}
	got, err := c1.settings("party1", "ws://localhost:8080/profilesserver-1.5.8/websocket/get/example/example_profileA",
		progress{Duration: 10000, StartMs: 1600000000000}, json.RawMessage(`{"e":1.2}`))
	if err != nil || string(got) != refSettings {
		t.Errorf("Settings %s (%v)\nwant     %s", got, err, refSettings)
	}
	got, err = c1.settings("party1", "ws://p", progress{Rounds: 200, EndMs: 1600000000000}, nil)
	if err != nil || !strings.Contains(string(got), `"progress":`+refRounds+`,"parameters":{}`) {
		t.Errorf("Settings with rounds %s (%v), want progress %s", got, err, refRounds)
	}
	if string(yourTurn) != refYourTurn {
		t.Errorf("YourTurn %s", yourTurn)
	}

	// 2.x: the same with class-name tags.
	v2 := strings.NewReplacer(`"offer"`, `"Offer"`, `"accept"`, `"Accept"`, `"endnegotiation"`, `"EndNegotiation"`, `"time"`, `"ProgressTime"`, `"rounds"`, `"ProgressRounds"`)
	if got, _ := c2.actionDone("party1", parley.Offer, o); string(got) != v2.Replace(refActionDone) {
		t.Errorf("2.x ActionDone %s", got)
	}
	b.Reset()
	if c2.action(&b, "party1", parley.End, parley.NoOutcome); b.String() != v2.Replace(refEnd) {
		t.Errorf("2.x end %s", b.String())
	}
	// Verbatim 2.x shapes from GeniusWeb's Python port's tests
	// (ActionDoneTest, ProgressTimeTest).
	if got, _ := c2.actionDone("party1", parley.End, parley.NoOutcome); string(got) != `{"ActionDone":{"action":{"EndNegotiation":{"actor":"party1"}}}}` {
		t.Errorf("2.x ActionDone of EndNegotiation %s", got)
	}
	if got, _ := c2.settings("p", "ws://p", progress{Duration: 10, StartMs: 100000}, nil); !strings.Contains(string(got), `"progress":{"ProgressTime":{"duration":10,"start":100000}}`) {
		t.Errorf("2.x ProgressTime in %s", got)
	}
	got, _ = c2.settings("party1", "ws://localhost:8080/profilesserver-1.5.8/websocket/get/example/example_profileA",
		progress{Duration: 10000, StartMs: 1600000000000}, json.RawMessage(`{"e":1.2}`))
	if string(got) != v2.Replace(refSettings) {
		t.Errorf("2.x Settings %s", got)
	}
}

// TestDecodeAction reads the reference actions in both generations and
// refuses what a SAOP party must not send, with the right sentinel and a
// message naming the fault.
func TestDecodeAction(t *testing.T) {
	s := example(t)
	o := red125(t, s)
	c := codec{space: s}
	v2 := strings.NewReplacer(`"offer"`, `"Offer"`, `"accept"`, `"Accept"`, `"endnegotiation"`, `"EndNegotiation"`)
	for _, tc := range []struct {
		in   string
		want action
	}{
		{refOffer, action{parley.Offer, "party1", o}},
		{refAccept, action{parley.Accept, "party2", o}},
		{refEnd, action{parley.End, "party1", parley.NoOutcome}},
		{v2.Replace(refOffer), action{parley.Offer, "party1", o}},
		{v2.Replace(refAccept), action{parley.Accept, "party2", o}},
		{v2.Replace(refEnd), action{parley.End, "party1", parley.NoOutcome}},
		{` {"Offer":{"bid":{"issuevalues":{"price":2E+1,"color":"blue"}},"actor":"p"}} `, action{parley.Offer, "p", parley.Outcome(s.Size() - 1)}},
		{`{"endnegotiation":{"actor":"party1","bid":null}}`, action{parley.End, "party1", parley.NoOutcome}},
	} {
		got, err := c.decodeAction([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want error
		text string
	}{
		{``, ErrMalformed, "EOF"},
		{`{"offer":`, ErrMalformed, "EOF"},
		{`[]`, ErrMalformed, "cannot unmarshal"},
		{`null`, ErrMalformed, "0 keys"},
		{`{"offer":{},"accept":{}}`, ErrMalformed, "2 keys"},
		{`{"Vote":{"actor":"p"}}`, ErrMalformed, `"Vote" is no SAOP action`},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":12.5}}}} x`, ErrMalformed, "data after"},
		{`{"offer":{"bid":{"issuevalues":{"color":"red","price":12.5}}}}`, ErrMalformed, "no actor"},
		{`{"offer":{"actor":"p"}}`, ErrMalformed, "no bid"},
		{`{"endnegotiation":{"actor":"p","bid":{"issuevalues":{}}}}`, ErrMalformed, "carries a bid"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":12.5}},"extra":1}}`, ErrMalformed, `unknown field "extra"`},
		{`{"offer":{"actor":7,"bid":{}}}`, ErrMalformed, "cannot unmarshal"},
		{`{"offer":{"actor":"p","bid":{}}}`, ErrMalformed, "no issuevalues"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":12.5,"size":"L"}}}}`, ErrBid, `unknown issue "size"`},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"green","price":12.5}}}}`, ErrBid, `unknown value "green"`},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":12.25}}}}`, ErrBid, "not on the 21-point grid"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":25}}}}`, ErrBid, "outside [10, 20]"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":"12.5"}}}}`, ErrBid, "takes numbers"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":1,"price":12.5}}}}`, ErrBid, "takes text values"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":true,"price":12.5}}}}`, ErrMalformed, "neither text nor a number"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":1e999}}}}`, ErrBid, "number 1e999"},
		{`{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red"}}}}`, ErrBid, `issue "price" missing`},
	} {
		_, err := c.decodeAction([]byte(tc.in))
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v with %q", tc.in, err, tc.want, tc.text)
		}
	}
}

// TestProfileTags: in 1.x tags the profile's value-set utilities are
// discreteutils and numberutils, as GeniusWeb 1.5.8 writes them, and the
// profile still reads back to the same utilities.
func TestProfileTags(t *testing.T) {
	s := example(t)
	u, err := ufun.NewLinearAdditive(s, []float64{0.4, 0.6}, [][]float64{{1, 0.3}, linear(21, 1, 0)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := geniusweb.WriteProfile(&buf, "example", &parley.Profile{Name: "exampleA", Space: s, Utility: u}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tags      Tags
		want, not []string
	}{
		{Tags1, []string{`"discreteutils":{"valueUtilities":{"blue":0.3,"red":1}}`, `"numberutils":{"highUtility":0,"highValue":20,"lowUtility":1,"lowValue":10}`}, []string{"ValueSetUtilities"}},
		{Tags2, []string{`"DiscreteValueSetUtilities":{"valueUtilities":{"red":1,"blue":0.3}}`, `"NumberValueSetUtilities":{"lowValue":10,"lowUtility":1,"highValue":20,"highUtility":0}`}, []string{"discreteutils", "numberutils", "\n"}},
	} {
		got, err := profileTags(buf.Bytes(), tc.tags)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !bytes.Contains(got, []byte(w)) {
				t.Errorf("%v profile lacks %s:\n%s", tc.tags, w, got)
			}
		}
		for _, w := range tc.not {
			if bytes.Contains(got, []byte(w)) {
				t.Errorf("%v profile holds %q:\n%s", tc.tags, w, got)
			}
		}
		p, err := geniusweb.ParseProfile("p.json", got)
		if err != nil {
			t.Fatal(err)
		}
		for o := parley.Outcome(0); int(o) < s.Size(); o++ {
			if d := p.Utility.Utility(o) - u.Utility(o); d > 1e-8 || d < -1e-8 {
				t.Fatalf("%v: outcome %s: utility %v, want %v", tc.tags, s.Format(o), p.Utility.Utility(o), u.Utility(o))
			}
		}
	}
}

func linear(n int, from, to float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + (to-from)*float64(i)/float64(n-1)
	}
	return out
}

// TestPartyIDs: names become GeniusWeb PartyIds when all are valid and
// distinct; otherwise every party is partyN.
func TestPartyIDs(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"buyer", "seller"}, []string{"buyer", "seller"}},
		{[]string{"Agent_K", "b2"}, []string{"Agent_K", "b2"}},
		{[]string{"buyer", "the seller"}, []string{"party1", "party2"}},
		{[]string{"a", "a"}, []string{"party1", "party2"}},
		{[]string{"2x", "y"}, []string{"party1", "party2"}},
	} {
		if got := partyIDs(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("partyIDs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzDecodeAction: no input panics or hangs the decoder, and every action
// it accepts writes back to a message it reads as the same action.
func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{refOffer, refAccept, refEnd, refActionDone, refFinished, refSettings, refYourTurn,
		`{"Offer":{"actor":"p","bid":{"issuevalues":{"color":"blue","price":20}}}}`, `{"offer":{"actor":"p","bid":{"issuevalues":{"color":"red","price":1e999}}}}`} {
		f.Add([]byte(s))
	}
	s := example(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, tags := range []Tags{Tags1, Tags2} {
			c := codec{space: s, tags: tags}
			a, err := c.decodeAction(data)
			if err != nil {
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBid) {
					t.Fatalf("%q: error %v wraps no sentinel", data, err)
				}
				continue
			}
			var b bytes.Buffer
			if err := c.action(&b, a.Actor, a.Kind, a.Outcome); err != nil {
				t.Fatalf("%q: decoded %+v does not write: %v", data, a, err)
			}
			back, err := c.decodeAction(b.Bytes())
			if err != nil || back != a {
				t.Fatalf("%q: %+v wrote %s, read back %+v, %v", data, a, b.String(), back, err)
			}
		}
	})
}
