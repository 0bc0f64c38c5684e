package gwseat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// MaxProfile is the largest profile a ProfileHost serves, in bytes:
// GeniusWeb's profile connectors refuse text messages above 200,000 bytes.
const MaxProfile = 200_000

// ProfileHost serves profiles to GeniusWeb parties the way GeniusWeb's
// profiles server does: a party opens a WebSocket to a profile's URI and
// receives the profile as one text message; the connection then stays open
// (GeniusWeb would push changes on it) until the party closes it or the
// profile is withdrawn. Each published profile gets an unguessable URI, so
// that one party cannot fetch another's profile. A ProfileHost is an
// http.Handler: mount it where its base URL points. It is safe for
// concurrent use.
type ProfileHost struct {
	base     *url.URL
	mu       sync.Mutex
	profiles map[string]*published
}

type published struct {
	data   []byte
	ctx    context.Context // done when withdrawn
	cancel context.CancelFunc
}

// NewProfileHost returns a host whose profiles are reached under base, a
// ws:// or wss:// URL such as "ws://203.0.113.5:8080/gw/profiles/": the
// address parties will dial, so it must be reachable from them.
func NewProfileHost(base string) (*ProfileHost, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("gwseat: profile host base %q: %w", base, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" || u.Host == "" {
		return nil, fmt.Errorf("gwseat: profile host base %q: want a ws:// or wss:// URL with a host (GeniusWeb parties fetch profiles over WebSockets)", base)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("gwseat: profile host base %q: no query or fragment allowed", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return &ProfileHost{base: u, profiles: map[string]*published{}}, nil
}

// Publish makes profile (GeniusWeb profile JSON) available at the returned
// URI until withdraw is called; withdraw also closes the connections of
// parties still holding the profile. It refuses profiles larger than
// MaxProfile.
func (h *ProfileHost) Publish(profile []byte) (uri string, withdraw func(), err error) {
	if len(profile) > MaxProfile {
		return "", nil, fmt.Errorf("gwseat: profile of %d bytes exceeds the %d bytes GeniusWeb parties accept", len(profile), MaxProfile)
	}
	var key [16]byte
	if _, err := rand.Read(key[:]); err != nil {
		return "", nil, fmt.Errorf("gwseat: profile key: %w", err)
	}
	token := hex.EncodeToString(key[:])
	ctx, cancel := context.WithCancel(context.Background())
	h.mu.Lock()
	h.profiles[token] = &published{data: append([]byte(nil), profile...), ctx: ctx, cancel: cancel}
	h.mu.Unlock()
	u := *h.base
	u.Path += token
	var once sync.Once
	return u.String(), func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.profiles, token)
			h.mu.Unlock()
			cancel()
		})
	}, nil
}

// ServeHTTP answers a WebSocket request for a published profile: the last
// path element is the profile's key. Unknown keys get 404.
func (h *ProfileHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	p := h.profiles[path.Base(r.URL.Path)]
	h.mu.Unlock()
	if p == nil {
		http.Error(w, "no such profile", http.StatusNotFound)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered the request
	}
	defer c.CloseNow()
	wctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	err = c.Write(wctx, websocket.MessageText, p.data)
	cancel()
	if err != nil {
		return
	}
	// Stay open, as GeniusWeb's server does, until the party leaves or
	// the profile is withdrawn.
	select {
	case <-c.CloseRead(context.Background()).Done():
	case <-p.ctx.Done():
		c.Close(websocket.StatusNormalClosure, "negotiation over")
	}
}
