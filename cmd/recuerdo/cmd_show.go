package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

type showOptions struct {
	audience string
	width    int
}

func newShowCmd(g *globals) *cobra.Command {
	var o showOptions
	c := &cobra.Command{
		Use:   "show INTERVIEW",
		Short: "Show an interview: its metadata and transcript, both languages side by side",
		Long: `Show an interview's metadata and its transcript, the source language and
its aligned translation side by side, with timecodes.

Examples:
  recuerdo show abuelo-autobus
  recuerdo show --json abuelo-autobus
  recuerdo show --audience public casa-puerta-azul`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runShow(cmd.Context(), g, o, args[0]) },
	}
	c.Flags().StringVar(&o.audience, "audience", "staff", "who is looking: public, family or staff (sealed stretches above it are left out)")
	c.Flags().IntVar(&o.width, "width", 100, "line width of the side-by-side view")
	return c
}

// showOutput is what show --json prints.
type showOutput struct {
	*archive.Interview
	Alignments []archive.Alignment `json:"alignments"`
	History    []archive.Event     `json:"history,omitempty"` // what happened to this interview (staff only)
}

func runShow(ctx context.Context, g *globals, o showOptions, id string) error {
	aud, err := archive.ParseAccess(o.audience)
	if err != nil {
		return usageError{err}
	}
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.View(ctx, id, aud, time.Now(), true)
	if err != nil {
		return err
	}
	if !v.Allowed() {
		return fmt.Errorf("interview %q is for %s only (asked as %s)", id, v.Level(), aud)
	}
	iv := v.Interview()
	all, err := a.Alignments(ctx, id)
	if err != nil {
		return err
	}
	als := v.Alignments(all)
	var hist []archive.Event
	if aud == archive.Staff {
		// The interview's own events, such as an accepted loss of words;
		// their details may quote sealed stretches.
		events, err := a.History(ctx)
		if err != nil {
			return err
		}
		for _, e := range events {
			if e.Interview == id {
				hist = append(hist, e)
			}
		}
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(showOutput{iv, als, hist})
	}
	printInterview(g, iv, als, hist, o.width)
	return nil
}

func printInterview(g *globals, iv *archive.Interview, als []archive.Alignment, hist []archive.Event, width int) {
	w := g.stdout
	fmt.Fprintf(w, "%s — %s\n", iv.ID, iv.Title)
	if iv.TitleEN != "" {
		fmt.Fprintf(w, "  %s\n", iv.TitleEN)
	}
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-13s %s\n", label+":", v)
		}
	}
	line("narrators", strings.Join(iv.Narrators, ", "))
	line("interviewers", strings.Join(iv.Interviewers, ", "))
	line("date", iv.Date)
	line("place", iv.Place)
	line("collection", iv.Collection)
	line("language", iv.Language)
	line("access", iv.Access.String())
	for _, m := range iv.Media {
		line("media", fmt.Sprintf("%s (%g fps, starts %s)", m.File, m.FPS, m.StartTimecode))
	}
	for _, t := range iv.Tracks {
		line("track", fmt.Sprintf("%s %s %s, %d segments, sha256 %s…", t.Lang, t.Kind, t.Name, len(t.Segments), t.SHA256[:12]))
		if t.Words != nil {
			fmt.Fprintf(w, "  %-13s words: %s\n", "", t.Words)
		}
	}
	for _, e := range hist {
		line("history", fmt.Sprintf("%s %s: %s", e.At, e.Event, e.Detail))
	}
	fmt.Fprintln(w)
	byID := map[int64]*archive.Track{}
	for i := range iv.Tracks {
		byID[iv.Tracks[i].ID] = &iv.Tracks[i]
	}
	if len(als) == 0 {
		for _, t := range iv.Tracks {
			fmt.Fprintf(w, "[%s] %s\n", t.Lang, t.Name)
			for _, s := range t.Segments {
				tc := subtitles.FormatTime(ms(s.StartMS))
				if s.Estimated {
					tc = "~" + tc
				}
				fmt.Fprintf(w, "%-13s  %s\n", tc, oneLine(s.Speaker, s.Text))
			}
		}
		return
	}
	for _, al := range als {
		src, tgt := byID[al.Src], byID[al.Tgt]
		if src == nil || tgt == nil {
			continue
		}
		col := (width - 14) / 2
		if col < 20 {
			col = 20
		}
		fmt.Fprintf(w, "%-13s  %-*s  %s\n", "time", col, strings.ToUpper(src.Lang)+" "+src.Name, strings.ToUpper(tgt.Lang)+" "+tgt.Name)
		var lastL, lastR string // speakers, labelled only when they change
		for _, p := range al.Pairs {
			left, lstart := joinSegs(src, p.SrcFrom, p.SrcTo, &lastL)
			right, rstart := joinSegs(tgt, p.TgtFrom, p.TgtTo, &lastR)
			if left == "" && right == "" {
				continue // sealed for this audience
			}
			start := lstart
			if p.SrcFrom == 0 || left == "" {
				start = rstart
			}
			ls, rs := wrap(left, col), wrap(right, col)
			for i := 0; i < max(len(ls), len(rs)); i++ {
				tc := ""
				if i == 0 {
					tc = subtitles.FormatTime(ms(start))
					if estimated(src, p.SrcFrom) {
						tc = "~" + tc // interpolated, not read from the file
					}
				}
				l, r := "", ""
				if i < len(ls) {
					l = ls[i]
				}
				if i < len(rs) {
					r = rs[i]
				}
				fmt.Fprintf(w, "%-13s  %s  %s\n", tc, pad(l, col), r)
			}
		}
		fmt.Fprintln(w)
	}
}

// joinSegs returns the text of segments from..to (1-based) that are still
// in the track, labelled with the speaker where it differs from *prev.
func joinSegs(t *archive.Track, from, to int, prev *string) (string, int64) {
	if from == 0 {
		return "", 0
	}
	var parts []string
	var start int64 = -1
	for _, s := range t.Segments {
		if s.Seq < from || s.Seq > to {
			continue
		}
		if start < 0 {
			start = s.StartMS
		}
		txt := strings.ReplaceAll(s.Text, "\n", " ")
		if s.Speaker != "" && s.Speaker != *prev {
			txt = s.Speaker + ": " + txt
		}
		*prev = s.Speaker
		parts = append(parts, txt)
	}
	return strings.Join(parts, " "), max(start, 0)
}

// estimated reports whether segment seq of t has an interpolated time.
func estimated(t *archive.Track, seq int) bool {
	for _, s := range t.Segments {
		if s.Seq == seq {
			return s.Estimated
		}
	}
	return false
}

func oneLine(speaker, text string) string {
	text = strings.ReplaceAll(text, "\n", " ")
	if speaker != "" {
		return speaker + ": " + text
	}
	return text
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// wrap breaks s into lines of at most width characters, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(word) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func pad(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s
	}
	return s + strings.Repeat(" ", width-n)
}
