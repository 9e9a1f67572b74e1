package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
)

func newInitCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Create an empty archive",
		Long: `Create an empty archive in the --archive folder.

Example:
  recuerdo --archive ~/familia init`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runInit(cmd.Context(), g) },
	}
}

func runInit(ctx context.Context, g *globals) error {
	a, err := archive.Create(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	if g.json {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"archive": a.Dir(), "format_version": archive.FormatVersion})
	}
	fmt.Fprintf(g.stdout, "created archive %s\n", a.Dir())
	return nil
}
