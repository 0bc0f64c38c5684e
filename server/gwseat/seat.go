package gwseat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario/geniusweb"
)

// Options configure a Seat. The zero value is valid.
type Options struct {
	// Tags is the generation of GeniusWeb type tags the Seat writes
	// (default Tags2). It reads both.
	Tags Tags
	// Parameters are the party's Settings.parameters (GeniusWeb's free
	// JSON map: hyper-parameters, "persistentstate", ...); nil sends {}.
	Parameters map[string]any
	// TimeLimit is the wall time the party is told it has, and holds it
	// to: an action after it has passed is late (ErrLate), whatever the
	// turn deadline. With a round deadline it sets ProgressRounds.endtime
	// (default one hour from the start); without one (Session.Deadline 0)
	// it is ProgressTime's duration and is required.
	TimeLimit time.Duration
	// Profiles serves the party its profile. Nil: the Seat serves it
	// itself, on ProfileAddr, for the length of the negotiation.
	Profiles *ProfileHost
	// ProfileAddr is the address the Seat's own profile server listens on
	// when Profiles is nil (default "127.0.0.1:0", loopback on a free
	// port: reachable only by parties on this machine).
	ProfileAddr string
	// HTTPClient dials the party and fetches a parties-server reference
	// (default http.DefaultClient).
	HTTPClient *http.Client
	// MaxMessage bounds each message from the party, in bytes (default
	// 64 KiB; a bid is far smaller).
	MaxMessage int64
	// Domain names the domain in the profile sent to the party (default
	// "parley"; GeniusWeb keeps letters and digits only).
	Domain string
	// Now is the clock for the progress timestamps (default time.Now).
	Now func() time.Time
}

// Validate names the first bad option.
func (o *Options) Validate() error {
	if o.Tags > Tags1 {
		return fmt.Errorf("gwseat: unknown tags %d (want Tags1 or Tags2)", o.Tags)
	}
	if o.TimeLimit < 0 {
		return fmt.Errorf("gwseat: negative time limit %v", o.TimeLimit)
	}
	if o.MaxMessage < 0 {
		return fmt.Errorf("gwseat: negative message bound %d", o.MaxMessage)
	}
	if _, err := json.Marshal(o.Parameters); err != nil {
		return fmt.Errorf("gwseat: parameters are not JSON: %w", err)
	}
	return nil
}

// Error is a failure of one GeniusWeb party: the party's name at the
// table, its GeniusWeb id and URL, and what went wrong (wrapping one of
// the sentinel errors where one applies).
type Error struct {
	Party string // the party's name at the table
	ID    string // its GeniusWeb PartyId
	URL   string // where it was reached
	Err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("gwseat: party %q (GeniusWeb id %s at %s): %v", e.Party, e.ID, e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Seat is a parley.Negotiator played by a GeniusWeb party at a URL. Each
// Init opens a fresh connection (a parties-server reference starts a fresh
// party instance); Finish, or Close, ends it. The protocol calls Init, Act
// and Finish from one goroutine, as parley.Negotiator requires. A caller
// that wraps a Seat in a Negotiator without Finish, or whose run ends
// without calling Finish (a cancelled context), must call Close, or the
// connection and its reader stay open until the party hangs up.
//
// A Seat relays to its party what the State shows: every offer, and every
// acceptance inferred from the turn order (a turn without an offer that
// did not end the negotiation is an acceptance of the offer on the table).
type Seat struct {
	url    string
	direct bool // url is the party's ws:// or wss:// address
	opts   Options
	params json.RawMessage // Settings.parameters

	// One run.
	name  string
	ids   []string
	me, n int
	codec codec
	conn  *websocket.Conn
	msgs  chan inbound
	stop  context.CancelFunc
	done  chan struct{} // closed when the reader has returned
	drop  func()        // withdraws the profile and stops a local server
	last  int           // the step of the party's last turn, -1 before it
	start parley.Outcome
	end   time.Time // the end of the party's progress
}

var (
	_ parley.Negotiator = (*Seat)(nil)
	_ parley.Finisher   = (*Seat)(nil)
)

// New returns a seat for the GeniusWeb party at rawURL: a ws:// or wss://
// URL of a running party, or the http:// or https:// "run" reference of a
// party on a GeniusWeb parties server (such as
// http://host:8080/partiesserver/run/randomparty-1.5.8), which starts a new
// instance for every negotiation. The server hands New's result to the
// protocol as any other seat; Factory makes seats for runners that take
// their competitors as func() parley.Negotiator.
func New(rawURL string, opts Options) (*Seat, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("gwseat: party URL %q: %w", rawURL, err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return nil, fmt.Errorf("gwseat: party URL %q: want ws://, wss:// (a running party) or http://, https:// (a parties-server run reference)", rawURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("gwseat: party URL %q: no host", rawURL)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = http.DefaultClient
	}
	if opts.MaxMessage == 0 {
		opts.MaxMessage = 64 << 10
	}
	if opts.ProfileAddr == "" {
		opts.ProfileAddr = "127.0.0.1:0"
	}
	if opts.Domain == "" {
		opts.Domain = "parley"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	params := opts.Parameters
	if params == nil {
		params = map[string]any{}
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("gwseat: parameters are not JSON: %w", err)
	}
	opts.Parameters = nil // kept as raw: later changes to the map change nothing
	return &Seat{url: rawURL, direct: u.Scheme == "ws" || u.Scheme == "wss", opts: opts, params: raw, last: -1, start: parley.NoOutcome}, nil
}

// Factory checks rawURL and opts once, as New does, and returns a function
// that makes a fresh Seat for them on every call: the form in which
// tournaments and the server take their competitors. Each seat reaches a
// party of its own when rawURL is a parties-server run reference; seats
// of one ws:// URL all dial the same party address.
func Factory(rawURL string, opts Options) (func() parley.Negotiator, error) {
	s, err := New(rawURL, opts)
	if err != nil {
		return nil, err
	}
	return func() parley.Negotiator {
		c := *s
		return &c
	}, nil
}

// inbound is one message read from the party, or the error that ended
// reading.
type inbound struct {
	data []byte
	err  error
}

// fail wraps err as the party's *Error.
func (s *Seat) fail(err error) error {
	id := ""
	if s.me >= 0 && s.me < len(s.ids) {
		id = s.ids[s.me]
	}
	return &Error{Party: s.name, ID: id, URL: s.url, Err: err}
}

// Init publishes the party's profile, connects to the party and sends it
// its Settings. The profile must have a GeniusWeb form (linear-additive,
// weights summing to 1, no discounting: see scenario/geniusweb.Write).
func (s *Seat) Init(ctx context.Context, sess *parley.Session) error {
	s.Close()
	if sess == nil || sess.Profile == nil || sess.Profile.Space == nil {
		s.name, s.ids, s.me = "", nil, -1
		return s.fail(parley.ErrNoProfile)
	}
	s.n, s.me, s.last, s.start = len(sess.Names), sess.Party, -1, parley.NoOutcome
	if sess.Party < 0 || sess.Party >= len(sess.Names) {
		s.name, s.ids = fmt.Sprintf("party %d", sess.Party), nil
		return s.fail(fmt.Errorf("seat %d of %d parties", sess.Party, len(sess.Names)))
	}
	s.name, s.ids = sess.Names[sess.Party], partyIDs(sess.Names)
	s.codec = codec{space: sess.Profile.Space, tags: s.opts.Tags}
	if err := s.init(ctx, sess); err != nil {
		s.Close()
		return s.fail(err)
	}
	return nil
}

func (s *Seat) init(ctx context.Context, sess *parley.Session) error {
	var prof progress
	now := s.opts.Now()
	limit := s.opts.TimeLimit
	switch {
	case sess.Deadline > 0:
		if limit == 0 {
			limit = time.Hour
		}
		prof = progress{Rounds: sess.Deadline, EndMs: now.Add(limit).UnixMilli()}
	case limit > 0:
		prof = progress{Duration: limit.Milliseconds(), StartMs: now.UnixMilli()}
	default:
		return errors.New("no round deadline and no Options.TimeLimit: the party cannot be told its progress")
	}
	// What the party is told is binding: no action after the end of its
	// progress, even when the protocol sets no turn deadline. (Contexts
	// run on the runtime clock, whatever Options.Now says.)
	s.end = time.Now().Add(limit)
	var buf bytes.Buffer
	if err := geniusweb.WriteProfile(&buf, s.opts.Domain, sess.Profile); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	profile, err := profileTags(buf.Bytes(), s.opts.Tags)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	uri, err := s.publish(profile)
	if err != nil {
		return err
	}
	settings, err := s.codec.settings(s.ids[s.me], uri, prof, s.params)
	if err != nil {
		return err
	}
	target, err := s.resolve(ctx)
	if err != nil {
		return err
	}
	c, _, err := websocket.Dial(ctx, target, &websocket.DialOptions{HTTPClient: s.opts.HTTPClient})
	if err != nil {
		return fmt.Errorf("%w: dialing %s: %v", ErrClosed, target, err)
	}
	c.SetReadLimit(s.opts.MaxMessage)
	rctx, stop := context.WithCancel(context.Background())
	s.conn, s.stop, s.msgs, s.done = c, stop, make(chan inbound, 1), make(chan struct{})
	go s.read(rctx, c, s.msgs, s.done)
	return s.send(ctx, settings)
}

// publish serves the profile and returns its URI.
func (s *Seat) publish(profile []byte) (string, error) {
	host := s.opts.Profiles
	var srv *http.Server
	if host == nil {
		ln, err := net.Listen("tcp", s.opts.ProfileAddr)
		if err != nil {
			return "", fmt.Errorf("profile server: %w", err)
		}
		host, err = NewProfileHost("ws://" + ln.Addr().String() + "/profiles/")
		if err != nil {
			ln.Close()
			return "", err
		}
		srv = &http.Server{Handler: host, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln) // returns when srv is closed
	}
	uri, withdraw, err := host.Publish(profile)
	if err != nil {
		if srv != nil {
			srv.Close()
		}
		return "", err
	}
	s.drop = func() {
		withdraw()
		if srv != nil {
			srv.Close()
		}
	}
	return uri, nil
}

// resolve returns the ws:// address of the party: the URL itself, or what
// a parties server answers to a GET on its run reference.
func (s *Seat) resolve(ctx context.Context) (string, error) {
	if s.direct {
		return s.url, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrClosed, err)
	}
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: starting the party: %v", ErrClosed, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if err != nil {
		return "", fmt.Errorf("%w: starting the party: %v", ErrClosed, err)
	}
	text := strings.TrimSpace(string(body))
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable:
		return "", fmt.Errorf("%w: the parties server has no room for the party now (503: %.200q)", ErrClosed, text)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("%w: starting the party: HTTP %d: %.200q", ErrClosed, resp.StatusCode, text)
	}
	u, err := url.Parse(text)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return "", fmt.Errorf("%w: the parties server answered %.200q, not a ws:// address", ErrMalformed, text)
	}
	return text, nil
}

// read passes the party's messages to msgs until ctx ends or reading
// fails; its last message carries the error. It closes done on return.
func (s *Seat) read(ctx context.Context, c *websocket.Conn, msgs chan<- inbound, done chan<- struct{}) {
	defer close(done)
	for {
		typ, data, err := c.Read(ctx)
		switch {
		case err != nil && errors.Is(err, websocket.ErrMessageTooBig):
			err = fmt.Errorf("%w: more than %d bytes", ErrTooBig, s.opts.MaxMessage)
		case err != nil && websocket.CloseStatus(err) != -1:
			err = fmt.Errorf("%w: the party closed the connection (status %d %q)", ErrClosed, websocket.CloseStatus(err), closeReason(err))
		case err != nil:
			err = fmt.Errorf("%w: %v", ErrClosed, err)
		case typ != websocket.MessageText:
			err = fmt.Errorf("%w: binary message (GeniusWeb sends JSON text)", ErrMalformed)
		}
		select {
		case msgs <- inbound{data: data, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

func closeReason(err error) string {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Reason
	}
	return ""
}

// send writes one message to the party.
func (s *Seat) send(ctx context.Context, msg []byte) error {
	if err := s.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: writing: %v", ErrLate, ctx.Err())
		}
		return fmt.Errorf("%w: writing: %v", ErrClosed, err)
	}
	return nil
}

// Act relays what happened since the party's last turn, sends YourTurn and
// returns the party's action.
func (s *Seat) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	a, err := s.act(ctx, st)
	if err != nil {
		return parley.Action{}, s.fail(err)
	}
	return a, nil
}

func (s *Seat) act(ctx context.Context, st *parley.State) (parley.Action, error) {
	if s.conn == nil {
		return parley.Action{}, errors.New("Act without a successful Init")
	}
	if st.Me != s.me {
		return parley.Action{}, fmt.Errorf("state for party %d, seat of party %d", st.Me, s.me)
	}
	if len(st.Offers) == 0 && st.Standing != parley.NoOutcome && s.start == parley.NoOutcome {
		s.start = st.Standing // an offer on the table from the start
	}
	ctx, cancel := context.WithDeadline(ctx, s.end)
	defer cancel()
	if err := s.relay(ctx, st); err != nil {
		return parley.Action{}, err
	}
	select {
	case in, ok := <-s.msgs:
		return parley.Action{}, s.unexpected(in, ok, "before its turn")
	default:
	}
	if err := s.send(ctx, yourTurn); err != nil {
		return parley.Action{}, err
	}
	var in inbound
	select {
	case m, ok := <-s.msgs:
		if !ok || m.err != nil {
			return parley.Action{}, s.unexpected(m, ok, "")
		}
		in = m
	case <-ctx.Done():
		return parley.Action{}, fmt.Errorf("%w: no action in time (%v)", ErrLate, ctx.Err())
	}
	if ctx.Err() != nil {
		return parley.Action{}, fmt.Errorf("%w: the action arrived after the deadline (%v)", ErrLate, ctx.Err())
	}
	a, err := s.codec.decodeAction(in.data)
	if err != nil {
		return parley.Action{}, err
	}
	if a.Actor != s.ids[s.me] {
		return parley.Action{}, fmt.Errorf("%w: action by actor %q, but the party's id is %q", ErrMalformed, a.Actor, s.ids[s.me])
	}
	if a.Kind == parley.Accept {
		switch {
		case st.Standing == parley.NoOutcome:
			return parley.Action{}, fmt.Errorf("%w: accepted with no offer on the table", ErrOutOfTurn)
		case a.Outcome != st.Standing:
			return parley.Action{}, fmt.Errorf("%w: accepted %s, but the offer on the table is %s", ErrOutOfTurn, s.codec.space.Format(a.Outcome), s.codec.space.Format(st.Standing))
		}
	}
	s.last = st.Step
	// GeniusWeb's SAOP tells every party of every action, the actor's own
	// included.
	msg, err := s.codec.actionDone(a.Actor, a.Kind, a.Outcome)
	if err != nil {
		return parley.Action{}, err
	}
	if err := s.send(ctx, msg); err != nil {
		return parley.Action{}, err
	}
	switch a.Kind {
	case parley.Offer:
		return parley.OfferOf(a.Outcome), nil
	case parley.Accept:
		return parley.AcceptAction(), nil
	}
	return parley.EndAction(), nil
}

// unexpected describes a message (or the end of the connection) that came
// when none was due.
func (s *Seat) unexpected(in inbound, ok bool, when string) error {
	switch {
	case !ok:
		return fmt.Errorf("%w: reading stopped", ErrClosed)
	case in.err != nil:
		return in.err
	}
	return fmt.Errorf("%w: the party sent %.200q %s", ErrOutOfTurn, in.data, when)
}

// relay sends an ActionDone for every turn of another party since this
// party's last turn, as the State shows them.
func (s *Seat) relay(ctx context.Context, st *parley.State) error {
	for step := s.last + 1; step < st.Step; step++ {
		q := step % s.n
		if q == s.me {
			continue
		}
		kind, o := s.turn(st.Offers, step)
		if o == parley.NoOutcome {
			continue // an acceptance of an offer this seat never saw
		}
		msg, err := s.codec.actionDone(s.ids[q], kind, o)
		if err != nil {
			return err
		}
		if err := s.send(ctx, msg); err != nil {
			return err
		}
	}
	return nil
}

// turn returns what happened at step: the offer made then, or else an
// acceptance of the offer on the table before it.
func (s *Seat) turn(offers []parley.OfferRecord, step int) (parley.ActionKind, parley.Outcome) {
	standing := s.start
	for _, r := range offers {
		switch {
		case r.Step == step:
			return parley.Offer, r.Outcome
		case r.Step < step:
			standing = r.Outcome
		default:
			return parley.Accept, standing
		}
	}
	return parley.Accept, standing
}

// Finish relays the closing acceptances (or the walk-out) that the Ending
// shows, sends Finished with the agreement and closes the connection.
// Actions after the party's last turn other than those (an offer by a
// third party just before the deadline) are not known to a seat and are
// not relayed.
func (s *Seat) Finish(ctx context.Context, e parley.Ending) {
	defer s.Close()
	if s.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for step := s.last + 1; step < e.Steps; step++ {
		q := step % s.n
		var msg []byte
		switch {
		case q == s.me:
			continue
		case e.Reason == parley.ReasonAgreement:
			// Every turn after the agreed offer accepted it.
			msg, _ = s.codec.actionDone(s.ids[q], parley.Accept, e.Agreement)
		case e.Reason == parley.ReasonWalkAway && e.Party == q && step == e.Steps-1 && step == s.last+1:
			msg, _ = s.codec.actionDone(s.ids[q], parley.End, parley.NoOutcome)
		}
		if msg == nil {
			continue
		}
		if s.send(ctx, msg) != nil {
			return
		}
	}
	if s.send(ctx, s.codec.finished(s.ids, e.Agreement)) != nil {
		return
	}
	s.conn.Close(websocket.StatusNormalClosure, "negotiation finished")
}

// Close ends the connection to the party and stops serving its profile. It
// is safe to call more than once; Finish calls it.
func (s *Seat) Close() error {
	if s.conn != nil {
		s.conn.CloseNow()
		s.stop()
		<-s.done
		s.conn, s.msgs, s.stop, s.done = nil, nil, nil, nil
	}
	if s.drop != nil {
		s.drop()
		s.drop = nil
	}
	return nil
}

// simpleID is what GeniusWeb accepts as a PartyId.
var simpleID = regexp.MustCompile(`^[a-zA-Z]\w*$`)

// partyIDs returns the parties' GeniusWeb ids: their names when every name
// is a valid, distinct PartyId, otherwise party1, party2, ... in turn
// order.
func partyIDs(names []string) []string {
	ids := make([]string, len(names))
	seen := map[string]bool{}
	ok := true
	for i, n := range names {
		ok = ok && simpleID.MatchString(n) && !seen[n]
		seen[n], ids[i] = true, n
	}
	if !ok {
		for i := range ids {
			ids[i] = fmt.Sprintf("party%d", i+1)
		}
	}
	return ids
}
