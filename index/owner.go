package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// This file owns an archive's index: the only way commands and the web
// page open it, keep it fresh and rebuild it. Each function is one
// purpose (OpenArchive to search, CatchUp after a change, Rebuild, Serve
// for a running server) and takes whatever locks that purpose needs.
//
// The lock protocol (README, "Architecture"):
//   - The archive's lock (archive.Lock: <archive>/lock, exclusive) is held
//     by every change to the catalogue or the originals and by every write
//     to the index (a catch-up, a rebuild), for that one change.
//   - The index itself (bleve's bolt file lock) is open in one process at
//     a time; that process leaves a note (index.holder: pid, command,
//     since, a server's address) so the others can say who has it.
//   - Order: the index first, then the archive's lock. A rebuild, which
//     must know the index idle before it takes the archive, takes the
//     archive's lock and only tries the index, letting go of both and
//     trying again while another process has the index, so two processes
//     never wait on each other.
//   - A running recuerdo serve keeps the index for as long as it runs and
//     catches it up itself; others do not wait for it.
//   - A killed holder leaves its note (ignored once its pid is gone),
//     never a lock (the operating system drops them). A catch-up cut
//     short leaves the index behind the catalogue's generation, so the
//     next open catches up again; a rebuild cut short leaves index.new
//     (removed by the next rebuild) and the old index, or no index, which
//     the next open builds from the catalogue.

// OpenOptions shape how the owner functions open an archive's index.
type OpenOptions struct {
	// What names the command, for the holder's note and the archive's
	// lock: "search", "ingest". "" means "recuerdo".
	What string
	// Wait is how long to wait for another process that has the index
	// open or holds the archive's lock; 0 means the archive's LockWait.
	// A running recuerdo serve is not waited for: it keeps the index.
	Wait time.Duration
	// Note hears what was done on the way (a rebuild, a catch-up), in
	// words for people; nil hears nothing.
	Note func(msg string)
}

func (o OpenOptions) what() string {
	if o.What == "" {
		return "recuerdo"
	}
	return o.What
}

func (o OpenOptions) wait(a *archive.Archive) time.Duration {
	if o.Wait > 0 {
		return o.Wait
	}
	return a.LockWait()
}

func (o OpenOptions) note(format string, args ...any) {
	if o.Note != nil {
		o.Note(fmt.Sprintf(format, args...))
	}
}

// OpenArchive opens a's index to search it, caught up with the catalogue
// first: built when missing, rebuilt when another version built it. The
// caller closes it. Another process that has it open is waited for (see
// OpenOptions.Wait); a running server is reported at once with a
// *BusyError naming it. A read-only archive's index is opened as it is:
// a stale one with a note saying so, a missing one or one of another
// version is ErrNoIndex or ErrStale, since none can be built there.
func OpenArchive(ctx context.Context, a *archive.Archive, opt OpenOptions) (*Index, error) {
	if c, remote, err := remoteOf(a); err != nil {
		return nil, err
	} else if remote { // OpenSearch (opensearch_owner.go)
		return openRemoteArchive(ctx, a, c, opt)
	}
	if a.ReadOnly() {
		return openReadOnlyArchive(ctx, a, opt)
	}
	ix, err := acquire(ctx, a, Holder{What: opt.what()}, opt)
	if err != nil {
		return nil, err
	}
	if _, err := catchUp(ctx, a, ix, opt); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// CatchUp brings a's index up to date with the catalogue after a change
// (an ingest) and closes it; it returns how many interviews it updated.
// When a running server has the index it returns a *BusyError naming it:
// the server follows the catalogue and catches up by itself.
func CatchUp(ctx context.Context, a *archive.Archive, opt OpenOptions) (int, error) {
	if c, remote, err := remoteOf(a); err != nil {
		return 0, err
	} else if remote { // OpenSearch (opensearch_owner.go)
		return catchUpRemote(ctx, a, c, opt)
	}
	if a.ReadOnly() {
		return 0, fmt.Errorf("update index: %w", archive.ErrReadOnly)
	}
	ix, err := acquire(ctx, a, Holder{What: opt.what()}, opt)
	if err != nil {
		return 0, err
	}
	n, err := catchUp(ctx, a, ix, opt)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// Rebuilt is what a Rebuild indexed.
type Rebuilt struct {
	Interviews int `json:"interviews"`
	Segments   int `json:"segments"`
}

// Rebuild builds a's index anew from the catalogue, beside the old one
// (index.new), and swaps it in when complete, under the archive's lock,
// so an interrupted rebuild leaves the old index (or none), never half of
// one. An index a running server has is left alone (a *BusyError naming
// it): replacing it would leave the server on files no one sees.
func Rebuild(ctx context.Context, a *archive.Archive, opt OpenOptions) (Rebuilt, error) {
	if c, remote, err := remoteOf(a); err != nil {
		return Rebuilt{}, err
	} else if remote { // OpenSearch (opensearch_owner.go)
		return rebuildRemote(ctx, a, c, opt)
	}
	lock, old, err := lockIdle(ctx, a, opt)
	if err != nil {
		return Rebuilt{}, err
	}
	defer lock.Unlock()
	closeOld := func() {
		if old != nil {
			old.Close()
			old = nil
		}
	}
	defer closeOld()
	dir := a.IndexDir()
	tmp, prev := dir+".new", dir+".old"
	// Leftovers of a rebuild that was interrupted.
	if err := removeAll(tmp, prev); err != nil {
		return Rebuilt{}, err
	}
	ix, err := Open(tmp)
	if err != nil {
		return Rebuilt{}, err
	}
	n, err := ix.sync(ctx, a)
	var counts map[string]int
	if err == nil {
		counts, err = ix.Counts()
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return Rebuilt{}, err
	}
	r := Rebuilt{Interviews: n}
	for _, c := range counts {
		r.Segments += c
	}
	// The old index is held until now, so no other process opened it to
	// read what is about to go; it is closed before the swap, which
	// renames its folder (not possible on Windows while it is open).
	closeOld()
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, prev); err != nil {
			return Rebuilt{}, fmt.Errorf("replace index: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return Rebuilt{}, fmt.Errorf("replace index: %w", err)
	}
	return r, removeAll(prev)
}

// lockIdle takes the archive's lock when no other process has the index
// open, and returns the old index held open too (nil when it is missing
// or cannot be opened: it is rebuilt all the same). Another command (an
// ingest catching the index up) may have the index while it waits for the
// archive's lock, so both are let go and taken again until that command
// is done, for up to the wait.
func lockIdle(ctx context.Context, a *archive.Archive, opt OpenOptions) (*archive.Lock, *Index, error) {
	wait := opt.wait(a)
	deadline := time.Now().Add(wait)
	for {
		lock, err := a.Lock(opt.what(), wait)
		if err != nil {
			return nil, nil, err
		}
		ix, err := Open(a.IndexDir())
		if err == nil {
			if err := writeHolder(a.Dir(), Holder{PID: os.Getpid(), What: opt.what(), Since: time.Now().UTC().Truncate(time.Second)}); err != nil {
				ix.Close()
				lock.Unlock()
				return nil, nil, err
			}
			ix.noteDir = a.Dir()
			return lock, ix, nil
		}
		if !errors.Is(err, ErrBusy) {
			return lock, nil, nil // a missing, stale or damaged index is rebuilt all the same
		}
		lock.Unlock()
		be := busy(a)
		if be.Holder != nil && be.Holder.Serving() {
			return nil, nil, be
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			be.Waited = wait
			return nil, nil, be
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// acquire opens a's index for this process, waiting for another that has
// it (but not for a server), rebuilding one of another version, and
// leaves h's note while it is open (Close removes it).
func acquire(ctx context.Context, a *archive.Archive, h Holder, opt OpenOptions) (*Index, error) {
	dir := a.IndexDir()
	wait := opt.wait(a)
	deadline := time.Now().Add(wait)
	removed := false
	for {
		ix, err := Open(dir)
		if err == nil {
			h.PID, h.Since = os.Getpid(), time.Now().UTC().Truncate(time.Second)
			if err := writeHolder(a.Dir(), h); err != nil {
				ix.Close()
				return nil, err
			}
			ix.noteDir = a.Dir()
			return ix, nil
		}
		if errors.Is(err, ErrStale) && !removed {
			opt.note("rebuilding the search index (it was built by another version)")
			removed = true
			if err = Remove(dir); err == nil {
				continue
			}
		}
		if !errors.Is(err, ErrBusy) {
			return nil, err
		}
		be := busy(a)
		if be.Holder != nil && be.Holder.Serving() {
			return nil, be
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			be.Waited = wait
			return nil, be
		}
	}
}

// busy is the error for a's index being open elsewhere, naming who has
// it when that process left its note.
func busy(a *archive.Archive) *BusyError {
	be := &BusyError{Dir: a.IndexDir()}
	if h, ok := HolderOf(a.Dir()); ok {
		be.Holder = &h
	}
	return be
}

// catchUp syncs ix with the catalogue, under the archive's lock, when it
// is behind.
func catchUp(ctx context.Context, a *archive.Archive, ix *Index, opt OpenOptions) (int, error) {
	stale, err := ix.stale(ctx, a)
	if err != nil || !stale {
		return 0, err
	}
	lock, err := a.Lock("index ("+opt.what()+")", opt.wait(a))
	if err != nil {
		return 0, err
	}
	defer lock.Unlock()
	n, err := ix.sync(ctx, a)
	if n > 0 {
		opt.note("search index updated for %d interview(s)", n)
	}
	return n, err
}

// openReadOnlyArchive opens a read-only archive's index without catching
// it up.
func openReadOnlyArchive(ctx context.Context, a *archive.Archive, opt OpenOptions) (*Index, error) {
	dir := a.IndexDir()
	wait := opt.wait(a)
	deadline := time.Now().Add(wait)
	for {
		ix, err := OpenReadOnly(dir)
		switch {
		case errors.Is(err, ErrNoIndex):
			return nil, fmt.Errorf("%w in this read-only archive, and none can be built here: run recuerdo reindex on a writable copy", err)
		case errors.Is(err, ErrStale):
			return nil, fmt.Errorf("%w, and it cannot be rebuilt in a read-only archive: run recuerdo reindex on a writable copy", err)
		case errors.Is(err, ErrBusy):
			be := busy(a)
			if be.Holder != nil && be.Holder.Serving() {
				return nil, be
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				be.Waited = wait
				return nil, be
			}
			continue
		case err != nil:
			return nil, err
		}
		stale, err := ix.stale(ctx, a)
		if err != nil {
			ix.Close()
			return nil, err
		}
		if stale {
			opt.note("the search index is older than the catalogue and cannot be updated in a read-only archive: results may be out of date")
		}
		return ix, nil
	}
}

// CheckArchive checks a's index against the catalogue: its files first
// (bleve trusts them, and a damaged one can make a search panic), then,
// caught up as any command would catch it up, its contents. A missing
// index is built (on a read-only archive, noted and skipped); one that
// cannot be opened is a problem for repair. Busy is an error.
func CheckArchive(ctx context.Context, a *archive.Archive, opt OpenOptions) ([]archive.Problem, error) {
	if c, remote, err := remoteOf(a); err != nil {
		return nil, err
	} else if remote { // OpenSearch (opensearch_owner.go)
		return checkRemote(ctx, a, c, opt)
	}
	probs, err := Verify(a.IndexDir())
	if err != nil || len(probs) > 0 {
		return probs, err
	}
	if _, err := os.Stat(a.IndexDir()); os.IsNotExist(err) {
		if a.ReadOnly() {
			opt.note("this read-only archive has no search index: checked the catalogue and originals only")
			return nil, nil
		}
		opt.note("the search index is missing; building it")
	}
	ix, err := OpenArchive(ctx, a, opt)
	if err != nil {
		if errors.Is(err, ErrBusy) || errors.Is(err, archive.ErrBusy) || ctx.Err() != nil {
			return nil, err
		}
		return []archive.Problem{{What: "index", Subject: a.IndexDir(), Msg: err.Error() + " (run recuerdo check --repair)"}}, nil
	}
	defer ix.Close()
	return ix.Check(ctx, a)
}

func removeAll(paths ...string) error {
	for _, p := range paths {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("remove %s: %w", p, err)
		}
	}
	return nil
}
