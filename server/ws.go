package server

import (
	"bytes"
	"context"
	"net/http"

	"github.com/coder/websocket"
)

// StreamError is the message a stream sends when it refuses a seat's
// action (it is not an event of the log: it has no seq).
type StreamError struct {
	Type  string `json:"type"` // "error"
	Step  int    `json:"step"`
	Error string `json:"error"`
}

// stream serves GET /negotiations/{id}/stream: a WebSocket that sends the
// events the token's lens shows after seq "after" (query parameter), one
// JSON text message each, in order, then closes normally once the log is
// complete. A seat's stream also takes its actions: each message it sends
// is an ActionRequest; a refused one is answered with a StreamError.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	n, l, after, err := s.admitAfter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	uw := &upgradeWriter{ResponseWriter: w}
	c, err := websocket.Accept(uw, r, &websocket.AcceptOptions{OriginPatterns: s.cfg.OriginPatterns})
	if err != nil {
		// Not a WebSocket handshake (426), another origin (403), ...:
		// answered as JSON, as every error of the API.
		if jerr := uw.jsonError(); jerr != nil {
			s.writeError(w, r, jerr)
		}
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(MaxActionBody)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	seat := n.seatOf(l)
	if seat != nil {
		seat.connect()
		s.metrics.connected.Inc()
		defer func() {
			s.metrics.connected.Dec()
			seat.disconnect()
		}()
		go s.readActions(ctx, cancel, c, n, l, tokenOf(r))
	} else {
		ctx = c.CloseRead(ctx)
	}
	for {
		evs, recs, wake, complete := n.since(l, after)
		for i, rec := range recs {
			if err := c.Write(ctx, websocket.MessageText, rec); err != nil {
				return
			}
			after = evs[i].Seq
		}
		if complete {
			c.Close(websocket.StatusNormalClosure, "the negotiation has ended")
			return
		}
		select {
		case <-wake:
		case <-ctx.Done():
			if s.ctx.Err() != nil {
				c.Close(websocket.StatusGoingAway, "the server is shutting down")
			}
			return
		}
	}
}

// readActions reads a seat's actions from its stream until it closes.
func (s *Server) readActions(ctx context.Context, cancel context.CancelFunc, c *websocket.Conn, n *negotiation, l Lens, tok string) {
	defer cancel()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		var req ActionRequest
		text := ""
		if !s.limits.allowKey(tokenKey(tok)) {
			text = errRateLimited.Error()
		} else if err := decodeJSON(bytes.NewReader(msg), &req); err != nil {
			text = err.Error()
		} else if err := s.take(n, l, &req); err != nil {
			text = err.Error() // an apiError: its message is meant to be shown
		}
		if text != "" {
			b, _ := compactJSON(StreamError{Type: "error", Step: req.Step, Error: text})
			if c.Write(ctx, websocket.MessageText, b) != nil {
				return
			}
		}
	}
}
