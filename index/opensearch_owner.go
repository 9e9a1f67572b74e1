package index

import (
	"context"
	"errors"
	"fmt"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// The owner functions (owner.go) for an archive whose index is on an
// OpenSearch cluster. bleve's bolt lock and the holder's note do not apply:
// a cluster serves any number of processes at once. The archive's lock
// still serialises every write to the index (a catch-up, a rebuild), so
// two machines never index the same change twice or switch the alias
// under each other.

// remoteOf returns a's configuration and whether it names an OpenSearch
// index.
func remoteOf(a *archive.Archive) (archive.Config, bool, error) {
	c, err := archive.ReadConfig(a.Dir())
	if err != nil {
		return c, false, err
	}
	return c, c.Index != "" && c.Index != "bleve", nil
}

// openRemote opens the cluster's index of a, rebuilding one of another
// version (not on a read-only archive: ErrStale).
func openRemote(ctx context.Context, a *archive.Archive, c archive.Config, opt OpenOptions) (*Index, error) {
	ro := a.ReadOnly()
	r, err := openOpenSearch(ctx, c, ro)
	if errors.Is(err, ErrStale) && !ro {
		opt.note("rebuilding the search index (it was built by another version)")
		if _, err = rebuildRemote(ctx, a, c, opt); err == nil {
			r, err = openOpenSearch(ctx, c, false)
		}
	}
	switch {
	case ro && errors.Is(err, ErrNoIndex):
		return nil, fmt.Errorf("%w in this read-only archive, and none can be built here: run recuerdo reindex on a writable copy", err)
	case ro && errors.Is(err, ErrStale):
		return nil, fmt.Errorf("%w, and it cannot be rebuilt in a read-only archive: run recuerdo reindex on a writable copy", err)
	case err != nil:
		return nil, err
	}
	return &Index{remote: r, dir: r.url, readOnly: ro}, nil
}

// openRemoteArchive is OpenArchive on a cluster: caught up first, or on a
// read-only archive opened as it is, with a note when stale.
func openRemoteArchive(ctx context.Context, a *archive.Archive, c archive.Config, opt OpenOptions) (*Index, error) {
	ix, err := openRemote(ctx, a, c, opt)
	if err != nil {
		return nil, err
	}
	if ix.readOnly {
		stale, err := ix.stale(ctx, a)
		if err != nil {
			return nil, err
		}
		if stale {
			opt.note("the search index is older than the catalogue and cannot be updated in a read-only archive: results may be out of date")
		}
		return ix, nil
	}
	if _, err := catchUp(ctx, a, ix, opt); err != nil {
		return nil, err
	}
	return ix, nil
}

// catchUpRemote is CatchUp on a cluster.
func catchUpRemote(ctx context.Context, a *archive.Archive, c archive.Config, opt OpenOptions) (int, error) {
	ix, err := openRemote(ctx, a, c, opt)
	if err != nil {
		return 0, err
	}
	return catchUp(ctx, a, ix, opt)
}

// rebuildRemote is Rebuild on a cluster: under the archive's lock, a new
// index filled from the catalogue and switched in by its alias.
func rebuildRemote(ctx context.Context, a *archive.Archive, c archive.Config, opt OpenOptions) (Rebuilt, error) {
	if a.ReadOnly() {
		return Rebuilt{}, fmt.Errorf("rebuild index: %w", archive.ErrReadOnly)
	}
	lock, err := a.Lock(opt.what(), opt.wait(a))
	if err != nil {
		return Rebuilt{}, err
	}
	defer lock.Unlock()
	r, err := dialOpenSearch(c)
	if err != nil {
		return Rebuilt{}, err
	}
	return r.rebuild(ctx, a)
}

// serveRemote is Serve on a cluster.
func serveRemote(ctx context.Context, a *archive.Archive, c archive.Config, opt ServeOptions) (*Live, error) {
	ix, err := openRemoteArchive(ctx, a, c, opt.OpenOptions)
	if err != nil {
		return nil, err
	}
	return &Live{a: a, ix: ix, opt: opt}, nil
}

// checkRemote is CheckArchive on a cluster: caught up as any command
// would, then compared with the catalogue by counts and by a sample of
// documents. An index that cannot be opened is a problem, not an error,
// unless the cluster cannot be reached.
func checkRemote(ctx context.Context, a *archive.Archive, c archive.Config, opt OpenOptions) ([]archive.Problem, error) {
	ix, err := openRemoteArchive(ctx, a, c, opt)
	if err != nil {
		var oe *OpenSearchError
		if errors.Is(err, archive.ErrBusy) || ctx.Err() != nil || !errors.As(err, &oe) && !errors.Is(err, ErrStale) && !errors.Is(err, ErrNoIndex) {
			return nil, err
		}
		return []archive.Problem{{What: "index", Subject: c.Index, Msg: err.Error() + " (run recuerdo reindex)"}}, nil
	}
	defer ix.Close()
	return ix.Check(ctx, a)
}

// OpenOpenSearch opens (creating it when missing) the index named by an
// index URL, opensearch://host:port[,host:port]/PREFIX, for an index
// without an archive, as Open does for a folder: the benchmark's, filled
// with Add and searched with a nil catalogue. An archive's index is
// opened through OpenArchive and the other owner functions, which read
// the URL from the archive's configuration.
func OpenOpenSearch(ctx context.Context, index string) (*Index, error) {
	r, err := openOpenSearch(ctx, archive.Config{Index: index}, false)
	if err != nil {
		return nil, err
	}
	return &Index{remote: r, dir: r.url}, nil
}

// RemoveOpenSearch deletes every index of the index URL's prefix, so the
// next OpenOpenSearch starts anew.
func RemoveOpenSearch(ctx context.Context, index string) error {
	r, err := dialOpenSearch(archive.Config{Index: index})
	if err != nil {
		return err
	}
	return r.remove(ctx)
}
