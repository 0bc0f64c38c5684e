package server

// InMemory reports whether negotiation id is in the server's memory
// (tests of eviction).
func (s *Server) InMemory(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.byID[id]
	return ok
}

// Holds reports whether negotiation id is in memory with its prepared
// scenario (tests of the release).
func (s *Server) Holds(id string) bool {
	s.mu.Lock()
	n, ok := s.byID[id]
	s.mu.Unlock()
	if !ok {
		return false
	}
	n.readyMu.Lock()
	defer n.readyMu.Unlock()
	return n.ready != nil
}

// heavy reports whether the negotiation holds any state release drops.
func (n *negotiation) heavy() bool {
	n.readyMu.Lock()
	defer n.readyMu.Unlock()
	if n.ready != nil || n.scn != nil || n.negs != nil || n.voters != nil || n.med != nil {
		return true
	}
	for _, r := range append(n.remotes, n.mediator) {
		if r != nil && (r.fallback != nil || r.voter != nil || r.session != nil || r.replaced != nil || r.replacedVoter != nil) {
			return true
		}
	}
	return false
}

// size returns the number of keys whose budgets the limiter keeps.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
