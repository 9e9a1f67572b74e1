package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Exit codes.
const (
	exitOK       = 0 // success
	exitError    = 1 // the command failed: bad input, missing archive, I/O error
	exitUsage    = 2 // bad flags, arguments or query syntax
	exitProblems = 3 // check found disagreements
	exitBusy     = 4 // another recuerdo is writing to the archive, or has its index open
)

// globals are the flags every command shares.
type globals struct {
	archive  string
	json     bool
	quiet    bool
	readOnly bool
	stdout   io.Writer
	stderr   io.Writer
}

// usageError marks an error in how the command was called.
type usageError struct{ error }

// problemsError marks a check that found disagreements.
type problemsError struct{ n int }

func (e problemsError) Error() string { return fmt.Sprintf("%d problem(s) found", e.n) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(searchQueryArgs(root, args))
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var pe problemsError
	if errors.As(err, &pe) {
		fmt.Fprintf(stderr, "recuerdo: %v\n", err)
		return exitProblems
	}
	fmt.Fprintf(stderr, "recuerdo: error: %v\n", err)
	var se *subtitles.Error
	if errors.As(err, &se) && se.Hint != "" {
		fmt.Fprintf(stderr, "recuerdo: hint: %s\n", se.Hint)
	}
	var he hintError
	if errors.As(err, &he) {
		fmt.Fprintf(stderr, "recuerdo: hint: %s\n", he.hint)
	}
	if errors.Is(err, archive.ErrNoArchive) {
		fmt.Fprintln(stderr, "recuerdo: hint: recuerdo init creates an archive there (or ingest creates one); --archive DIR or RECUERDO_ARCHIVE names another folder")
	}
	if errors.Is(err, archive.ErrReadOnly) {
		fmt.Fprintf(stderr, "recuerdo: hint: the archive is open read-only (--read-only, or a folder this user cannot write: a backup, a snapshot, a read-only mount); list, show, search, check and export work on it\n")
	}
	var be *index.BusyError
	if errors.As(err, &be) && be.Holder != nil && be.Holder.Serving() {
		fmt.Fprintf(stderr, "recuerdo: hint: search in the page at %s, or stop the server (Ctrl-C) and run this again\n", be.Holder.URL)
	}

	var ue usageError
	var qe *index.QueryError
	switch {
	case errors.As(err, &ue), errors.As(err, &qe), isCobraUsage(err):
		return exitUsage
	case errors.Is(err, archive.ErrBusy), errors.Is(err, index.ErrBusy):
		return exitBusy
	}
	return exitError
}

// isCobraUsage recognises cobra's own flag and argument errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "recuerdo",
		Short: "An archive for oral-history interviews in Spanish and English",
		Long: `recuerdo turns a folder of interview transcripts and subtitles (Spanish and
English, with their metadata) into an archive: every original kept byte for
byte, each translation aligned with its source, everything searchable across
both languages with timecodes.

Try it on the bundled samples:
  recuerdo demo`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVar(&g.archive, "archive", defaultArchiveDir(), "archive folder (env RECUERDO_ARCHIVE)")
	root.PersistentFlags().BoolVar(&g.json, "json", false, "print results as JSON")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "print only results and errors")
	root.PersistentFlags().BoolVar(&g.readOnly, "read-only", false, "write nothing to the archive (automatic when its folder cannot be written)")
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		if g.readOnly && writes(c) {
			return usageError{fmt.Errorf("%s writes to the archive: it cannot run with --read-only", c.CommandPath())}
		}
		if usesArchive(c) {
			return checkArchivePath(g, c)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newInitCmd(g),
		newIngestCmd(g),
		newListCmd(g),
		newShowCmd(g),
		newSearchCmd(g),
		newReindexCmd(g),
		newCheckCmd(g),
		newExportCmd(g),
		newImportCmd(g),
		newDemoCmd(g),
		newSubsCmd(g),
		newBenchCmd(g),
		newServeCmd(g),
		newLexiconCmd(g),
	)
	return root
}

// defaultArchiveDir is $RECUERDO_ARCHIVE, else the per-user data folder.
func defaultArchiveDir() string {
	if d := os.Getenv("RECUERDO_ARCHIVE"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "recuerdo")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "recuerdo-archive"
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "recuerdo")
	case "windows":
		if d, err := os.UserConfigDir(); err == nil {
			return filepath.Join(d, "recuerdo")
		}
	}
	return filepath.Join(home, ".local", "share", "recuerdo")
}

// note prints a message for people on stderr, unless --quiet.
func (g *globals) note(format string, args ...any) {
	if !g.quiet {
		fmt.Fprintf(g.stderr, "recuerdo: "+format+"\n", args...)
	}
}

// writes reports whether command c writes to the archive (or its index).
func writes(c *cobra.Command) bool {
	switch c.CommandPath() {
	case "recuerdo init", "recuerdo ingest", "recuerdo import", "recuerdo reindex", "recuerdo serve", "recuerdo demo",
		"recuerdo lexicon add", "recuerdo lexicon remove", "recuerdo lexicon forget", "recuerdo lexicon learn":
		return true
	case "recuerdo check":
		repair, _ := c.Flags().GetBool("repair")
		return repair
	}
	return false
}

// openArchive opens the archive for a command that only reads it:
// read-only with --read-only, else as archive.Open does (which falls back
// to read-only when the folder cannot be written, as it says).
func openArchive(g *globals) (*archive.Archive, error) {
	if g.readOnly {
		return archive.OpenReadOnly(g.archive)
	}
	a, err := archive.Open(g.archive)
	if err == nil && a.ReadOnly() {
		g.note("%s cannot be written here: reading it read-only", a.Dir())
	}
	return a, err
}

// indexOptions are how a command opens the archive's index (through the
// index package, which owns it): named for its holder's note, with what
// it does on the way told to people.
func indexOptions(g *globals, what string) index.OpenOptions {
	return index.OpenOptions{What: what, Note: func(msg string) { g.note("%s", msg) }}
}
