package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
)

type demoOptions struct {
	dir string
}

// demoQueries show what search does: accents and plurals, a phrase, an
// English query with its Spanish twin, OR.
var demoQueries = []string{
	"autobuses",
	`"puerta azul"`,
	"grandmother blender",
	"mole OR gorditas",
}

func newDemoCmd(g *globals) *cobra.Command {
	var o demoOptions
	c := &cobra.Command{
		Use:   "demo",
		Short: "Build an archive from the bundled samples and search it",
		Long: `Build an archive from the sample interviews bundled with recuerdo (in a new
temporary folder unless --dir is given), align each translation, index
everything, run a few searches and check the result. The archive is kept,
so you can go on exploring it with the command the demo prints.

Example:
  recuerdo demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDemo(cmd.Context(), g, o) },
	}
	c.Flags().StringVar(&o.dir, "dir", "", "build the demo archive here (default: a new temporary folder)")
	return c
}

func runDemo(ctx context.Context, g *globals, o demoOptions) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "recuerdo-demo-"); err != nil {
			return err
		}
	}
	srcDir := filepath.Join(dir, "samples")
	if err := os.CopyFS(srcDir, samples.FS); err != nil {
		return fmt.Errorf("unpack samples: %w", err)
	}
	archDir := filepath.Join(dir, "archive")
	w := g.stdout
	fmt.Fprintf(w, "recuerdo demo: building an archive from the bundled samples in %s\n\n", archDir)
	start := time.Now()
	a, err := archive.OpenOrCreate(archDir)
	if err != nil {
		return err
	}
	defer a.Close()
	entries, err := fs.ReadDir(samples.FS, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		src, err := archive.LoadFolder(filepath.Join(srcDir, e.Name()))
		if err != nil {
			return err
		}
		res, err := a.Ingest(ctx, src)
		if err != nil {
			return err
		}
		printIngest(g, res)
	}
	ingested := time.Since(start)
	ix, err := index.Open(a.IndexDir())
	if err != nil {
		return err
	}
	defer ix.Close()
	if _, err := syncIndex(ctx, a, ix); err != nil {
		return err
	}
	indexed := time.Since(start) - ingested
	fmt.Fprintf(w, "\ningested and aligned in %s, indexed in %s\n", ingested.Round(time.Millisecond), indexed.Round(time.Millisecond))
	for _, q := range demoQueries {
		res, err := ix.Search(ctx, a, q, index.Options{Limit: 3, PerGroup: 2, Group: true, Audience: archive.Staff})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n$ recuerdo search '%s'\n", q)
		printResults(w, res, useColor("auto", w), 0)
	}
	probs, err := a.Check(ctx)
	if err != nil {
		return err
	}
	ip, err := ix.Check(ctx, a)
	if err != nil {
		return err
	}
	probs = append(probs, ip...)
	fmt.Fprintln(w)
	for _, p := range probs {
		fmt.Fprintln(w, p)
	}
	if len(probs) > 0 {
		return problemsError{len(probs)}
	}
	fmt.Fprintf(w, "check: ok, catalogue, originals and index agree\n\nExplore it yourself:\n  export RECUERDO_ARCHIVE=%s\n  recuerdo list\n  recuerdo show abuelo-autobus\n  recuerdo search 'casa puerta azul'\n  recuerdo serve --audience family    # the web page, at http://127.0.0.1:8080\n", archDir)
	return nil
}
