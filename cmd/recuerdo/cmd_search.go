package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/export"
)

type searchOptions struct {
	lang     string
	limit    int
	offset   int
	audience string
	color    string
	sort     string
	context  int
	fps      float64
	flat     bool
	perIV    int
	after    string
	facets   bool
	export   string
	output   string
	handles  time.Duration
	tlFPS    float64
}

func newSearchCmd(g *globals) *cobra.Command {
	var o searchOptions
	c := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search every interview, in Spanish and English",
		Long: `Search every segment of every interview. Accents, capitals and word forms do
not matter (autobus, autobús and Autobuses find the same lines), longer
words forgive a typo, and each hit shows its aligned translation.

Query language:
  words            all must match:            abuelo casa
  "a phrase"       exact wording:             "puerta azul"
  prefix*          words starting so:         constru*
  word~            forgive typos in a short word
  -word            leave out:                 autobus -juarez
  a OR b           either:                    mole OR gorditas
  field:value      lang:es  interview:ID  speaker:Ramón  narrator:…  place:…
                   collection:…
  year:1982        years the story names (1982, en el 82, en el ochenta y dos,
                   in '82), also year:1960..1975 and decade:1980s; a word
                   that is a year (1982) finds them too
  recorded:2019    when the interview was recorded, also recorded:1960..1975

A moment said in Spanish and subtitled in English is one hit: the Spanish
line with its English twin, found by words of either language. --lang en
shows the English lines themselves.

Hits come grouped by interview, best interview first, with the best few
hits of each (--per-interview); --flat gives one ranked list. Long result
lists page with --limit and the cursor printed at the end (--after).

Examples:
  recuerdo search autobus
  recuerdo search '"El Paso"' --lang en
  recuerdo search blender --lang es          # English words, Spanish speech
  recuerdo search --flat --sort time 'abuela year:1960..1990'
  recuerdo search --json 'casa puerta azul'

Exports for editing software (every hit, up to --limit, default 1000, with
handles before and after; see the README for each format):
  recuerdo search 'autobus "El Paso"' --export edl --handles 2s -o selects.edl
  recuerdo search licuadora --export resolve-edl -o markers.edl
  recuerdo search abuela --export fcpxml -o abuela.fcpxml
  recuerdo search abuela --export csv     (csv, json, edl, resolve-edl, fcpxml, srt, vtt)`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSearch(cmd.Context(), cmd, g, o, strings.Join(args, " "))
		},
	}
	c.SetFlagErrorFunc(searchFlagError)
	f := c.Flags()
	f.StringVar(&o.lang, "lang", "", "only segments in this language (es, en)")
	f.IntVar(&o.limit, "limit", 10, "number of interviews (or hits, with --flat)")
	f.IntVar(&o.offset, "offset", 0, "skip this many interviews (or hits, with --flat)")
	f.StringVar(&o.after, "after", "", "the page after this cursor (printed at the end of each page)")
	f.BoolVar(&o.flat, "flat", false, "one ranked list of hits instead of groups by interview")
	f.IntVar(&o.perIV, "per-interview", 3, "hits shown for each interview")
	f.BoolVar(&o.facets, "facets", true, "count hits by narrator, place, decade (of the story), recorded (decade), language and collection")
	f.StringVar(&o.export, "export", "", "write the hits for editing software: "+formatNames())
	f.StringVarP(&o.output, "output", "o", "", "file for --export (default: standard output)")
	f.DurationVar(&o.handles, "handles", 0, "with --export, extra media before and after each hit (e.g. 2s)")
	f.Float64Var(&o.tlFPS, "timeline-fps", 0, "with --export, the timeline frame rate (default: the first hit's media)")
	f.StringVar(&o.audience, "audience", "staff", "who is looking: public, family or staff")
	f.StringVar(&o.color, "color", "auto", "highlight matches: auto, always or never")
	f.StringVar(&o.sort, "sort", "relevance", "order of hits: relevance, or time (by interview, then time)")
	f.IntVar(&o.context, "context", 0, "show this many segments before and after each hit")
	f.Float64Var(&o.fps, "fps", 0, "frame rate for SMPTE timecodes (default: the interview's media)")
	return c
}

func runSearch(ctx context.Context, c *cobra.Command, g *globals, o searchOptions, q string) error {
	aud, err := archive.ParseAccess(o.audience)
	if err != nil {
		return usageError{err}
	}
	if o.sort != "relevance" && o.sort != "time" {
		return usageError{fmt.Errorf("--sort %q: want relevance or time", o.sort)}
	}
	if o.context < 0 || o.context > index.MaxContext || o.fps < 0 {
		return usageError{fmt.Errorf("--context must be 0 to %d and --fps positive", index.MaxContext)}
	}
	if err := checkFPS(g, "--fps", o.fps); err != nil {
		return err
	}
	if err := checkFPS(g, "--timeline-fps", o.tlFPS); err != nil {
		return err
	}
	if o.limit < 1 || o.offset < 0 || o.perIV < 1 {
		return usageError{fmt.Errorf("--limit and --per-interview must be at least 1 and --offset at least 0")}
	}
	if o.limit > index.MaxHits || o.perIV > index.MaxHits || o.offset > index.MaxOffset {
		return usageError{fmt.Errorf("--limit and --per-interview can be at most %d and --offset at most %d", index.MaxHits, index.MaxOffset)}
	}
	if o.after != "" && o.offset > 0 {
		return usageError{fmt.Errorf("--after and --offset both choose a page: use one")}
	}
	var format export.Format
	if o.export != "" {
		if format, err = export.ParseFormat(o.export); err != nil {
			return usageError{err}
		}
		if !c.Flags().Changed("limit") {
			o.limit = 1000
		}
		o.flat = true
	} else if o.output != "" || o.handles != 0 || o.tlFPS != 0 {
		return usageError{fmt.Errorf("-o, --handles and --timeline-fps go with --export")}
	}
	if o.handles < 0 || o.tlFPS < 0 {
		return usageError{fmt.Errorf("--handles and --timeline-fps cannot be negative")}
	}
	a, err := openArchive(g)
	if err != nil {
		return err
	}
	defer a.Close()
	ix, err := index.OpenArchive(ctx, a, indexOptions(g, "search"))
	if err != nil {
		return err
	}
	defer ix.Close()
	opt := index.Options{Limit: o.limit, Offset: o.offset, After: o.after, Lang: strings.ToLower(o.lang), Audience: aud,
		ByTime: o.sort == "time", Context: o.context, FPS: o.fps, Group: !o.flat, PerGroup: o.perIV, Facets: o.facets}
	res, err := ix.Search(ctx, a, q, opt)
	if err != nil {
		return searchError(err)
	}
	if res.Total == 0 && o.after == "" {
		if err := checkSearchLanguage(ctx, a, o.lang, q); err != nil {
			return err
		}
	}
	if o.export != "" {
		return exportHits(ctx, g, a, res, format, o)
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(res)
	}
	printResults(g.stdout, res, useColor(o.color, g.stdout), o.offset)
	return nil
}

// exportHits writes a search's hits for editing software.
func exportHits(ctx context.Context, g *globals, a *archive.Archive, res *index.Results, f export.Format, o searchOptions) error {
	ivs := map[string]*archive.Interview{}
	clips := make([]export.Clip, 0, len(res.Hits))
	for _, h := range res.Hits {
		iv, ok := ivs[h.Interview]
		if !ok {
			var err error
			if iv, err = a.Interview(ctx, h.Interview, false); err != nil {
				return err
			}
			ivs[h.Interview] = iv
		}
		c := export.Clip{Interview: h.Interview, Title: iv.Title, Lang: h.Lang, Speaker: h.Speaker, Text: h.Text,
			Start: ms(h.StartMS), End: ms(h.EndMS)}
		if len(iv.Media) > 0 {
			c.Media, c.FPS, c.StartTimecode = iv.Media[0].File, iv.Media[0].FPS, iv.Media[0].StartTimecode
		}
		if o.fps > 0 {
			c.FPS = o.fps
		}
		if t := h.Translation; t != nil {
			c.Translation, c.TranslationLang = t.Text, t.Lang
		}
		clips = append(clips, c)
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, f, clips, export.Options{Handles: o.handles, FPS: o.tlFPS, Title: "recuerdo: " + res.Query}); err != nil {
		return err
	}
	if o.output == "" {
		_, err := g.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeAtomic(o.output, buf.Bytes()); err != nil {
		return err
	}
	if !g.quiet {
		more := ""
		if res.Next != "" {
			more = fmt.Sprintf(" (of %d: raise --limit for more)", res.Total)
		}
		fmt.Fprintf(g.stderr, "recuerdo: wrote %d hit(s)%s as %s to %s\n", len(clips), more, f, o.output)
	}
	return nil
}

func formatNames() string {
	var names []string
	for _, f := range export.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func printResults(w io.Writer, res *index.Results, color bool, offset int) {
	if res.Total == 0 {
		fmt.Fprintf(w, "no matches for %s\n", res.Query)
		return
	}
	if res.Groups != nil {
		fmt.Fprintf(w, "%d match(es) in %d interview(s) for %s", res.Total, res.Interviews, res.Query)
		if len(res.Groups) > 0 && len(res.Groups) < res.Interviews {
			fmt.Fprintf(w, ", showing interviews %d-%d", offset+1, offset+len(res.Groups))
		}
		fmt.Fprintln(w)
		for _, gr := range res.Groups {
			fmt.Fprintf(w, "\n%s  %s  (%d match(es))\n", gr.Interview, gr.Title, gr.Total)
			for _, h := range gr.Hits {
				printHit(w, h, color, "  ", false)
			}
			if more := gr.Total - len(gr.Hits); more > 0 {
				fmt.Fprintf(w, "    … %d more: add interview:%s --flat\n", more, gr.Interview)
			}
		}
	} else {
		fmt.Fprintf(w, "%d match(es) for %s", res.Total, res.Query)
		if len(res.Hits) > 0 {
			fmt.Fprintf(w, ", showing %d-%d", offset+1, offset+len(res.Hits))
		}
		fmt.Fprintln(w)
		for _, h := range res.Hits {
			printHit(w, h, color, "", true)
		}
	}
	if res.Partial {
		fmt.Fprintln(w, "\nno segment holds every word; these hold at least half of them, most first")
	}
	if res.Typos {
		fmt.Fprintln(w, "\n"+typoNote(res))
	}
	printFacets(w, res.Facets)
	if res.Next != "" {
		fmt.Fprintf(w, "\nmore: add --after %s\n", res.Next)
	}
}

func printHit(w io.Writer, h index.Hit, color bool, indent string, withInterview bool) {
	fmt.Fprintf(w, "\n%s", indent)
	if withInterview {
		fmt.Fprintf(w, "%s  ", h.Interview)
	}
	fmt.Fprintf(w, "%s-%s", subtitles.FormatTime(ms(h.StartMS)), subtitles.FormatTime(ms(h.EndMS)))
	if h.TimecodeStart != "" {
		fmt.Fprintf(w, "  [%s]", h.TimecodeStart)
	}
	fmt.Fprintf(w, "  %s", h.Lang)
	if h.Speaker != "" {
		fmt.Fprintf(w, "  %s", h.Speaker)
	}
	fmt.Fprintln(w)
	for _, c := range h.Before {
		fmt.Fprintf(w, "%s  · %s\n", indent, oneLine(c.Speaker, c.Text))
	}
	fmt.Fprintf(w, "%s  %s\n", indent, strings.ReplaceAll(highlight(h.Text, h.Matches, color), "\n", " "))
	if t := h.Translation; t != nil {
		fmt.Fprintf(w, "%s  %s: %s\n", indent, t.Lang, strings.ReplaceAll(highlight(t.Text, t.Matches, color), "\n", " "))
	}
	if len(h.Via) > 0 {
		fmt.Fprintf(w, "%s  (found through translation: %s)\n", indent, strings.Join(h.Via, ", "))
	}
	for _, c := range h.After {
		fmt.Fprintf(w, "%s  · %s\n", indent, oneLine(c.Speaker, c.Text))
	}
}

// printFacets prints the facet counts on one line each.
func printFacets(w io.Writer, facets map[string][]index.Facet) {
	first := true
	for _, name := range index.FacetNames {
		list := facets[name]
		if len(list) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(w)
			first = false
		}
		parts := make([]string, len(list))
		for i, f := range list {
			parts[i] = fmt.Sprintf("%s (%d)", f.Value, f.Count)
		}
		fmt.Fprintf(w, "%-11s %s\n", name+":", strings.Join(parts, ", "))
	}
}

// highlight marks the matched byte ranges of text: bold yellow on a
// terminal, [brackets] otherwise.
func highlight(text string, matches [][2]int, color bool) string {
	open, close := "[", "]"
	if color {
		open, close = "\x1b[1;33m", "\x1b[0m"
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		if m[0] < last || m[1] > len(text) {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteString(open + text[m[0]:m[1]] + close)
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}
