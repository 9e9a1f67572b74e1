package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

func newReindexCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the catalogue",
		Long: `Build the search index again from the catalogue. The index is derived
data: nothing is lost by rebuilding it. The new index is built beside the
old one and swapped in when complete, so an interrupted reindex leaves the
old index (or none, which the next command builds), never half of one.

Example:
  recuerdo reindex`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReindex(cmd.Context(), g) },
	}
}

func runReindex(ctx context.Context, g *globals) error {
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	n, total, err := rebuildIndex(ctx, a)
	if err != nil {
		return err
	}
	// The lexicon is derived from the alignments as the index is from the
	// segments: rebuilt with it.
	if _, err := a.LearnLexicon(ctx); err != nil {
		return fmt.Errorf("learn the bilingual lexicon: %w", err)
	}
	took := time.Since(start)
	if g.json {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"interviews": n, "segments": total, "seconds": took.Seconds()})
	}
	fmt.Fprintf(g.stdout, "indexed %d segments of %d interview(s) in %s\n", total, n, took.Round(time.Millisecond))
	return nil
}

// rebuildIndex builds a new index from the catalogue in index.new under the
// archive's lock and swaps it in for the old one. It returns how many
// interviews and segments it indexed.
func rebuildIndex(ctx context.Context, a *archive.Archive) (interviews, segments int, err error) {
	lock, err := lockIdleIndex(a)
	if err != nil {
		return 0, 0, err
	}
	defer lock.Unlock()
	dir := a.IndexDir()
	tmp, old := dir+".new", dir+".old"
	// Leftovers of a rebuild that was interrupted.
	if err := removeAll(tmp, old); err != nil {
		return 0, 0, err
	}
	ix, err := index.Open(tmp)
	if err != nil {
		return 0, 0, err
	}
	n, err := ix.Sync(ctx, a)
	if err != nil {
		ix.Close()
		os.RemoveAll(tmp)
		return 0, 0, err
	}
	counts, err := ix.Counts()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return 0, 0, err
	}
	for _, c := range counts {
		segments += c
	}
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return 0, 0, fmt.Errorf("replace index: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return 0, 0, fmt.Errorf("replace index: %w", err)
	}
	return n, segments, removeAll(old)
}

func removeAll(paths ...string) error {
	for _, p := range paths {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("remove %s: %w", p, err)
		}
	}
	return nil
}

// lockIdleIndex takes the archive's lock when no other process has the
// index open. An index a running recuerdo serve holds is left alone:
// replacing it would leave the server on files no one sees. Another
// command (an ingest catching the index up) may hold it while it waits
// for the lock, so the lock is let go and taken again until that command
// is done, for up to archive.LockWait.
func lockIdleIndex(a *archive.Archive) (*archive.Lock, error) {
	deadline := time.Now().Add(archive.LockWait)
	for {
		lock, err := a.Lock("reindex", archive.LockWait)
		if err != nil {
			return nil, err
		}
		ix, err := index.Open(a.IndexDir())
		if err == nil {
			ix.Close()
		}
		if !errors.Is(err, index.ErrBusy) {
			return lock, nil // a missing or stale index is rebuilt all the same
		}
		lock.Unlock()
		if m, ok := readServeMarker(a.Dir()); ok {
			return nil, serverBusyError{m}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w (waited %s)", err, archive.LockWait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
