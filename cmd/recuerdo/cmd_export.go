package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
)

func newExportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "export DIR|FILE.tar",
		Short: "Write a portable copy of the archive that anyone can read",
		Long: `Write a self-describing copy of the whole archive in open formats, to a new
folder or (when the name ends in .tar) a tar file: every original byte for
byte under originals/<sha256>, each interview's metadata (access and seals
included), tracks, segments and chapters as interviews/<id>/interview.json,
its alignments as interviews/<id>/alignments.json, the archive's history,
a README.txt for people, recuerdo-export.json (format and version) and
MANIFEST.sha256, which "sha256sum -c" verifies without recuerdo. The copy
appears whole or not at all. "recuerdo import" restores it.

The export holds sealed and restricted material in the clear: keep it as
carefully as the archive.

Examples:
  recuerdo export /media/usb/familia-2026.tar
  recuerdo export ~/copias/familia`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runExport(cmd.Context(), g, args[0]) },
	}
}

func runExport(ctx context.Context, g *globals, dst string) error {
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Export(ctx, dst, archive.ExportOptions{})
	if err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(res)
	}
	fmt.Fprintf(g.stdout, "exported %d interview(s), %d track(s), %d original(s) to %s\n", res.Interviews, res.Tracks, res.Originals, res.Path)
	if res.Restricted > 0 {
		g.note("%d interview(s) are restricted or sealed; the export holds them in the clear: keep it safe", res.Restricted)
	}
	return nil
}
