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
	built, err := index.Rebuild(ctx, a, indexOptions(g, "reindex"))
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
		return json.NewEncoder(g.stdout).Encode(map[string]any{"interviews": built.Interviews, "segments": built.Segments, "seconds": took.Seconds()})
	}
	fmt.Fprintf(g.stdout, "indexed %d segments of %d interview(s) in %s\n", built.Segments, built.Interviews, took.Round(time.Millisecond))
	return nil
}
