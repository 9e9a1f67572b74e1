package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

func newReindexCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the catalogue",
		Long: `Throw the search index away and build it again from the catalogue. The
index is derived data: nothing is lost by rebuilding it.

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
	lock, err := a.Lock("reindex", archive.LockWait)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	start := time.Now()
	if err := index.Remove(a.IndexDir()); err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	ix, err := index.Open(a.IndexDir())
	if err != nil {
		return err
	}
	defer ix.Close()
	n, err := ix.Sync(ctx, a)
	if err != nil {
		return err
	}
	counts, err := ix.Counts()
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	took := time.Since(start)
	if g.json {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"interviews": n, "segments": total, "seconds": took.Seconds()})
	}
	fmt.Fprintf(g.stdout, "indexed %d segments of %d interview(s) in %s\n", total, n, took.Round(time.Millisecond))
	return nil
}
