package index

import (
	"errors"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// ErrNoIndex means a read-only archive has no search index, and none can
// be built there.
var ErrNoIndex = errors.New("no search index")

// ErrReadOnly means the index was opened read-only and cannot be changed.
var ErrReadOnly = errors.New("index is read-only")

// OpenReadOnly opens the index in dir for searching only: nothing in dir
// is written (no merges, no persisting, bolt opened read-only with a
// shared lock), so it works on a read-only file system. A missing index is
// ErrNoIndex, one of another mapping ErrStale, and one another process
// holds for writing (a running recuerdo serve) ErrBusy.
func OpenReadOnly(dir string) (*Index, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
	}
	cfg := boltConfig()
	cfg["read_only"] = true
	bi, err := bleve.OpenUsing(dir, cfg)
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
	case errors.Is(err, bolt.ErrTimeout):
		return nil, fmt.Errorf("open index %s: %w", dir, ErrBusy)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if v, _ := bi.GetInternal([]byte("mapping_version")); string(v) != mappingVersion {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w: built by another version", dir, ErrStale)
	}
	if err := checkEngine(bi); err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return &Index{bi: bi, dir: dir, readOnly: true}, nil
}

// ReadOnly reports whether the index was opened read-only.
func (ix *Index) ReadOnly() bool { return ix.readOnly }
