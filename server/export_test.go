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
