package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// initOptions are init's flags: where the archive's parts live. All empty
// is the embedded default, everything in the --archive folder.
type initOptions struct {
	catalogue string
	index     string
	originals string
}

func (o initOptions) config() archive.Config {
	return archive.Config{Catalogue: o.catalogue, Index: o.index, Originals: o.originals}
}

func newInitCmd(g *globals) *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create an empty archive",
		Long: `Create an empty archive in the --archive folder.

By default everything lives in that folder: the catalogue (SQLite), the
search index and the originals. An institution's archive can keep them on
shared servers instead: --catalogue names a PostgreSQL database, --index
an OpenSearch cluster and --originals a folder every machine reaches.
init writes them to archive.yaml in the folder, which every command
reads. Run the same init on each machine: the first creates the
catalogue's tables, the others join it.

Examples:
  recuerdo --archive ~/familia init
  recuerdo --archive /srv/recuerdo init \
    --catalogue 'postgres://recuerdo:secret@db.example.org:5432/recuerdo' \
    --index opensearch://search1:9200,search2:9200/oral-history \
    --originals /mnt/archive-originals`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runInit(cmd.Context(), g, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.catalogue, "catalogue", "", "the catalogue: sqlite (default) or postgres://user:password@host:port/database")
	f.StringVar(&opts.index, "index", "", "the search index: bleve (default) or opensearch://host:port[,host:port...]/prefix")
	f.StringVar(&opts.originals, "originals", "", "an absolute path to a shared folder for the originals (default: the archive folder)")
	cmd.MarkFlagDirname("originals")
	return cmd
}

func runInit(ctx context.Context, g *globals, opts initOptions) error {
	c := opts.config()
	if err := c.Validate(); err != nil {
		return usageError{err}
	}
	var a *archive.Archive
	var err error
	if c == (archive.Config{}) {
		a, err = archive.Create(g.archive)
	} else {
		a, err = archive.CreateWith(g.archive, c)
	}
	if err != nil {
		return err
	}
	defer a.Close()
	shown := c.Redacted()
	if g.json {
		out := map[string]any{"archive": a.Dir(), "format_version": archive.FormatVersion}
		if c != (archive.Config{}) {
			out["config"] = shown
			out["catalogue"] = a.Catalogue()
			out["joined"] = a.Joined()
		}
		return json.NewEncoder(g.stdout).Encode(out)
	}
	verb := "created"
	if a.Joined() {
		verb = "joined"
	}
	fmt.Fprintf(g.stdout, "%s archive %s\n", verb, a.Dir())
	if c != (archive.Config{}) {
		if c.PostgreSQL() {
			fmt.Fprintf(g.stdout, "  catalogue: %s\n", shown.Catalogue)
		}
		if c.Index != "" {
			fmt.Fprintf(g.stdout, "  index:     %s\n", shown.Index)
		}
		if c.Originals != "" {
			fmt.Fprintf(g.stdout, "  originals: %s\n", shown.Originals)
		}
	}
	return nil
}
