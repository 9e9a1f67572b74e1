package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// usesArchive reports whether command c opens the --archive folder as a
// matter of course (subs commands open it only for an INTERVIEW:LANG
// argument, and check it then).
func usesArchive(c *cobra.Command) bool {
	p := c.CommandPath()
	for _, own := range []string{"recuerdo subs", "recuerdo bench", "recuerdo demo", "recuerdo help", "recuerdo completion", "recuerdo __complete"} {
		if p == own || strings.HasPrefix(p, own+" ") {
			return false
		}
	}
	return c.HasParent()
}

// checkArchivePath refuses an --archive that names a file: opening it
// would otherwise say there is no archive and suggest recuerdo init,
// which cannot make one there either.
func checkArchivePath(g *globals, c *cobra.Command) error {
	fi, err := os.Stat(g.archive)
	if err != nil || fi.IsDir() {
		return nil
	}
	name := "--archive " + g.archive
	switch archiveOrigin(c) {
	case "$RECUERDO_ARCHIVE":
		name = "RECUERDO_ARCHIVE=" + g.archive
	case "":
		name = "the default archive folder " + g.archive
	}
	return usageError{fmt.Errorf("%s is a file, not a folder: give the archive's folder (or a new folder's name, for a new archive)", name)}
}

// archiveOrigin says where the --archive folder came from, for a note.
func archiveOrigin(c *cobra.Command) string {
	if c == nil {
		// Without the command at hand: the flag, unless it holds the environment's value.
		if d := os.Getenv("RECUERDO_ARCHIVE"); d != "" {
			return "$RECUERDO_ARCHIVE"
		}
		return "--archive"
	}
	if f := c.Flag("archive"); f != nil && f.Changed {
		return "--archive"
	}
	if os.Getenv("RECUERDO_ARCHIVE") != "" {
		return "$RECUERDO_ARCHIVE"
	}
	return ""
}

// noteNewArchive tells, once, that a command made a new archive and where:
// without --archive or $RECUERDO_ARCHIVE it is the per-user default folder,
// which the user may not know about.
func noteNewArchive(g *globals, c *cobra.Command, dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	switch origin := archiveOrigin(c); origin {
	case "":
		g.note("created a new archive in %s, the default folder (give --archive DIR or set RECUERDO_ARCHIVE to keep it elsewhere)", abs)
	default:
		g.note("created a new archive in %s (%s)", abs, origin)
	}
}

// archiveExists reports whether dir already holds an archive: its
// catalogue, or an archive.yaml naming a PostgreSQL one.
func archiveExists(dir string) bool { return archive.Exists(dir) }
