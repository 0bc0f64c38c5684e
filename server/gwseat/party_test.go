package gwseat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario/geniusweb"
	"github.com/parley-dev/parley/ufun"
)

// party is a GeniusWeb party for tests, written from the party's side of
// the protocol only (it shares no code with the seat): it accepts the run
// server's WebSocket, reads Settings, fetches its profile from the profile
// URI over a WebSocket as GeniusWeb's profile connectors do, then answers
// YourTurn with a time-dependent move (concede linearly over its own
// rounds, advanced after every YourTurn as GeniusWeb parties do with
// ProgressRounds) and stops at Finished. It speaks one generation of tags
// (gen 1 or 2) and refuses the other, as a real 1.x or 2.x party would.
//
// GET .../run/NAME answers, as plain text, the ws:// address of .../party, as a
// GeniusWeb parties server does for its run references.
type party struct {
	gen    int          // 1 or 2
	fault  string       // the misbehaviour to show, "" for none
	client *http.Client // dials the profile URI
	delay  time.Duration

	mu       sync.Mutex
	informs  []string          // every message received, summarised
	agreed   map[string]string // Finished.agreements, as id -> bid JSON
	settings map[string]any    // the Settings body
	profile  []byte            // the profile as fetched
	err      error             // why the session ended badly, if it did
	done     chan struct{}
}

func newParty(gen int, fault string, client *http.Client) *party {
	return &party{gen: gen, fault: fault, client: client, done: make(chan struct{})}
}

func (p *party) tag(v2, v1 string) string {
	if p.gen == 1 {
		return v1
	}
	return v2
}

func (p *party) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.URL.Path, "/run/") {
		fmt.Fprintf(w, "ws://%s/party\n", r.Host)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		p.end(err)
		return
	}
	defer c.CloseNow()
	p.end(p.play(context.Background(), c))
}

func (p *party) end(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
	close(p.done)
}

func (p *party) note(s string) {
	p.mu.Lock()
	p.informs = append(p.informs, s)
	p.mu.Unlock()
}

// message splits {"Tag":{...}}.
func message(data []byte) (string, map[string]any, error) {
	var m map[string]map[string]any
	if err := json.Unmarshal(data, &m); err != nil || len(m) != 1 {
		return "", nil, fmt.Errorf("party: bad message %s (%v)", data, err)
	}
	for k, v := range m {
		return k, v, nil
	}
	return "", nil, errors.New("party: empty message")
}

// brain is the double's strategy, shared with the in-process mirror: a
// linear conceder over rounds on the profile as GeniusWeb parses it.
type brain struct {
	space *parley.OutcomeSpace
	u     *ufun.Table
	idx   *ufun.Index
	lo    float64
}

func newBrain(profile []byte) (*brain, error) {
	pr, err := geniusweb.ParseProfile("profile.json", profile)
	if err != nil {
		return nil, err
	}
	t, err := ufun.NewTable(pr.Space, pr.Utility)
	if err != nil {
		return nil, err
	}
	idx := t.Index()
	return &brain{space: pr.Space, u: t, idx: idx, lo: max(pr.Reservation, idx.Min())}, nil
}

// move returns whether to accept standing (NoOutcome: nothing to accept)
// in round r of d, and otherwise what to offer.
func (b *brain) move(r, d int, standing parley.Outcome) (bool, parley.Outcome) {
	t := float64(r) / float64(d)
	target := b.lo + (b.idx.Max()-b.lo)*(1-min(t, 1))
	if standing != parley.NoOutcome && parley.AtLeast(b.u.Utility(standing), target) {
		return true, standing
	}
	o, ok := b.idx.AtLeast(target)
	if !ok {
		o = b.idx.Best()
	}
	return false, o
}

// bid writes o as GeniusWeb issuevalues: text for discrete issues,
// numbers otherwise.
func (b *brain) bid(o parley.Outcome) map[string]any {
	vals := map[string]any{}
	for i := range b.space.Issues {
		is := &b.space.Issues[i]
		k := b.space.ValueIndex(o, i)
		if is.Kind == parley.Discrete {
			vals[is.Name] = is.Values[k]
		} else {
			vals[is.Name] = is.Number(k)
		}
	}
	return map[string]any{"issuevalues": vals}
}

// outcome reads a bid written by the run server.
func (b *brain) outcome(bid any) (parley.Outcome, error) {
	m, _ := bid.(map[string]any)
	iv, _ := m["issuevalues"].(map[string]any)
	named := map[string]string{}
	for k, v := range iv {
		switch v := v.(type) {
		case string:
			named[k] = v
		case float64:
			named[k] = strconv.FormatFloat(v, 'g', -1, 64)
		default:
			return parley.NoOutcome, fmt.Errorf("party: value %v of %q", v, k)
		}
	}
	return b.space.Parse(named)
}

func (p *party) play(ctx context.Context, c *websocket.Conn) error {
	_, data, err := c.Read(ctx)
	if err != nil {
		return err
	}
	tag, set, err := message(data)
	if err != nil || tag != "Settings" {
		return fmt.Errorf("party: want Settings first, got %s", data)
	}
	p.note("Settings")
	p.mu.Lock()
	p.settings = set
	p.mu.Unlock()
	id, _ := set["id"].(string)
	if set["protocol"] != "SAOP" {
		return fmt.Errorf("party: protocol %v", set["protocol"])
	}
	prog, _ := set["progress"].(map[string]any)
	rounds, _ := prog[p.tag("ProgressRounds", "rounds")].(map[string]any)
	ptime, _ := prog[p.tag("ProgressTime", "time")].(map[string]any)
	if rounds == nil && ptime == nil {
		return fmt.Errorf("party: progress %v has no %s-generation tag", prog, p.tag("2.x", "1.x"))
	}
	// Fetch the profile, as GeniusWeb's WebsocketProfileConnector does.
	uri, _ := set["profile"].(string)
	pc, _, err := websocket.Dial(ctx, uri, &websocket.DialOptions{HTTPClient: p.client})
	if err != nil {
		return fmt.Errorf("party: profile %s: %w", uri, err)
	}
	pc.SetReadLimit(200_000)
	_, prof, err := pc.Read(ctx)
	pc.Close(websocket.StatusNormalClosure, "")
	if err != nil {
		return fmt.Errorf("party: reading profile: %w", err)
	}
	p.mu.Lock()
	p.profile = prof
	p.mu.Unlock()
	want, other := p.tag("DiscreteValueSetUtilities", "discreteutils"), p.tag("discreteutils", "DiscreteValueSetUtilities")
	if !bytes.Contains(prof, []byte(`"`+want+`"`)) || bytes.Contains(prof, []byte(`"`+other+`"`)) {
		return fmt.Errorf("party: profile is not in %s-generation tags: %s", p.tag("2.x", "1.x"), prof)
	}
	b, err := newBrain(prof)
	if err != nil {
		return err
	}
	round, standing, proposer := 0, parley.NoOutcome, ""
	send := func(v any) error {
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return c.Write(ctx, websocket.MessageText, j)
	}
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			return err
		}
		tag, body, err := message(data)
		if err != nil {
			return err
		}
		switch tag {
		case "ActionDone":
			act, _ := body["action"].(map[string]any)
			atag, a, err := message(mustJSON(act))
			if err != nil {
				return err
			}
			actor, _ := a["actor"].(string)
			p.note("ActionDone " + atag + " " + actor)
			switch atag {
			case p.tag("Offer", "offer"):
				o, err := b.outcome(a["bid"])
				if err != nil {
					return err
				}
				standing, proposer = o, actor
			case p.tag("Accept", "accept"), p.tag("EndNegotiation", "endnegotiation"):
			default:
				return fmt.Errorf("party: unknown action %q", atag)
			}
		case "YourTurn":
			p.note("YourTurn")
			d := 1
			if rounds != nil {
				d = int(rounds["duration"].(float64))
			}
			st := standing
			if proposer == id {
				st = parley.NoOutcome
			}
			accept, o := b.move(round, d, st)
			round++
			if p.fault == "silent" {
				continue // never answers
			}
			if msg := p.misbehave(id, b, o, standing); msg != nil {
				if p.fault == "close" {
					return c.Close(websocket.StatusInternalError, "party gave up")
				}
				if p.delay > 0 {
					time.Sleep(p.delay)
				}
				if p.fault == "binary" {
					if err := c.Write(ctx, websocket.MessageBinary, msg); err != nil {
						return err
					}
					continue
				}
				if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
					return err
				}
				if p.fault == "twice" {
					if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
						return err
					}
				}
				continue
			}
			kind := p.tag("Offer", "offer")
			if accept {
				kind = p.tag("Accept", "accept")
			}
			if err := send(map[string]any{kind: map[string]any{"actor": id, "bid": b.bid(o)}}); err != nil {
				return err
			}
		case "Finished":
			p.note("Finished")
			ag, _ := body["agreements"].(map[string]any)
			p.mu.Lock()
			p.agreed = map[string]string{}
			for k, v := range ag {
				p.agreed[k] = string(mustJSON(v))
			}
			p.mu.Unlock()
			// Wait for the run server to close, as a party does.
			_, _, err := c.Read(ctx)
			if websocket.CloseStatus(err) == websocket.StatusNormalClosure {
				return nil
			}
			return err
		default:
			return fmt.Errorf("party: unknown inform %q", tag)
		}
	}
}

// misbehave returns the faulty message for p.fault (nil: play normally).
func (p *party) misbehave(id string, b *brain, o, standing parley.Outcome) []byte {
	offer := p.tag("Offer", "offer")
	bid := b.bid(o)
	switch p.fault {
	case "":
		return nil
	case "end":
		return mustJSON(map[string]any{p.tag("EndNegotiation", "endnegotiation"): map[string]any{"actor": id}})
	case "unknown-issue":
		bid["issuevalues"].(map[string]any)["colour"] = "red"
	case "unknown-value":
		bid["issuevalues"].(map[string]any)["color"] = "purple"
	case "partial":
		delete(bid["issuevalues"].(map[string]any), "price")
	case "malformed":
		return []byte(`{"` + offer + `":{"actor":"` + id + `","bid":`)
	case "wrong-actor":
		return mustJSON(map[string]any{offer: map[string]any{"actor": "mallory", "bid": bid}})
	case "accept-other":
		other := parley.Outcome((int(standing) + 1) % b.space.Size())
		return mustJSON(map[string]any{p.tag("Accept", "accept"): map[string]any{"actor": id, "bid": b.bid(other)}})
	case "huge":
		return mustJSON(map[string]any{offer: map[string]any{"actor": id, "bid": bid, "pad": strings.Repeat("x", 100_000)}})
	}
	return mustJSON(map[string]any{offer: map[string]any{"actor": id, "bid": bid}})
}

func mustJSON(v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // test values only
	}
	return j
}

// summary returns the informs received, the Finished agreements and the
// end error, once the session is over.
func (p *party) summary() ([]string, map[string]string, error) {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.informs...), p.agreed, p.err
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// parties is a GeniusWeb parties server for tests: every connection gets a
// fresh party, as every GET on a run reference starts a new instance.
type parties struct {
	gen    int
	client *http.Client

	mu       sync.Mutex
	sessions []*party
}

func (ps *parties) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := newParty(ps.gen, "", ps.client)
	if !strings.Contains(r.URL.Path, "/run/") {
		ps.mu.Lock()
		ps.sessions = append(ps.sessions, p)
		ps.mu.Unlock()
	}
	p.ServeHTTP(w, r)
}

// outcomes waits for every session to end, fails t for a session that
// got Finished and still failed, and counts the sessions that got Finished
// and those that did not.
func (ps *parties) outcomes(t *testing.T) (finished, unfinished int) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.sessions {
		informs, _, err := p.summary()
		if len(informs) == 0 || informs[len(informs)-1] != "Finished" {
			unfinished++
			continue
		}
		finished++
		if err != nil {
			t.Errorf("a party's session failed: %v", err)
		}
	}
	return finished, unfinished
}
