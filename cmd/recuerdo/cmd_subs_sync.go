package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/internal/atomicfile"
	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
)

type subsSyncOptions struct {
	to     string
	output string
	force  bool
}

func newSubsSyncCmd(g *globals) *cobra.Command {
	var o subsSyncOptions
	c := &cobra.Command{
		Use:   "sync INPUT --to REFERENCE -o OUT",
		Short: "Move a subtitle file's timing onto a reference track's",
		Long: `Retime INPUT so that it follows REFERENCE (another subtitle track of the same
speech, in the same or another language), and say what was found: a
constant offset, a speed change between frame rates, and cuts or inserts
where the two come from different edits, e.g.

  offset +2.350 s; speed 25→23.976 (×1.0427); cut of 42.0 s at 00:31:10

Only the timing lines change; text, numbering and styling stay as they
were. Confidence compares how many of INPUT's cues, once mapped, start where a
REFERENCE cue starts (within 0.3 s) with how many do so by chance; below
50% the result is refused unless --force. It is given for each stretch
between cuts too, with a check of the words where both files have them: a
stretch whose content does not match is flagged (CHECK, and "flagged" in
--json "regions"), never silently trusted. When INPUT was re-timed cue by
cue (a voice-over), its cues are paired with REFERENCE's on content and
moved one by one: "re-timed cue by cue; median shift -1.2 s". SRT and WebVTT.

Examples:
  recuerdo subs sync en.srt --to es.srt -o en.synced.srt
  recuerdo subs sync --json old-cut.vtt --to final-cut.srt -o synced.vtt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsSync(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVar(&o.to, "to", "", "the reference subtitle file (required)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the retimed file (required)")
	c.Flags().BoolVar(&o.force, "force", false, "write even a low-confidence result")
	c.MarkFlagRequired("to")
	c.MarkFlagRequired("output")
	return c
}

type syncOutput struct {
	Explanation string       `json:"explanation"`
	Confidence  float64      `json:"confidence"`
	Scale       float64      `json:"scale"`
	Pieces      []syncPiece  `json:"pieces"`
	Output      string       `json:"output"`
	Clamped     int          `json:"clamped"`
	Regions     []jsonRegion `json:"regions"`
}

type syncPiece struct {
	FromMS   int64 `json:"from_ms"`
	OffsetMS int64 `json:"offset_ms"`
}

func runSubsSync(ctx context.Context, g *globals, o subsSyncOptions, input string) error {
	src, err := readSubs(ctx, g, input)
	if err != nil {
		return err
	}
	in := src.Track.Cues
	ref, err := readCues(ctx, g, o.to)
	if err != nil {
		return err
	}
	res := align.Sync(in, ref, align.Options{Lexicon: installedDictionary()})
	out := syncOutput{Explanation: res.Mapping.Explain(), Confidence: round3(res.Confidence), Scale: math.Round(res.Mapping.Scale*1e7) / 1e7, Output: o.output, Regions: jsonRegions(res.Regions)}
	for _, p := range res.Mapping.Pieces {
		out.Pieces = append(out.Pieces, syncPiece{FromMS: p.From.Milliseconds(), OffsetMS: p.Offset.Milliseconds()})
	}
	if res.Confidence < align.MinConfidence && !o.force {
		return fmt.Errorf("sync %s to %s: low confidence %.0f%% (want %.0f%%): once mapped (%s), %.0f%% of its cues start where a reference cue does, against %.0f%% by chance; are they the same speech? use --force to write it anyway",
			input, o.to, 100*res.Confidence, 100*align.MinConfidence, out.Explanation, 100*res.Matched, 100*res.Chance)
	}
	retimed, clamped, err := subtitles.Retime(src.Name, src.Data, res.Mapping.Apply)
	if err != nil {
		return err
	}
	out.Clamped = clamped
	if err := writeAtomic(o.output, retimed); err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	fmt.Fprintf(g.stdout, "%s (confidence %.0f%%)\n", out.Explanation, 100*res.Confidence)
	if len(res.Regions) > 1 {
		for _, r := range res.Regions {
			flag := ""
			if r.Flagged {
				flag = "  CHECK"
			}
			fmt.Fprintf(g.stdout, "  %s–%s  %4d cues  offset %+.3f s  confidence %3.0f%%%s  (%s)\n", clockMS(r.From.Milliseconds()), clockMS(r.To.Milliseconds()), r.Cues, r.Offset.Seconds(), 100*r.Confidence, flag, r.Why)
		}
	}
	for _, r := range res.Regions {
		if r.Flagged {
			g.note("warning: %s–%s is not trusted: %s", clockMS(r.From.Milliseconds()), clockMS(r.To.Milliseconds()), r.Why)
		}
	}
	fmt.Fprintf(g.stdout, "wrote %s\n", o.output)
	if clamped > 0 {
		g.note("%d time(s) fell before zero and were set to 00:00:00", clamped)
	}
	return nil
}

// writeAtomic writes data to path through a temporary file in the same
// folder, so a failure never leaves half a file behind. A new file gets
// 0666 less the umask, a replaced one keeps its mode.
func writeAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the *fs.PathError naming a temporary file, keeping its cause.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// clockMS writes milliseconds as hh:mm:ss.
func clockMS(ms int64) string {
	if ms < 0 {
		ms = 0
	}
	s := ms / 1000
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}
