package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import DIR|FILE.tar",
		Short: "Restore an export into a new archive",
		Long: `Restore what "recuerdo export" wrote into the --archive folder, which must
be new or empty (importing the same export again changes nothing).

Nothing in the export is trusted as written. A tar's entries are judged by
their headers before any is read: only regular files, none sparse, none
over 256 MiB nor 16 GiB in all, each listed in MANIFEST.sha256; they are
unpacked one at a time into a temporary folder inside the archive (removed
after) and checked against the manifest on the way. Every reference is
validated (ids, tracks, segment numbering and times, alignment pairs,
seals, access levels, dates), and each track's segments are read again
from its original: where the export's text or timing differ, the
original's are kept and each difference is printed. An export whose own
records of access and seals disagree (a segment marked sealed that no seal
covers, a restricted interview made public) is refused. Then the catalogue
is restored in one transaction (interviews, access and seals, tracks and
their older versions, segments, chapters, alignments, history) and the
search index is built.

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
		if _, err := index.Rebuild(ctx, a, indexOptions(g, "import")); err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
		// The learned lexicon is derived, as the index is: learned again.
		if _, err := a.LearnLexicon(ctx); err != nil {
			return fmt.Errorf("learn the bilingual lexicon: %w", err)
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
	for _, r := range res.Rederived {
		fmt.Fprintf(g.stdout, "  derived again from the original: %s\n", r)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(g.stdout, "  note: %s\n", n)
	}
	return nil
}
