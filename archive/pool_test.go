package archive

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// TestCataloguePoolBounded checks that a burst of concurrent reads, as a
// busy recuerdo serve makes, shares a bounded pool of catalogue
// connections (each holds SQLite's page cache) instead of opening one
// per request, and that every read still succeeds.
func TestCataloguePoolBounded(t *testing.T) {
	a, err := Create(filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if got := a.db.Stats().MaxOpenConnections; got <= 0 || got > maxOpenConns {
		t.Fatalf("pool allows %d connections, want 1 to %d", got, maxOpenConns)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for range 200 {
		wg.Go(func() {
			if _, err := a.Interviews(context.Background()); err != nil {
				errs <- err
			}
			if _, err := a.Generation(context.Background()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := a.db.Stats()
	if st.OpenConnections > maxOpenConns || st.Idle > maxIdleConns {
		t.Errorf("after the burst: %d connections open, %d idle; want at most %d and %d", st.OpenConnections, st.Idle, maxOpenConns, maxIdleConns)
	}
}
