package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
)

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import DIR|FILE.tar",
		Short: "Restore an export into a new archive",
		Long: `Restore what "recuerdo export" wrote into the --archive folder, which must
be new or empty (importing the same export again changes nothing). Every
file is checked against the export's MANIFEST.sha256 and every original
against its checksum before anything is written; then the catalogue is
restored exactly (interviews, access and seals, tracks and their older
versions, segments, chapters, alignments, history) and the search index
is built.

Example:
  recuerdo --archive ~/familia-restaurada import /media/usb/familia-2026.tar`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runImport(cmd.Context(), g, args[0]) },
	}
}

func runImport(ctx context.Context, g *globals, src string) error {
	a, err := archive.OpenOrCreate(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Import(ctx, src)
	if err != nil {
		return err
	}
	if !res.Unchanged {
		if _, _, err := rebuildIndex(ctx, a); err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(res)
	}
	if res.Unchanged {
		fmt.Fprintf(g.stdout, "unchanged: %s already holds this export's %d interview(s)\n", a.Dir(), res.Interviews)
		return nil
	}
	fmt.Fprintf(g.stdout, "imported %d interview(s), %d track(s), %d original(s) into %s (exported %s)\n",
		res.Interviews, res.Tracks, res.Originals, a.Dir(), res.CreatedAt)
	return nil
}
