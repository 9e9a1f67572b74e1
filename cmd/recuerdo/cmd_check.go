package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

func newCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify that catalogue, originals and index agree",
		Long: `Verify the archive: the catalogue's integrity, every original against its
checksum, every alignment's references, and that the search index holds
exactly the catalogue's segments. Exits 0 only when all agree, 3 when
problems were found.

Example:
  recuerdo check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCheck(cmd.Context(), g) },
	}
}

func runCheck(ctx context.Context, g *globals) error {
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	probs, err := a.Check(ctx)
	if err != nil {
		return err
	}
	var ix *index.Index
	if _, serr := os.Stat(a.IndexDir()); serr != nil {
		err = fmt.Errorf("missing")
	} else {
		ix, err = index.Open(a.IndexDir())
	}
	if err != nil {
		probs = append(probs, archive.Problem{What: "index", Subject: a.IndexDir(), Msg: err.Error() + " (run recuerdo reindex)"})
	} else {
		ip, err := ix.Check(ctx, a)
		ix.Close()
		if err != nil {
			return err
		}
		probs = append(probs, ip...)
	}
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return err
	}
	if probs == nil {
		probs = []archive.Problem{}
	}
	if g.json {
		if err := json.NewEncoder(g.stdout).Encode(map[string]any{"ok": len(probs) == 0, "interviews": len(ivs), "problems": probs}); err != nil {
			return err
		}
	} else {
		for _, p := range probs {
			fmt.Fprintln(g.stdout, p)
		}
		if len(probs) == 0 {
			fmt.Fprintf(g.stdout, "ok: %d interview(s); catalogue, originals and index agree\n", len(ivs))
		}
	}
	if len(probs) > 0 {
		return problemsError{len(probs)}
	}
	return nil
}
