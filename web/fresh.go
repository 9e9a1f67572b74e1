package web

import "net/http"

// fresh wraps a handler that reads the index: before it answers, the index
// is caught up with the catalogue if the catalogue changed (index.Live's
// Sync: a cheap comparison of generations when it did not), so counts,
// facets and totals agree with the catalogue from the first request after
// a change, not from the next Follow tick.
func (s *Server) fresh(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.live.Sync(r.Context()); err != nil {
			if r.Context().Err() != nil {
				return
			}
			s.serverError(w, r, err)
			return
		}
		h(w, r)
	}
}
