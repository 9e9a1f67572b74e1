package web

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// catchUps lets one catch-up of the index run at a time: a caller that
// finds one running waits for it instead of starting its own.
type catchUps struct {
	mu  sync.Mutex
	cur *catchUp
}

// catchUp is one catch-up of the index, running or done.
type catchUp struct {
	done chan struct{}
	n    int
	busy bool // another process held the archive's lock: try again later
	err  error
}

// Sync catches the index up with the catalogue if it is behind, under the
// archive's lock; it returns how many interviews it updated. Concurrent
// calls share one catch-up, and each returns only once the index holds
// the catalogue as it was when the call began (or on error). A writer
// holding the lock for long is not waited for: the index stays behind and
// the next call tries again.
func (s *Server) Sync(ctx context.Context) (int, error) {
	updated := 0
	// Three rounds: a catch-up already running may have read the
	// catalogue just before the change this call saw.
	for range 3 {
		stale, err := s.ix.Stale(ctx, s.a)
		if err != nil || !stale {
			return updated, err
		}
		s.catchUps.mu.Lock()
		c := s.catchUps.cur
		lead := c == nil
		if lead {
			c = &catchUp{done: make(chan struct{})}
			s.catchUps.cur = c
		}
		s.catchUps.mu.Unlock()
		if lead {
			// Not the request's context: the callers waiting for
			// this catch-up need it to finish if the first one goes.
			c.n, c.busy, c.err = s.catchUpOnce(context.WithoutCancel(ctx))
			s.catchUps.mu.Lock()
			s.catchUps.cur = nil
			s.catchUps.mu.Unlock()
			close(c.done)
			updated += c.n
		} else {
			select {
			case <-c.done:
			case <-ctx.Done():
				return updated, ctx.Err()
			}
		}
		if c.err != nil || c.busy {
			return updated, c.err
		}
	}
	return updated, nil
}

// catchUpOnce syncs the index under the archive's lock.
func (s *Server) catchUpOnce(ctx context.Context) (n int, busy bool, err error) {
	lock, err := s.a.Lock("index (serve)", 2*time.Second)
	if errors.Is(err, archive.ErrBusy) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer lock.Unlock()
	n, err = s.ix.Sync(ctx, s.a)
	return n, false, err
}

// fresh wraps a handler that reads the index: before it answers, the index
// is caught up with the catalogue if the catalogue changed (a cheap
// comparison of generations when it did not), so counts, facets and
// totals agree with the catalogue from the first request after a change,
// not from Follow's next tick.
func (s *Server) fresh(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.Sync(r.Context()); err != nil {
			if r.Context().Err() != nil {
				return
			}
			s.serverError(w, r, err)
			return
		}
		h(w, r)
	}
}
