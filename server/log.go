package server

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Log persists the event logs of negotiations: one append-only sequence
// of records per negotiation, numbered from 1. The server calls it from
// one goroutine per negotiation, and from several negotiations at once;
// records are the server's JSON encoding of Events, opaque to the Log.
// Package store/sqlite implements it (sqlite.Events); a nil Config.Log
// keeps the logs in memory.
type Log interface {
	// Append stores records as entries first, first+1, ... of the
	// negotiation's log, all or none. first must follow the last stored
	// entry: anything else (a duplicate, a gap) is an error.
	Append(ctx context.Context, negotiation string, first int64, records [][]byte) error
	// Records returns every record of the negotiation, in order.
	Records(ctx context.Context, negotiation string) ([][]byte, error)
	// Negotiations returns the negotiations that have records, in the
	// order of their first record.
	Negotiations(ctx context.Context) ([]string, error)
}

// memLog is a Log in memory.
type memLog struct {
	mu    sync.Mutex
	order []string
	logs  map[string][][]byte
}

func newMemLog() *memLog { return &memLog{logs: map[string][][]byte{}} }

func (m *memLog) Append(_ context.Context, id string, first int64, records [][]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.logs[id]
	if first != int64(len(l))+1 {
		return fmt.Errorf("server: log %s: append at %d after %d entries", id, first, len(l))
	}
	if !ok {
		m.order = append(m.order, id)
	}
	for _, r := range records {
		l = append(l, slices.Clone(r))
	}
	m.logs[id] = l
	return nil
}

func (m *memLog) Records(_ context.Context, id string) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.logs[id]), nil
}

func (m *memLog) Negotiations(context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.order), nil
}
