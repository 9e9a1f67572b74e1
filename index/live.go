package index

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// ServeOptions shape Serve.
type ServeOptions struct {
	OpenOptions
	URL      string // where the server answers, for others finding the index busy
	Audience string // whose view it serves
	// CatchUpWait is how long a catch-up waits for a writer holding the
	// archive's lock before leaving the index behind until the next try;
	// 0 means 2 seconds.
	CatchUpWait time.Duration
}

// Live is an archive's index held by a running server: opened once,
// caught up with the catalogue whenever it changes (other processes
// ingest while the server runs, and it is the index's only writer), and
// marked as the server's so other commands say where to search instead.
type Live struct {
	a   *archive.Archive
	ix  *Index
	opt ServeOptions

	mu  sync.Mutex
	cur *catchUpRun // the catch-up running, if any
}

// catchUpRun is one catch-up of a Live index, running or done.
type catchUpRun struct {
	done chan struct{}
	n    int
	busy bool // another process held the archive's lock: try again later
	err  error
}

// Serve opens a's index for a server, as OpenArchive does (caught up
// first), and keeps it until Close. Its holder's note names the server
// (opt.URL, opt.Audience), so commands finding the index busy say where
// to search instead of waiting.
func Serve(ctx context.Context, a *archive.Archive, opt ServeOptions) (*Live, error) {
	if opt.What == "" {
		opt.What = "serve"
	}
	if opt.CatchUpWait <= 0 {
		opt.CatchUpWait = 2 * time.Second
	}
	if c, remote, err := remoteOf(a); err != nil {
		return nil, err
	} else if remote { // OpenSearch (opensearch_owner.go)
		return serveRemote(ctx, a, c, opt)
	}
	if a.ReadOnly() {
		ix, err := openReadOnlyArchive(ctx, a, opt.OpenOptions)
		if err != nil {
			return nil, err
		}
		return &Live{a: a, ix: ix, opt: opt}, nil
	}
	ix, err := acquire(ctx, a, Holder{What: opt.What, URL: opt.URL, Audience: opt.Audience}, opt.OpenOptions)
	if err != nil {
		return nil, err
	}
	if _, err := catchUp(ctx, a, ix, opt.OpenOptions); err != nil {
		ix.Close()
		return nil, err
	}
	return &Live{a: a, ix: ix, opt: opt}, nil
}

// Index is the index to search. It stays the same for the Live's life.
func (l *Live) Index() *Index { return l.ix }

// Close closes the index and removes the server's note.
func (l *Live) Close() error { return l.ix.Close() }

// Sync catches the index up with the catalogue if it is behind, under the
// archive's lock; it returns how many interviews it updated. Concurrent
// calls share one catch-up, and each returns only once the index holds
// the catalogue as it was when the call began (or on error). A writer
// holding the archive's lock for long is not waited for: the index stays
// behind and the next call tries again. On a read-only archive it does
// nothing.
func (l *Live) Sync(ctx context.Context) (int, error) {
	if l.ix.readOnly {
		return 0, nil
	}
	updated := 0
	// Three rounds: a catch-up already running may have read the
	// catalogue just before the change this call saw.
	for range 3 {
		stale, err := l.ix.stale(ctx, l.a)
		if err != nil || !stale {
			return updated, err
		}
		l.mu.Lock()
		c := l.cur
		lead := c == nil
		if lead {
			c = &catchUpRun{done: make(chan struct{})}
			l.cur = c
		}
		l.mu.Unlock()
		if lead {
			// Not the caller's context: the callers waiting for this
			// catch-up need it to finish if the first one goes.
			c.n, c.busy, c.err = l.catchUpOnce(context.WithoutCancel(ctx))
			l.mu.Lock()
			l.cur = nil
			l.mu.Unlock()
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
func (l *Live) catchUpOnce(ctx context.Context) (n int, busy bool, err error) {
	lock, err := l.a.Lock("index ("+l.opt.What+")", l.opt.CatchUpWait)
	if errors.Is(err, archive.ErrBusy) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer lock.Unlock()
	n, err = l.ix.sync(ctx, l.a)
	return n, false, err
}

// Follow keeps the index up to date with the catalogue while ctx lasts,
// looking every interval. report, when not nil, hears of every catch-up
// that changed something and of every error.
func (l *Live) Follow(ctx context.Context, every time.Duration, report func(updated int, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := l.Sync(ctx)
		if report != nil && (n > 0 || err != nil) && ctx.Err() == nil {
			report(n, err)
		}
	}
}
