package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

type checkOptions struct {
	repair       bool
	force        bool
	full         bool
	removeTracks []int64
}

func newCheckCmd(g *globals) *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check",
		Short: "Verify that catalogue, originals and index agree; repair what is derived",
		Long: `Verify the archive: the catalogue's integrity (SQLite's own integrity and
foreign key checks), access levels and seals, every original against its
checksum, every alignment's references, that the segments of a sample of
tracks (all of them with --full) are what their originals give when read
again, that objects/ holds no original whose track a forced repair removed,
that every file of the search index passes its own checksum (CRC-32 of
each segment), and that the index holds exactly the catalogue's segments
(an index that is merely behind the catalogue is caught up first, as every
command does). Other originals no track refers to, as an interrupted
ingest leaves, are noted. Exits 0 only when all agree, 3 when problems
were found.

With --repair, what is derived is rebuilt: the search index from the
catalogue, and the alignments of interviews whose alignment references are
broken; leftovers of interrupted writes are removed. A damaged or missing
original is reported, never deleted: restore it by ingesting the file again
or from a backup. With --repair --force, the catalogue rows of tracks whose
original is missing are removed (and recorded in the archive's history),
but never more than 5 tracks nor more than a tenth of them at once (at
least one): name more with --remove-track ID. When objects/ is missing or
empty, as when the disk holding it is not mounted, --repair changes
nothing. Access levels and seals are never changed.

Examples:
  recuerdo check
  recuerdo check --full
  recuerdo check --repair
  recuerdo check --repair --remove-track 12 --remove-track 13
  recuerdo check --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.force && !o.repair {
				return usageError{fmt.Errorf("--force needs --repair")}
			}
			if len(o.removeTracks) > 0 && !o.repair {
				return usageError{fmt.Errorf("--remove-track needs --repair")}
			}
			return runCheck(cmd.Context(), g, o)
		},
	}
	c.Flags().BoolVar(&o.repair, "repair", false, "rebuild the index and broken alignments; never deletes an original")
	c.Flags().BoolVar(&o.force, "force", false, "with --repair: remove the catalogue rows of tracks whose original is missing (a few at most)")
	c.Flags().Int64SliceVar(&o.removeTracks, "remove-track", nil, "with --repair: remove this track, whose original is missing (repeatable)")
	c.Flags().BoolVar(&o.full, "full", false, "read every original again to verify its track's segments, not a sample")
	return c
}

// repairJSON is the repair part of check --json.
type repairJSON struct {
	*archive.RepairReport
	IndexedInterviews int `json:"indexed_interviews"`
	IndexedSegments   int `json:"indexed_segments"`
}

func runCheck(ctx context.Context, g *globals, o checkOptions) error {
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	var rep *repairJSON
	if o.repair {
		r, err := a.Repair(ctx, archive.RepairOptions{Force: o.force, RemoveTracks: o.removeTracks})
		if err != nil {
			return err
		}
		rep = &repairJSON{RepairReport: r}
		built, err := index.Rebuild(ctx, a, indexOptions(g, "check --repair"))
		if err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
		rep.IndexedInterviews, rep.IndexedSegments = built.Interviews, built.Segments
		if !g.json {
			printRepair(g, rep, o)
		}
	}
	probs, err := a.CheckWith(ctx, archive.CheckOptions{Full: o.full})
	if err != nil {
		return err
	}
	ip, err := index.CheckArchive(ctx, a, indexOptions(g, "check"))
	if err != nil {
		return err
	}
	probs = append(probs, ip...)
	orphans, err := a.Orphans(ctx)
	if err != nil {
		return err
	}
	var strays []archive.Orphan // those Check does not count as problems
	for _, o := range orphans {
		if o.RemovedTrack == "" {
			strays = append(strays, o)
		}
	}
	ivs, err := a.Interviews(ctx)
	if err != nil {
		return err
	}
	if probs == nil {
		probs = []archive.Problem{}
	}
	if g.json {
		if strays == nil {
			strays = []archive.Orphan{}
		}
		out := map[string]any{"ok": len(probs) == 0, "interviews": len(ivs), "problems": probs, "orphans": strays}
		if rep != nil {
			out["repair"] = rep
		}
		if err := json.NewEncoder(g.stdout).Encode(out); err != nil {
			return err
		}
	} else {
		for _, p := range probs {
			fmt.Fprintln(g.stdout, p)
		}
		for _, o := range strays {
			g.note("note: %s: no track refers to this original (left by an interrupted ingest or import? running it again uses it); kept", o.Path)
		}
		if len(probs) == 0 {
			fmt.Fprintf(g.stdout, "ok: %d interview(s); catalogue, originals and index agree\n", len(ivs))
		}
	}
	if len(probs) > 0 {
		return problemsError{len(probs)}
	}
	return nil
}

func printRepair(g *globals, r *repairJSON, o checkOptions) {
	how := "--force"
	if len(o.removeTracks) > 0 {
		how = "--remove-track"
	}
	if r.TempFiles > 0 {
		fmt.Fprintf(g.stdout, "repair: removed %d leftover(s) of interrupted writes\n", r.TempFiles)
	}
	if len(r.Realigned) > 0 {
		fmt.Fprintf(g.stdout, "repair: recomputed the alignments of %s\n", strings.Join(r.Realigned, ", "))
	}
	for _, t := range r.RemovedTracks {
		fmt.Fprintf(g.stdout, "repair: removed track %s, whose original was missing (%s)\n", t, how)
	}
	fmt.Fprintf(g.stdout, "repair: rebuilt the search index: %d segments of %d interview(s)\n", r.IndexedSegments, r.IndexedInterviews)
	for _, p := range r.Unrepaired {
		fmt.Fprintf(g.stdout, "repair: not repaired: %s\n", p)
	}
}
