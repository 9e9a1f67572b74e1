package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/subtitles"
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
                   collection:…  year:1968  year:1960..1975

Examples:
  recuerdo search autobus
  recuerdo search '"El Paso"' --lang en
  recuerdo search --json 'casa puerta azul'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSearch(cmd.Context(), g, o, strings.Join(args, " "))
		},
	}
	f := c.Flags()
	f.StringVar(&o.lang, "lang", "", "only segments in this language (es, en)")
	f.IntVar(&o.limit, "limit", 10, "number of hits")
	f.IntVar(&o.offset, "offset", 0, "skip this many hits (paging)")
	f.StringVar(&o.audience, "audience", "staff", "who is looking: public, family or staff")
	f.StringVar(&o.color, "color", "auto", "highlight matches: auto, always or never")
	f.StringVar(&o.sort, "sort", "relevance", "order of hits: relevance, or time (by interview, then time)")
	f.IntVar(&o.context, "context", 0, "show this many segments before and after each hit")
	f.Float64Var(&o.fps, "fps", 0, "frame rate for SMPTE timecodes (default: the interview's media)")
	return c
}

func runSearch(ctx context.Context, g *globals, o searchOptions, q string) error {
	aud, err := archive.ParseAccess(o.audience)
	if err != nil {
		return usageError{err}
	}
	if o.sort != "relevance" && o.sort != "time" {
		return usageError{fmt.Errorf("--sort %q: want relevance or time", o.sort)}
	}
	if o.context < 0 || o.context > 50 || o.fps < 0 {
		return usageError{fmt.Errorf("--context must be 0 to 50 and --fps positive")}
	}
	if o.limit < 1 || o.offset < 0 {
		return usageError{fmt.Errorf("--limit must be at least 1 and --offset at least 0")}
	}
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	ix, err := openIndex(ctx, g, a)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, a, q, index.Options{Limit: o.limit, Offset: o.offset, Lang: strings.ToLower(o.lang), Audience: aud, ByTime: o.sort == "time", Context: o.context, FPS: o.fps})
	if err != nil {
		return err
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(res)
	}
	printResults(g.stdout, res, useColor(o.color, g.stdout), o.offset)
	return nil
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
	fmt.Fprintf(w, "%d match(es) for %s", res.Total, res.Query)
	if len(res.Hits) > 0 {
		fmt.Fprintf(w, ", showing %d-%d", offset+1, offset+len(res.Hits))
	}
	fmt.Fprintln(w)
	for _, h := range res.Hits {
		fmt.Fprintf(w, "\n%s  %s-%s", h.Interview, subtitles.FormatTime(ms(h.StartMS)), subtitles.FormatTime(ms(h.EndMS)))
		if h.TimecodeStart != "" {
			fmt.Fprintf(w, "  [%s]", h.TimecodeStart)
		}
		fmt.Fprintf(w, "  %s", h.Lang)
		if h.Speaker != "" {
			fmt.Fprintf(w, "  %s", h.Speaker)
		}
		fmt.Fprintln(w)
		for _, c := range h.Before {
			fmt.Fprintf(w, "  · %s\n", oneLine(c.Speaker, c.Text))
		}
		fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(highlight(h.Text, h.Matches, color), "\n", " "))
		if t := h.Translation; t != nil {
			fmt.Fprintf(w, "  %s: %s\n", t.Lang, strings.ReplaceAll(t.Text, "\n", " "))
		}
		for _, c := range h.After {
			fmt.Fprintf(w, "  · %s\n", oneLine(c.Speaker, c.Text))
		}
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
