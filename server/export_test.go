package server

// InMemory reports whether negotiation id is in the server's memory
// (tests of eviction).
func (s *Server) InMemory(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.byID[id]
	return ok
}
