package tournament

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"sync"
)

// MemStore is a Store in memory, for tournaments and experiments run
// without a database: nothing survives the process. Its zero value is
// ready to use; it is safe for concurrent use.
type MemStore struct {
	mu   sync.Mutex
	meta *Meta
	recs map[int64]Record
}

// Open records m, or checks that the store holds m's results.
func (m *MemStore) Open(_ context.Context, meta Meta) (func(int64) bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.meta != nil && !reflect.DeepEqual(*m.meta, meta) {
		return nil, fmt.Errorf("tournament: the memory store holds another tournament")
	}
	m.meta = &meta
	if m.recs == nil {
		m.recs = map[int64]Record{}
	}
	done := make(map[int64]bool, len(m.recs))
	for id := range m.recs {
		done[id] = true
	}
	return func(id int64) bool { return done[id] }, nil
}

// Write stores the records whose jobs it does not hold yet and moves them
// to the front of rs.
func (m *MemStore) Write(_ context.Context, rs []Record) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.recs == nil {
		m.recs = map[int64]Record{}
	}
	n := 0
	for i, r := range rs {
		if _, ok := m.recs[r.JobID]; !ok {
			m.recs[r.JobID] = r
			rs[n], rs[i] = rs[i], rs[n]
			n++
		}
	}
	return n, nil
}

// Close does nothing: the records stay readable.
func (m *MemStore) Close() error { return nil }

// Records returns the stored records in job order.
func (m *MemStore) Records(context.Context) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		m.mu.Lock()
		ids := slices.Sorted(maps.Keys(m.recs))
		rs := make([]Record, len(ids))
		for i, id := range ids {
			rs[i] = m.recs[id]
		}
		m.mu.Unlock()
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Meta returns the tournament the store holds; ok is false before Open.
func (m *MemStore) Meta(context.Context) (meta Meta, ok bool, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.meta == nil {
		return Meta{}, false, nil
	}
	return *m.meta, true, nil
}
