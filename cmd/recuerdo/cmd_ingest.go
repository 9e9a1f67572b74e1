package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

type ingestOptions struct {
	allOrNothing bool
	acceptLoss   bool
	interview    string
	lang         string
	title        string
	narrators    []string
	language     string
	access       string
	date         string
	place        string
	collection   string
}

func newIngestCmd(g *globals) *cobra.Command {
	var o ingestOptions
	c := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Add interviews, or files to an interview, to the archive",
		Long: `Add interviews to the archive, creating it if needed.

A PATH is an interview folder (with an interview.yaml), a folder of such
folders, a batch manifest (a CSV with one interview per row; see README),
or, with --interview, loose subtitle or transcript files that make up one
interview. Every original is kept byte for byte; each translation is aligned
with its source; the search index is brought up to date.

The words of every file are counted without its reader and compared with
the segments it gives: a file whose words do not all arrive (but for named
reasons, such as a line that roll-up captions repeat) is refused, naming the
lines that lost them, unless --accept-loss, which the interview's history
records. show prints each track's figure; check counts it again.

Each interview is ingested all or nothing. Ingesting identical files again
changes nothing; a changed file replaces the current version and the old one
is kept.

Examples:
  recuerdo ingest samples/
  recuerdo ingest samples/abuelo-autobus
  recuerdo ingest catalogo.csv
  recuerdo ingest --interview tio-beto --lang es tio-beto.es.srt
  recuerdo ingest --interview tio-beto --lang en tio-beto.en.vtt`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), g, cmd, o, args)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.allOrNothing, "all-or-nothing", false, "in a batch, ingest nothing unless every interview reads cleanly")
	f.BoolVar(&o.acceptLoss, "accept-loss", false, "ingest files whose words do not all reach the segments (recorded in the history)")
	f.StringVar(&o.interview, "interview", "", "ingest the files as this interview (no interview.yaml needed)")
	f.StringVar(&o.lang, "lang", "", "language of the files with --interview (es, en; detected when not given)")
	f.StringVar(&o.title, "title", "", "with --interview: the interview's title")
	f.StringSliceVar(&o.narrators, "narrator", nil, "with --interview: a narrator (repeat for several)")
	f.StringVar(&o.language, "language", "", "with --interview: the language of the original speech")
	f.StringVar(&o.access, "access", "", "with --interview: public, family or staff")
	f.StringVar(&o.date, "date", "", "with --interview: recording date, YYYY-MM-DD")
	f.StringVar(&o.place, "place", "", "with --interview: where it was recorded")
	f.StringVar(&o.collection, "collection", "", "with --interview: the collection it belongs to")
	return c
}

type ingestFailure struct {
	Source string `json:"source"`
	Error  string `json:"error"`
	Hint   string `json:"hint,omitempty"`
}

// failure describes an interview that was not ingested, with a hint when
// its files lost words.
func failure(src *archive.Source, err error) ingestFailure {
	f := ingestFailure{Source: src.Origin, Error: err.Error()}
	if errors.Is(err, subtitles.ErrWordsLost) {
		f.Hint = "the file's words do not all reach the segments (the reader lost text): report the file, or ingest it with --accept-loss to keep it as it reads (recorded in the history)"
	}
	return f
}

func runIngest(ctx context.Context, g *globals, cmd *cobra.Command, o ingestOptions, args []string) error {
	var sources []*archive.Source
	var failures []ingestFailure
	if o.interview != "" {
		src, err := archive.LoadFiles(o.interview, o.lang, args)
		if err != nil {
			return err
		}
		sources = append(sources, src)
	} else {
		for _, name := range []string{"lang", "title", "narrator", "language", "access", "date", "place", "collection"} {
			if cmd.Flags().Changed(name) {
				return usageError{fmt.Errorf("--%s needs --interview", name)}
			}
		}
		for _, p := range args {
			srcs, failed, err := archive.FindSources(p)
			if errors.Is(err, archive.ErrLooseFile) {
				return usageError{fmt.Errorf("ingest %s: a loose file needs --interview ID (or put it in a folder with an %s)", p, archive.SidecarName)}
			}
			if err != nil {
				failures = append(failures, ingestFailure{Source: p, Error: err.Error()})
				continue
			}
			sources = append(sources, srcs...)
			for _, f := range failed {
				failures = append(failures, ingestFailure{Source: f.Origin, Error: f.Error()})
			}
		}
	}
	// Failures so far are interviews that could not be read at all; they
	// are not among sources, so the batch is both together.
	batch := len(sources) + len(failures)
	for _, src := range sources {
		src.AcceptLoss = o.acceptLoss
	}
	if o.allOrNothing {
		// Read every file of every interview first: a batch with a bad
		// file is refused before anything is written, the archive too.
		for _, src := range sources {
			if err := archive.Validate(src); err != nil {
				failures = append(failures, failure(src, err))
			}
		}
		if len(failures) > 0 {
			return refuseIngest(g, failures, fmt.Errorf("%d of %d interview(s) failed; --all-or-nothing: nothing was ingested", len(failures), batch))
		}
	}
	if len(sources) == 0 && len(failures) > 0 {
		// Nothing readable: no archive is made for it.
		err := errors.New("nothing was ingested")
		if batch > 1 {
			err = fmt.Errorf("%d of %d interview(s) failed; nothing was ingested", len(failures), batch)
		}
		return refuseIngest(g, failures, err)
	}
	existed := archiveExists(g.archive)
	a, err := archive.OpenOrCreate(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	if !existed {
		noteNewArchive(g, cmd, a.Dir())
	}
	if o.interview != "" {
		if err := applyMetaFlags(ctx, a, cmd, o, sources[0]); err != nil {
			return err
		}
	}
	progress := newProgress(g, len(sources))
	var results []*archive.IngestResult
	for i, src := range sources {
		progress.show(i, src.Interview.ID)
		res, err := a.Ingest(ctx, src)
		if err != nil {
			if errors.Is(err, archive.ErrBusy) {
				progress.done()
				return err
			}
			failures = append(failures, failure(src, err))
			continue
		}
		results = append(results, res)
		if !g.json && !g.quiet {
			progress.clear()
			printIngest(g, res)
		}
	}
	progress.done()
	var indexErr error
	if len(results) > 0 {
		// The first ingest learns the bilingual lexicon; later ones leave
		// it to reindex and lexicon learn, which read the whole archive.
		if learned, err := a.LexiconLearned(ctx); err == nil && !learned {
			if _, err := a.LearnLexicon(ctx); err != nil {
				g.note("the bilingual lexicon was not learned: %v", err)
			}
		}
		_, err := index.CatchUp(ctx, a, indexOptions(g, "ingest"))
		var be *index.BusyError
		switch {
		case errors.As(err, &be) && be.Holder != nil && be.Holder.Serving():
			// The server is the index's writer while it runs; it follows
			// the catalogue and indexes what was just ingested.
			g.note("%s, which will pick up the change", be)
		case err != nil:
			// What was stored is said (and printed as JSON) all the
			// same; the failure comes last.
			indexErr = fmt.Errorf("the interviews were stored, but the search index could not be updated: %w (the next search catches it up; or run recuerdo reindex)", err)
		}
	}
	if g.json {
		if results == nil {
			results = []*archive.IngestResult{}
		}
		if failures == nil {
			failures = []ingestFailure{}
		}
		if err := json.NewEncoder(g.stdout).Encode(map[string]any{"archive": a.Dir(), "ingested": results, "failed": failures}); err != nil {
			return err
		}
	}
	if len(failures) > 0 {
		if !g.json {
			for _, f := range failures {
				fmt.Fprintf(g.stderr, "recuerdo: error: %s\n", f.Error)
				if f.Hint != "" {
					fmt.Fprintf(g.stderr, "recuerdo: hint: %s\n", f.Hint)
				}
			}
		}
		if batch > 1 {
			return errors.Join(fmt.Errorf("%d of %d interview(s) failed; the other %d were ingested", len(failures), batch, len(results)), indexErr)
		}
		return errors.New("nothing was ingested")
	}
	if len(results) > 1 && !g.json && !g.quiet {
		changed := 0
		for _, r := range results {
			if r.Changed() {
				changed++
			}
		}
		fmt.Fprintf(g.stdout, "%d interview(s): %d added or updated, %d unchanged\n", len(results), changed, len(results)-changed)
	}
	return indexErr
}

// progress shows "[3/12] abuelo-autobus" on a terminal while a batch is
// ingested, and nothing when stderr is not a terminal or with --quiet or --json.
type progress struct {
	g     *globals
	n     int
	on    bool
	shown bool
}

func newProgress(g *globals, n int) *progress {
	return &progress{g: g, n: n, on: n > 1 && !g.quiet && !g.json && isTerminal(g.stderr)}
}

func (p *progress) show(i int, id string) {
	if p.on {
		fmt.Fprintf(p.g.stderr, "\r\x1b[K[%d/%d] %s", i+1, p.n, id)
		p.shown = true
	}
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.g.stderr, "\r\x1b[K")
		p.shown = false
	}
}

func (p *progress) done() { p.clear() }

// refuseIngest reports the failures of a batch that ingests nothing, as
// the end of an ingest does, and returns err.
func refuseIngest(g *globals, failures []ingestFailure, err error) error {
	if g.json {
		if failures == nil {
			failures = []ingestFailure{}
		}
		json.NewEncoder(g.stdout).Encode(map[string]any{"archive": g.archive, "ingested": []any{}, "failed": failures})
	} else {
		for _, f := range failures {
			fmt.Fprintf(g.stderr, "recuerdo: error: %s\n", f.Error)
			if f.Hint != "" {
				fmt.Fprintf(g.stderr, "recuerdo: hint: %s\n", f.Hint)
			}
		}
	}
	return err
}

// applyMetaFlags sets the metadata given on the command line for loose
// files, keeping what the archive already has for the rest.
func applyMetaFlags(ctx context.Context, a *archive.Archive, cmd *cobra.Command, o ingestOptions, src *archive.Source) error {
	iv := &src.Interview
	old, err := a.Interview(ctx, iv.ID, false)
	if err != nil && !errors.Is(err, archive.ErrNotFound) {
		return err
	}
	if old != nil {
		*iv = *old
		iv.Tracks = nil
	}
	set := func(name string) bool { return cmd.Flags().Changed(name) }
	if set("title") {
		iv.Title = o.title
	}
	if set("narrator") {
		iv.Narrators = o.narrators
	}
	if set("language") {
		iv.Language = strings.ToLower(o.language)
	}
	if set("access") {
		acc, err := archive.ParseAccess(o.access)
		if err != nil {
			return usageError{err}
		}
		iv.Access = acc
	}
	if set("date") {
		iv.Date = o.date
	}
	if set("place") {
		iv.Place = o.place
	}
	if set("collection") {
		iv.Collection = o.collection
	}
	if iv.Narrators == nil {
		iv.Narrators = []string{}
	}
	if iv.Interviewers == nil {
		iv.Interviewers = []string{}
	}
	src.HasMeta = old == nil || set("title") || set("narrator") || set("language") || set("access") || set("date") || set("place") || set("collection")
	return nil
}

func printIngest(g *globals, r *archive.IngestResult) {
	switch {
	case !r.Changed():
		fmt.Fprintf(g.stdout, "%s: unchanged\n", r.Interview)
		for _, n := range r.Notes {
			fmt.Fprintf(g.stdout, "  note: %s\n", n)
		}
		return
	case r.Created:
		fmt.Fprintf(g.stdout, "%s: new interview", r.Interview)
	default:
		fmt.Fprintf(g.stdout, "%s: updated", r.Interview)
	}
	if len(r.Added) > 0 {
		fmt.Fprintf(g.stdout, "; added %s", strings.Join(r.Added, ", "))
	}
	if len(r.Replaced) > 0 {
		fmt.Fprintf(g.stdout, "; replaced %s (old version kept)", strings.Join(r.Replaced, ", "))
	}
	if r.Updated {
		fmt.Fprint(g.stdout, "; metadata updated")
	}
	fmt.Fprintf(g.stdout, "; %d segments, %d alignment(s)\n", r.Segments, r.Alignments)
	for _, n := range r.Notes {
		fmt.Fprintf(g.stdout, "  note: %s\n", n)
	}
}
