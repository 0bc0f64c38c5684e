package gwseat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
)

// Tags says which generation of GeniusWeb type tags a Seat writes. The
// zero value is Tags2.
type Tags uint8

const (
	// Tags2 writes GeniusWeb 2.x tags: Offer, Accept, EndNegotiation,
	// ProgressRounds, ProgressTime, DiscreteValueSetUtilities,
	// NumberValueSetUtilities.
	Tags2 Tags = iota
	// Tags1 writes GeniusWeb 1.x tags: offer, accept, endnegotiation,
	// rounds, time, discreteutils, numberutils.
	Tags1
)

// String returns "2.x" or "1.x".
func (t Tags) String() string {
	switch t {
	case Tags2:
		return "2.x"
	case Tags1:
		return "1.x"
	}
	return fmt.Sprintf("Tags(%d)", uint8(t))
}

// The tags of each generation, indexed by Tags.
var (
	offerTag  = [2]string{"Offer", "offer"}
	acceptTag = [2]string{"Accept", "accept"}
	endTag    = [2]string{"EndNegotiation", "endnegotiation"}
	roundsTag = [2]string{"ProgressRounds", "rounds"}
	timeTag   = [2]string{"ProgressTime", "time"}
)

// Sentinel errors: every error a Seat returns wraps one of them.
var (
	// ErrMalformed: a message is not the JSON the protocol expects.
	ErrMalformed = errors.New("malformed message")
	// ErrBid: a bid names an issue or value outside the outcome space, or
	// leaves an issue out.
	ErrBid = errors.New("bid outside the outcome space")
	// ErrOutOfTurn: the party sent an action when it was not its turn, or
	// an action that the state of the negotiation does not allow.
	ErrOutOfTurn = errors.New("action out of turn")
	// ErrLate: the party did not act before the turn deadline.
	ErrLate = errors.New("missed the turn deadline")
	// ErrClosed: the connection to the party failed or was closed.
	ErrClosed = errors.New("connection closed")
	// ErrTooBig: a message from the party exceeded Options.MaxMessage.
	ErrTooBig = errors.New("message too big")
)

// action is a decoded GeniusWeb action.
type action struct {
	Kind    parley.ActionKind
	Actor   string
	Outcome parley.Outcome // the offered or accepted bid, NoOutcome for End
}

// codec writes and reads GeniusWeb messages over one outcome space.
type codec struct {
	space *parley.OutcomeSpace
	tags  Tags
}

// bid writes outcome o as {"issuevalues":{...}}, issues in space order:
// discrete values as JSON strings, integer and real values as JSON numbers.
func (c *codec) bid(b *bytes.Buffer, o parley.Outcome) {
	b.WriteString(`{"issuevalues":{`)
	for i := range c.space.Issues {
		is := &c.space.Issues[i]
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, is.Name)
		b.WriteByte(':')
		k := c.space.ValueIndex(o, i)
		if is.Kind == parley.Discrete {
			writeString(b, is.Values[k])
			continue
		}
		b.WriteString(number(is.Number(k)))
	}
	b.WriteString("}}")
}

// number writes x as GeniusWeb's decimals would: grid points such as
// 0.1+0.2 are written 0.3 (12 significant digits), integers without a
// fraction.
func number(x float64) string {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil || math.IsInf(r, 0) {
		r = x
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func writeString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s) // a string always marshals
	b.Write(j)
}

// action writes a's GeniusWeb action by actor. o is the offered or
// accepted outcome (ignored for End).
func (c *codec) action(b *bytes.Buffer, actor string, kind parley.ActionKind, o parley.Outcome) error {
	var tag string
	switch kind {
	case parley.Offer:
		tag = offerTag[c.tags]
	case parley.Accept:
		tag = acceptTag[c.tags]
	case parley.End:
		tag = endTag[c.tags]
	default:
		return fmt.Errorf("no GeniusWeb action for %v", kind)
	}
	if kind != parley.End && !c.space.Valid(o) {
		return fmt.Errorf("%v of %w", kind, c.space.Check(o))
	}
	b.WriteString(`{"`)
	b.WriteString(tag)
	b.WriteString(`":{"actor":`)
	writeString(b, actor)
	if kind != parley.End {
		b.WriteString(`,"bid":`)
		c.bid(b, o)
	}
	b.WriteString("}}")
	return nil
}

// actionDone writes {"ActionDone":{"action":...}}.
func (c *codec) actionDone(actor string, kind parley.ActionKind, o parley.Outcome) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"ActionDone":{"action":`)
	if err := c.action(&b, actor, kind, o); err != nil {
		return nil, err
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// yourTurn is the YourTurn inform, the same in 1.x and 2.x.
var yourTurn = []byte(`{"YourTurn":{}}`)

// finished writes {"Finished":{"agreements":{id: bid, ...}}}: every party
// gets the agreed bid, or the map is empty without agreement.
func (c *codec) finished(ids []string, agreement parley.Outcome) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Finished":{"agreements":{`)
	if c.space.Valid(agreement) {
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(&b, id)
			b.WriteByte(':')
			c.bid(&b, agreement)
		}
	}
	b.WriteString("}}}")
	return b.Bytes()
}

// progress is what Settings tells the party of the deadline: rounds
// (Rounds > 0) or wall time.
type progress struct {
	Rounds   int   // ProgressRounds duration
	EndMs    int64 // ProgressRounds endtime, epoch milliseconds
	Duration int64 // ProgressTime duration, milliseconds
	StartMs  int64 // ProgressTime start, epoch milliseconds
}

// settings writes the Settings inform.
func (c *codec) settings(id, profile string, p progress, params json.RawMessage) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"Settings":{"id":`)
	writeString(&b, id)
	b.WriteString(`,"profile":`)
	writeString(&b, profile)
	b.WriteString(`,"protocol":"SAOP","progress":{"`)
	if p.Rounds > 0 {
		fmt.Fprintf(&b, `%s":{"duration":%d,"currentRound":0,"endtime":%d}}`, roundsTag[c.tags], p.Rounds, p.EndMs)
	} else {
		fmt.Fprintf(&b, `%s":{"duration":%d,"start":%d}}`, timeTag[c.tags], p.Duration, p.StartMs)
	}
	b.WriteString(`,"parameters":`)
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	if !json.Valid(params) {
		return nil, errors.New("parameters are not JSON")
	}
	b.Write(params)
	b.WriteString("}}")
	return b.Bytes(), nil
}

// unwrap reads a GeniusWeb wrapper object {"Tag":{...}}: exactly one key,
// nothing after the object.
func unwrap(data []byte) (string, json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", nil, fmt.Errorf("%w: data after the message", ErrMalformed)
	}
	if len(m) != 1 {
		return "", nil, fmt.Errorf("%w: want one type tag, as {\"Offer\":{...}}, got an object of %d keys", ErrMalformed, len(m))
	}
	var tag string
	var body json.RawMessage
	for k, v := range m {
		tag, body = k, v
	}
	return tag, body, nil
}

// strict decodes data into v, refusing unknown fields and trailing data.
func strict(data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrMalformed, what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: %s: data after the value", ErrMalformed, what)
	}
	return nil
}

// decodeAction reads one action message from the party, with either
// generation's tags.
func (c *codec) decodeAction(data []byte) (action, error) {
	tag, body, err := unwrap(data)
	if err != nil {
		return action{}, err
	}
	var kind parley.ActionKind
	switch tag {
	case offerTag[0], offerTag[1]:
		kind = parley.Offer
	case acceptTag[0], acceptTag[1]:
		kind = parley.Accept
	case endTag[0], endTag[1]:
		kind = parley.End
	default:
		return action{}, fmt.Errorf("%w: %q is no SAOP action (want Offer, Accept or EndNegotiation, or their 1.x tags)", ErrMalformed, tag)
	}
	var a struct {
		Actor *string         `json:"actor"`
		Bid   json.RawMessage `json:"bid"`
	}
	if err := strict(body, &a, tag); err != nil {
		return action{}, err
	}
	if a.Actor == nil {
		return action{}, fmt.Errorf("%w: %s: no actor", ErrMalformed, tag)
	}
	out := action{Kind: kind, Actor: *a.Actor, Outcome: parley.NoOutcome}
	hasBid := len(a.Bid) > 0 && !bytes.Equal(bytes.TrimSpace(a.Bid), []byte("null"))
	switch {
	case kind == parley.End && hasBid:
		return action{}, fmt.Errorf("%w: %s: carries a bid", ErrMalformed, tag)
	case kind != parley.End && !hasBid:
		return action{}, fmt.Errorf("%w: %s: no bid", ErrMalformed, tag)
	case kind != parley.End:
		o, err := c.parseBid(a.Bid)
		if err != nil {
			return action{}, fmt.Errorf("%s: %w", tag, err)
		}
		out.Outcome = o
	}
	return out, nil
}

// parseBid reads {"issuevalues":{...}} as an outcome: every issue of the
// space, and nothing else.
func (c *codec) parseBid(data []byte) (parley.Outcome, error) {
	var b struct {
		IssueValues map[string]json.RawMessage `json:"issuevalues"`
	}
	if err := strict(data, &b, "bid"); err != nil {
		return parley.NoOutcome, err
	}
	if b.IssueValues == nil {
		return parley.NoOutcome, fmt.Errorf("%w: bid: no issuevalues", ErrMalformed)
	}
	vals := make([]int, len(c.space.Issues))
	for i := range vals {
		vals[i] = -1
	}
	for name, raw := range b.IssueValues {
		i := c.space.Issue(name)
		if i < 0 {
			return parley.NoOutcome, fmt.Errorf("%w: unknown issue %q", ErrBid, name)
		}
		k, err := c.value(&c.space.Issues[i], raw)
		if err != nil {
			return parley.NoOutcome, err
		}
		vals[i] = k
	}
	for i, k := range vals {
		if k < 0 {
			return parley.NoOutcome, fmt.Errorf("%w: issue %q missing (SAOP offers need complete bids)", ErrBid, c.space.Issues[i].Name)
		}
	}
	return c.space.Encode(vals)
}

// value reads one bid value: a JSON string is a discrete value, a JSON
// number a number value, as in GeniusWeb.
func (c *codec) value(is *parley.Issue, raw json.RawMessage) (int, error) {
	var v any
	if err := strict(raw, &v, fmt.Sprintf("issue %q", is.Name)); err != nil {
		return 0, err
	}
	switch v := v.(type) {
	case string:
		if is.Kind != parley.Discrete {
			return 0, fmt.Errorf("%w: issue %q takes numbers, got the text %q", ErrBid, is.Name, v)
		}
		k, err := is.Index(v)
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrBid, err)
		}
		return k, nil
	case json.Number:
		if is.Kind == parley.Discrete {
			return 0, fmt.Errorf("%w: issue %q takes text values, got the number %s", ErrBid, is.Name, v)
		}
		x, err := strconv.ParseFloat(v.String(), 64)
		if err != nil {
			return 0, fmt.Errorf("%w: issue %q: number %s: %v", ErrBid, is.Name, v, err)
		}
		k, err := is.IndexOf(x)
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrBid, err)
		}
		return k, nil
	}
	return 0, fmt.Errorf("%w: issue %q: value %s is neither text nor a number", ErrMalformed, is.Name, strings.TrimSpace(string(raw)))
}

// profileTags rewrites the value-set utility tags of a 2.x profile written
// by scenario/geniusweb into tags' generation. Only the wrapper keys under
// issueUtilities change; issue and value names are left alone, numbers
// keep their text.
func profileTags(profile []byte, tags Tags) ([]byte, error) {
	if tags == Tags2 {
		var b bytes.Buffer
		if err := json.Compact(&b, profile); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	dec := json.NewDecoder(bytes.NewReader(profile))
	dec.UseNumber()
	var root map[string]map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	las, ok := root["LinearAdditiveUtilitySpace"]
	if !ok {
		return nil, errors.New("profile is no LinearAdditiveUtilitySpace")
	}
	utils, _ := las["issueUtilities"].(map[string]any)
	for name, u := range utils {
		m, ok := u.(map[string]any)
		if !ok || len(m) != 1 {
			return nil, fmt.Errorf("issue %q: utilities are not one tagged object", name)
		}
		for tag, body := range m {
			switch tag {
			case "DiscreteValueSetUtilities":
				utils[name] = map[string]any{"discreteutils": body}
			case "NumberValueSetUtilities":
				utils[name] = map[string]any{"numberutils": body}
			default:
				return nil, fmt.Errorf("issue %q: unknown utilities %q", name, tag)
			}
		}
	}
	return json.Marshal(root)
}
