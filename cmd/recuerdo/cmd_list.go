package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the archive's interviews",
		Long: `List the archive's interviews with their metadata and tracks.

Examples:
  recuerdo list
  recuerdo list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runList(cmd.Context(), g) },
	}
}

func runList(ctx context.Context, g *globals) error {
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"interviews": ivs})
	}
	if len(ivs) == 0 {
		fmt.Fprintln(g.stdout, "the archive is empty: add interviews with recuerdo ingest")
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tDATE\tNARRATORS\tPLACE\tTRACKS\tACCESS")
	for _, iv := range ivs {
		var tracks []string
		for _, t := range iv.Tracks {
			tracks = append(tracks, t.Lang+":"+t.Name)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", iv.ID, iv.Title, iv.Date, strings.Join(iv.Narrators, ", "), iv.Place, strings.Join(tracks, " "), iv.Access)
	}
	return tw.Flush()
}
