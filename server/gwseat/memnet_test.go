package gwseat_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
)

// memnet is an in-memory network of named listeners over net.Pipe, so
// that WebSocket tests run inside a testing/synctest bubble (a goroutine
// blocked on a pipe is durably blocked; one blocked on a socket is not).
type memnet struct {
	mu sync.Mutex
	ls map[string]*memListener
}

func newMemnet() *memnet { return &memnet{ls: map[string]*memListener{}} }

// listen returns a listener for host:port addr.
func (n *memnet) listen(addr string) *memListener {
	l := &memListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
	n.mu.Lock()
	n.ls[addr] = l
	n.mu.Unlock()
	return l
}

func (n *memnet) dial(ctx context.Context, _, addr string) (net.Conn, error) {
	n.mu.Lock()
	l := n.ls[addr]
	n.mu.Unlock()
	if l == nil {
		return nil, fmt.Errorf("memnet: nothing listens on %s", addr)
	}
	a, b := net.Pipe()
	select {
	case l.conns <- b:
		return a, nil
	case <-l.done:
		return nil, fmt.Errorf("memnet: %s: %w", addr, net.ErrClosed)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// client returns an HTTP client that dials over n.
func (n *memnet) client() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: n.dial, DisableKeepAlives: true}}
}

type memListener struct {
	addr  string
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *memListener) Addr() net.Addr { return memAddr(l.addr) }

type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }
