package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// The timing commands (shift, fps, stretch) rewrite only the times of
// SRT, WebVTT and ASS files, keeping every other byte; TTML and EBU STL
// are read, retimed and written again.

type subsShiftOptions struct {
	by     string
	from   string
	output string
}

func newSubsShiftCmd(g *globals) *cobra.Command {
	var o subsShiftOptions
	c := &cobra.Command{
		Use:   "shift INPUT --by OFFSET [--from TIME] -o OUT",
		Short: "Move a subtitle file's times earlier or later",
		Long: `Move every time of INPUT by OFFSET (later with +, earlier with -), or only
the times at or after --from: a cue that starts before it and ends after
it only has its end moved. OFFSET is a Go duration (-2.5s, +1m30s,
+150ms) or a timecode with a sign (+00:00:01,200, -00:01.5). Times that
would fall before zero become 00:00:00,000, and are counted.

SRT, WebVTT and ASS keep every byte but their times (numbering,
styling, positions, notes); TTML and EBU STL are read and written again.
INPUT may also be an archive track, INTERVIEW:LANG.

Examples:
  recuerdo subs shift en.srt --by -2.5s -o en.shifted.srt
  recuerdo subs shift es.vtt --by +00:00:01,200 --from 00:10:00 -o es.fixed.vtt
  recuerdo subs shift --json abuelo-autobus:en --by 500ms -o en.vtt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsShift(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVar(&o.by, "by", "", "how far to move the times: -2.5s, +00:00:01,200 (required)")
	c.Flags().StringVar(&o.from, "from", "", "move only the times at or after this one, e.g. 00:10:00")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the shifted file (required)")
	c.MarkFlagRequired("by")
	c.MarkFlagRequired("output")
	return c
}

type subsFPSOptions struct {
	from, to string
	output   string
}

func newSubsFPSCmd(g *globals) *cobra.Command {
	var o subsFPSOptions
	c := &cobra.Command{
		Use:   "fps INPUT --from RATE --to RATE -o OUT",
		Short: "Retime a subtitle file from one frame rate to another",
		Long: `Retime INPUT, timed for a video at --from frames a second, for the same video
at --to frames a second: what showed at frame n still shows at frame n, so
every time is multiplied by FROM/TO (25 → 23.976 undoes PAL speed-up and
makes times 4.3% longer).

Rates: 23.976, 24, 25, 29.97, 30, 47.952, 50, 59.94, 119.88 or any
number, or an exact ratio such as 24000/1001; 23.976, 29.97 and 59.94
mean exactly 24000/1001, 30000/1001 and 60000/1001. Times are computed in
exact rational arithmetic and rounded half away from zero to the
millisecond.

Round trips: converting A → B → A gives back every time exactly when the
first step lengthens times (25 → 23.976 → 25). When it shortens them
(23.976 → 25 → 23.976) two times can round to one millisecond, so a time
may come back 1 ms off; after that first round trip, converting back and
forth again changes nothing.

SRT, WebVTT and ASS keep every byte but their times; TTML and EBU STL are
read and written again. INPUT may also be an archive track, INTERVIEW:LANG.

Examples:
  recuerdo subs fps es.srt --from 25 --to 23.976 -o es.23976.srt
  recuerdo subs fps en.vtt --from 24000/1001 --to 24 -o en.24.vtt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsFPS(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVar(&o.from, "from", "", "the frame rate INPUT is timed for (required)")
	c.Flags().StringVar(&o.to, "to", "", "the frame rate to time it for (required)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the retimed file (required)")
	rates := []string{"23.976", "24", "25", "29.97", "30", "50", "59.94"}
	c.RegisterFlagCompletionFunc("from", cobra.FixedCompletions(rates, cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("to", cobra.FixedCompletions(rates, cobra.ShellCompDirectiveNoFileComp))
	c.MarkFlagRequired("from")
	c.MarkFlagRequired("to")
	c.MarkFlagRequired("output")
	return c
}

type subsStretchOptions struct {
	maps   []string
	output string
}

func newSubsStretchCmd(g *globals) *cobra.Command {
	var o subsStretchOptions
	c := &cobra.Command{
		Use:   "stretch INPUT --map OLD=NEW --map OLD=NEW -o OUT",
		Short: "Retime a subtitle file by two reference points",
		Long: `Retime INPUT linearly so that two times land where they should: give each as
--map OLD=NEW, e.g. the first line, which shows at 00:00:10,000 but is
spoken at 00:00:11,000, and a late one. Every other time follows the
straight line through the two points (an offset and a speed change),
rounded to the millisecond. Times before zero become zero.

SRT, WebVTT and ASS keep every byte but their times; TTML and EBU STL are
read and written again. INPUT may also be an archive track, INTERVIEW:LANG.

Examples:
  recuerdo subs stretch en.srt --map 00:00:10,000=00:00:11,000 --map 01:20:00,000=01:20:04,000 -o en.fixed.srt
  recuerdo subs stretch --json es.vtt --map 5=4.2 --map 3600=3603.6 -o es.fixed.vtt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsStretch(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringArrayVar(&o.maps, "map", nil, "a reference point OLD=NEW (give it twice)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the retimed file (required)")
	c.MarkFlagRequired("map")
	c.MarkFlagRequired("output")
	return c
}

type timingOutput struct {
	Operation string        `json:"operation"`
	Input     string        `json:"input"`
	Output    string        `json:"output"`
	Format    string        `json:"format"`
	Cues      int           `json:"cues"`
	Moved     int           `json:"moved"` // cues whose start or end time changed
	Clamped   int           `json:"clamped"`
	OffsetMS  *int64        `json:"offset_ms,omitempty"`
	FromMS    *int64        `json:"from_ms,omitempty"`
	FromRate  string        `json:"from_rate,omitempty"`
	ToRate    string        `json:"to_rate,omitempty"`
	Scale     float64       `json:"scale,omitempty"`
	Points    []timingPoint `json:"points,omitempty"`
	Summary   string        `json:"summary"`
}

type timingPoint struct {
	OldMS int64 `json:"old_ms"`
	NewMS int64 `json:"new_ms"`
}

func runSubsShift(ctx context.Context, g *globals, o subsShiftOptions, input string) error {
	by, err := parseOffset(o.by)
	if err != nil {
		return usageError{fmt.Errorf("--by: %w", err)}
	}
	var from time.Duration
	if o.from != "" {
		if from, err = subtitles.ParseTime(o.from); err != nil {
			return usageError{fmt.Errorf("--from: %w", err)}
		}
	}
	off, fromMS := by.Milliseconds(), from.Milliseconds()
	out := timingOutput{Operation: "shift", OffsetMS: &off, Summary: "shifted by " + signed(by)}
	if o.from != "" {
		out.FromMS = &fromMS
		out.Summary += " from " + subtitles.FormatTime(from)
	}
	return retimeFile(ctx, g, input, o.output, subtitles.ShiftFunc(by, from), out)
}

func runSubsFPS(ctx context.Context, g *globals, o subsFPSOptions, input string) error {
	from, err := subtitles.ParseRate(o.from)
	if err != nil {
		return usageError{fmt.Errorf("--from: %w", err)}
	}
	to, err := subtitles.ParseRate(o.to)
	if err != nil {
		return usageError{fmt.Errorf("--to: %w", err)}
	}
	f, err := subtitles.FPSFunc(from, to)
	if err != nil {
		return err
	}
	scale := float64(from.Num*to.Den) / float64(from.Den*to.Num)
	out := timingOutput{Operation: "fps", FromRate: fmt.Sprintf("%d/%d", from.Num, from.Den), ToRate: fmt.Sprintf("%d/%d", to.Num, to.Den),
		Scale: float64(int64(scale*1e7+0.5)) / 1e7, Summary: fmt.Sprintf("frame rate %s → %s (times ×%.6f)", from, to, scale)}
	return retimeFile(ctx, g, input, o.output, f, out)
}

func runSubsStretch(ctx context.Context, g *globals, o subsStretchOptions, input string) error {
	if len(o.maps) != 2 {
		return usageError{fmt.Errorf("--map: give exactly two reference points OLD=NEW (got %d)", len(o.maps))}
	}
	var pts [2]subtitles.Point
	for i, m := range o.maps {
		a, b, ok := strings.Cut(m, "=")
		if !ok {
			return usageError{fmt.Errorf("--map %q: want OLD=NEW, e.g. 00:00:10,000=00:00:11,000", m)}
		}
		old, err1 := subtitles.ParseTime(strings.TrimSpace(a))
		nw, err2 := subtitles.ParseTime(strings.TrimSpace(b))
		if err1 != nil || err2 != nil {
			return usageError{fmt.Errorf("--map %q: want OLD=NEW timecodes, e.g. 00:00:10,000=00:00:11,000", m)}
		}
		pts[i] = subtitles.Point{Old: old, New: nw}
	}
	f, err := subtitles.StretchFunc(pts[0], pts[1])
	if err != nil {
		return usageError{err}
	}
	scale := float64(pts[1].New-pts[0].New) / float64(pts[1].Old-pts[0].Old)
	out := timingOutput{Operation: "stretch", Scale: float64(int64(scale*1e7+0.5)) / 1e7,
		Summary: fmt.Sprintf("stretched: %s → %s, %s → %s (times ×%.6f)", subtitles.FormatTime(pts[0].Old), subtitles.FormatTime(pts[0].New), subtitles.FormatTime(pts[1].Old), subtitles.FormatTime(pts[1].New), scale)}
	for _, p := range pts {
		out.Points = append(out.Points, timingPoint{OldMS: p.Old.Milliseconds(), NewMS: p.New.Milliseconds()})
	}
	return retimeFile(ctx, g, input, o.output, f, out)
}

// retimeFile maps the times of input through f and writes the result to
// output, then reports what was done.
func retimeFile(ctx context.Context, g *globals, input, output string, f func(time.Duration) time.Duration, out timingOutput) error {
	in, err := readSubs(ctx, g, input)
	if err != nil {
		return err
	}
	data, clamped, err := subtitles.RetimeFile(in.Name, in.Data, f)
	if err != nil {
		return err
	}
	if err := writeAtomic(output, data); err != nil {
		return err
	}
	out.Input, out.Output, out.Format, out.Cues, out.Clamped = in.Name, output, string(in.Track.Format), len(in.Track.Cues), clamped
	out.Moved = movedCues(in, data)
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	if out.Moved == out.Cues {
		fmt.Fprintf(g.stdout, "%s: %d cues\nwrote %s\n", out.Summary, out.Cues, output)
	} else {
		fmt.Fprintf(g.stdout, "%s: %d of %d cues moved\nwrote %s\n", out.Summary, out.Moved, out.Cues, output)
	}
	if clamped > 0 {
		g.note("%d time(s) fell before zero and were set to 00:00:00", clamped)
	}
	return nil
}

// movedCues counts the cues whose start or end differs between the input
// and the retimed file, read back: what a shift --from or a retiming that
// leaves some times in place really moved.
func movedCues(in *subsInput, data []byte) int {
	tr, err := subtitles.ReadOrdered(in.Name, data)
	if err != nil || len(tr.Cues) != len(in.Track.Cues) {
		return len(in.Track.Cues)
	}
	n := 0
	for i, c := range tr.Cues {
		if old := in.Track.Cues[i]; c.Start != old.Start || c.End != old.End {
			n++
		}
	}
	return n
}

// parseOffset reads a signed offset: a Go duration ("-2.5s", "+150ms") or
// a timecode with an optional sign ("+00:00:01,200", "-1.5").
func parseOffset(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	sign, rest := time.Duration(1), s
	switch {
	case strings.HasPrefix(s, "-"):
		sign, rest = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		rest = s[1:]
	}
	if d, err := time.ParseDuration(rest); err == nil && strings.IndexFunc(rest, func(r rune) bool { return r >= 'a' && r <= 'z' || r == 'µ' }) >= 0 {
		return sign * d, nil
	}
	d, err := subtitles.ParseTime(rest)
	if err != nil {
		return 0, fmt.Errorf("bad offset %q (want e.g. -2.5s, +150ms or +00:00:01,200)", s)
	}
	return sign * d, nil
}

// signed writes an offset with its sign: "+1.200 s", "-2.500 s".
func signed(d time.Duration) string {
	if d < 0 {
		return fmt.Sprintf("-%.3f s", (-d).Seconds())
	}
	return fmt.Sprintf("+%.3f s", d.Seconds())
}
